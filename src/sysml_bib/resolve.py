"""Stage 2: look records up in the sources, check what comes back, merge it.

The sources (``sources/registry.py``) all implement ``sources.base.Source``; this module
drives them without naming any:

1. Which records are looked up: those of a kind some source handles that are new or
   changed since the last run (``--refresh``: all), or that a source wants to see again
   (a repository that waited for the GitHub quota, a paper left to the list while the
   arXiv title search was off).
2. Phases in order (0: software, 1: papers, 2: searches that need phase 1's results);
   the sources of one phase run concurrently, one thread each, and each host sees one
   request at a time (``http.PoliteAdapter``).
3. Works a looked-up record asks to be cited with it (a repository's preferred citation)
   join the run after each phase: the same record when it is already in the list (by
   identity), else a new record in the asking record's sections; the later phases look
   them up like any paper of the list. The two are linked both ways (``Outcome.related``).

Every candidate is checked by its source (``Source.rejection``); rejected ones are
reported, never merged. Whatever fails (timeout, HTTP error, quota, malformed answer)
leaves the record's own data in place and says why in the report.

The report (``<out>-report.json``) doubles as the record of what was accepted, so
``build`` can reproduce ``references.bib`` without the network, and a later
``resolve`` looks up only new or changed records.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import merge_web
from .merge import merge
from .model import Candidate, Record
from .normalize import identities
from .related import Works, fold_and_link, link_related, related_from_json, related_json
from .sources import registry
from .sources.base import Lookup, Online

REPORT_VERSION = 1

__all__ = ["Lookup", "Online", "Outcome", "Store", "fingerprint", "link_related", "report", "resolve_records"]


@dataclass
class Outcome:
    record: Record
    accepted: list[Candidate]
    rejected: list[dict]
    unresolved: dict[str, str]
    notes: list[str]
    fingerprint: str
    looked_up: bool
    related: list[int] = field(default_factory=list)  # indexes of the outcomes this work is cited with
    extra: dict = field(default_factory=dict)  # source-specific report data
    listed: Record | None = None  # the record before merging (its identities go to the report)
    also_known_as: set[str] = field(default_factory=set)  # identities of related works folded into it
    folded: list[str] = field(default_factory=list)  # ... and their fingerprints (stored lookups stay valid)


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
    """Accepted candidates from earlier runs, found again by the work's whole identity.

    A stored work is a record's only when they share an identity token and nothing of
    their identities disagrees (``identity.stored_conflict``): two works the list keeps
    apart though they share a reused link never share stored lookups."""

    entries: dict[str, dict] = field(default_factory=dict)  # key -> report entry
    _index: dict[str, list[str]] = field(default_factory=dict)  # identity token -> keys

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
                store._index.setdefault(token, []).append(key)
        return store

    def find(self, record: Record) -> dict | None:
        """The stored work that is ``record``'s: of those sharing a token with it and
        conflicting in nothing, the one sharing the most identifiers (then the most tokens)."""
        from .identity import STRONG, stored_conflict

        tokens = identities(record)
        shared: dict[str, set[str]] = {}
        for token in tokens:
            for key in self._index.get(token, ()):
                shared.setdefault(key, set()).add(token)
        best, best_rank = None, None
        for key, common in shared.items():
            entry = self.entries[key]
            if stored_conflict(record, tokens, set(entry.get("identity", [])), [entry.get("title", "")]):
                continue
            rank = (sum(t.partition(":")[0] in STRONG for t in common), len(common), key)
            if best_rank is None or rank[:2] > best_rank[:2] or (rank[:2] == best_rank[:2] and key < best_rank[2]):
                best, best_rank = entry, rank
        return best


# ----------------------------------------------------------------------------- lookups

def _run_phase(phase_sources, online: Online, todo: list[Record], found: dict[int, Lookup]) -> None:
    jobs = []
    for source in phase_sources:
        wanted = [r for r in todo if (found[id(r)].only is None or source.name in found[id(r)].only) and source.wants(r, found)]
        if not source.enabled(online):
            for record in wanted:
                reason = source.skipped(record, found, online)
                if reason:
                    found[id(record)].failures.setdefault(source.name, reason)
            continue
        if wanted:
            jobs.append((source, wanted))
    if not jobs:
        return
    before = {id(r): len(found[id(r)].candidates) for r in todo}
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [(source, pool.submit(source.lookup, online, wanted, found)) for source, wanted in jobs]
        for source, future in futures:
            future.result()
            if online.progress:
                online.progress(source.label)
    # The sources of a phase answer in any order: put each record's new candidates in source
    # order, so that the report (and what it replays) is the same on every run.
    order = {n: i for i, s in enumerate(registry.instances()) for n in registry.names_of(s)}
    for record in todo:
        candidates = found[id(record)].candidates
        start = before[id(record)]
        candidates[start:] = sorted(candidates[start:], key=lambda c: order.get(c.source, len(order)))


def lookup(records: list[Record], online: Online) -> dict[int, Lookup]:
    """Every source's answers for ``records`` (related works are not followed; see resolve_records)."""
    found = {id(r): Lookup() for r in records}
    for phase in sorted({s.phase for s in registry.instances()}):
        _run_phase([s for s in registry.instances() if s.phase == phase], online, records, found)
    return found


# ----------------------------------------------------------------------------- decide and merge

def decide(record: Record, lookup_: Lookup) -> tuple[list[Candidate], list[dict]]:
    """Accepted candidates (one per source at most) and the rejected ones with reasons."""
    accepted: dict[str, Candidate] = {}
    rejected = []
    for candidate in lookup_.candidates:
        reason = registry.source_named(candidate.source).rejection(record, candidate)
        if reason is None and candidate.source in accepted:
            # dblp's CoRR record next to its published one: keep the published one only.
            if accepted[candidate.source].published or not candidate.published:
                continue
        if reason:
            rejected.append({"source": candidate.source, "id": candidate.id, "title": candidate.title, "reason": reason})
        else:
            accepted[candidate.source] = candidate
    return [accepted[s] for s in registry.ranked(set(accepted))], rejected


def _again(source, record: Record, entry: dict, online: Online) -> bool:
    """Whether a stored, unchanged record must be asked of ``source`` again: it asks to (a spent
    quota, an option now on, new evidence about its links), or its lookup failed last time
    (network, 5xx, an --offline miss)."""
    failed = set(entry.get("failed", []))
    return (source.revisit(entry, online) or source.revisit_record(record, entry, online)
            or bool(registry.names_of(source) & failed) or any(h.name in failed for h in source.hosts))


def resolve_records(records: list[Record], store: "Store", online: Online | None = None) -> list[Outcome]:
    """Merged records for every list record (and the works they ask to be cited with);
    without ``online`` only stored lookups are used."""
    sources = registry.instances()
    kinds = {kind for s in sources for kind in s.kinds}
    works = Works(records)
    stored: dict[int, dict | None] = {}
    found: dict[int, Lookup] = {}

    def asker(name: str) -> str:  # the source that reports under ``name``
        return next((s.name for s in sources if name in registry.names_of(s)), name)

    def admit(record: Record) -> None:
        if record.kind not in kinds:
            return
        entry = stored[id(record)] = store.find(record)
        known = [entry.get("fingerprint")] + entry.get("folded", []) if entry else []
        if online is not None and (online.refresh or entry is None or fingerprint(record) not in known):
            found[id(record)] = Lookup()
            return
        again = {s.name for s in sources if online is not None and entry is not None and _again(s, record, entry, online)}
        if again:  # only these sources are asked again (a quota waited, a lookup failed); the others' answers stand
            found[id(record)] = Lookup(
                candidates=[c for c in map(Candidate.from_json, entry.get("accepted", [])) if asker(c.source) not in again],
                failures={s: why for s, why in entry.get("unresolved", {}).items() if asker(s) not in again},
                only=again, rejected_before=[r for r in entry.get("rejected", []) if asker(r.get("source", "")) not in again],
                related=[related_from_json(d) for d in entry.get("related", [])], extra=dict(entry.get("extra", {})))
        elif entry is not None:
            for data in entry.get("related", []):
                new = works.join(record, related_from_json(data))
                if new is not None:
                    admit(new)

    for record in list(works.records):
        admit(record)
    for phase in sorted({s.phase for s in sources}):
        todo = [r for r in works.records if id(r) in found]
        if online is not None and todo:
            _run_phase([s for s in sources if s.phase == phase], online, todo, found)
        for record in todo:
            for asked in found[id(record)].related:
                new = works.join(record, asked)
                if new is not None:
                    admit(new)

    outcomes = []
    for record in works.records:
        if record.kind not in kinds:
            outcomes.append(Outcome(record, [], [], {}, [], fingerprint(record), False, listed=record))
            continue
        extra: dict = {}
        if id(record) in found:
            looked = found[id(record)]
            accepted, rejected = decide(record, looked)
            rejected = looked.rejected_before + rejected
            unresolved = {s: why for s, why in looked.failures.items() if s not in {c.source for c in accepted}}
            extra = dict(looked.extra)
            if looked.related:
                extra["related"] = [related_json(r) for r in looked.related]
            was_looked_up = True
        elif stored[id(record)] is not None:
            entry = stored[id(record)]
            accepted = [Candidate.from_json(c) for c in entry.get("accepted", [])]
            rejected, unresolved = entry.get("rejected", []), entry.get("unresolved", {})
            extra = dict(entry.get("extra", {}))
            if entry.get("related"):
                extra["related"] = entry["related"]
            was_looked_up = False
        else:
            accepted, rejected, unresolved, was_looked_up = [], [], {"all": "not looked up yet (run sysml-bib resolve)"}, False
        merged = merge(record, accepted)
        outcomes.append(Outcome(merged.record, accepted, rejected, unresolved, merged.notes, fingerprint(record),
                                was_looked_up, extra=extra, listed=record))
    return fold_and_link(outcomes, works.links)


def report(outcomes: list[Outcome], calls: dict[str, int], list_records: list[Record] | None = None,
           title_search: bool = False, not_modified: dict[str, int] | None = None,
           quota_checks: dict[str, int] | None = None) -> dict:
    """The JSON report: per work, which source gave which field, what was rejected and why."""
    kinds = {kind for s in registry.instances() for kind in s.kinds}
    works, web_works = {}, {}  # papers and software; books, talks, posts, courses and sites
    web = {"works": 0, "resolved": 0, "list_only": 0, "with_author": 0, "with_year": 0}
    web_sources: dict[str, int] = {}
    undated: dict[str, str] = {}  # key -> why the work has no date
    counts = {"papers": 0, "resolved": 0, "list_only": 0, "waiting": 0, "looked_up": 0, "rejected_candidates": 0}
    software = {"software": 0, "resolved": 0, "list_only": 0, "waiting": 0, "looked_up": 0, "cited_papers": 0}
    waiting: list[str] = []
    by_source: dict[str, int] = {}
    for outcome in outcomes:
        record = outcome.record
        if record.kind not in kinds:
            continue
        sources = sorted({c.source for c in outcome.accepted})
        is_paper = record.kind == "paper"
        is_web = record.kind in merge_web.KINDS
        if is_web:
            web["works"] += 1
            web["with_author"] += bool(record.authors)
            web["with_year"] += bool(record.year)
            web["resolved" if sources else "list_only"] += 1
            for source in sources:
                web_sources[source] = web_sources.get(source, 0) + 1
            if not record.year:
                undated[record.key] = merge_web.undated_reason(record, outcome.unresolved, outcome.rejected)
        tally = counts if is_paper else software if not is_web else {}
        if not is_web:
            tally["papers" if is_paper else "software"] += 1
            tally["looked_up"] += outcome.looked_up
        if is_paper:
            counts["rejected_candidates"] += len(outcome.rejected)
            for source in sources:
                by_source[source] = by_source.get(source, 0) + 1
        status = "resolved" if sources else "list-only"
        if any(why.startswith(registry.waiting_prefixes()) for why in outcome.unresolved.values()):
            waiting.append(record.key)  # looked up again by the next run
            status = status if sources else "waiting"
        if not is_web:
            tally[status.replace("-", "_")] += 1
        if not is_paper and not is_web and any(outcomes[i].record.kind == "paper" for i in outcome.related):
            software["cited_papers"] += 1
        listed = outcome.listed or record
        entry = {
            "title": record.title,
            "kind": record.kind,
            "status": status,
            "looked_up": outcome.looked_up,
            "sources": sources,
            "fields": dict(sorted({**record.provenance}.items())),
            "notes": outcome.notes,
            "unresolved": dict(sorted(outcome.unresolved.items())),
            "rejected": outcome.rejected,
            "accepted": [c.as_json() for c in outcome.accepted],
            "fingerprint": outcome.fingerprint,
            "identity": sorted(identities(listed) | identities(record) | outcome.also_known_as),
            "items": [f"{Path(f).name}:{line}" for f, line in record.items],
        }
        if outcome.folded:
            entry["folded"] = sorted(outcome.folded)
        if outcome.related:
            entry["related_keys"] = sorted(outcomes[i].record.key for i in outcome.related)
        if listed.origin != "list":
            entry["origin"] = listed.origin
        extra = {k: v for k, v in outcome.extra.items() if k != "related"}
        if extra:
            entry["extra"] = extra
        if outcome.extra.get("related"):
            entry["related"] = outcome.extra["related"]
        (web_works if is_web else works)[record.key] = entry
    summary = {
        **counts,
        "by_source": dict(sorted(by_source.items())),
        "calls": dict(sorted(calls.items())),
        "arxiv_title_search": title_search,
    }
    if software["software"]:
        summary["software"] = software
    if web["works"]:
        summary["web"] = {**web, "by_source": dict(sorted(web_sources.items())), "undated": dict(sorted(undated.items()))}
    if not_modified:
        summary["not_modified"] = dict(sorted(not_modified.items()))  # 304 answers: no quota spent
    if quota_checks:
        summary["quota_checks"] = dict(sorted(quota_checks.items()))  # free quota queries
    if waiting:
        summary["waiting"] = sorted(waiting)
    data = {"version": REPORT_VERSION, "summary": summary, "works": dict(sorted(works.items()))}
    if web_works:
        data["web_works"] = dict(sorted(web_works.items()))
    return data
