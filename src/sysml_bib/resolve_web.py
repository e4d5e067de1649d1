"""Stage 2 for the works that are not papers or software: books, talks, blog posts,
courses and web sites, looked up on the web like papers are in arXiv and dblp.

Per work, by what its link is (``sources/``):

- a book: its ISBN (from the URL, else from the publisher page's metadata) in Open
  Library's books API; without one, Open Library's search by title (and author);
- a YouTube video: oEmbed (title, channel) and the watch page (``VideoObject`` upload date);
- anything else with an http(s) link: the page's embedded metadata (``sources/web.py``).

Every candidate is checked against the list item by title (``rejection``); a rejected
one is reported with its reason, never merged. A failure (robots.txt, 429, timeout, a
bot check or cookie wall, a page that is not HTML) leaves the list's data and says why.
Fields combine by ``PRECEDENCE``; a date read from a URL path ranks below every page's own.
"""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import links as linkmod
from .http import FetchError, Http
from .interpret import URL_DATE
from .match import title_words
from .model import Candidate, Record
from .normalize import normalized_title
from .sources import oembed, openlibrary
from .sources import web as web_source

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
    "publisher": ("openlibrary", "web"),
    "isbn": ("openlibrary", LIST, "web"),
    "organization": (LIST, "youtube", "web"),
    "eventtitle": (LIST, "web"),
}
BOOK_FIELDS = ("publisher", "isbn")
WORKS_PER_BATCH = 4  # hosts fetched at once; each host still sees one request at a time


@dataclass
class WebLookup:
    candidates: list[Candidate] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------------------- matching

def title_agreement(listed: str, found: str) -> tuple[bool, float]:
    """Whether a page's title names the list's work: close, or one contains the other's words
    (a subtitle, a speaker, a site name around the same title)."""
    from rapidfuzz import fuzz

    a, b = title_words(listed), title_words(found)
    if not a or not b:
        return False, 0.0
    ratio = fuzz.ratio(a, b)
    if ratio >= 90:
        return True, ratio
    shorter = min(a.split(), b.split(), key=len)
    if len(shorter) >= 3 and fuzz.token_set_ratio(a, b) >= 95:
        return True, ratio
    if len(shorter) >= 2 and (f"{b} ".startswith(f"{a} ") or f"{a} ".startswith(f"{b} ")):
        return True, ratio
    return False, ratio


def rejection(record: Record, candidate: Candidate) -> str | None:
    ok, similarity = title_agreement(record.title, candidate.title)
    if not ok:
        return f"the page names another work: {candidate.title!r} ({similarity:.0f}% similar to the list's title)"
    return None


# ----------------------------------------------------------------------------- lookups

def _is_video(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    return (host.endswith("youtube.com") and parts.path == "/watch") or host == "youtu.be"


def _book(record: Record, source: web_source.WebSource, http: Http, base: str, found: WebLookup) -> None:
    isbn = record.fields.get("isbn", "")
    page = None
    url = record.fields.get("url", "")
    if not isbn and url:
        try:
            page = source.page(url)
            found.candidates.append(web_source.candidate(page))
            isbn = page.isbn
        except FetchError as error:
            found.failures["web"] = error.reason
    if isbn:
        try:
            edition = openlibrary.by_isbn(http, isbn, base)
        except FetchError as error:
            found.failures["openlibrary"] = f"ISBN {isbn}: {error.reason}"
            return
        if edition:
            found.candidates.append(edition)
            return
        found.failures["openlibrary"] = f"no edition with ISBN {isbn}"
    author = record.authors[0].family if record.authors else ""
    try:
        hits = openlibrary.search(http, record.title, author, base)
    except FetchError as error:
        found.failures["openlibrary"] = f"title search: {error.reason}"
        return
    matching = [c for c in hits if rejection(record, c) is None]
    if matching:
        found.candidates.append(_edition_of(matching[0], record, http, base) or matching[0])
        found.failures.pop("openlibrary", None)
    else:
        found.candidates.extend(hits[:1])  # reported as rejected, with the reason
        found.failures.setdefault("openlibrary", "no book with this title")


def _edition_of(work: Candidate, record: Record, http: Http, base: str) -> Candidate | None:
    """One edition of a work found by title, read by its ISBN: a real publisher and year."""
    for isbn in work.fields.get("isbns", "").split():
        try:
            edition = openlibrary.by_isbn(http, isbn, base)
        except FetchError:
            return None  # the work's own data stands; the failure is not the work's
        if edition and rejection(record, edition) is None:
            edition.matched_by = "title"
            return edition
    return None


def _one(record: Record, source: web_source.WebSource, http: Http, base: str) -> WebLookup:
    found = WebLookup()
    url = record.fields.get("url", "")
    if record.kind == "book":
        _book(record, source, http, base, found)
        return found
    if not url or linkmod.classify(url).type == "invalid":
        found.failures["web"] = "no web link"
        return found
    page_url = web_source.canonical_url(url)
    if _is_video(page_url):
        try:
            found.candidates.append(oembed.fetch(http, page_url, base))
        except FetchError as error:
            found.failures["youtube"] = f"oEmbed: {error.reason}"
    try:
        found.candidates.append(web_source.candidate(source.page(page_url)))
    except FetchError as error:
        found.failures["web"] = error.reason
    return found


def lookup(records: list[Record], http: Http, base: str = "") -> dict[int, WebLookup]:
    """Candidates for every work; hosts are fetched concurrently, each politely."""
    source = web_source.WebSource(http, base)
    with ThreadPoolExecutor(max_workers=WORKS_PER_BATCH) as pool:
        results = list(pool.map(lambda r: _one(r, source, http, base), records))
    return {id(r): result for r, result in zip(records, results)}


# ----------------------------------------------------------------------------- decide and merge

def decide(record: Record, found: WebLookup) -> tuple[list[Candidate], list[dict]]:
    accepted: dict[str, Candidate] = {}
    rejected = []
    for candidate in found.candidates:
        reason = rejection(record, candidate)
        if reason:
            rejected.append({"source": candidate.source, "id": candidate.id, "title": candidate.title, "reason": reason})
        elif candidate.source not in accepted:
            accepted[candidate.source] = candidate
    return list(accepted.values()), rejected


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
            if name == "month" and date_source and source != date_source:
                continue  # a month only from the source that gave the year
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
            if name == "month" and date_source:
                record.fields.pop("month", None)
                record.provenance.pop("month", None)
    if record.provenance.get("title", LIST) != LIST and normalized_title(listed.title) != normalized_title(record.title):
        notes.append(f"the list's title {listed.title!r} is the catalogue's {record.title!r}")
    if listed.provenance.get("year") == URL_DATE:
        if date_source == URL_DATE:
            notes.append(f"year {record.year} read from the URL path (no page gave a date)")
        elif listed.year != record.year:
            notes.append(f"the URL path says {listed.year}; the page says {record.year} ({date_source})")
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
    if rejected and not unresolved:
        return "the only page found names another work: " + "; ".join(r["reason"] for r in rejected)
    if unresolved:
        return "; ".join(f"{source}: {why}" for source, why in sorted(unresolved.items()))
    return "its page gives no date"
