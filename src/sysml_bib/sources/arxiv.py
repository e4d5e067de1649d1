"""arXiv, through the ``arxiv`` package: papers by id in batches, and title search.

- Ids are validated before any request: arXiv answers a batch holding one malformed
  id with HTTP 400 for the whole batch. A 400 that happens anyway splits the batch in
  halves until the bad id stands alone.
- ``max_results`` is the batch size (the API's default of 10 silently truncates).
- Results come back in any order; they are matched to requests by id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
