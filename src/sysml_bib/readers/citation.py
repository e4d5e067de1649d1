"""A reference copied from Google Scholar:
``Reddi, Vijay Janapa, et al. "Mlperf inference benchmark." arXiv preprint arXiv:1911.02549 (2019).``
Authors before the quoted title, the venue after it."""

from __future__ import annotations

import re

from .. import markdown, names
from .common import Context, Entry

NAME = "citation"
_QUOTED_TITLE = re.compile(r'^(?P<authors>[^"“”]+?)\s*["“](?P<title>[^"“”]+?)["”](?P<rest>.*)$')


def read(text: str, context: Context) -> list[Entry] | None:
    if not any(quote in text for quote in '"“'):
        return None
    plain, found = markdown.split_links(text)
    real = [link for link in found if not link.image]
    first = real[0].start if real else len(plain)
    match = _QUOTED_TITLE.match(markdown.strip_inline(plain[:first]).strip(" \t:;,|-–—"))
    if not match:
        return None
    authors = match.group("authors").strip(" ,")
    title = match.group("title").strip(" .,")
    if len(title.split()) < 2 or not names.looks_like_author_line(authors):
        return None
    after = markdown.strip_inline(plain[first:])
    for link in real:
        after = after.replace(link.label, "", 1)
    after = after.strip(" \t:;,|-–—")
    return [Entry(title=title, links=real, authors=authors, venue=match.group("rest").strip(" .,"),
                  notes=[after] if after else [])]
