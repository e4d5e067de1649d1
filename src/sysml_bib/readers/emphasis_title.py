"""The title in bold or italics first: ``**Title**. Authors. Venue Year. [[pdf]](..)``,
``**FlashAttention**: Title. Tri Dao, Daniel Y. Fu, ... NeurIPS 2022.`` (a name, then the
paper's title) and ``*Designing Data-Intensive Applications*, Martin Kleppmann, O'Reilly 2017``."""

from __future__ import annotations

import re

from .. import markdown
from .common import Context, Entry, clean_title, is_title, split_byline, without_links

NAME = "emphasis_title"
_EMPHASIS_FIRST = re.compile(r"^(?P<mark>\*\*|__|\*|_)(?P<title>[^*_\[\]][^\[\]]*?)(?P=mark)(?![*_\w])(?P<rest>.*)$", re.DOTALL)


def read(text: str, context: Context) -> list[Entry] | None:
    match = _EMPHASIS_FIRST.match(text.strip())
    if not match:
        return None
    title = clean_title(match.group("title"))
    rest_md = match.group("rest")
    plain, found = markdown.split_links(rest_md)
    real = [link for link in found if not link.image]
    rest = markdown.strip_inline(without_links(plain, real)).strip()
    if not is_title(title) or not (rest.strip(" .,:;") or real):
        return None  # a bold-only line is a sub-heading, not an entry of this style
    entry = Entry(title=title, links=real)
    if rest.startswith(":") and len(title.split()) <= 3:
        # "**FlashAttention**: Fast and Memory-Efficient Exact Attention with IO-Awareness. Tri Dao, ..."
        head, _, tail = rest[1:].strip().partition(". ")
        if head and is_title(head):
            entry.title = f"{title}: {head.strip(' .')}"
            rest = tail
        else:
            rest = rest[1:]
    entry.authors, entry.venue, entry.summary = split_byline(rest)
    entry.venue = entry.venue.strip("() ")
    return [entry]
