"""A bullet whose fields are separated by pipes, without a table header:
``2019 | AutoML: A Survey of the State-of-the-Art | Xin He, et al. | arXiv | [`PDF`](url)``.

The year is the cell that is a year, links come from any cell, the first other text
cell is the title; of the cells after it, an author-like one (commas, "and", "et al.")
is the authors; two cells after it are the authors and the venue, in that order."""

from __future__ import annotations

from .. import markdown, names
from .common import Context, Entry, clean_title, is_date, is_title, without_links
from .table import split_cells

NAME = "pipe_fields"


def read(text: str, context: Context) -> list[Entry] | None:
    if text.count("|") < 2:
        return None
    cells = split_cells(text)
    if len(cells) < 3:
        return None
    entry = Entry(title="")
    texts = []
    for cell in cells:
        plain, found = markdown.split_links(cell)
        real = [l for l in found if not l.image]
        rest = markdown.strip_inline(without_links(plain, real)).strip(" ;")
        if not entry.title and real and is_title(real[0].label) and not rest:
            entry.title = clean_title(real[0].label)
            entry.links.extend(real)
            continue
        entry.links.extend(real)
        if not rest:
            continue
        if is_date(rest) and not entry.date:
            entry.date = rest
        elif not entry.title:
            entry.title = clean_title(rest)
        else:
            texts.append(rest)
    if not is_title(entry.title) or not (entry.links or entry.date or texts):
        return None
    if len(texts) >= 2:  # title | authors | venue
        entry.authors, entry.venue = texts[0], texts[1]
        entry.notes.extend(texts[2:])
    elif texts and _author_cell(texts[0]):
        entry.authors = texts[0]
    elif texts:
        entry.venue = texts[0]
    return [entry]


def _author_cell(value: str) -> bool:
    return names.looks_like_author_line(value.replace("，", ",")) and any(m in value for m in (",", " and ", "et al", "，"))
