"""The title is the entry's first link: ``[Title](url) - Authors. Venue Year.``,
``[Title](url) by Authors, Venue Year``, ``[Title](url) - Vaswani et al., NeurIPS 2017``,
``N. [**Title.**](url) _Authors._ Venue 2024.``, ``<img badge> [Title](url) - Authors. Venue Year.``
and ``[vLLM](url): A high-throughput ...`` (a short name and its description: the name stays).

Links after the byline belong to the same work (code, slides), except a paper link
named by its kind after a software or web link (``[PROM](github) - A toolkit ([paper](arxiv))``):
that is the paper about it, another work, and an entry of its own. Its title is what the
line says of the work: the link text when it reads as a title, else "Name: description".
"""

from __future__ import annotations

import re

from .. import links as linkmod
from .. import markdown
from .common import Context, Entry, clean_title, is_link_label, is_title, split_byline, without_links

NAME = "link_title"
RELATED_PAPER = "related_paper"  # the style of an entry made from a tool's "([paper](...))" link
_LEAD = re.compile(r"^[\s*_]*$")
_PAPER_LABEL = re.compile(r"\b(?:paper|papers|pdf|arxiv|pub|publication|preprint|doi|article)\b", re.IGNORECASE)


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
    rest = re.sub(r"^[*_]+(?=\s|$)", "", rest).strip()  # the closing "**" of "**[Title](url)**"
    entry = Entry(title=title, links=[first])
    first_type = linkmod.classify(first.url).type
    for link in real[1:] + [l for l in found if not l.image and not l.label]:
        if link is first:
            continue
        is_paper = linkmod.classify(link.url).type in linkmod.PAPER_LINK_TYPES
        names_paper = is_link_label(link.label or "paper") and bool(_PAPER_LABEL.search(link.label or "paper"))
        if is_paper and first_type not in linkmod.PAPER_LINK_TYPES and names_paper:
            entry.related.append(link)
        else:
            entry.links.append(link)
    if rest.startswith(":") and len(title.split()) <= 3:
        description = markdown.strip_inline(rest[1:]).strip(" .;")
        if description and len(description.split()) <= 30:
            entry.title = f"{title}: {description}"
        else:
            entry.summary = description
        return [entry] + _papers_about(entry, title, "")
    authors, venue, other = split_byline(rest)
    entry.authors, entry.venue, entry.summary = authors, venue.strip("() "), other
    return [entry] + _papers_about(entry, title, other)


def _papers_about(entry: Entry, name: str, description: str) -> list[Entry]:
    """The papers a tool's line links to ("([paper](...))"): entries of their own."""
    if len(name.split()) >= 4 or ":" in name or not description or len(description.split()) > 20:
        title = name
    else:
        title = f"{name}: {description.strip(' .')}"
    return [Entry(title=title, links=[link], notes=[f"the paper about {name}"], style=RELATED_PAPER) for link in entry.related]
