"""Stage 1: an awesome-style markdown list -> ``Item``s, with every bullet and table row
accounted for.

This is the one place that decides what a line is: a heading, a bullet (with its lazy
continuation lines), a table, a sub-heading (a bold-only line, a ``<summary>``), a
comment, or prose. What an entry's text says (title, authors, venue, links) is read by
the entry-style readers in ``readers/``; what a bullet or row becomes (items, or
another role) is ``entries.py``; the result is a ``parsed.ParsedList``.

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
from pathlib import Path

from . import entries, markdown, readers
from .entries import LIST_FILE_LINK, TRAILING_PUNCT, infer_kind  # noqa: F401  (infer_kind: part of the parse API)
from .parsed import ROLES, ROW_ROLES, Bullet, ParsedList, Table, TableRow, Untitled  # noqa: F401
from .readers import table as tables

_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*?)|)[ \t]*$")
_HEADING = re.compile(r"^ {0,3}(?P<level>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# Lines that render as nothing: "[//]: # (Recommend)", "[comment]: <> (...)".
_MD_COMMENT = re.compile(r"^ {0,3}\[(?://|comment|#)\]:\s", re.IGNORECASE)
# A line that is only bold text ("**General**") or a <summary> names a sub-section.
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_]+?)\1\s*:?\s*$")
_SUMMARY = re.compile(r"<summary>(?P<text>.*?)</summary>", re.IGNORECASE)
_SUB_LEVEL = 7  # below any markdown heading


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
            target = file_sections.get(Path(link.url.split("#")[0]).name.lower()) if LIST_FILE_LINK.match(link.url) else None
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
    return markdown.strip_inline(markdown.without_links(raw or "")).strip(TRAILING_PUNCT)


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
        entries.heading_item(parsed, raw, file, line_no, path()[:-1] if text_ else path(), text_)

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
    entries.drop_prose_items(parsed, file)

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


def _opens_comment(line: str) -> bool:
    start = line.rfind("<!--")
    return start != -1 and "-->" not in line[start + 4 :]


def _sub_heading(line: str) -> str | None:
    """The name of a sub-section a prose line opens ('' for one that closes it), else None."""
    if re.search(r"</details\s*>", line, re.IGNORECASE):
        return ""
    summary = _SUMMARY.search(line)
    if summary:
        return markdown.strip_inline(summary.group("text")).strip(TRAILING_PUNCT)
    bold = _BOLD_LINE.match(line)
    if bold and "](" not in line:
        return bold.group("text").strip(TRAILING_PUNCT)
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
        if entries.titled(entry):
            row.role, row.item = "item", entries.add_item(parsed, entries.item_from_entry(entry, file, number, sections))
        else:
            row.role = "untitled"
            parsed.untitled.append(Untitled(file, number, " | ".join(cells), [l.url for l in entry.links]))
    parsed.rows.extend(rows)
    return index


def _flush(pending: list[Bullet], parsed: ParsedList, stack: list, path) -> None:
    """Give every collected bullet its role, now that continuation lines are joined."""
    block = len(parsed.bullets) + 1  # bullets flushed together form one list block
    for bullet in pending:
        bullet.block = block
        entries.place(bullet, parsed, stack, path())
        parsed.bullets.append(bullet)
    pending.clear()


