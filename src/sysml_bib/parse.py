"""Stage 1: an awesome-style markdown list -> ``Item``s, with every bullet and table row
accounted for.

This is the one place that decides what a line is: a heading, a bullet (with its lazy
continuation lines), a table, a sub-heading (a bold-only line, a ``<summary>``), a
comment, or prose. What an entry's text says (title, authors, venue, links) is read by
the entry-style readers in ``readers/``.

The parser never raises on text: unclosed brackets, HTML, tables, CRLF, a BOM or a
huge file all produce items or "prose" lines, never an exception. Every bullet gets a
role: ``item``, ``continuation`` (an author/venue/summary/note line of an item),
``toc``, ``template`` (inside a fenced block), ``hidden`` (inside an HTML comment),
``heading`` (``+ #### Topic``), ``untitled`` (an entry with no title: reported, not written),
``prose`` (a sentence naming no work: no link, author, venue or date) or ``empty``. Every table
row gets one too: ``header``, ``delimiter``, ``item``, ``untitled`` or ``skipped`` (a
table that lists no works).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dataclasses import replace
from functools import lru_cache

from . import links as linkmod
from . import markdown, names, readers, venues
from .model import Item, Link
from .readers import table as tables

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*?)|)[ \t]*$")
_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_KEEP_CASE = re.compile(r"\{([^{}]*)\}")
_TRAILING_PUNCT = " \t:;,|-–—"
# A reading-status badge some copies of the list put before titles: "$\color{red}{(Read)(New)}$".
_COLOR_BADGE = re.compile(r"\$\s*\\(?:text)?color\s*\{[^{}$]*\}\s*\{[^{}$]*\}\s*\$\s*")
# Lines that render as nothing: "[//]: # (Recommend)", "[comment]: <> (...)".
_MD_COMMENT = re.compile(r"^ {0,3}\[(?://|comment|#)\]:\s", re.IGNORECASE)
# A line that is only bold text ("**General**") or a <summary> names a sub-section.
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_]+?)\1\s*:?\s*$")
_SUMMARY = re.compile(r"<summary>(?P<text>.*?)</summary>", re.IGNORECASE)
_SUB_LEVEL = 7  # below any markdown heading
# A link from a split list's index to one of its files: "training.md", "./papers/inference.md#serving".
_LIST_FILE_LINK = re.compile(r"^(?![a-z][a-z0-9+.\-]*:)[^?#\s]*\.(?:md|markdown)(?:#\S*)?$", re.IGNORECASE)
# A venue after the title: "... Spatio-Temporal Sharing (ATC'22)", "...Systems(SOSP2019)".
_TITLE_VENUE = re.compile(r"\s*\((?P<venue>[^()]+)\)\s*$")

ROLES = ("item", "continuation", "toc", "template", "heading", "hidden", "untitled", "prose", "empty")
ROW_ROLES = ("header", "delimiter", "item", "untitled", "skipped")

# Top-level sections whose items are of one kind whatever they link to.
_SECTION_KINDS = {
    "book": "book", "books": "book",
    "course": "course", "courses": "course",
    "video": "talk", "videos": "talk", "talk": "talk", "talks": "talk", "slides": "talk",
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
    more_items: list[int] = field(default_factory=list)  # further works on the same line ("[[Part2]]")
    hidden: bool = False  # inside an HTML comment
    sections: tuple[str, ...] = ()


@dataclass
class TableRow:
    file: str
    line: int
    role: str
    item: int | None = None


@dataclass
class Table:
    file: str
    line: int
    columns: tuple[str, ...]
    rows: int
    skipped: str = ""  # why the table lists no works


@dataclass
class Untitled:
    file: str
    line: int
    text: str
    links: list[str]


@dataclass
class ParsedList:
    items: list[Item] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    untitled: list[Untitled] = field(default_factory=list)
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
        for role in ROW_ROLES:
            counts[f"row_{role}"] = sum(1 for row in self.rows if row.role == role)
        counts["table_rows"] = len(self.rows)
        counts["tables"] = len(self.tables)
        counts["tables_skipped"] = sum(1 for table in self.tables if table.skipped)
        from_entries = {b.item for b in self.bullets if b.role == "item"} | {
            i for b in self.bullets for i in b.more_items} | {r.item for r in self.rows if r.role == "item"}
        counts["heading_items"] = sum(1 for item in self.items if item.index not in from_entries)
        return counts

    def report(self) -> list[dict]:
        """Per file: entries by style, tables read and skipped, entries without a title."""
        out = []
        for file in self.files:
            styles: dict[str, int] = {}
            for item in self.items:
                if item.file == file:
                    styles[item.style or "heading"] = styles.get(item.style or "heading", 0) + 1
            out.append({
                "file": file,
                "entries_by_style": dict(sorted(styles.items())),
                "tables_read": [{"line": t.line, "columns": list(t.columns), "rows": t.rows}
                                for t in self.tables if t.file == file and not t.skipped],
                "tables_skipped": [{"line": t.line, "rows": t.rows, "reason": t.skipped}
                                   for t in self.tables if t.file == file and t.skipped],
                "untitled": [{"line": u.line, "text": u.text, "links": u.links} for u in self.untitled if u.file == file],
            })
        return out

    def as_json(self) -> dict:
        return {
            "files": self.files,
            "counts": self.counts(),
            "report": self.report(),
            "items": [item.as_json() for item in self.items],
            "bullets": [
                {"file": b.file, "line": b.line, "role": b.role, "item": b.item, **({"more_items": b.more_items} if b.more_items else {})}
                for b in self.bullets
            ],
            "table_rows": [{"file": r.file, "line": r.line, "role": r.role, "item": r.item} for r in self.rows],
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
    in_comment = False
    index = 0
    while index < len(lines):
        line = lines[index]
        number = index + 1
        index += 1
        bullet_match = None if _RULE.match(line) else _BULLET.match(line)
        if in_comment:  # an HTML comment renders nothing: its bullets are hidden, not items
            if bullet_match:
                _flush(pending, parsed, stack, path)
                parsed.bullets.append(Bullet(file, number, 0, bullet_match.group("text") or "", fenced, "hidden", hidden=True))
            in_comment = "-->" not in line
            continue
        if _FENCE.match(line):
            fenced = not fenced
            last_bullet = None
            continue
        opens_comment = not fenced and _opens_comment(line)
        if opens_comment and line.lstrip().startswith("<!--"):
            in_comment = True
            continue
        in_comment = opens_comment  # a comment opened at the end of this line hides the next ones
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
            sub_heading = None if fenced else _HEADING.match(bullet.text)
            if sub_heading:  # "+ #### Expand Reduce": a heading written as a bullet
                _flush(pending, parsed, stack, path)
                open_heading(len(sub_heading.group("level")), sub_heading.group("text"), number)
                bullet.role = "heading"
                parsed.bullets.append(bullet)
                continue
            pending.append(bullet)
            last_bullet, blank_since_bullet, previous_prose = bullet, False, ""
            continue
        if not line.strip():
            blank_since_bullet = True
            previous_prose = ""
            continue
        if fenced or _MD_COMMENT.match(line):
            continue
        if tables.is_row(line) and _starts_table(lines, index - 1):
            _flush(pending, parsed, stack, path)
            last_bullet, previous_prose = None, ""
            index = _read_table(parsed, lines, index - 1, file, path())
            continue
        indented = len(line) - len(line.lstrip()) >= 2
        if last_bullet is not None and (not blank_since_bullet or indented):
            last_bullet.text = f"{last_bullet.text} {line.strip()}".strip()  # a lazy continuation line
            continue
        _flush(pending, parsed, stack, path)
        last_bullet = None
        sub = _sub_heading(line)
        if sub is not None:  # "**General**", "<summary>Serving</summary>": a sub-section
            while headings and headings[-1][0] >= _SUB_LEVEL:
                headings.pop()
            if sub:
                open_heading(_SUB_LEVEL, sub, number)
            previous_prose = ""
            continue
        previous_prose = line.strip()
        _, found = markdown.split_links(line)
        for link in found:
            parsed.prose_links.append((file, number, link.url))
    _flush(pending, parsed, stack, path)
    _drop_prose_items(parsed, file)

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


def _drop_prose_items(parsed: ParsedList, file: str) -> None:
    """Bullets that name no work ("+ Preprocess the data,") are prose, not items: no link,
    no author or venue line, no nested item. Items are renumbered."""
    parents = {item.parent for item in parsed.items if item.parent is not None}
    prose = {i for i, item in enumerate(parsed.items) if item.file == file and not item.links and not item.author_lines
             and not item.venue_lines and i not in parents and item.style != "table"}
    if not prose:
        return
    for bullet in parsed.bullets:
        if bullet.item in prose and bullet.role == "item" and not bullet.more_items:
            bullet.role = "prose"
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


def _opens_comment(line: str) -> bool:
    start = line.rfind("<!--")
    return start != -1 and "-->" not in line[start + 4 :]


def _sub_heading(line: str) -> str | None:
    """The name of a sub-section a prose line opens ('' for one that closes it), else None."""
    if re.search(r"</details\s*>", line, re.IGNORECASE):
        return ""
    summary = _SUMMARY.search(line)
    if summary:
        return markdown.strip_inline(summary.group("text")).strip(_TRAILING_PUNCT)
    bold = _BOLD_LINE.match(line)
    if bold and "](" not in line:
        return bold.group("text").strip(_TRAILING_PUNCT)
    return None


def _starts_table(lines: list[str], at: int) -> bool:
    """A pipe row followed by a delimiter row, or a header naming known columns followed by a row."""
    following = lines[at + 1] if at + 1 < len(lines) else ""
    if tables.is_delimiter(following) and not tables.is_delimiter(lines[at]):
        return len(tables.split_cells(following)) == len(tables.split_cells(lines[at]))  # GFM: one delimiter per column
    return tables.names_a_header(tables.split_cells(lines[at])) and tables.is_row(following) and not _BULLET.match(following)


def _read_table(parsed: ParsedList, lines: list[str], at: int, file: str, sections: tuple[str, ...]) -> int:
    """Read the table starting at ``lines[at]``; return the index of the first line after it."""
    header = tables.split_cells(lines[at])
    rows = [TableRow(file, at + 1, "header")]
    index = at + 1
    if index < len(lines) and tables.is_delimiter(lines[index]):
        rows.append(TableRow(file, index + 1, "delimiter"))
        index += 1
    body: list[tuple[int, list[str]]] = []
    while index < len(lines):
        line = lines[index]
        if _MD_COMMENT.match(line) or re.fullmatch(r"\s*<!--.*-->\s*", line):
            index += 1
            continue
        if not line.strip() or _BULLET.match(line) or _HEADING.match(line) or _FENCE.match(line) or "|" not in line:
            break
        body.append((index + 1, tables.split_cells(line)))
        index += 1
    columns = tables.columns(header)
    skipped = tables.skip_reason(columns, [cells for _, cells in body])
    parsed.tables.append(Table(file, at + 1, columns.roles, len(body), skipped))
    for number, cells in body:
        row = TableRow(file, number, "skipped")
        rows.append(row)
        if skipped:
            continue
        entry = tables.read_row(cells, columns, readers.Context(file, number, sections))
        if _titled(entry):
            row.role, row.item = "item", _add_item(parsed, _item_from_entry(entry, file, number, sections))
        else:
            row.role = "untitled"
            parsed.untitled.append(Untitled(file, number, " | ".join(cells), [l.url for l in entry.links]))
    parsed.rows.extend(rows)
    return index


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
    bullet.sections = sections
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
        _add_entries(parsed, bullet, readers.read_entry(bullet.text, readers.Context(bullet.file, bullet.line, sections)))
        return
    _attach(bullet, plain, found, parsed, owner, sections)


def _add_entries(parsed: ParsedList, bullet: Bullet, read: tuple[str, list], parent: int | None = None) -> None:
    """The works one bullet names become items; a bullet with no title left is reported."""
    _, entries = read
    indices = []
    for entry in entries:
        if _titled(entry):
            item = _item_from_entry(entry, bullet.file, bullet.line, _sections_of(parsed, parent, bullet))
            item.parent = parent
            indices.append(_add_item(parsed, item))
        else:
            parsed.untitled.append(Untitled(bullet.file, bullet.line, markdown.strip_inline(bullet.text)[:200],
                                            [l.url for l in entry.links]))
    if indices:
        bullet.role, bullet.item, bullet.more_items = "item", indices[0], indices[1:]
    else:
        bullet.role = "untitled"


def _titled(entry: readers.Entry) -> bool:
    paper = any(linkmod.classify(l.url).type in linkmod.PAPER_LINK_TYPES for l in entry.links)
    return readers.is_title(entry.title, paper)


def _sections_of(parsed: ParsedList, parent: int | None, bullet: Bullet) -> tuple[str, ...]:
    return parsed.items[parent].sections if parent is not None else bullet.sections


def _is_toc(plain: str, found: list[markdown.InlineLink]) -> bool:
    """A bullet of nothing but links to headings, or to the other files of a split list."""
    if not found or not all(link.url.startswith("#") or _LIST_FILE_LINK.match(link.url) for link in found):
        return False
    rest = plain
    for link in found:
        rest = rest.replace(link.label, "", 1)
    return not rest.strip(" \t-–:|,.")


# Styles that only read an entry of its own: a nested bullet read by one of them is a work, not a note.
_OWN_ENTRY_STYLES = frozenset(r.NAME for r in readers.READERS) - {"labelled_links"}


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
    # Only a line with a link, pipes or emphasis first can be written in a style of its own.
    maybe_own = found or "|" in bullet.text or bullet.text.lstrip()[:1] in ("*", "_")
    read = readers.read_entry(bullet.text, readers.Context(bullet.file, bullet.line, sections)) if maybe_own else ("", [])
    own_style = read[0] in _OWN_ENTRY_STYLES and any(_titled(e) for e in read[1])
    if own_style or (is_paper and before and not names.looks_like_author_line(before)):
        bullet.sections = sections
        read = read if read[1] else readers.read_entry(bullet.text, readers.Context(bullet.file, bullet.line, sections))
        _add_entries(parsed, bullet, read, parent=owner)
        if bullet.role == "untitled":  # not a work after all: a note of its item
            parsed.untitled.pop()
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
        item.author_lines.append(authors)
        item.venue_lines += [v for v in [venue] if v and v not in item.venue_lines]
    else:
        item.notes.append(text)
        item.links.extend(classified)
    if item.kind != "paper" and (item.author_lines or item.venue_lines):
        item.kind = infer_kind(item)


def _item_from_entry(entry: readers.Entry, file: str, line: int, sections: tuple[str, ...]) -> Item:
    title = entry.title
    keep = tuple(word for group in _KEEP_CASE.findall(title) for word in group.split())
    title = _KEEP_CASE.sub(r"\1", title).strip(" .")
    links = [linkmod.classify(l.url, l.label) for l in entry.links]
    links += [replace(linkmod.classify(l.url, l.label), related=True) for l in entry.related]
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
    heading_venue = next((h for h in reversed(sections) if _is_venue_heading(h)), "")
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
