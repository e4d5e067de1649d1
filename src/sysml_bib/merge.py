"""Combine the list's record with accepted candidates, field by field, keeping provenance.

Precedence (first source that has the field wins):

| field | order | why |
| --- | --- | --- |
| title | usenix, dblp, crossref, pmlr, neurips, arxiv, list | official, complete; but the venue's own record (crossref, pmlr, neurips) wins where its words differ: a dblp snapshot may predate a retitling |
| author | usenix, dblp, crossref, pmlr, neurips, arxiv, list | the list abbreviates ("et al.") |
| series, volume, number, pages | usenix, crossref, pmlr, neurips, dblp, list | as the venue writes them (article numbers: "18:1--18:17"; PMLR's series and volume) |
| booktitle, journal | usenix, crossref, pmlr, neurips, dblp, list | the venue's own name for its proceedings (dblp files HILDA under SIGMOD); then named by the venue table |
| publisher, address, isbn, month, school, institution | usenix, dblp, crossref, pmlr, neurips, list | the published version |
| year | usenix, dblp, crossref, pmlr, neurips, arxiv, list | the venue year; for a preprint, its first version's year |
| doi | crossref, dblp, arxiv, list | the publisher DOI; for a preprint with none, arXiv's DataCite DOI (10.48550/arXiv.<id>) |
| eprint, archiveprefix | arxiv, list, dblp | arXiv is authoritative for its ids; dblp's is its CoRR twin's |
| primaryclass | arxiv, list | |
| url | usenix, dblp, list, arxiv | the presentation/landing page, else what the list linked |
| sections, kind, annote, note | list | the list's own data |

When a published version is found (USENIX, a dblp conference/journal record that is
not CoRR, or the publisher's Crossref record), the list's venue fields are replaced as
a whole, so a booktitle from the list never sits beside a journal from dblp; the arXiv
id of a published paper is kept. The venue's name is then written as the venue table
says (``venue_table``): "ACM Transactions on Computer Systems", not "ACM Trans. Comput.
Syst.", one spelling per venue and year. Every field where two sources gave different
values is noted with the winner.

Software (``merge_software``, ``SOFTWARE_PRECEDENCE``): the repository's data wins over
the list's. The title becomes the software's name; the list's description is kept as
``abstract``. No source value is ever made up: no version known, no ``version``.

A record's own values keep their origin in the provenance: "list", or the citation
file a related paper came from.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from . import merge_web, venue_table
from .capitalisation import keep_listed_spelling
from .match import venue_named_in_preprint as match_venue_note
from .model import Candidate, Record
from .normalize import identities, normalized_title

LIST = "list"
VENUE_OWN = ("crossref", "pmlr", "neurips")  # the publisher's or proceedings' own record
PUBLISHED_SOURCES = ("usenix", "dblp") + VENUE_OWN
NUMBERING = ("volume", "number", "pages", "series")
VENUE_FIELDS = ("booktitle", "journal", "series", "volume", "number", "pages", "publisher", "address", "isbn", "month", "school", "institution")
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "title": ("usenix", "dblp") + VENUE_OWN + ("arxiv", LIST),
    "author": ("usenix", "dblp") + VENUE_OWN + ("arxiv", LIST),
    "year": ("usenix", "dblp") + VENUE_OWN + ("arxiv", LIST),
    "doi": ("crossref", "dblp", "arxiv", LIST),
    "eprint": ("arxiv", LIST, "dblp"),
    "archiveprefix": ("arxiv", LIST, "dblp"),
    "primaryclass": ("arxiv", LIST),
    "url": ("usenix", "dblp", LIST, "arxiv"),
    "dblp": ("dblp",),
    **{name: ("usenix", "dblp") + VENUE_OWN + (LIST,) for name in VENUE_FIELDS},
    # The venue's own record names its proceedings and numbers its pages; a dblp snapshot
    # may be stale (repaginated PMLR papers) or file a workshop under its host conference.
    **{name: ("usenix",) + VENUE_OWN + ("dblp", LIST) for name in NUMBERING + ("booktitle", "journal")},
}
COMPARED = ("title", "year", "booktitle", "journal", "volume", "number", "pages", "doi", "eprint")  # disagreements reported
ARXIV_DOI = "10.48550/arXiv.{}"


SOFTWARE_PRECEDENCE: dict[str, tuple[str, ...]] = {
    "title": ("github", LIST),
    "author": ("github", LIST),
    "year": ("github", LIST),
    "date": ("github",),
    "version": ("github",),
    "url": ("github", LIST),
    "license": ("github",),
    "doi": ("github", LIST),
}


@dataclass
class Merged:
    record: Record
    notes: list[str] = field(default_factory=list)


def merge(listed: Record, accepted: list[Candidate]) -> Merged:
    """The list's record improved by the accepted candidates; ``listed`` is not modified."""
    if listed.kind == "software":
        return merge_software(listed, accepted)
    if listed.kind in merge_web.KINDS:
        return Merged(*merge_web.merge(listed, accepted))
    record = copy.deepcopy(listed)
    notes: list[str] = []
    by_source = {c.source: c for c in accepted}
    published = next((by_source[s] for s in PUBLISHED_SOURCES if s in by_source and by_source[s].published), None)
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
        if name in VENUE_FIELDS and not (published and candidate.published):
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
                        record.provenance["author"] = source if source != LIST else listed.provenance.get("author", LIST)
                    break
                continue
            found = value(source, name)
            if found:
                record.fields[name] = found
                record.provenance[name] = source if source != LIST else listed.provenance.get(name, LIST)
                break

    _list_date_agrees(record, listed)
    _publisher_title(record, by_source, notes)
    _arxiv_doi(record, published)
    _name_venue(record)
    notes.extend(_disagreements(listed, record, accepted))

    title_source = record.provenance.get("title", LIST)
    if title_source in by_source:
        record.keep_case = by_source[title_source].keep_case
        record.fields["title"] = keep_listed_spelling(record.title, listed.title)  # PyTorch, not Pytorch
        if normalized_title(listed.title) != normalized_title(record.title):
            notes.append(f"the list's title {listed.title!r} differs from the official title {record.title!r}")
    if listed.year and record.year and listed.year != record.year:
        notes.append(f"the list's year {listed.year} differs from {record.year} ({record.provenance.get('year')})")
    if published and arxiv:
        notes.append(f"arXiv preprint {arxiv.id} was published; the published version is cited, the eprint kept")
        if normalized_title(arxiv.title) != normalized_title(record.title):
            notes.append(f"retitled: the arXiv version is {arxiv.title!r}, the published one {record.title!r}")
        named = match_venue_note(listed, arxiv)
        if named:
            notes.append(f"arXiv's journal_ref/comment names the venue ({named!r}): the preprint is this paper")
    if len(listed.items) > 1:
        notes.append(f"listed {len(listed.items)} times; one record carries all its sections")
    return Merged(record, notes)


def _list_date_agrees(record: Record, listed: Record) -> None:
    """The list's month and day belong to the list's year: a source's other year (or the
    published version's other month) leaves neither, so no date is made up of two."""
    from .normalize import MONTHS

    if record.provenance.get("month") == LIST and record.year != listed.year:
        record.fields.pop("month", None)
        record.provenance.pop("month", None)
    date, month = record.fields.get("date", ""), record.fields.get("month", "")[:3]
    if record.provenance.get("date") == LIST and (not date.startswith(f"{record.year}-")
                                                  or (month in MONTHS and date[5:7] != f"{MONTHS.index(month) + 1:02d}")):
        record.fields.pop("date", None)
        record.provenance.pop("date", None)


def merge_software(listed: Record, accepted: list[Candidate]) -> Merged:
    """A software record: the repository's name, authors, version and date over the list's."""
    record = copy.deepcopy(listed)
    notes: list[str] = []
    by_source = {c.source: c for c in accepted}
    if not by_source:
        return Merged(record, notes)
    for name, order in SOFTWARE_PRECEDENCE.items():
        for source in order:
            if source == LIST:
                break  # the list's value is already in place
            candidate = by_source.get(source)
            if candidate is None:
                continue
            if name == "author":
                if candidate.authors:
                    record.authors, record.authors_truncated = list(candidate.authors), False
                    record.provenance["author"] = source
                    break
                continue
            found = candidate.title if name == "title" else candidate.fields.get(name)
            if found:
                record.fields[name] = found
                record.provenance[name] = source
                break
    if record.provenance.get("title") != LIST:
        record.keep_case = ()
        if normalized_title(listed.title) != normalized_title(record.title):
            # The list's description, no longer the title; "Horovod: Distributed ..." loses the name it repeats.
            name, colon, rest = listed.title.partition(":")
            description = rest.strip() if colon and normalized_title(name) == normalized_title(record.title) and rest.strip() else listed.title
            record.set("abstract", description, LIST)
    if record.fields.get("url") != listed.fields.get("url") and listed.fields.get("url"):
        record.aliases |= {t for t in identities(listed) if t.startswith("repo:")}  # keys stay pinned
        notes.append(f"the list links {listed.fields['url']}; the repository is now {record.fields['url']}")
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
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2} - {"the", "and", "conference", "international", "symposium", "proceedings", "acm", "ieee", "usenix", "annual"}


def _publisher_title(record: Record, by_source: dict[str, Candidate], notes: list[str]) -> None:
    """The venue's own title wins over a dblp title with other words; a case difference does not count.

    USENIX is itself the venue, so its title stands.
    """
    own = next((by_source[s] for s in VENUE_OWN if s in by_source and by_source[s].title), None)
    chosen = record.provenance.get("title")
    if not own or chosen in VENUE_OWN + ("usenix", None):
        return
    if normalized_title(own.title) != normalized_title(record.title):
        notes.append(f"{chosen}'s title {record.title!r} differs from the venue's own record ({own.source}) {own.title!r}; the venue's is cited")
        # Publishers deposit sentence case ("NoScope: optimizing neural ..."); a source with the
        # same words in title case (the paper's arXiv record) gives the capitalisation.
        same = [c for c in by_source.values() if normalized_title(c.title) == normalized_title(own.title)]
        cased = max(same, key=lambda c: sum(w[:1].isupper() for w in c.title.split()))
        record.fields["title"] = cased.title
        record.provenance["title"] = own.source
        if cased is not own:
            notes.append(f"the capitalisation of {own.source}'s title is {cased.source}'s")


def _arxiv_doi(record: Record, published: Candidate | None) -> None:
    """A preprint with no other DOI carries arXiv's DataCite DOI; a published paper keeps the publisher's only."""
    eprint = record.fields.get("eprint")
    if eprint and not published and not record.fields.get("doi") and record.fields.get("archiveprefix", "arXiv") == "arXiv":
        record.fields["doi"] = ARXIV_DOI.format(eprint)
        record.provenance["doi"] = "arxiv"


def _name_venue(record: Record) -> None:
    """One spelling per venue and year, from the venue table.

    A venue only the list names gets the venue's general name, never a proceedings title:
    the list's venue lines are too often wrong (a workshop paper listed as "ICML 2019")
    to dress them up as a volume.
    """
    named = venue_table.full_name(record.fields, specific=record.provenance.get("booktitle", record.provenance.get("journal")) != LIST)
    if named and named[0] in record.fields and record.fields[named[0]] != named[1]:
        record.fields[named[0]] = named[1]
        record.provenance[named[0]] = f"{record.provenance.get(named[0], LIST)}+venue-table"


def _comparable(name: str, value: str) -> str:
    if name == "title":
        return normalized_title(value)
    if name in ("booktitle", "journal"):
        # the same venue however spelled ("Proc. VLDB Endow." is PVLDB) is no disagreement
        venue = venue_table.find({name: value})
        return venue.stream if venue else normalized_title(value)
    if name == "pages":
        return re.sub(r"\s*-+\s*", "-", value)
    return value.strip().lower()


def _disagreements(listed: Record, record: Record, accepted: list[Candidate]) -> list[str]:
    """A note per compared field where sources gave different values, naming the winner."""
    notes = []
    for name in COMPARED:
        values: dict[str, str] = {}
        for candidate in accepted:
            value = candidate.title if name == "title" else candidate.fields.get(name, "")
            # arXiv's year is its first version's and its DOI names another work: not comparable.
            if value and not (name in ("doi", "year", "title") and candidate.source == "arxiv"):
                values[candidate.source] = value
        if name in NUMBERING and listed.fields.get(name):
            values[LIST] = listed.fields[name]
        if len({_comparable(name, v) for v in values.values()}) > 1:
            winner = record.provenance.get(name, "?")
            said = ", ".join(f"{source} {value!r}" for source, value in values.items())
            notes.append(f"sources disagree on {name}: {said}; {winner} is cited")
    return notes
