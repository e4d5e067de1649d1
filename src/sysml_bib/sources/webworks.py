"""The web source: books, talks, blog posts, courses and web sites, looked up on the web
like papers are in arXiv and dblp.

Per work, by what its link is:

- a book: its ISBN (from the URL, else from the publisher page's metadata) in Open
  Library's books API (``openlibrary.py``); without one, Open Library's search by title
  (and author), then one edition of the work found;
- a YouTube video: oEmbed (title, channel; ``oembed.py``) and the watch page;
- anything else with an http(s) link: the page's embedded metadata (``web.py``).

Its candidates report under ``web``, ``youtube`` and ``openlibrary`` (``reports``), which
``merge_web.PRECEDENCE`` orders. Every candidate is checked against the list item by title
(``rejection``); a rejected one is reported with its reason, never merged. A failure
(robots.txt, 429, timeout, a bot check or cookie wall, a page that is not HTML) leaves the
list's data and says why.

One host, ``web``: not a server but a prefix (``--web-url``): ``https://host/path?q`` is
fetched as ``BASE/host/path?q`` (a replay server or mirror); without one, the real URL.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from .. import links as linkmod
from ..http import FetchError, Http
from ..match import title_words
from ..merge_web import KINDS
from ..model import Candidate, Record
from . import oembed, openlibrary
from . import web as web_pages
from .base import Host, Lookup, Online, Source

WORKS_PER_BATCH = 4  # hosts fetched at once; each host still sees one request at a time


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


def _book(record: Record, pages: web_pages.WebSource, http: Http, base: str, found: Lookup) -> None:
    isbn = record.fields.get("isbn", "")
    url = record.fields.get("url", "")
    if not isbn and url:
        try:
            page = pages.page(url)
            found.candidates.append(web_pages.candidate(page))
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


def _one(record: Record, pages: web_pages.WebSource, http: Http, base: str, found: Lookup) -> None:
    url = record.fields.get("url", "")
    if record.kind == "book":
        _book(record, pages, http, base, found)
        return
    if not url or linkmod.classify(url).type == "invalid":
        found.failures["web"] = "no web link"
        return
    page_url = web_pages.canonical_url(url)
    if _is_video(page_url):
        try:
            found.candidates.append(oembed.fetch(http, page_url, base))
        except FetchError as error:
            found.failures["youtube"] = f"oEmbed: {error.reason}"
    try:
        found.candidates.append(web_pages.candidate(pages.page(page_url)))
    except FetchError as error:
        found.failures["web"] = error.reason


class Web(Source):
    name = "web"
    label = "web"
    kinds = KINDS
    reports = ("web", "youtube", "openlibrary")
    hosts = (Host("web", "", 1.0, prefix=True, description="web pages, YouTube oEmbed and Open Library"),)
    phase = 1
    rank = 60

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        """Every work's candidates; hosts are fetched concurrently, each politely."""
        base = online.base(self.hosts[0])
        pages = web_pages.WebSource(online.http, base)
        with ThreadPoolExecutor(max_workers=WORKS_PER_BATCH) as pool:
            list(pool.map(lambda r: _one(r, pages, online.http, base, found[id(r)]), records))

    def rejection(self, record: Record, candidate: Candidate) -> str | None:
        return rejection(record, candidate)
