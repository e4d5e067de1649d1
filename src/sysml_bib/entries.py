"""What an entry becomes: the item(s) a bullet or table row names, or the role it has
instead (continuation, table of contents, untitled, prose).

``parse.py`` decides what a line is and calls ``place`` for every bullet once its lazy
continuation lines are joined; the entry's text is read by ``readers``. Nested bullets
are an item's author, venue, summary or note lines, or works of their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import links as linkmod
from . import markdown, names, readers, venues
from .model import Item, Link
from .parsed import Bullet, ParsedList, Untitled
from .readers.common import COLOR_BADGE

_KEEP_CASE = re.compile(r"\{([^{}]*)\}")
TRAILING_PUNCT = " \t:;,|-–—"
# A link from a split list's index to one of its files: "training.md", "./papers/inference.md#serving".
LIST_FILE_LINK = re.compile(r"^(?![a-z][a-z0-9+.\-]*:)[^?#\s]*\.(?:md|markdown)(?:#\S*)?$", re.IGNORECASE)

# Top-level sections whose items are of one kind whatever they link to.
_SECTION_KINDS = {
    "book": "book", "books": "book",
    "course": "course", "courses": "course",
    "video": "talk", "videos": "talk", "talk": "talk", "talks": "talk", "slides": "talk",
    "blog": "blog", "blogs": "blog",
    "dataset": "dataset", "datasets": "dataset",
}

# Styles that only read an entry of its own: a nested bullet read by one of them is a work, not a note.
_OWN_ENTRY_STYLES = frozenset(r.NAME for r in readers.READERS) - {"labelled_links"}


def drop_prose_items(parsed: ParsedList, file: str) -> None:
    """Bullets that name no work ("+ Preprocess the data,") are prose, not items: no link,
    no author or venue line, no nested item, in a list block where no bullet links anywhere
    (a book with no link among linked ones stays an item). They are reported; items are
    renumbered."""
    parents = {item.parent for item in parsed.items if item.parent is not None}
    linked_blocks = {b.block for b in parsed.bullets if b.file == file and b.linked}
    block_of = {i: b.block for b in parsed.bullets if b.role == "item" for i in [b.item, *b.more_items]}
    prose = {i for i, item in enumerate(parsed.items) if item.file == file and not item.links and not item.author_lines
             and not item.venue_lines and i not in parents and item.style != "table"
             and block_of.get(i) not in linked_blocks}
    if not prose:
        return
    for bullet in parsed.bullets:
        if bullet.item in prose and bullet.role == "item" and not bullet.more_items:
            bullet.role = "prose"
            parsed.prose.append(Untitled(bullet.file, bullet.line, markdown.strip_inline(bullet.text)[:200], []))
        elif bullet.item in prose and bullet.role == "item":
            bullet.item, bullet.more_items = bullet.more_items[0], bullet.more_items[1:]
        bullet.more_items = [i for i in bullet.more_items if i not in prose]
        if bullet.item in prose:
            bullet.item = None
    renumber = {}
    kept = []
    for i, item in enumerate(parsed.items):
        if i not in prose:
            renumber[i] = len(kept)
            kept.append(item)
    for item in kept:
        item.index = renumber[item.index]
        item.parent = renumber.get(item.parent) if item.parent is not None else None
    parsed.items[:] = kept
    for bullet in parsed.bullets:
        bullet.item = renumber.get(bullet.item) if bullet.item is not None else None
        bullet.more_items = [renumber[i] for i in bullet.more_items]
    for row in parsed.rows:
        row.item = renumber.get(row.item) if row.item is not None else None


def heading_item(parsed: ParsedList, raw: str, file: str, line: int, sections: tuple[str, ...], title: str) -> None:
    """A heading that links to a work ("Path to system for AI [[Whitepaper]](...pdf)") is an item too."""
    _, found = markdown.split_links(raw or "")
    real = [linkmod.classify(l.url, l.label) for l in found if not l.image and not l.url.startswith("#")]
    if not real:
        return
    item = Item(file=file, line=line, sections=sections, title=title or real[0].label, links=real)
    item.kind = infer_kind(item)
    add_item(parsed, item)


def add_item(parsed: ParsedList, item: Item) -> int:
    item.index = len(parsed.items)
    parsed.items.append(item)
    return item.index


def place(bullet: Bullet, parsed: ParsedList, stack: list[tuple[int, Bullet]], sections: tuple[str, ...]) -> None:
    bullet.sections = sections
    while stack and stack[-1][0] >= bullet.indent:
        stack.pop()
    parent = stack[-1][1] if stack else None
    stack.append((bullet.indent, bullet))

    if bullet.fenced:
        bullet.role = "template"
        return
    plain, found = markdown.split_links(COLOR_BADGE.sub("", bullet.text))
    bullet.linked = bool(found)
    if _is_toc(plain, found) or (parent is not None and parent.role == "toc"):
        bullet.role = "toc"
        return
    if not markdown.strip_inline(bullet.text):
        bullet.role = "empty"
        bullet.item = parent.item if parent else None
        return
    owner = parent.item if parent is not None else None
    if owner is None:
        _add_entries(parsed, bullet, readers.read_entry(bullet.text, readers.Context(bullet.file, bullet.line, sections)))
        return
    _attach(bullet, plain, found, parsed, owner, sections)


def _add_entries(parsed: ParsedList, bullet: Bullet, read: tuple[str, list], parent: int | None = None) -> None:
    """The works one bullet names become items; a bullet with no title left is reported."""
    _, entries = read
    indices = []
    for entry in entries:
        if titled(entry):
            item = item_from_entry(entry, bullet.file, bullet.line, _sections_of(parsed, parent, bullet))
            item.parent = parent
            indices.append(add_item(parsed, item))
        else:
            parsed.untitled.append(Untitled(bullet.file, bullet.line, markdown.strip_inline(bullet.text)[:200],
                                            [l.url for l in entry.links]))
    if indices:
        bullet.role, bullet.item, bullet.more_items = "item", indices[0], indices[1:]
    else:
        bullet.role = "untitled"


def titled(entry: readers.Entry) -> bool:
    paper = any(linkmod.classify(l.url).type in linkmod.PAPER_LINK_TYPES for l in entry.links)
    return readers.is_title(entry.title, paper)


def _sections_of(parsed: ParsedList, parent: int | None, bullet: Bullet) -> tuple[str, ...]:
    return parsed.items[parent].sections if parent is not None else bullet.sections


def _is_toc(plain: str, found: list[markdown.InlineLink]) -> bool:
    """A bullet of nothing but links to headings, or to the other files of a split list."""
    if not found or not all(link.url.startswith("#") or LIST_FILE_LINK.match(link.url) for link in found):
        return False
    rest = plain
    for link in found:
        rest = rest.replace(link.label, "", 1)
    return not rest.strip(" \t-–:|,.")


def _attach(bullet: Bullet, plain: str, found, parsed: ParsedList, owner: int, sections) -> None:
    """A nested bullet: a paper of its own, or an author/venue/summary/note line of its item."""
    item = parsed.items[owner]
    text = markdown.strip_inline(plain)
    classified = [linkmod.classify(l.url, l.label) for l in found if not l.image]
    first_link = min((l.start for l in found if not l.image), default=len(plain))
    before = markdown.strip_inline(plain[:first_link]).strip(TRAILING_PUNCT)
    is_paper = any(l.type in linkmod.PAPER_LINK_TYPES or l.type == "github" for l in classified)
    if re.match(r"^summary\b", text, re.IGNORECASE):
        bullet.role, bullet.item = "continuation", owner
        item.summary = " ".join(filter(None, [item.summary, text.split(":", 1)[-1].strip() if ":" in text else text[7:].strip()]))
        item.links.extend(classified)
        return
    # Only a line with a link, pipes or emphasis first can be written in a style of its own.
    maybe_own = found or "|" in bullet.text or bullet.text.lstrip()[:1] in ("*", "_")
    read = readers.read_entry(bullet.text, readers.Context(bullet.file, bullet.line, sections)) if maybe_own else ("", [])
    own_style = read[0] in _OWN_ENTRY_STYLES and any(titled(e) for e in read[1])
    if own_style or (is_paper and before and not names.looks_like_author_line(before)):
        bullet.sections = sections
        read = read if read[1] else readers.read_entry(bullet.text, readers.Context(bullet.file, bullet.line, sections))
        reported = len(parsed.untitled)
        _add_entries(parsed, bullet, read, parent=owner)
        if bullet.role == "untitled":  # not a work after all: a note of its item
            del parsed.untitled[reported:]
            bullet.role, bullet.item = "continuation", owner
            item.notes.append(text)
            item.links.extend(classified)
        return
    bullet.role, bullet.item = "continuation", owner
    authors_src, venue = venues.split_venue(plain)
    authors = markdown.strip_inline(authors_src)
    venue = markdown.strip_inline(venue)
    # A venue the title already gave ("... (ATC'22)" then "- ATC'22") is not listed twice.
    if venues.looks_like_venue_line(plain):
        item.venue_lines += [v for v in [venue or text] if v not in item.venue_lines]
    elif names.looks_like_author_line(authors):
        _title_by_is_its_own(item, authors)
        item.author_lines.append(authors)
        item.venue_lines += [v for v in [venue] if v and v not in item.venue_lines]
    else:
        item.notes.append(text)
        item.links.extend(classified)
    if item.kind != "paper" and (item.author_lines or item.venue_lines):
        item.kind = infer_kind(item)


def _title_by_is_its_own(item: Item, authors: str) -> None:
    """An entry whose title a reader split at " by " ("Constructing Deep Neural Networks by
    Bayesian Network Structure Learning") and which names its authors on a line of its own: the
    "by" was the title's, unless that line repeats the names after it ("... by Martin Kleppmann",
    then "- Martin Kleppmann")."""
    if not item.byline_title or len(item.author_lines) != 1:
        return
    if not _name_words(item.author_lines[0]) & _name_words(authors):
        item.title, item.keep_case = _title_and_keep(item.byline_title)
        item.author_lines = []
    item.byline_title = ""


def _name_words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]{3,}", text.lower()))


def _title_and_keep(title: str) -> tuple[str, tuple[str, ...]]:
    """The title without the {braces} the list put around words, and those words."""
    keep = tuple(word for group in _KEEP_CASE.findall(title) for word in group.split())
    return _KEEP_CASE.sub(r"\1", title).strip(" ."), keep


def item_from_entry(entry: readers.Entry, file: str, line: int, sections: tuple[str, ...]) -> Item:
    title, keep = _title_and_keep(entry.title)
    links = [linkmod.classify(l.url, l.label) for l in entry.links]
    links += [linkmod.classify(l.url, l.label)._replace(related=True) for l in entry.related]
    venue = _venue_line(entry.venue, entry.date, ())
    item = Item(
        file=file,
        line=line,
        sections=sections,
        title=title,
        keep_case=keep,
        links=links,
        author_lines=[entry.authors] if entry.authors else [],
        venue_lines=[venue] if venue else [],
        summary=entry.summary,
        notes=list(entry.notes),
        style=entry.style,
        date=entry.date.strip(" []()*_"),
        byline_title=entry.byline_title,
    )
    item.kind = infer_kind(item)
    if item.kind == "paper":  # a venue heading above a tool or a blog post says nothing about it
        venue = _venue_line(entry.venue, entry.date, sections)
        item.venue_lines = [venue] if venue else []
    return item


def _venue_line(venue: str, date: str, sections: tuple[str, ...]) -> str:
    """The entry's venue and year, completed from its date and from headings such as '### 2021', '#### NSDI'."""
    year = (re.match(r"(?:19|20)\d{2}", date.strip(" []()*_")) or [""])[0]
    heading_year = next((h for h in reversed(sections) if re.fullmatch(r"(?:19|20)\d{2}", h.strip())), "")
    # Under a year heading, an acronym heading ("#### SC", "#### HPDC") is the venue, known or not.
    heading_venue = next((h for h in reversed(sections) if _is_venue_heading(h) or (
        heading_year and re.fullmatch(r"[A-Z][A-Za-z]{0,3}[A-Z]+(?:['’]?\d{2})?|[A-Z]{2}", h.strip()))), "")
    if not venue:
        venue = heading_venue
    if venue and not venues.parse_venue(venue).year and (year or heading_year):
        return f"{venue} {year or heading_year}"
    return venue or year or heading_year


@lru_cache(maxsize=4096)
def _is_venue_heading(heading: str) -> bool:
    parsed = venues.parse_venue(heading)
    return 1 <= len(heading.split()) <= 3 and bool(parsed.short) and (parsed.year or not re.search(r"\d", heading))


def infer_kind(item: Item) -> str:
    for section in item.sections:
        kind = _SECTION_KINDS.get(section.strip().lower())
        if kind:
            if kind == "blog" and item.links and item.links[0].type == "github":
                return "software"
            return kind
    own = [link for link in item.links if not link.related]
    types = [link.type for link in own]
    if item.author_lines or item.venue_lines or any(t in linkmod.PAPER_LINK_TYPES for t in types):
        return "paper"
    if any(link.label.lower() in ("dataset", "data") for link in own):
        return "dataset"
    if own and own[0].label.lower() in ("blog", "blog post", "post"):
        return "blog"
    if types and types[0] == "github":
        return "software"
    if types and types[0] == "youtube":
        return "talk"
    return "website"


def link_urls(item: Item) -> list[Link]:
    return [link for link in item.links if link.type != "invalid"]
