"""Stage 3: list items -> records, one record per work.

Everything here is pure: items in, records out. The same work listed twice (DeepCPU
under Model Serving and under Inference) becomes one record carrying both sections;
``identity.py`` decides what is the same work.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import links as linkmod
from . import names, venues
from .identity import MergeReport, group_same_works, identities, merge  # noqa: F401  (identities: used by keys, resolve)
from .interpret import interpret
from .model import Item, Person, Record

LIST = "list"

# Which link best stands for the work, per kind (first match wins).
_URL_PREFERENCE = {
    "paper": ("usenix-page", "doi", "usenix-pdf", "pdf", "arxiv", "other", "youtube", "github"),
    "software": ("github", "other"),
}
_DEFAULT_PREFERENCE = ("other", "youtube", "github", "pdf", "usenix-page", "usenix-pdf", "doi", "arxiv", "github-profile")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@lru_cache(maxsize=65536)
def ascii_fold(text: str) -> str:
    from anyascii import anyascii

    return anyascii(text)


def normalized_title(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(title).lower())


def arxiv_year(arxiv_id: str) -> str:
    match = re.match(r"^(?:[a-z\-.A-Z]+/)?(\d{2})(\d{2})", arxiv_id)
    if not match:
        return ""
    yy = int(match.group(1))
    return str(1900 + yy if yy > 90 else 2000 + yy)


def own_links(item: Item) -> list[linkmod.Link]:
    """The item's own links: not the related ones ("([paper](...))" after a tool) that name another work."""
    return [link for link in item.links if not link.related]


def primary_link(item: Item) -> linkmod.Link | None:
    usable = [link for link in own_links(item) if link.type != "invalid"]
    for link_type in _URL_PREFERENCE.get(item.kind, _DEFAULT_PREFERENCE):
        for link in usable:
            if link.type == link_type:
                return link
    return usable[0] if usable else None


def _cjk(char: str) -> bool:
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x2FA1F)


def latin_punctuation(text: str) -> str:
    """A fullwidth form (U+FF01-FF5E) written after Latin text, as an IME types it
    ("PyTorch/glow：Compiler"), as its ASCII character. Left in a Latin title it is set in
    the CJK font and breaks the text layer of the whole PDF (every letter extracts as a
    fullwidth form); after CJK text ("继Spark之后，UC") it is the title's own punctuation."""
    out: list[str] = []
    for i, char in enumerate(text):
        before = text[:i].rstrip()
        if 0xFF01 <= ord(char) <= 0xFF5E and before and not _cjk(before[-1]):
            char = chr(ord(char) - 0xFEE0)
            if char in ",.:;!?" and i + 1 < len(text) and text[i + 1].isalnum():
                char += " "
        out.append(char)
    return "".join(out)


def record_from_item(item: Item) -> Record:
    record = Record(key="", entry_type="misc", kind=item.kind, keep_case=item.keep_case)
    record.sections = [item.sections]
    record.items = [(item.file, item.line)]
    record.set("title", latin_punctuation(item.title), LIST)
    record.title_derived = item.style == "related_paper"

    author_year, author_month = "", None
    if item.author_lines:
        parsed = names.parse_authors(item.author_lines[0])
        record.authors = [p for p in parsed.people if p.family]
        record.authors_truncated = parsed.truncated
        author_year, author_month = parsed.year, parsed.month
        if record.authors:
            record.provenance["author"] = LIST

    arxiv_ids = [link.arxiv_id for link in own_links(item) if link.arxiv_id]
    venue = venues.parse_venue(item.venue_lines[0]) if item.venue_lines else venues.Venue(raw="")
    arxiv_id = arxiv_ids[0] if arxiv_ids else venue.arxiv_id
    repo = next((link.repo for link in own_links(item) if link.repo), None)
    if item.kind == "software" and not record.authors and repo:
        record.authors = [Person(family=repo.split("/")[0], literal=True)]
        record.provenance["author"] = LIST

    year = venue.year or author_year or (arxiv_year(arxiv_id) if arxiv_id else "")
    record.set("year", year, LIST)
    if author_month and year:
        record.set("month", MONTHS[author_month - 1], LIST)
    _list_date(record, item.date)
    for link in own_links(item):
        doi = linkmod.doi_of(link)
        if doi:
            record.set("doi", doi, LIST)
            break
    if arxiv_id:
        record.set("eprint", arxiv_id, LIST)
        record.set("archiveprefix", "arXiv", LIST)
    link = primary_link(item)
    if link:
        record.set("url", link.url, LIST)
    record.set("annote", item.summary, LIST)
    record.entry_type = _entry_type(record, item.kind, venue)
    record.links = [l.url for l in own_links(item) if l.type != "invalid"]
    record.venue_short, record.venue_type = venue.short, venue.type
    return interpret(item, record)


_LIST_DATE = re.compile(r"^((?:19|20)\d{2})(?:[./\-](0?[1-9]|1[0-2])(?:[./\-](0?[1-9]|[12]\d|3[01]))?)?$")


def _list_date(record: Record, text: str) -> None:
    """The month (and day) of a date the list gives ('2024.05', '2026.05.13') beside the year:
    BibTeX's ``month``, and a full ``date`` only when the list names the day. A date of
    another year than the entry's (the day a list added a 2019 paper) says nothing of it."""
    found = _LIST_DATE.match(text.strip())
    if not found:
        return
    year, month, day = found.groups()
    if not record.year:
        record.set("year", year, LIST)
    if year != record.year or not month:
        return
    record.set("month", MONTHS[int(month) - 1], LIST)
    if day:
        record.set("date", f"{year}-{int(month):02d}-{int(day):02d}", LIST)


def _entry_type(record: Record, kind: str, venue: venues.Venue) -> str:
    """BibTeX-mode entry type, and the venue fields that go with it."""
    year = record.year
    if kind == "paper" and venue.name and year and venue.type in ("conference", "workshop"):
        record.set("booktitle", venue.name, LIST)
        _venue_details(record, venue)
        return "inproceedings"
    if kind == "paper" and venue.name and year and venue.type == "journal":
        record.set("journal", venue.name, LIST)
        _venue_details(record, venue)
        return "article"
    if kind == "paper" and record.fields.get("eprint"):
        record.set("howpublished", f"arXiv preprint arXiv:{record.fields['eprint']}", LIST)
        return "misc"
    if kind == "paper" and venue.name and venue.type in ("conference", "workshop", "journal"):
        record.set("howpublished", venue.name, LIST)  # a venue with no year: not enough for @inproceedings
    elif kind == "paper" and venue.type == "unpublished":
        record.set("note", "Unpublished", LIST)
    return "misc"


def _venue_details(record: Record, venue: venues.Venue) -> None:
    record.set("volume", venue.volume, LIST)
    record.set("number", venue.number, LIST)
    record.set("pages", venue.pages, LIST)
    record.set("publisher", venue.publisher, LIST)


# ----------------------------------------------------------------------------- works

def records_from_items(items: list[Item]) -> list[Record]:
    """Every item becomes part of exactly one record; copies of one work merge."""
    return works_from_items(items)[0]


def works_from_items(items: list[Item]) -> tuple[list[Record], MergeReport]:
    """Records, one per work, and what was merged or kept apart (see ``identity.py``)."""
    singles = [record_from_item(item) for item in items]
    groups, report = group_same_works(singles)
    return [merge(group) if len(group) > 1 else group[0] for group in groups], report

