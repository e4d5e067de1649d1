"""The title is the entry's first link: ``[Title](url) - Authors. Venue Year.``,
``[Title](url) by Authors, Venue Year``, ``[Title](url) - Vaswani et al., NeurIPS 2017``,
``N. [**Title.**](url) _Authors._ Venue 2024.``, ``<img badge> [Title](url) - Authors. Venue Year.``
and ``[vLLM](url): A high-throughput ...`` (a short name and its description: the name stays).

Links after the byline belong to the same work (code, slides), except a paper link
named by its kind after a software or web link (``[PROM](github) - A toolkit ([paper](arxiv))``):
that is the paper about it, another work, kept as a related link.
"""

from __future__ import annotations

import re

from .. import links as linkmod
from .. import markdown
from .common import Context, Entry, clean_title, is_link_label, is_title, split_byline, without_links

NAME = "link_title"
_LEAD = re.compile(r"^[\s*_]*$")


def read(text: str, context: Context) -> list[Entry] | None:
    plain, found = markdown.split_links(text)
    real = [link for link in found if not link.image and link.label]
    if not real or not _LEAD.match(plain[: real[0].start]):
        return None
    first = real[0]
    title = clean_title(first.label)
    if not is_title(title):
        return None
    rest = without_links(plain, real).strip()
    rest = re.sub(r"^[*_]+\s*", "", rest)
    entry = Entry(title=title, links=[first])
    first_type = linkmod.classify(first.url).type
    for link in real[1:] + [l for l in found if not l.image and not l.label]:
        if link is first:
            continue
        is_paper = linkmod.classify(link.url).type in linkmod.PAPER_LINK_TYPES
        if is_paper and first_type not in linkmod.PAPER_LINK_TYPES and is_link_label(link.label or "paper"):
            entry.related.append(link)
        else:
            entry.links.append(link)
    if rest.startswith(":") and len(title.split()) <= 3:
        description = markdown.strip_inline(rest[1:]).strip(" .;")
        if description and len(description.split()) <= 30:
            entry.title = f"{title}: {description}"
            return [entry]
        entry.summary = description
        return [entry]
    authors, venue, other = split_byline(rest)
    entry.authors, entry.venue, entry.summary = authors, venue.strip("() "), other
    return [entry]
