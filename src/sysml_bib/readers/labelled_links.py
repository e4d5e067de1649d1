"""``Title [[Paper]](url) [[GitHub]](url)``: the title as text, links labelled by their kind.

The bundled list's style, and the reader of last resort: it reads every text. A title
with no text of its own takes the link's label, unless the label only names the kind
of link ("PDF", "Link"). Text between two links that reads like another title starts an
entry of its own: ``Being a Data Scientist ... [[Part1]](u1) Architecting a Machine
Learning Pipeline [[Part2]](u2)`` is two blog posts, and so is a second paper link with
the first one's label (``Title [[Paper]](u1) [[Paper]](u2)``: two papers under one title,
kept apart or merged by their identifiers). A venue at the end of the title
(``... (ATC'22)``, ``..., OSDI 2022``) is the venue.
"""

from __future__ import annotations

import re

from .. import links as linkmod
from .. import markdown, names, venues
from .common import Context, Entry, author_like, clean_title, is_title, trailing_venue

NAME = "labelled_links"
_TRAILING_PUNCT = " \t:;,|-–—"
_TITLE_VENUE = re.compile(r"\s*\((?P<venue>[^()]+)\)\s*$")
_GERUND = re.compile(r"^[A-Z][a-z]{3,}ing\b")  # "by Minimizing ...", "by Generating ..." (names such as "Xing" are short)
_CONNECTOR = re.compile(r"^(?:and|or|also|see|via|with|from|by|in|on|at|for|more|plus|\W)\b", re.IGNORECASE)


def read(text: str, context: Context) -> list[Entry]:
    plain, found = markdown.split_links(text)
    real = [link for link in found if not link.image]
    entries: list[Entry] = []
    for start, end, links, same_title in _groups(plain, real):
        entry = _entry(plain[start:end], start, links)
        if same_title and entries:  # "Title [[Paper]](u1) [[Paper]](u2)": a second paper under the title
            entry.title, entry.notes = entries[0].title, [n for n in entry.notes if n != entries[0].title]
        entries.append(entry)
    return entries


def _groups(plain: str, real: list[markdown.InlineLink]) -> list[tuple[int, int, list, bool]]:
    """Split the line where title-like text stands between two links, or where a second
    paper link has the same label as the first ("[[Paper]] [[Paper]]"): another work."""
    if len(real) < 2:
        return [(0, len(plain), real, False)]
    groups, start, current, same_title = [], 0, [real[0]], False
    for previous, link in zip(real, real[1:]):
        gap_start = previous.start + len(previous.label)
        gap = markdown.strip_inline(plain[gap_start : link.start]).strip(_TRAILING_PUNCT)
        repeated = not gap and _is_paper(link) and any(
            l.label.lower() == link.label.lower() and l.url != link.url and _is_paper(l) for l in current)
        if _starts_new_work(gap) or repeated:
            groups.append((start, gap_start, current, same_title))
            start, current, same_title = gap_start, [], repeated
        current.append(link)
    groups.append((start, len(plain), current, same_title))
    return groups


def _is_paper(link: markdown.InlineLink) -> bool:
    return bool(link.label) and linkmod.classify(link.url).type in linkmod.PAPER_LINK_TYPES


def _starts_new_work(gap: str) -> bool:
    words = gap.split()
    return (len(words) >= 2 and not gap.startswith(("(", "[", "*")) and not _CONNECTOR.match(gap)
            and is_title(gap) and not gap.endswith(":") and gap[0].isupper())


def _entry(plain: str, offset: int, links: list[markdown.InlineLink]) -> Entry:
    local = [markdown.InlineLink(l.label, l.url, l.start - offset, l.image) for l in links]
    first = local[0].start if local else len(plain)
    rest, cursor = [], first
    for link in local:
        rest.append(plain[cursor : max(cursor, link.start)])
        cursor = max(cursor, link.start + len(link.label))
    rest.append(plain[cursor:])
    # "Title. [[PUB](..)] [[PDF](..)]": the brackets around each link are no text of the entry.
    title = markdown.strip_inline(plain[:first]).rstrip(" [(").strip(_TRAILING_PUNCT)
    after = markdown.strip_inline(" ".join(rest)).strip(_TRAILING_PUNCT)
    after = after if re.search(r"\w", after) else ""
    if not title:
        label = local[0].label if local else ""
        title, after = (after, "") if after else (label if is_title(label) else "", after)
    title, venue, note = split_title_venue(title)
    authors = byline_title = ""
    by = re.match(r"^(?P<title>.+?)\s+by\s+(?P<who>[^()]+?)\s*(?:\((?P<where>[^()]+)\))?\.?$", title)
    # "Designing Data-Intensive Applications by Martin Kleppmann (O'Reilly, 2017)"; not a title's
    # own "by": "Discovering Options for Exploration by Minimizing Cover Time" (a gerund, no name).
    if by and author_like(by.group("who")) and not _GERUND.match(by.group("who")):
        title, authors = by.group("title"), by.group("who")
        byline_title = clean_title(f"{title} by {authors}")
        venue = venue or (by.group("where") or "")
    elif not venue:
        title, venue = trailing_venue(title.rstrip(" ."))
        if venue:  # "Sarathi-Serve, Amey Agrawal et al., OSDI 2024": the authors before the venue
            title, authors = _trailing_authors(title)
    return Entry(title=clean_title(title), links=links, venue=venue, authors=authors, byline_title=byline_title,
                 notes=[n for n in (note, after) if n])


def _trailing_authors(title: str) -> tuple[str, str]:
    for match in re.finditer(r",\s+", title):
        tail = title[match.end():]
        if author_like(tail) and names.all_names(tail) and re.search(r"\bet\.? al\b|\sand\s|,", tail):
            return title[: match.start()], tail
    return title, ""


def split_title_venue(title: str) -> tuple[str, str, str]:
    """(title, venue, the rest of the parentheses) when the title ends in a venue, else (title, '', '')."""
    match = _TITLE_VENUE.search(title)
    if not match or not title[: match.start()].strip():
        return title, "", ""
    inside = match.group("venue")
    venue = re.split(r"\s*[,，;]\s*", inside, maxsplit=1)[0]
    rest = inside[len(venue):].strip(" ,，;")
    parsed = venues.parse_venue(venue)
    if not (parsed.short and parsed.year and venues.looks_like_venue_line(venue)):
        return title, "", ""
    return title[: match.start()].rstrip(), venue.strip(), rest
