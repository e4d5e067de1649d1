"""arXiv, through the ``arxiv`` package: papers by id in batches, and title search.

- Ids are validated before any request: arXiv answers a batch holding one malformed
  id with HTTP 400 for the whole batch. A 400 that happens anyway splits the batch in
  halves until the bad id stands alone.
- ``max_results`` is the batch size (the API's default of 10 silently truncates).
- Results come back in any order; they are matched to requests by id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..http import FetchError, Http
from ..links import is_valid_arxiv_id
from ..model import Candidate
from ..names import _natural
from .xmlcheck import check_xml

BASE = "https://export.arxiv.org"
PATH = "/api/query"
BATCH = 100


@dataclass
class ArxivResult:
    found: dict[str, Candidate] = field(default_factory=dict)  # version-less id -> candidate
    failed: dict[str, str] = field(default_factory=dict)  # id -> reason


def validate(response) -> str | None:
    kind = response.headers.get("Content-Type", "")
    if "xml" not in kind and "atom" not in kind:
        return f"expected an Atom feed, got {kind or 'no content type'}"
    return check_xml(response.content)


class _ValidatingSession:
    """Stands in for the ``arxiv`` client's session so its requests take our polite, cached path."""

    def __init__(self, http: Http):
        self.http = http

    def get(self, url, headers=None, **_):
        return self.http.get(url, expect=validate)


def _client(http: Http, base: str):
    import arxiv

    client = arxiv.Client(page_size=BATCH, delay_seconds=0.0, num_retries=0)  # spacing/retries are ours
    client.query_url_format = base.rstrip("/") + PATH + "?{}"
    client._session = _ValidatingSession(http)
    return client


def strip_version(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id)


def candidate(result, matched_by: str) -> Candidate:
    short_id = strip_version(result.get_short_id())
    fields = {
        "year": str(result.published.year) if result.published else "",
        "eprint": short_id,
        "archiveprefix": "arXiv",
        "primaryclass": result.primary_category or "",
        "url": f"https://arxiv.org/abs/{short_id}",
        "doi": (result.doi or "").strip(),
        "journal_ref": " ".join((result.journal_ref or "").split()),
        "comment": " ".join((result.comment or "").split()),  # often names the venue ("OSDI 18")
    }
    return Candidate(
        source="arxiv",
        id=short_id,
        title=" ".join((result.title or "").split()),
        authors=[_natural(" ".join(a.name.split())) for a in result.authors],
        entry_type="misc",
        fields={k: v for k, v in fields.items() if v},
        published=False,
        venue_type="preprint",
        matched_by=matched_by,
    )


def fetch_ids(http: Http, ids: list[str], base: str = BASE) -> ArxivResult:
    """Every id in batches of 100; missing and malformed ids end in ``failed`` with a reason."""
    result = ArxivResult()
    wanted = []
    for arxiv_id in dict.fromkeys(ids):
        if is_valid_arxiv_id(arxiv_id):
            wanted.append(strip_version(arxiv_id))
        else:
            result.failed[arxiv_id] = "malformed arXiv id (not sent)"
    client = _client(http, base) if wanted else None
    for start in range(0, len(wanted), BATCH):
        _fetch_batch(client, wanted[start : start + BATCH], result)
    return result


def _fetch_batch(client, batch: list[str], result: ArxivResult) -> None:
    import arxiv

    try:
        search = arxiv.Search(id_list=batch, max_results=len(batch))
        client.page_size = len(batch)  # sent as max_results: the API's default of 10 would truncate
        got = {strip_version(r.get_short_id()): r for r in client.results(search)}
    except FetchError as error:
        if error.reason == "HTTP 400" and len(batch) > 1:
            middle = len(batch) // 2  # one id spoils the batch: find it
            _fetch_batch(client, batch[:middle], result)
            _fetch_batch(client, batch[middle:], result)
            return
        reason = "rejected by arXiv (HTTP 400)" if error.reason == "HTTP 400" else error.reason
        for arxiv_id in batch:
            result.failed[arxiv_id] = reason
        return
    except Exception as error:  # a feed the arxiv package cannot read
        for arxiv_id in batch:
            result.failed[arxiv_id] = f"unreadable arXiv response ({type(error).__name__})"
        return
    for arxiv_id in batch:
        if arxiv_id in got and "/api/errors" not in got[arxiv_id].entry_id:
            result.found[arxiv_id] = candidate(got[arxiv_id], "arxiv-id")
        else:
            result.failed[arxiv_id] = "not found on arXiv"


def search_titles(http: Http, titles: list[str], base: str = BASE, per_title: int = 5) -> list[Candidate]:
    """Papers whose titles match any of ``titles``, in one OR-query; the caller picks per title."""
    import arxiv

    phrases = []
    for title in titles:
        words = re.findall(r"[A-Za-z0-9]+", title)
        if words:
            phrases.append('ti:"' + " ".join(words) + '"')
    if not phrases:
        return []
    client = _client(http, base)
    search = arxiv.Search(query=" OR ".join(phrases), max_results=min(2000, per_title * len(phrases)))
    client.page_size = search.max_results  # one request, not one per 100 results
    return [candidate(r, "title") for r in client.results(search)]


# ----------------------------------------------------------------------------- as a source

from ..model import Record  # noqa: E402
from .base import Host, Lookup, Online, Source, listed_arxiv_id, take_best  # noqa: E402
from .link_evidence import MATCHED_BY, evidence_changed, evidenced_ids  # noqa: E402

HOST = Host("arxiv", BASE, 3.0, description="arXiv's API")
TITLE_SEARCH_BATCH = 40
TITLE_SEARCH_OFF = "no arXiv id in the list (title search is off: --arxiv-title-search)"


def own_arxiv_id(record: Record, found: dict[int, Lookup]) -> str | None:
    """The record's arXiv id: the list's (or its citation file's), else the one recorded evidence
    about its link gives (``link_evidence``), else None."""
    return listed_arxiv_id(record) or next(iter(evidenced_ids(record, found, "arxiv")), None)


class ArxivIds(Source):
    """Every paper with an arXiv id of its own (or one its link is recorded to stand for), in ``id_list``
    batches of 100."""

    name, label, kinds, hosts, phase, rank = "arxiv", "arXiv", frozenset({"paper"}), (HOST,), 1, 30
    validators = {PATH: validate}

    def wants(self, record: Record, found: dict[int, Lookup]) -> bool:
        return record.kind == "paper" and bool(own_arxiv_id(record, found))

    def revisit_record(self, record: Record, entry: dict, online: Online) -> bool:
        return not listed_arxiv_id(record) and evidence_changed(record, entry, online)

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        wanted = {id(r): own_arxiv_id(r, found) for r in records}
        result = fetch_ids(online.http, list(wanted.values()), online.base(HOST))
        for record in records:
            arxiv_id = wanted[id(record)]
            bare = strip_version(arxiv_id)
            if bare in result.found:
                hit = result.found[bare]
                if not listed_arxiv_id(record):  # the id came from recorded evidence about the record's link
                    hit = replace(hit, matched_by=MATCHED_BY)
                found[id(record)].candidates.append(hit)
            else:
                found[id(record)].failures["arxiv"] = result.failed.get(bare) or result.failed.get(arxiv_id, "not found on arXiv")


class ArxivTitleSearch(Source):
    """Papers without an arXiv id that no other source found, by title (``--arxiv-title-search``).

    Off by default: it costs arXiv calls beyond the id batches (ceil(ids/100)), and dblp
    already indexes arXiv's CS papers as CoRR records, so it rarely finds what dblp did not.
    """

    name, label, kinds, hosts, phase, rank = "arxiv", "arXiv title search", frozenset({"paper"}), (HOST,), 3, 30
    validators = {PATH: validate}

    def enabled(self, online: Online) -> bool:
        return online.title_search

    def wants(self, record: Record, found: dict[int, Lookup]) -> bool:
        # Papers nobody else found, and published ones too, for the eprint of their arXiv version.
        return record.kind == "paper" and not own_arxiv_id(record, found)

    @staticmethod
    def _found_elsewhere(record: Record, found: dict[int, Lookup]) -> bool:
        from .registry import source_named

        return any(c.source != "arxiv" and not source_named(c.source).rejection(record, c) for c in found[id(record)].candidates)

    def skipped(self, record: Record, found: dict[int, Lookup], online: Online) -> str | None:
        return None if self._found_elsewhere(record, found) else TITLE_SEARCH_OFF

    def revisit(self, entry: dict, online: Online) -> bool:
        # A paper left to the list because the title search was off gets it now that it is on.
        return online.title_search and entry.get("unresolved", {}).get("arxiv") == TITLE_SEARCH_OFF

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        for start in range(0, len(records), TITLE_SEARCH_BATCH):
            batch = records[start : start + TITLE_SEARCH_BATCH]
            try:
                hits = search_titles(online.http, [r.title for r in batch], online.base(HOST))
            except FetchError as error:
                for record in batch:
                    found[id(record)].failures["arxiv"] = f"title search failed: {error.reason}"
                continue
            except Exception as error:  # a feed the arxiv package cannot read
                for record in batch:
                    found[id(record)].failures["arxiv"] = f"title search: unreadable response ({type(error).__name__})"
                continue
            for record in take_best(batch, hits, found):
                if not self._found_elsewhere(record, found):  # a published paper with no arXiv version lacks nothing
                    found[id(record)].failures["arxiv"] = "no arXiv id in the list; title search found nothing"
