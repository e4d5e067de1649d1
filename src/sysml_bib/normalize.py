"""Stage 3: list items -> records, one record per work.

Everything here is pure: items in, records out. The same work listed twice (DeepCPU
under Model Serving and under Inference) becomes one record carrying both sections.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import links as linkmod
from . import names, venues
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


def primary_link(item: Item) -> linkmod.Link | None:
    usable = [link for link in item.links if link.type != "invalid"]
    for link_type in _URL_PREFERENCE.get(item.kind, _DEFAULT_PREFERENCE):
        for link in usable:
            if link.type == link_type:
                return link
    return usable[0] if usable else None


def record_from_item(item: Item) -> Record:
    record = Record(key="", entry_type="misc", kind=item.kind, keep_case=item.keep_case)
    record.sections = [item.sections]
    record.items = [(item.file, item.line)]
    record.set("title", item.title, LIST)

    author_year, author_month = "", None
    if item.author_lines:
        parsed = names.parse_authors(item.author_lines[0])
        record.authors = [p for p in parsed.people if p.family]
        record.authors_truncated = parsed.truncated
        author_year, author_month = parsed.year, parsed.month
        if record.authors:
            record.provenance["author"] = LIST

    arxiv_ids = [link.arxiv_id for link in item.links if link.arxiv_id]
    venue = venues.parse_venue(item.venue_lines[0]) if item.venue_lines else venues.Venue(raw="")
    arxiv_id = arxiv_ids[0] if arxiv_ids else venue.arxiv_id
    repo = next((link.repo for link in item.links if link.repo), None)
    if item.kind == "software" and not record.authors and repo:
        record.authors = [Person(family=repo.split("/")[0], literal=True)]
        record.provenance["author"] = LIST

    year = venue.year or author_year or (arxiv_year(arxiv_id) if arxiv_id else "")
    record.set("year", year, LIST)
    if author_month and year:
        record.set("month", MONTHS[author_month - 1], LIST)
    for link in item.links:
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
    record.links = [l.url for l in item.links if l.type != "invalid"]
    record.venue_short, record.venue_type = venue.short, venue.type
    return interpret(item, record)


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


# ----------------------------------------------------------------------------- identity

def identities(record: Record) -> set[str]:
    """Tokens that identify the work: any shared token means "the same work"."""
    tokens = set()
    doi = record.fields.get("doi")
    if doi:
        tokens.add("doi:" + doi.lower())
    eprint = record.fields.get("eprint")
    if eprint:
        tokens.add("arxiv:" + re.sub(r"v\d+$", "", eprint.lower()))
    dblp = record.fields.get("dblp")
    if dblp:
        tokens.add("dblp:" + dblp)
    url = record.fields.get("url", "")
    if record.kind == "software":
        link = linkmod.classify(url)
        if link.repo:
            tokens.add("repo:" + link.repo.lower())
    elif url and record.kind == "paper" and linkmod.classify(url).type in ("usenix-pdf", "usenix-page", "pdf", "doi"):
        tokens.add("url:" + _url_key(url))
    elif url and record.kind in ("talk", "blog", "book", "course", "website"):
        tokens.add("url:" + _url_key(url))  # its page: keeps the key when the list's title is cleaned up
    title = normalized_title(record.title)
    if title:
        group = "paper" if record.kind == "paper" else record.kind
        tokens.add(f"title:{group}:{title}")
    return tokens


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


def _richness(record: Record) -> tuple:
    given = sum(len(p.given.replace(".", "").replace(" ", "")) for p in record.authors)
    return (not record.authors_truncated, len(record.authors), given)


def merge(records: list[Record]) -> Record:
    """One record from several of the same work: each field from the best source."""
    base = records[0]
    merged = Record(key=base.key, entry_type=base.entry_type, kind=base.kind, keep_case=base.keep_case)
    richest = max(records, key=_richness)
    merged.authors, merged.authors_truncated = list(richest.authors), richest.authors_truncated
    if "author" in richest.provenance:
        merged.provenance["author"] = richest.provenance["author"]
    # Prefer the spelling with more capitals: it keeps acronyms ("DeepCPU", "RNN").
    best_title = max(records, key=lambda r: sum(c.isupper() for c in r.title))
    typed = max(records, key=lambda r: (r.entry_type != "misc", len(r.fields)))
    merged.entry_type = typed.entry_type
    for source in [best_title, typed, *records]:
        for name, value in source.fields.items():
            if name not in merged.fields:
                merged.set(name, value, source.provenance.get(name, LIST))
    merged.keep_case = tuple(dict.fromkeys(w for r in records for w in r.keep_case))
    merged.venue_short = typed.venue_short or next((r.venue_short for r in records if r.venue_short), "")
    merged.venue_type = typed.venue_type or next((r.venue_type for r in records if r.venue_type), "")
    for record in records:
        for path in record.sections:
            if path not in merged.sections:
                merged.sections.append(path)
        merged.items.extend(record.items)
        merged.links.extend(link for link in record.links if link not in merged.links)
    return merged


def group_same_works(records: list[Record]) -> list[list[Record]]:
    """Partition records into works (union of shared identity tokens), in first-seen order."""
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, record in enumerate(records):
        for token in sorted(identities(record)):
            if token in owner:
                a, b = find(owner[token]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[token] = index
    groups: dict[int, list[Record]] = {}
    for index, record in enumerate(records):
        groups.setdefault(find(index), []).append(record)
    return list(groups.values())


def records_from_items(items: list[Item]) -> list[Record]:
    """Every item becomes part of exactly one record; duplicates merge."""
    singles = [record_from_item(item) for item in items]
    return [merge(group) if len(group) > 1 else group[0] for group in group_same_works(singles)]
