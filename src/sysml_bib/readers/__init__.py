"""Entry styles: one small reader per way lists write an entry.

``parse.py`` decides what a *line* is (heading, bullet, table row, prose); the text of
one entry (a bullet with its lazy continuation lines, or a table row) then goes to the
readers here. Each reader module has a ``NAME`` and a ``read(text, context)`` that
returns the ``Entry``s it reads in the text, or ``None`` when the text is not written in
its style. ``READERS`` is tried in order; the last one (``labelled_links``) reads
anything. A new style is one more module in this list, not another branch in the parser.

Tables are read by ``table.py``: it needs the header row, so ``parse.py`` hands it whole
tables (``table.read_table``) instead of single lines.
"""

from __future__ import annotations

from . import citation, emphasis_title, labelled_links, link_title, pipe_fields
from .common import Context, Entry, is_title, strip_decorations

# Most specific shape first; labelled_links accepts every text.
READERS = (pipe_fields, emphasis_title, link_title, citation, labelled_links)

__all__ = ["Context", "Entry", "READERS", "is_title", "read_entry"]


def read_entry(text: str, context: Context) -> tuple[str, list[Entry]]:
    """(style, entries) of one bullet's text: the first reader that recognises it."""
    cleaned, tags = strip_decorations(text)
    for reader in READERS:
        entries = reader.read(cleaned, context)
        if entries is not None:
            for entry in entries:
                entry.style = entry.style or reader.NAME
                tags.apply(entry)
            return reader.NAME, entries
    raise AssertionError("labelled_links reads every text")
