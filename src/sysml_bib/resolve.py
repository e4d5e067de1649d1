"""Stage 2: look papers up in arXiv, dblp, USENIX and the venues' own records, check what comes back, merge it.

The three hosts are queried concurrently (one thread each); each host sees one
request at a time (``http.PoliteAdapter``). Order of work:

1. arXiv: every arXiv id of the list, in batches of 100.
   dblp: one ``toc:`` query per venue-year that several papers share, then a title
   query for every paper not found that way.
   USENIX: the whole export once; papers matched by presentation page, else by title.
2. The venue's own record, which needs dblp's answers: Crossref for a publisher DOI,
   PMLR's repository or the NeurIPS proceedings' metadata for their landing pages
   (``_lookup_venue_records``; the three hosts at the same time).
3. Only with ``title_search`` (``--arxiv-title-search``): arXiv title search (one
   OR-query for up to 40 titles) for papers with no arXiv id: those neither dblp nor
   USENIX found, and the published ones, for the eprint of their arXiv version. It is
   off by default because it costs arXiv calls beyond the id batches (ceil(ids/100)),
   the budget a default run keeps, and dblp already indexes arXiv's CS papers as CoRR
   records (whose arXiv id a published record takes, ``dblp.attach_twin``).

Every candidate is checked against the list item (``match.rejection``); rejected
ones are reported, never merged. Whatever fails (timeout, HTTP error, malformed
answer) leaves the list's own data in place and says why in the report.

The report (``<out>-report.json``) doubles as the record of what was accepted, so
``build`` can reproduce ``references.bib`` without the network, and a later
``resolve`` looks up only new or changed papers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import match, resolve_web
from .http import FetchError, Http
from .links import classify
from .merge import merge
from .model import Candidate, Record
from .normalize import identities
from .sources import arxiv as arxiv_source
from .sources import crossref as crossref_source
from .sources import dblp as dblp_source
from .sources import neurips as neurips_source
from .sources import pmlr as pmlr_source
from .sources import usenix as usenix_source

REPORT_VERSION = 1
TITLE_SEARCH_BATCH = 40
TITLE_SEARCH_OFF = "no arXiv id in the list (title search is off: --arxiv-title-search)"
USENIX_VENUES = {"OSDI", "NSDI", "USENIX ATC", "OpML", "FAST"}


@dataclass
class Bases:
    arxiv: str = arxiv_source.BASE
    dblp: str = dblp_source.BASE
    usenix: str = usenix_source.BASE
    web: str = ""  # a prefix for every web page, oEmbed and Open Library URL (``--web-url``); "" = the real URL
    crossref: str = crossref_source.BASE
    pmlr: str = pmlr_source.BASE
    neurips: str = neurips_source.BASE


@dataclass
class Online:
    """How a ``resolve`` run reaches the sources (``build`` runs without one)."""

    http: Http
    bases: Bases = field(default_factory=Bases)
    refresh: bool = False  # look every paper up again, not only new or changed ones
    title_search: bool = False  # --arxiv-title-search
    progress: Callable[[str], None] | None = None  # told each finished step


@dataclass
class Lookup:
    """What the sources said about one paper in this run."""

    candidates: list[Candidate] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # source -> why nothing came


@dataclass
class Outcome:
    record: Record
    accepted: list[Candidate]
    rejected: list[dict]
    unresolved: dict[str, str]
    notes: list[str]
    fingerprint: str
    looked_up: bool


def fingerprint(record: Record) -> str:
    """What the list says about a paper that lookups depend on; a change means "look again"."""
    data = {
        "title": record.title,
        "authors": [[p.family, p.given] for p in record.authors],
        "year": record.year,
        "venue": [record.venue_short, record.venue_type],
        "links": record.links,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------- the store

@dataclass
class Store:
    """Accepted candidates from earlier runs, found again by the work's identity."""

    entries: dict[str, dict] = field(default_factory=dict)  # key -> report entry
    _index: dict[str, str] = field(default_factory=dict)  # identity token -> key

    @classmethod
    def load(cls, path: Path) -> "Store":
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            raise ValueError(f"{path}: not valid JSON ({error}); delete it to resolve everything again") from None
        store = cls(entries={**data.get("works", {}), **data.get("web_works", {})})
        for key, entry in store.entries.items():
            for token in entry.get("identity", []):
                store._index.setdefault(token, key)
        return store

    def find(self, record: Record) -> dict | None:
        for token in sorted(identities(record)):
            key = self._index.get(token)
            if key:
                return self.entries[key]
        return None


# ----------------------------------------------------------------------------- lookups

def _listed_arxiv_id(record: Record) -> str | None:
    return record.fields.get("eprint") if record.provenance.get("eprint") == "list" else None


def _lookup_arxiv(http: Http, bases: Bases, papers: list[Record], found: dict[int, Lookup]) -> None:
    wanted = {id(r): _listed_arxiv_id(r) for r in papers if _listed_arxiv_id(r)}
    if not wanted:
        return
    result = arxiv_source.fetch_ids(http, list(wanted.values()), bases.arxiv)
    for record in papers:
        arxiv_id = wanted.get(id(record))
        if not arxiv_id:
            continue
        bare = arxiv_source.strip_version(arxiv_id)
        if bare in result.found:
            found[id(record)].candidates.append(result.found[bare])
        else:
            found[id(record)].failures["arxiv"] = result.failed.get(bare) or result.failed.get(arxiv_id, "not found on arXiv")


def _best_by_title(record: Record, candidates: list[Candidate]) -> list[Candidate]:
    """Candidates whose title matches the item's, best first, published before preprints."""
    hints = match.title_hints(record, record.links)
    scored = [(match.best_title_similarity(hints, c.title), c) for c in candidates]
    good = [(score, c) for score, c in scored if score >= match.TITLE_THRESHOLD or match.described_system(record, c)
            or match.confirmed_retitling(record, c, score)]
    return [c for _, c in sorted(good, key=lambda pair: (-pair[0], not pair[1].published))]


def _take_best(records: list[Record], hits: list[Candidate], found: dict[int, Lookup]) -> list[Record]:
    """Give each record the hit of one shared query that matches it best; return those none matched."""
    unmatched = []
    for record in records:
        best = _best_by_title(record, hits)
        if best:
            found[id(record)].candidates.append(best[0])
        else:
            unmatched.append(record)
    return unmatched


def _lookup_dblp(http: Http, bases: Bases, papers: list[Record], found: dict[int, Lookup]) -> None:
    groups: dict[str, list[Record]] = {}
    for record in papers:
        query = dblp_source.toc_query(record.venue_short, record.year)
        if query:
            groups.setdefault(query, []).append(record)
    done: set[int] = set()
    for query, members in groups.items():
        if len(members) < 2:
            continue  # one title query costs the same and is more precise
        try:
            hits = [dblp_source.candidate(info) for info in dblp_source.search(http, query, bases.dblp, dblp_source.TOC_SIZE)]
        except FetchError as error:
            for record in members:
                found[id(record)].failures["dblp"] = f"venue-year query failed: {error.reason}"
            continue
        unmatched = {id(r) for r in _take_best(members, hits, found)}
        done.update(id(r) for r in members if id(r) not in unmatched)
    for record in papers:
        if id(record) in done:
            continue
        hits, best = [], []
        # The list's title first; a title spelled out in a paper URL only if that finds nothing;
        # last, the system's name with its first author, for papers a venue retitled.
        queries = list(match.title_hints(record, record.links))
        name = match.system_name(record.title)
        if name and record.authors and not record.authors[0].literal:
            queries.append(f"{name} {record.authors[0].family}")
        elif name and not record.authors:
            queries.append(name)  # a list that only describes the system: its name alone
        for hint in queries:
            words = re.findall(r"[^\W_]+", hint)
            if not words:
                continue
            try:
                hits = [dblp_source.candidate(info) for info in dblp_source.search(http, " ".join(words), bases.dblp)]
            except FetchError as error:
                found[id(record)].failures["dblp"] = error.reason
                break
            best = _best_by_title(record, hits)
            if best:
                break
        if "dblp" in found[id(record)].failures:
            continue
        if best:
            # The conference/journal record wins over the CoRR record of the same paper.
            published = [c for c in best if c.published]
            found[id(record)].candidates.extend(published[:1] or best[:1])
            corr = [c for c in best if not c.published][:1]
            if published and corr:
                dblp_source.attach_twin(published[0], corr[0])  # the CoRR twin's arXiv id
                found[id(record)].candidates.extend(corr)
        else:
            found[id(record)].candidates.extend(hits[:1])  # so the report can say why it was not taken
            found[id(record)].failures.setdefault("dblp", "no record with this title")


def _wants_usenix(record: Record) -> bool:
    return record.venue_short in USENIX_VENUES or any(classify(u).type in ("usenix-page", "usenix-pdf") for u in record.links)


def _lookup_usenix(http: Http, bases: Bases, papers: list[Record], found: dict[int, Lookup]) -> None:
    if not papers:
        return
    try:
        index = usenix_source.download(http, bases.usenix)
    except FetchError as error:
        for record in papers:
            if _wants_usenix(record):
                found[id(record)].failures["usenix"] = f"export download failed: {error.reason}"
        return
    for record in papers:
        pages = [u for u in record.links if classify(u).type == "usenix-page"]
        hit = next((c for c in (index.find_page(u) for u in pages) if c), None)
        if hit is None and pages:
            try:
                hit = usenix_source.from_page(http, pages[0], bases.usenix)
            except FetchError as error:
                found[id(record)].failures["usenix"] = f"presentation page: {error.reason}"
        if hit is None:
            titles = [t for hint in match.title_hints(record, record.links) for t in index.find_title(hint)]
            hit = titles[0] if titles else None
        if hit:
            found[id(record)].candidates.append(hit)
        elif _wants_usenix(record):
            found[id(record)].failures.setdefault("usenix", "not in the USENIX export")


def _search_arxiv_titles(http: Http, bases: Bases, papers: list[Record], found: dict[int, Lookup]) -> None:
    for start in range(0, len(papers), TITLE_SEARCH_BATCH):
        batch = papers[start : start + TITLE_SEARCH_BATCH]
        try:
            hits = arxiv_source.search_titles(http, [r.title for r in batch], bases.arxiv)
        except FetchError as error:
            for record in batch:
                found[id(record)].failures["arxiv"] = f"title search failed: {error.reason}"
            continue
        except Exception as error:  # a feed the arxiv package cannot read
            for record in batch:
                found[id(record)].failures["arxiv"] = f"title search: unreadable response ({type(error).__name__})"
            continue
        for record in _take_best(batch, hits, found):
            found[id(record)].failures["arxiv"] = "no arXiv id in the list; title search found nothing"


def _lookup_venue_records(http: Http, bases: Bases, papers: list[Record], found: dict[int, Lookup]) -> None:
    """The venue's own record of each paper: Crossref for a publisher DOI, PMLR or NeurIPS for their
    landing pages, taken from the list or an acceptable dblp record (one lookup per work and source).

    It needs dblp's answers (the DOI, the landing page), so it runs after them; the three
    hosts are asked at the same time, and the answers are added in a fixed order.
    """
    by_url = {"pmlr": (pmlr_source, bases.pmlr), "neurips": (neurips_source, bases.neurips)}
    jobs: dict[str, list] = {"crossref": [], "pmlr": [], "neurips": []}
    for record in papers:
        hints = match.title_hints(record, record.links)
        dblp = [c for c in found[id(record)].candidates
                if c.source == "dblp" and c.published and not match.rejection(record, c, hints, record.venue_type)]
        dois = [record.fields.get("doi", "")] + [c.fields.get("doi", "") for c in dblp]
        doi = next((d for d in dois if d and not d.lower().startswith("10.48550/")), None)
        if doi:
            jobs["crossref"].append((record, lambda doi=doi: crossref_source.fetch(http, doi, bases.crossref)))
        urls = list(dict.fromkeys([c.fields.get("url", "") for c in dblp] + record.links))
        for name, (module, base) in by_url.items():
            url = next((u for u in urls if u and module.recognise(u)), None)
            if url:
                jobs[name].append((record, lambda module=module, url=url, base=base: module.fetch(http, url, base)))

    def run(name: str) -> list:
        results = []
        for record, job in jobs[name]:
            try:
                results.append((record, job(), None))
            except FetchError as error:
                results.append((record, None, error.reason))
        return results

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        done = {name: pool.submit(run, name) for name in jobs}
    for name, future in done.items():
        for record, hit, failure in future.result():
            if hit:
                found[id(record)].candidates.append(hit)
            elif failure:
                found[id(record)].failures[name] = failure


def lookup(papers: list[Record], online: Online) -> dict[int, Lookup]:
    http, bases, progress = online.http, online.bases, online.progress
    found = {id(r): Lookup() for r in papers}
    steps = [("arXiv", _lookup_arxiv), ("dblp", _lookup_dblp), ("USENIX", _lookup_usenix)]
    with ThreadPoolExecutor(max_workers=len(steps)) as pool:
        futures = [(name, pool.submit(step, http, bases, papers, found)) for name, step in steps]
        for name, future in futures:
            future.result()
            if progress:
                progress(name)
    _lookup_venue_records(http, bases, papers, found)
    if progress:
        progress("venue records")
    accepted_elsewhere = {
        id(r) for r in papers
        if any(c.source in ("dblp", "usenix") and not match.rejection(r, c, match.title_hints(r, r.links), r.venue_type)
               for c in found[id(r)].candidates)
    }
    orphans = [r for r in papers if not _listed_arxiv_id(r) and id(r) not in accepted_elsewhere]
    if online.title_search:
        # Published papers are searched too, for the eprint of their arXiv version.
        published = [r for r in papers if not _listed_arxiv_id(r) and id(r) in accepted_elsewhere]
        _search_arxiv_titles(http, bases, orphans + published, found)
        for record in published:
            if found[id(record)].failures.get("arxiv", "").endswith("title search found nothing"):
                del found[id(record)].failures["arxiv"]  # no arXiv version: nothing is missing
        if progress:
            progress("arXiv title search")
    else:
        for record in orphans:
            found[id(record)].failures["arxiv"] = TITLE_SEARCH_OFF
    return found


# ----------------------------------------------------------------------------- decide and merge

def decide(record: Record, lookup_: Lookup) -> tuple[list[Candidate], list[dict]]:
    """Accepted candidates (one per source at most) and the rejected ones with reasons."""
    hints = match.title_hints(record, record.links)
    accepted: dict[str, Candidate] = {}
    rejected = []
    for candidate in lookup_.candidates:
        reason = match.rejection(record, candidate, hints, record.venue_type)
        if reason is None and candidate.source in accepted:
            # dblp's CoRR record next to its published one: keep the published one only.
            if accepted[candidate.source].published or not candidate.published:
                continue
        if reason:
            rejected.append({"source": candidate.source, "id": candidate.id, "title": candidate.title, "reason": reason})
        else:
            accepted[candidate.source] = candidate
    return [accepted[s] for s in ("usenix", "crossref", "pmlr", "neurips", "dblp", "arxiv") if s in accepted], rejected


def resolve_records(records: list[Record], store: Store, online: Online | None = None) -> list[Outcome]:
    """Merged records for every list record; without ``online`` only stored lookups are used.

    Papers go to arXiv, dblp and USENIX; books, talks, posts, courses and sites to the
    web sources (``resolve_web``); software keeps the list's data here.
    """
    papers = [r for r in records if r.kind == "paper"]
    web_works = [r for r in records if r.kind in resolve_web.KINDS]
    stored = {id(r): store.find(r) for r in papers + web_works}

    def stale(entry: dict | None, record: Record) -> bool:
        if online.refresh or entry is None or entry.get("fingerprint") != fingerprint(record) or entry.get("failed"):
            return True  # new, changed, or a lookup failed last time (network, quota, offline cache miss)
        # A paper left to the list because the title search was off gets it now that it is on.
        return online.title_search and entry.get("unresolved", {}).get("arxiv") == TITLE_SEARCH_OFF

    todo = [r for r in papers if online is not None and stale(stored[id(r)], r)]
    web_todo = [r for r in web_works if online is not None and stale(stored[id(r)], r)]
    with ThreadPoolExecutor(max_workers=1) as pool:  # web hosts are others than the paper sources'
        web_future = pool.submit(resolve_web.lookup, web_todo, online.http, online.bases.web) if web_todo else None
        looked: dict[int, Lookup | resolve_web.WebLookup] = lookup(todo, online) if todo else {}
        if web_future is not None:
            looked.update(web_future.result())
            if online.progress:
                online.progress("web")
    outcomes = []
    for record in records:
        if record.kind != "paper" and record.kind not in resolve_web.KINDS:
            outcomes.append(Outcome(record, [], [], {}, [], fingerprint(record), False))
            continue
        if id(record) in looked:
            found = looked[id(record)]
            accepted, rejected = decide(record, found) if record.kind == "paper" else resolve_web.decide(record, found)
            unresolved = {s: why for s, why in found.failures.items() if s not in {c.source for c in accepted}}
            was_looked_up = True
        elif stored[id(record)] is not None:
            entry = stored[id(record)]
            accepted = [Candidate.from_json(c) for c in entry.get("accepted", [])]
            rejected, unresolved = entry.get("rejected", []), entry.get("unresolved", {})
            was_looked_up = False
        else:
            accepted, rejected, unresolved, was_looked_up = [], [], {"all": "not looked up yet (run sysml-bib resolve)"}, False
        if record.kind == "paper":
            merged = merge(record, accepted)
            result, notes = merged.record, merged.notes
        else:
            result, notes = resolve_web.merge(record, accepted)
        outcomes.append(Outcome(result, accepted, rejected, unresolved, notes, fingerprint(record), was_looked_up))
    return outcomes


def report(outcomes: list[Outcome], calls: dict[str, int], list_records: list[Record], title_search: bool = False) -> dict:
    """The JSON report: per work, which source gave which field, what was rejected and why."""
    works, web_works = {}, {}  # papers; books, talks, posts, courses and sites
    counts = {"papers": 0, "resolved": 0, "list_only": 0, "looked_up": 0, "rejected_candidates": 0}
    by_source: dict[str, int] = {}
    web = {"works": 0, "resolved": 0, "list_only": 0, "with_author": 0, "with_year": 0}
    web_sources: dict[str, int] = {}
    undated: dict[str, str] = {}  # key -> why the work has no date
    for outcome, listed in zip(outcomes, list_records):
        record = outcome.record
        sources = sorted({c.source for c in outcome.accepted})
        if record.kind in resolve_web.KINDS:
            web["works"] += 1
            web["with_author"] += bool(record.authors)
            web["with_year"] += bool(record.year)
            web["resolved" if sources else "list_only"] += 1
            for source in sources:
                web_sources[source] = web_sources.get(source, 0) + 1
            if not record.year:
                undated[record.key] = resolve_web.undated_reason(record, outcome.unresolved, outcome.rejected)
        elif record.kind != "paper":
            continue
        else:
            counts["papers"] += 1
            counts["looked_up"] += outcome.looked_up
            counts["rejected_candidates"] += len(outcome.rejected)
            for source in sources:
                by_source[source] = by_source.get(source, 0) + 1
            counts["resolved" if sources else "list_only"] += 1
        (web_works if record.kind in resolve_web.KINDS else works)[record.key] = {
            "kind": record.kind,
            "title": record.title,
            "status": "resolved" if sources else "list-only",
            "sources": sources,
            "fields": dict(sorted({**record.provenance}.items())),
            "notes": outcome.notes,
            "unresolved": dict(sorted(outcome.unresolved.items())),
            "rejected": outcome.rejected,
            "accepted": [c.as_json() for c in outcome.accepted],
            "fingerprint": outcome.fingerprint,
            "identity": sorted(identities(listed) | identities(record)),
            "items": [f"{Path(f).name}:{line}" for f, line in record.items],
        }
    return {
        "version": REPORT_VERSION,
        "summary": {
            **counts,
            "by_source": dict(sorted(by_source.items())),
            "calls": dict(sorted(calls.items())),
            "arxiv_title_search": title_search,
            "web": {**web, "by_source": dict(sorted(web_sources.items())), "undated": dict(sorted(undated.items()))},
        },
        "works": dict(sorted(works.items())),
        "web_works": dict(sorted(web_works.items())),
    }
