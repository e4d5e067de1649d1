"""Markdown tables (GFM pipe tables): the header names the columns, each body row is an entry.

Columns are matched by meaning, case-insensitively and in any order ("Paper Title",
"Authors", "Conference", "Year of Publication", "Code", "Link", "Type", ...). A title
cell may be plain text or a link; links in other cells keep their URL's type. Tables
that are not lists of works (no title column; nothing but links to headings or to
people's profiles) are skipped, and the reason is reported.

Outer pipes are optional, ``\\|`` is a literal pipe, ``<br>`` inside a cell separates
values, and a header row without its ``---`` delimiter row is still a header when its
cells name a title column and at least one other known column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import links as linkmod
from .. import markdown
from .common import Context, Entry, clean_title, is_date, is_title, strip_decorations, without_links

_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d{2})")  # "May 2019", "Sept. 2021"
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
           "december")

NAME = "table"
_DELIMITER_CELL = re.compile(r"^\s*:?-{1,}:?\s*$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)

# Column role -> words a header uses for it (a header cell is matched on its words).
_COLUMN_WORDS = (
    ("title", ("title", "paper", "papers", "name", "project", "projects", "tool", "tools", "system", "work",
               "library", "framework", "model", "method", "article", "book", "talk", "slide", "blog", "dataset",
               "benchmark", "course", "resource", "repository")),
    ("authors", ("author", "authors", "by", "speaker", "speakers", "presenter", "people", "instructor", "writer")),
    ("venue", ("venue", "conference", "conf", "publication", "published", "journal", "booktitle", "where",
               "source", "proceedings", "workshop")),
    ("publisher", ("publisher",)),
    ("date", ("year", "date", "time", "when", "month")),
    ("links", ("link", "links", "pdf", "url", "download", "homepage", "website", "arxiv", "paper link",
               "code", "github", "repo", "implementation", "slides", "video", "resources", "doi", "official")),
    ("summary", ("description", "summary", "abstract", "tldr", "contribution", "highlights", "remark", "remarks")),
)


@dataclass(frozen=True)
class Columns:
    roles: tuple[str, ...]  # one per column: title, authors, venue, publisher, date, links, summary, note

    def has(self, role: str) -> bool:
        return role in self.roles


def split_cells(line: str) -> list[str]:
    """Cells of a pipe-table row: unescaped pipes outside code spans and link targets."""
    body = line.strip()
    cells, current, depth, code, i = [], [], 0, False, 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2] if body[i + 1] != "|" else "|")
            i += 2
            continue
        if char == "`":
            code = not code
        elif char == "(" and not code:
            depth += 1
        elif char == ")" and not code and depth:
            depth -= 1
        if char == "|" and not code and depth == 0:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    if body.startswith("|"):
        cells = cells[1:]
    if body.endswith("|") and not body.endswith("\\|") and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def is_row(line: str) -> bool:
    return "|" in line and len(split_cells(line)) >= 2


def is_delimiter(line: str) -> bool:
    cells = split_cells(line)
    return len(cells) >= 1 and "-" in line and all(_DELIMITER_CELL.match(c) for c in cells)


def columns(header: list[str]) -> Columns:
    """The role of each column, from the words of its header cell ("note" when none fits)."""
    roles = []
    for cell in header:
        words = cell_words(cell)
        role = "note"
        for name, vocabulary in _COLUMN_WORDS:
            if any(w in words for w in vocabulary):
                role = name
                break
        roles.append(role)
    # Only the first title column names the work; "Paper Title" beats "Paper".
    titled = [i for i, cell in enumerate(header) if roles[i] == "title"]
    if len(titled) > 1:
        best = next((i for i in titled if "title" in cell_words(header[i])), titled[0])
        roles = [r if r != "title" or i == best else "links" if cell_words(header[i]) & {"paper", "papers"} else "note"
                 for i, r in enumerate(roles)]
    return Columns(tuple(roles))


def cell_words(cell: str) -> set[str]:
    return set(re.findall(r"[a-z]+", markdown.strip_inline(cell).lower()))


def names_a_header(cells: list[str]) -> bool:
    """A header row without its delimiter: a title column and at least one other known column, no links."""
    if any(markdown.split_links(c)[1] for c in cells):
        return False
    found = columns(cells)
    known = [r for r in found.roles if r != "note"]
    return found.has("title") and len(known) >= 2


def skip_reason(found: Columns, rows: list[list[str]]) -> str:
    """Why a table is no list of works ('' when it is one)."""
    links = [linkmod.classify(l.url) for row in rows for cell in row for l in markdown.split_links(cell)[1] if not l.image]
    anchors = [l for row in rows for cell in row for l in markdown.split_links(cell)[1] if l.url.startswith("#")]
    if anchors and len(anchors) >= len(links):
        return "a table of contents"
    if not found.has("title"):
        return "no title column (not a list of works)"
    if not links:
        return "no links to works (a comparison, not a list of works)"
    if links and all(l.type == "github-profile" for l in links):
        return "links to people's profiles, not to works"
    return ""


def read_row(cells: list[str], found: Columns, context: Context) -> Entry:
    """One body row as an entry (its title may be empty: the caller reports it)."""
    entry = Entry(title="")
    notes = []
    for role, raw in zip(found.roles, cells + [""] * (len(found.roles) - len(cells))):
        cell, tags = strip_decorations(_BR.sub(" " if role == "title" else " ; ", raw))
        tags.apply(entry)
        plain, found_links = markdown.split_links(cell)
        real = [l for l in found_links if not l.image]
        text = markdown.strip_inline(without_links(plain, real)).strip(" ;")
        if role == "title":
            label = clean_title(real[0].label) if real else ""
            entry.title = clean_title(markdown.strip_inline(plain).strip(" ;")) if not real or text else label
            if real and not is_title(entry.title) and is_title(label):
                entry.title = label
            entry.links.extend(real)
            continue
        # A link in a column that is not about the work's links ("License") is not the work's.
        (entry.links if role in ("links", "summary") else entry.related).extend(real)
        if not text:
            continue
        if role == "authors":
            entry.authors = text
        elif role == "venue":
            entry.venue = text
        elif role == "date":  # "2019", "2019.05", "May 2019" (as 2019.05), "NeurIPS 2019" (its year)
            year = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", text)
            named = _MONTH_YEAR.fullmatch(text.strip())
            word = named.group(1).lower() if named else ""
            month = next((n for n, full in enumerate(_MONTHS, 1) if word and full.startswith(word)), 0)
            entry.date = text if is_date(text) else f"{named.group(2)}.{month:02d}" if month else (year.group(0) if year else entry.date)
        elif role == "summary":
            entry.summary = text
        elif role == "publisher":
            notes.append(f"Publisher: {text}")
        elif role != "links":
            notes.append(text)
    entry.notes = notes
    entry.style = NAME
    return entry
