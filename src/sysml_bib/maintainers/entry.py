"""``add``: a work written as an entry in the list's own template, and put at the end of a section.

The template (the list's "PR template")::

    - Title [[Paper]](link) [[GitHub]](link)
      - Author (*conference(journal) year*)
      - Summary:

Authors are written in the style the section already uses (``author_style``), so the
new entry reads like its neighbours and ``parse`` reads it back to the same people.
Pure: text in, text out; ``insert`` changes no byte of the file but the added lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .. import links as linkmod
from .. import venues
from ..model import Item, Person, Record
from ..parse import ParsedList
from .spans import heading_text, headings, item_lines

STYLES = ("natural", "chicago", "et-al", "initials", "bibtex")
DEFAULT_STYLE = "natural"


# ----------------------------------------------------------------------------- authors

def line_style(line: str) -> str:
    """Which of ``STYLES`` an author line of the list is written in."""
    text = line.strip()
    if re.search(r"\bet\.?\s*al\b", text, re.IGNORECASE):
        return "et-al"
    parts = text.rstrip(".").split(" and ")
    if len(parts) > 1 and all(p.count(",") == 1 for p in parts):
        return "bibtex"
    if re.match(r"^[^\W\d][\w'’\-]*,\s*(?:[A-Z]\.\s*)+(?:,|$| and )", text):
        return "initials"
    if re.match(r"^[^\W\d][\w'’\-]*,\s*[^\W\d]", text):
        return "chicago"
    return "natural"


def author_style(items: list[Item]) -> str:
    """The most common style of the items' author lines (ties: the later item's), else the default."""
    styles = [line_style(line) for item in items for line in item.author_lines]
    if not styles:
        return DEFAULT_STYLE
    counts = Counter(styles)
    best = max(counts.values())
    return next(style for style in reversed(styles) if counts[style] == best)


def _natural(person: Person) -> str:
    return person.display()


def _inverted(person: Person) -> str:
    return f"{person.family}, {person.given}" if person.given and not person.literal else person.family


def _initials(person: Person) -> str:
    if person.literal or not person.given:
        return person.family
    letters = "".join(f"{w[0]}." for w in re.split(r"[\s\-]+", person.given) if w)
    return f"{person.family}, {letters}"


def _series(names: list[str], comma_before_and: bool = True) -> str:
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + ("," if comma_before_and else "") + f" and {names[-1]}"


def format_authors(people: list[Person], truncated: bool, style: str) -> str:
    """An author line in ``style``; "et al." is written only when the list's data was truncated or the style truncates."""
    if not people:
        return ""
    if style == "et-al" and len(people) > 2:
        return f"{_inverted(people[0])}, et al."
    if style == "bibtex":
        text = " and ".join(_inverted(p) for p in people)
    elif style == "initials":
        text = _series([_initials(p) for p in people], comma_before_and=False)
    elif style in ("chicago", "et-al"):
        text = _series([_inverted(people[0])] + [_natural(p) for p in people[1:]])
    else:
        text = _series([_natural(p) for p in people])
    if truncated:
        return f"{text}, et al."
    return text if text.endswith(".") or style == "bibtex" else text + "."


# ----------------------------------------------------------------------------- the entry

@dataclass
class Entry:
    title: str
    links: list[tuple[str, str]]  # (label, url), in order
    authors: str = ""  # the author line as written
    venue: str = ""  # "OSDI 2018"
    paper: bool = True  # papers get the author/venue and summary lines

    def lines(self, indent: str = "", marker: str = "-") -> list[str]:
        links = " ".join(f"[[{label}]]({markdown_url(url)})" for label, url in self.links)
        out = [f"{indent}{marker} {escape_title(self.title)} {links}".rstrip()]
        if self.paper:
            venue = f"(*{self.venue}*)" if self.venue else ""
            detail = " ".join(p for p in (self.authors, venue) if p)
            if detail:
                out.append(f"{indent}  - {detail}")
            out.append(f"{indent}  - Summary:")
        return out


def entry_for(record: Record, links: list[tuple[str, str]], style: str) -> Entry:
    """The list entry of a resolved record: papers with their author and venue/year lines, other works one line."""
    if record.kind != "paper":
        return Entry(record.title, links, paper=False)
    return Entry(record.title, links, format_authors(record.authors, record.authors_truncated, style), venue_text(record))


def escape_title(title: str) -> str:
    """Characters that markdown would read as links or emphasis, escaped (``parse`` unescapes them)."""
    return re.sub(r"([\\\[\]*_`])", r"\\\1", " ".join(title.split()))


def markdown_url(url: str) -> str:
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def venue_text(record: Record) -> str:
    """The venue/year line's text: the venue's acronym when known ("OSDI 2018"), else its name."""
    year = record.year
    name = record.fields.get("booktitle") or record.fields.get("journal") or ""
    if name:
        venue = venues.parse_venue(name)
        # USENIX names the venue in parentheses: "33rd USENIX Security Symposium (USENIX Security 24)";
        # dblp's long booktitles name the acronym with the year: "..., 13th International Conference, SPIRE 2006, ...".
        named = (re.search(r"\(([A-Z][^()]*?)\s+'?(?:\d{2}|\d{4})\)\s*$", name)
                 or re.search(r"\b([A-Z][A-Za-z]*[A-Z])\s+(?:19|20)\d{2}\b", name))
        short = venue.short or record.venue_short or (named.group(1) if named else "")
        label = short or re.sub(r",?\s*\b(?:19|20)\d{2}\b", "", name).strip(" ,")
        return " ".join(p for p in (label, year) if p)
    if record.fields.get("eprint"):
        return " ".join(p for p in ("arXiv", year) if p)
    return year


# ----------------------------------------------------------------------------- already listed?

def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


def already_listed(parsed: ParsedList, work_record: Record | None = None, url: str = "") -> Item | None:
    """The list item that is the same work, if any: by the URL's arXiv id, repository or address
    (no lookup needed), or by the resolved record's identity (DOI, dblp key, title), as ``normalize`` decides."""
    from ..normalize import identities, record_from_item

    wanted = linkmod.classify(url) if url else None
    for item in parsed.items:
        for link in item.links:
            if wanted and ((wanted.arxiv_id and link.arxiv_id == wanted.arxiv_id)
                           or (wanted.repo and (link.repo or "").lower() == wanted.repo.lower())
                           or _url_key(link.url) == _url_key(wanted.url)):
                return item
    if work_record is not None:
        tokens = identities(work_record)
        for item in parsed.items:
            if identities(record_from_item(item)) & tokens:
                return item
    return None


# ----------------------------------------------------------------------------- where it goes

@dataclass
class Place:
    file: str
    after_line: int  # 1-based; the entry's lines follow this line (0: the top of the file)
    indent: str
    marker: str


_BULLET_START = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+])[ \t]")


def section_items(parsed: ParsedList, path: tuple[str, ...]) -> list[Item]:
    return [item for item in parsed.items if item.sections == path]


def place_in_section(parsed: ParsedList, texts: dict[str, str], path: tuple[str, ...]) -> Place | None:
    """The end of the section's own entries (before any subsection), else right below its heading."""
    own = [item for item in section_items(parsed, path) if item.file in texts]
    if own:
        spans = item_lines(parsed, texts)
        file = own[-1].file
        last = max(line for item in own if item.file == file for line in spans.get(item.index, {item.line}))
        top = ([item for item in own if item.parent is None and item.file == file] or own)[-1]
        match = _BULLET_START.match(texts[file].splitlines()[top.line - 1])
        indent, marker = (match.group("indent"), match.group("marker")) if match else ("", "-")
        return Place(file, last, indent, marker)
    for file, text in texts.items():
        depth = 0
        for heading in headings(file, text):
            if depth < len(path) and heading_text(heading.raw) == path[depth]:
                depth += 1
                if depth == len(path):
                    return Place(file, heading.line, "", "-")
    return None


def newline_of(text: str) -> str:
    match = re.search(r"\r\n|\n|\r", text)
    return match.group(0) if match else "\n"


def insert(text: str, after_line: int, lines: list[str]) -> str:
    """``text`` with ``lines`` inserted after line ``after_line``; every other character unchanged.

    The new lines take the file's line ending. A last line without a line ending gets one,
    so the entry starts on a line of its own.
    """
    newline = newline_of(text)
    kept = text.splitlines(keepends=True)
    head, tail = kept[:after_line], kept[after_line:]
    if head and not head[-1].endswith(("\n", "\r")):
        head[-1] += newline
    block = "".join(line + newline for line in lines)
    if after_line and head and _is_heading(head[-1]):
        block = newline + block  # below a heading: keep the blank line the list puts there
    return "".join(head) + block + "".join(tail)


def _is_heading(line: str) -> bool:
    return bool(re.match(r"^ {0,3}#{1,6}(\s|$)", line))
