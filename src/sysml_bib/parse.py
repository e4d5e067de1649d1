"""Stage 1: an awesome-style markdown list -> ``Item``s, with every bullet accounted for.

The parser never raises on text: unclosed brackets, HTML, tables, CRLF, a BOM or a
huge file all produce items or "prose" lines, never an exception. Every bullet gets a
role: ``item``, ``continuation`` (an author/venue/summary/note line of an item),
``toc``, ``template`` (inside a fenced block) or ``empty``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import links as linkmod
from . import markdown, names, venues
from .model import Item, Link

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*?)|)[ \t]*$")
_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_KEEP_CASE = re.compile(r"\{([^{}]*)\}")
_TRAILING_PUNCT = " \t:;,|-–—"
# A reading-status badge some copies of the list put before titles: "$\color{red}{(Read)(New)}$".
_COLOR_BADGE = re.compile(r"\$\s*\\(?:text)?color\s*\{[^{}$]*\}\s*\{[^{}$]*\}\s*\$\s*")
# A reference copied from Google Scholar: 'Reddi, Vijay Janapa, et al. "Mlperf inference benchmark." arXiv preprint ...'
_QUOTED_TITLE = re.compile(r'^(?P<authors>[^"“”]+?)\s*["“](?P<title>[^"“”]+?)["”](?P<rest>.*)$')
# A link from a split list's index to one of its files: "training.md", "./papers/inference.md#serving".
_LIST_FILE_LINK = re.compile(r"^(?![a-z][a-z0-9+.\-]*:)[^?#\s]*\.(?:md|markdown)(?:#\S*)?$", re.IGNORECASE)
# A venue after the title: "... Spatio-Temporal Sharing (ATC'22)", "...Systems(SOSP2019)".
_TITLE_VENUE = re.compile(r"\s*\((?P<venue>[^()]+)\)\s*$")

ROLES = ("item", "continuation", "toc", "template", "empty")

# Top-level sections whose items are of one kind whatever they link to.
_SECTION_KINDS = {
    "book": "book", "books": "book",
    "course": "course", "courses": "course",
    "video": "talk", "videos": "talk", "talk": "talk", "talks": "talk",
    "blog": "blog", "blogs": "blog",
    "dataset": "dataset", "datasets": "dataset",
}


@dataclass
class Bullet:
    file: str
    line: int
    indent: int
    text: str
    fenced: bool
    role: str = ""
    item: int | None = None


@dataclass
class ParsedList:
    items: list[Item] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sections: list[tuple[str, ...]] = field(default_factory=list)  # every heading path, in order
    prose_links: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, url) outside bullets
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {role: 0 for role in ROLES}
        for bullet in self.bullets:
            counts[bullet.role] += 1
        counts["bullets"] = len(self.bullets)
        counts["items"] = len(self.items)
        from_bullets = {b.item for b in self.bullets if b.role == "item"}
        counts["heading_items"] = sum(1 for item in self.items if item.index not in from_bullets)
        return counts

    def as_json(self) -> dict:
        return {
            "files": self.files,
            "counts": self.counts(),
            "items": [item.as_json() for item in self.items],
            "bullets": [
                {"file": b.file, "line": b.line, "role": b.role, "item": b.item} for b in self.bullets
            ],
            "aliases": {alias: list(path) for alias, path in sorted(self.aliases.items())},
            "prose_links": [{"file": f, "line": n, "url": u} for f, n, u in self.prose_links],
        }


def read_text(path: str | Path) -> str:
    """Read a list file as UTF-8, dropping a BOM; undecodable bytes become U+FFFD."""
    return Path(path).read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff")


def parse_files(paths: list[str | Path]) -> ParsedList:
    """Parse one list, or a list split over several files (each file a top-level section)."""
    parsed = ParsedList()
    file_sections = {}
    for path in paths:
        text = read_text(path)
        section = _file_section(text, path) if len(paths) > 1 else None
        file_sections[Path(path).name.lower()] = section
        parse_text(text, str(path), parsed, file_section=section)
    # The index's "[Inference](inference.md)" names the section of that file.
    for bullet in parsed.bullets:
        if bullet.role != "toc":
            continue
        for link in markdown.split_links(bullet.text)[1]:
            target = file_sections.get(Path(link.url.split("#")[0]).name.lower()) if _LIST_FILE_LINK.match(link.url) else None
            if target and link.label and link.label.lower() != target.lower():
                parsed.aliases.setdefault(link.label, (target,))
    return parsed


def _file_section(text: str, path: str | Path) -> str:
    """A split list's file becomes a section named by its only H1, else by its file name."""
    h1 = [m.group("text") for m in map(_HEADING.match, text.splitlines()) if m and len(m.group("level")) == 1]
    if len(h1) == 1 and h1[0]:
        return _heading_text(h1[0])
    return Path(path).stem


def _heading_text(raw: str) -> str:
    return markdown.strip_inline(markdown.without_links(raw or "")).strip(_TRAILING_PUNCT)


def parse_text(text: str, file: str = "<stdin>", into: ParsedList | None = None, file_section: str | None = None) -> ParsedList:
    parsed = into if into is not None else ParsedList()
    parsed.files.append(file)
    lines = text.lstrip("\ufeff").splitlines()
    title_h1 = _document_title_line(lines)

    root: tuple[str, ...] = (file_section,) if file_section else ()
    headings: list[tuple[int, str]] = []  # the current heading stack
    slugs: dict[str, tuple[str, ...]] = {}
    toc_links: list[tuple[str, str]] = []  # (label, anchor)
    stack: list[tuple[int, Bullet]] = []  # open bullets by indent
    last_bullet: Bullet | None = None
    blank_since_bullet = False
    fenced = False
    previous_prose = ""

    def path() -> tuple[str, ...]:
        return root + tuple(text for _, text in headings)

    def open_heading(level: int, raw: str, line_no: int) -> None:
        nonlocal last_bullet, previous_prose
        text_ = _heading_text(raw)
        while headings and headings[-1][0] >= level:
            headings.pop()
        if text_:
            headings.append((level, text_))
            parsed.sections.append(path())
            slugs.setdefault(markdown.github_slug(text_), path())
        stack.clear()
        last_bullet = None
        previous_prose = ""
        _heading_item(parsed, raw, file, line_no, path()[:-1] if text_ else path(), text_)

    pending: list[Bullet] = []
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            fenced = not fenced
            last_bullet = None
            continue
        bullet_match = None if _RULE.match(line) else _BULLET.match(line)
        heading_match = None if fenced else _HEADING.match(line)
        if heading_match and number != title_h1:
            _flush(pending, parsed, stack, path)
            open_heading(len(heading_match.group("level")), heading_match.group("text"), number)
            continue
        if heading_match:  # the document's title: not a section
            continue
        if not fenced and previous_prose and _SETEXT.match(line) and not bullet_match:
            open_heading(1 if line.strip().startswith("=") else 2, previous_prose, number - 1)
            continue
        if bullet_match:
            indent = len(bullet_match.group("indent").replace("\t", "    "))
            bullet = Bullet(file, number, indent, bullet_match.group("text") or "", fenced)
            pending.append(bullet)
            last_bullet, blank_since_bullet, previous_prose = bullet, False, ""
            continue
        if not line.strip():
            blank_since_bullet = True
            previous_prose = ""
            continue
        if fenced:
            continue
        indented = len(line) - len(line.lstrip()) >= 2
        if last_bullet is not None and (not blank_since_bullet or indented):
            last_bullet.text = f"{last_bullet.text} {line.strip()}".strip()  # a lazy continuation line
            continue
        _flush(pending, parsed, stack, path)
        last_bullet = None
        previous_prose = line.strip()
        _, found = markdown.split_links(line)
        for link in found:
            parsed.prose_links.append((file, number, link.url))
    _flush(pending, parsed, stack, path)

    for bullet in parsed.bullets:
        if bullet.file == file and bullet.role == "toc":
            for link in markdown.split_links(bullet.text)[1]:
                if link.url.startswith("#"):
                    toc_links.append((link.label, link.url[1:]))
    for label, anchor in toc_links:
        target = slugs.get(anchor.lower())
        if target and label and label.lower() != target[-1].lower():
            parsed.aliases[label] = target
    return parsed


def _document_title_line(lines: list[str]) -> int:
    """Line number of the list's title (its only H1), which is not a section."""
    found = []
    fenced = False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match and len(match.group("level")) == 1:
            found.append(number)
    return found[0] if len(found) == 1 else -1


def _heading_item(parsed: ParsedList, raw: str, file: str, line: int, sections: tuple[str, ...], title: str) -> None:
    """A heading that links to a work ("Path to system for AI [[Whitepaper]](...pdf)") is an item too."""
    _, found = markdown.split_links(raw or "")
    real = [linkmod.classify(l.url, l.label) for l in found if not l.image and not l.url.startswith("#")]
    if not real:
        return
    item = Item(file=file, line=line, sections=sections, title=title or real[0].label, links=real)
    item.kind = infer_kind(item)
    _add_item(parsed, item)


def _add_item(parsed: ParsedList, item: Item) -> int:
    item.index = len(parsed.items)
    parsed.items.append(item)
    return item.index


def _flush(pending: list[Bullet], parsed: ParsedList, stack: list, path) -> None:
    """Give every collected bullet its role, now that continuation lines are joined."""
    for bullet in pending:
        _place(bullet, parsed, stack, path())
        parsed.bullets.append(bullet)
    pending.clear()


def _place(bullet: Bullet, parsed: ParsedList, stack: list[tuple[int, Bullet]], sections: tuple[str, ...]) -> None:
    while stack and stack[-1][0] >= bullet.indent:
        stack.pop()
    parent = stack[-1][1] if stack else None
    stack.append((bullet.indent, bullet))

    if bullet.fenced:
        bullet.role = "template"
        return
    plain, found = markdown.split_links(_COLOR_BADGE.sub("", bullet.text))
    if _is_toc(plain, found) or (parent is not None and parent.role == "toc"):
        bullet.role = "toc"
        return
    if not markdown.strip_inline(bullet.text):
        bullet.role = "empty"
        bullet.item = parent.item if parent else None
        return
    owner = parent.item if parent is not None else None
    if owner is None:
        bullet.role = "item"
        bullet.item = _add_item(parsed, _make_item(bullet, plain, found, sections))
        return
    _attach(bullet, plain, found, parsed, owner, sections)


def _is_toc(plain: str, found: list[markdown.InlineLink]) -> bool:
    """A bullet of nothing but links to headings, or to the other files of a split list."""
    if not found or not all(link.url.startswith("#") or _LIST_FILE_LINK.match(link.url) for link in found):
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
    before = markdown.strip_inline(plain[:first_link]).strip(_TRAILING_PUNCT)
    is_paper = any(l.type in linkmod.PAPER_LINK_TYPES or l.type == "github" for l in classified)
    if re.match(r"^summary\b", text, re.IGNORECASE):
        bullet.role, bullet.item = "continuation", owner
        item.summary = " ".join(filter(None, [item.summary, text.split(":", 1)[-1].strip() if ":" in text else text[7:].strip()]))
        item.links.extend(classified)
        return
    if is_paper and before and not names.looks_like_author_line(before):
        child = _make_item(bullet, plain, found, sections)
        child.parent = owner
        bullet.role = "item"
        bullet.item = _add_item(parsed, child)
        return
    bullet.role, bullet.item = "continuation", owner
    authors_src, venue = venues.split_venue(plain)
    authors = markdown.strip_inline(authors_src)
    venue = markdown.strip_inline(venue)
    # A venue the title already gave ("... (ATC'22)" then "- ATC'22") is not listed twice.
    if venues.looks_like_venue_line(plain):
        item.venue_lines += [v for v in [venue or text] if v not in item.venue_lines]
    elif names.looks_like_author_line(authors):
        item.author_lines.append(authors)
        item.venue_lines += [v for v in [venue] if v and v not in item.venue_lines]
    else:
        item.notes.append(text)
        item.links.extend(classified)
    if item.kind != "paper" and (item.author_lines or item.venue_lines):
        item.kind = infer_kind(item)


def _make_item(bullet: Bullet, plain: str, found: list[markdown.InlineLink], sections: tuple[str, ...]) -> Item:
    real = [l for l in found if not l.image]
    first = real[0].start if real else len(plain)
    title_src = plain[:first]
    # The rest of the line, minus link labels: "(*Strong Recommendation*)", "Please visit".
    rest, cursor = [], first
    for link in real:
        rest.append(plain[cursor : max(cursor, link.start)])
        cursor = max(cursor, link.start + len(link.label))
    rest.append(plain[cursor:])
    title = markdown.strip_inline(title_src).strip(_TRAILING_PUNCT)
    after = markdown.strip_inline(" ".join(rest)).strip(_TRAILING_PUNCT)
    if not title:
        title, after = (after, "") if after else (real[0].label if real else "", after)
    author_lines, venue_lines = [], []
    citation = _split_citation(title)
    if citation:
        author, title, venue = citation
        author_lines.append(author)
        venue_lines += [venue] if venue else []
    title, venue, note = _split_title_venue(title)
    venue_lines += [venue] if venue and not venue_lines else []
    keep = tuple(word for group in _KEEP_CASE.findall(title) for word in group.split())
    title = _KEEP_CASE.sub(r"\1", title).strip(" .")
    item = Item(
        file=bullet.file,
        line=bullet.line,
        sections=sections,
        title=title,
        keep_case=keep,
        links=[linkmod.classify(l.url, l.label) for l in real],
        author_lines=author_lines,
        venue_lines=venue_lines,
        notes=[n for n in (note, after) if n],
    )
    item.kind = infer_kind(item)
    return item


def _split_citation(text: str) -> tuple[str, str, str] | None:
    """(authors, title, venue) of a bullet written as a formatted reference, else None."""
    match = _QUOTED_TITLE.match(text)
    if not match:
        return None
    authors = match.group("authors").strip(" ,")
    title = match.group("title").strip(" .,")
    if len(title.split()) < 2 or not names.looks_like_author_line(authors):
        return None
    return authors, title, match.group("rest").strip(" .,")


def _split_title_venue(title: str) -> tuple[str, str, str]:
    """(title, venue, the rest of the parentheses) when the title ends in a venue, else (title, '', '')."""
    match = _TITLE_VENUE.search(title)
    if not match or not title[: match.start()].strip():
        return title, "", ""
    inside = match.group("venue")
    venue = re.split(r"\s*[,，;]\s*", inside, maxsplit=1)[0]
    rest = inside[len(venue) :].strip(" ,，;")
    parsed = venues.parse_venue(venue)
    if not (parsed.short and parsed.year and venues.looks_like_venue_line(venue)):
        return title, "", ""
    return title[: match.start()].rstrip(), venue.strip(), rest


def infer_kind(item: Item) -> str:
    for section in item.sections:
        kind = _SECTION_KINDS.get(section.strip().lower())
        if kind:
            if kind == "blog" and item.links and item.links[0].type == "github":
                return "software"
            return kind
    types = [link.type for link in item.links]
    if item.author_lines or item.venue_lines or any(t in linkmod.PAPER_LINK_TYPES for t in types):
        return "paper"
    if any(link.label.lower() in ("dataset", "data") for link in item.links):
        return "dataset"
    if item.links and item.links[0].label.lower() in ("blog", "blog post", "post"):
        return "blog"
    if types and types[0] == "github":
        return "software"
    if types and types[0] == "youtube":
        return "talk"
    return "website"


def link_urls(item: Item) -> list[Link]:
    return [link for link in item.links if link.type != "invalid"]
