"""How a book's, talk's, post's, course's or site's fields combine: the list's data and the
candidates of the web source (``sources/webworks.py``: ``openlibrary``, ``youtube``, ``web``).

First source with a value wins (``PRECEDENCE``, by candidate source name); a date read from a
URL path (``interpret.URL_DATE``) ranks below every page's own. ``merge.merge`` hands these
kinds here.
"""

from __future__ import annotations

import copy

from .interpret import URL_DATE
from .model import Candidate, Record
from .normalize import normalized_title

KINDS = frozenset({"talk", "blog", "book", "course", "website"})
LIST = "list"
# First source with a value wins. The list's stated speaker and event year come first: a
# video's channel is its uploader and its upload date can be years after the talk. The
# list's title stays except for books, whose catalogue title carries the subtitle.
PRECEDENCE: dict[str, tuple[str, ...]] = {
    "title": ("openlibrary", LIST),
    "author": (LIST, "openlibrary", "web"),
    "year": (LIST, "openlibrary", "web", URL_DATE),
    "month": (LIST, "openlibrary", "web", URL_DATE),
    "date": (LIST, "web"),  # the day, where the list or the page names it
    "publisher": ("openlibrary", "web"),
    "isbn": ("openlibrary", LIST, "web"),
    "organization": (LIST, "youtube", "web"),
    "eventtitle": (LIST, "web"),
    "note": (LIST, "web"),  # a course's term ("Spring 2019"): the list's (read from its URL) first
}
BOOK_FIELDS = ("publisher", "isbn")


def merge(listed: Record, accepted: list[Candidate]) -> tuple[Record, list[str]]:
    """The list's record improved by the accepted candidates (``listed`` is not modified)."""
    record = copy.deepcopy(listed)
    notes: list[str] = []
    by_source = {c.source: c for c in accepted}

    def value(source: str, name: str):
        if source in (LIST, URL_DATE):
            if name == "author":
                return listed.authors if source == LIST else None
            return listed.fields.get(name) if listed.provenance.get(name, LIST) == source else None
        candidate = by_source.get(source)
        if candidate is None:
            return None
        if name == "author":
            return candidate.authors
        return candidate.title if name == "title" else candidate.fields.get(name)

    date_source = None
    for name, order in PRECEDENCE.items():
        if name in BOOK_FIELDS and listed.kind != "book":
            continue  # a page's publisher or ISBN tag is no field of a post, talk or site
        for source in order:
            if name in ("month", "date") and date_source and source != date_source:
                continue  # a month or day only from the source that gave the year
            found = value(source, name)
            if not found:
                continue
            if name == "author":
                record.authors = list(found)
                record.provenance["author"] = source
                if source != LIST:
                    record.authors_truncated = False
            else:
                record.fields[name] = found
                record.provenance[name] = source
            if name == "year":
                date_source = source
            break
        else:
            if name in ("month", "date") and date_source:
                record.fields.pop(name, None)
                record.provenance.pop(name, None)
    if record.provenance.get("title", LIST) != LIST and normalized_title(listed.title) != normalized_title(record.title):
        notes.append(f"the list's title {listed.title!r} is the catalogue's {record.title!r}")
    if listed.provenance.get("year") == URL_DATE:
        if date_source == URL_DATE:
            notes.append(f"year {record.year} read from the URL path (no page gave a date)")
        elif listed.year != record.year:
            notes.append(f"the URL path says {listed.year}; the page says {record.year} ({date_source})")
    date_kind = by_source["web"].fields.get("datekind") if date_source == "web" else ""
    if date_kind == "event":
        notes.append(f"year {record.year} is the date the talk was given ({record.fields.get('eventtitle') or 'its event'}), read from the page")
    elif date_kind == "term":
        notes.append(f"year {record.year} is the course's term ({record.fields.get('note') or 'its term'}), read from the page")
    elif date_kind == "upload":
        notes.append(f"year {record.year} is the video's upload date (no date of delivery was found)")
    page_year = next((c.fields.get("year") for c in accepted if c.fields.get("year")), "")
    if date_source == LIST and page_year and page_year != record.year:
        notes.append(f"the list's year {record.year} is kept; {next(c.source for c in accepted if c.fields.get('year'))} says {page_year}")
    if len(listed.items) > 1:
        notes.append(f"listed {len(listed.items)} times; one record carries all its sections")
    return record, notes


def undated_reason(record: Record, unresolved: dict[str, str], rejected: list[dict]) -> str:
    """Why a work has no date, for the report and README."""
    if record.fields.get("type") in ("YouTube playlist", "YouTube channel", "Blog"):
        return f"a collection ({record.fields['type']}), not one dated work"
    failed = "; ".join(f"{source}: {why}" for source, why in sorted(unresolved.items()))
    if rejected:
        named = "the only page found names another work: " + "; ".join(r["reason"] for r in rejected)
        return f"{named}; {failed}" if failed else named
    if unresolved:
        return failed
    return "its page gives no date"
