"""Combine the list's record with accepted candidates, field by field, keeping provenance.

Precedence (first source that has the field wins):

| field | order | why |
| --- | --- | --- |
| title, author | usenix, dblp, arxiv, list | official, complete; the list abbreviates ("et al.") |
| venue fields: booktitle, journal, volume, number, pages, publisher, address, isbn, month | usenix, dblp, list | the published version |
| year | usenix, dblp, arxiv, list | the venue year; for a preprint, its first version's year |
| doi | dblp, arxiv, list | dblp's is the publisher DOI; arXiv's names the published version |
| eprint, archiveprefix, primaryclass | arxiv, list, dblp | arXiv is authoritative for its ids |
| url | usenix, dblp, list, arxiv | the presentation/landing page, else what the list linked |
| sections, kind, annote, note | list | the list's own data |

When a published version is found (USENIX, or a dblp conference/journal record that
is not CoRR), the list's venue fields are replaced as a whole, so a booktitle from
the list never sits beside a journal from dblp.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from .capitalisation import keep_listed_spelling
from .model import Candidate, Record
from .normalize import normalized_title

LIST = "list"
VENUE_FIELDS = ("booktitle", "journal", "volume", "number", "pages", "publisher", "address", "isbn", "month")
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "title": ("usenix", "dblp", "arxiv", LIST),
    "author": ("usenix", "dblp", "arxiv", LIST),
    "year": ("usenix", "dblp", "arxiv", LIST),
    "doi": ("dblp", "arxiv", LIST),
    "eprint": ("arxiv", LIST, "dblp"),
    "archiveprefix": ("arxiv", LIST, "dblp"),
    "primaryclass": ("arxiv", LIST),
    "url": ("usenix", "dblp", LIST, "arxiv"),
    "dblp": ("dblp",),
    **{name: ("usenix", "dblp", LIST) for name in VENUE_FIELDS},
}


@dataclass
class Merged:
    record: Record
    notes: list[str] = field(default_factory=list)


def merge(listed: Record, accepted: list[Candidate]) -> Merged:
    """The list's record improved by the accepted candidates; ``listed`` is not modified."""
    record = copy.deepcopy(listed)
    notes: list[str] = []
    by_source = {c.source: c for c in accepted}
    published = next((by_source[s] for s in ("usenix", "dblp") if s in by_source and by_source[s].published), None)
    arxiv = by_source.get("arxiv")

    if published:
        for name in VENUE_FIELDS + ("howpublished", "note"):
            record.fields.pop(name, None)
            record.provenance.pop(name, None)
        _venue_note(listed, published, notes)
        record.entry_type = published.entry_type
    elif arxiv and record.entry_type == "misc" and record.kind == "paper":
        record.set("howpublished", f"arXiv preprint arXiv:{arxiv.id}", "arxiv")

    # The venue's own candidates only count for venue fields when they are the published one.
    def value(source: str, name: str) -> str | None:
        if source == LIST:
            return listed.fields.get(name) if (name not in VENUE_FIELDS or not published) else None
        candidate = by_source.get(source)
        if candidate is None:
            return None
        if name in VENUE_FIELDS and candidate is not published:
            return None
        if name == "title":
            return candidate.title
        return candidate.fields.get(name)

    for name, order in PRECEDENCE.items():
        for source in order:
            if name == "author":
                people = listed.authors if source == LIST else (by_source[source].authors if source in by_source else [])
                if people:
                    record.authors = _keep_diacritics(list(people), listed.authors)
                    record.authors_truncated = listed.authors_truncated if source == LIST else False
                    if source != LIST or listed.authors:
                        record.provenance["author"] = source
                    break
                continue
            found = value(source, name)
            if found:
                record.fields[name] = found
                record.provenance[name] = source
                break

    title_source = record.provenance.get("title", LIST)
    if title_source != LIST:
        record.keep_case = by_source[title_source].keep_case
        record.fields["title"] = keep_listed_spelling(record.title, listed.title)  # PyTorch, not Pytorch
        if normalized_title(listed.title) != normalized_title(record.title):
            notes.append(f"the list's title {listed.title!r} differs from the official title {record.title!r}")
    if listed.year and record.year and listed.year != record.year:
        notes.append(f"the list's year {listed.year} differs from {record.year} ({record.provenance.get('year')})")
    if published and arxiv:
        notes.append(f"arXiv preprint {arxiv.id} was published; the published version is cited, the eprint kept")
    if len(listed.items) > 1:
        notes.append(f"listed {len(listed.items)} times; one record carries all its sections")
    return Merged(record, notes)


def _keep_diacritics(chosen: list, listed: list) -> list:
    """Sources that write names in ASCII ("Christopher Re") keep the list's accents ("Ré")."""
    from .model import Person
    from .normalize import ascii_fold

    accented = {ascii_fold(f"{p.given} {p.family}").lower(): p for p in listed if not p.isascii_name()}
    out = []
    for person in chosen:
        twin = accented.get(ascii_fold(f"{person.given} {person.family}").lower())
        out.append(Person(twin.family, twin.given, person.literal) if twin and person.isascii_name() else person)
    return out


def _venue_note(listed: Record, published: Candidate, notes: list[str]) -> None:
    listed_venue = listed.fields.get("booktitle") or listed.fields.get("journal") or listed.fields.get("howpublished") or ""
    found = published.fields.get("booktitle") or published.fields.get("journal") or ""
    if listed_venue and found and _venue_words(listed_venue).isdisjoint(_venue_words(found)):
        notes.append(f"the list's venue {listed_venue!r} differs from the published venue {found!r}")


def _venue_words(text: str) -> set[str]:
    import re

    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2} - {"the", "and", "conference", "international", "symposium", "proceedings", "acm", "ieee", "usenix", "annual"}
