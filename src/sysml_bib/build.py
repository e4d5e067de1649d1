"""The list -> references.bib pipeline: parse, normalize, resolve, key, write.

``build`` runs it with the network off: papers get what earlier ``resolve`` runs
accepted (kept in the report next to the output), everything else the list's data.
``resolve`` runs the same pipeline with the sources online.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import bibtex
from .files import write_atomic
from .finish import finish
from .http import netloc
from .keys import KeyAssignment, aliases, assign_keys
from .model import Record
from .identity import MergeReport
from .normalize import works_from_items
from .parse import ParsedList
from .resolve import Online, Outcome, Store, link_related, report, resolve_records

NOT_LOOKED_UP = "all"  # resolve's reason key for a paper no report covers


@dataclass
class BuildResult:
    parsed: ParsedList
    records: list[Record]
    keys: KeyAssignment
    text: str
    outcomes: list[Outcome] = field(default_factory=list)
    report: dict = field(default_factory=dict)  # filled by resolve runs (online given)
    merged_items: int = 0
    merges: MergeReport = field(default_factory=MergeReport)


def build_bibliography(
    parsed: ParsedList,
    published: list[Record],
    source_names: list[str],
    store: Store | None = None,
    online: Online | None = None,
) -> BuildResult:
    """Records for every item of ``parsed``, resolved as far as ``store``/``online`` allow, keyed
    against the ``published`` ones (whose keys never change)."""
    listed, merges = works_from_items(parsed.items)
    outcomes = resolve_records(listed, store or Store(), online)
    records = [outcome.record for outcome in outcomes]
    url_changes = finish(records)
    keys = assign_keys(records, published)
    link_related(outcomes)
    text = bibtex.format_bibliography(records, "bibtex", parsed.aliases, source=", ".join(source_names))
    result = BuildResult(parsed, records, keys, text, outcomes, merged_items=len(parsed.items) - len(listed), merges=merges)
    if online is not None:  # only resolve writes a report; build reads the last one
        result.report = _report(outcomes, listed, records, online)
        # The list's own URL of every work whose written URL differs (key -> listed/written/why).
        result.report["urls"] = {record.key: change.as_json() for record, change in sorted(url_changes, key=lambda rc: rc[0].key)}
    return result


def _report(outcomes: list[Outcome], listed: list[Record], records: list[Record], online: Online) -> dict:
    """resolve's report, plus what failed (per request, and per work so the next run retries it) and aliases."""
    from .sources.registry import hosts

    by_host: dict[str, set[str]] = {}
    for host in hosts():
        by_host.setdefault(netloc(online.base(host)), set()).add(host.name)

    def source(url: str) -> str:  # bases sharing one host (a single mirror) cannot be told apart
        names = by_host.get(netloc(url), set())
        return next(iter(names)) if len(names) == 1 else netloc(url)

    calls = {source("//" + host): n for host, n in online.http.calls().items()}
    not_modified = {source("//" + host): n for host, n in online.http.not_modified().items()}
    checks = {source("//" + host): n for host, n in online.http.quota_checks().items()}
    data = report(outcomes, calls, listed, online.title_search, not_modified, checks)
    failed = sorted(({"source": source(url), "url": url, "reason": why} for url, why in online.http.failures()),
                    key=lambda f: (f["source"], f["url"], f["reason"]))
    data["summary"]["failed_lookups"] = len(failed)
    data["failed_requests"] = failed
    reasons = {f["reason"] for f in failed}
    works = {**data["works"], **data.get("web_works", {})}
    for record in records:
        work = works.get(record.key)
        if work is None:
            continue
        broken = sorted(s for s, why in work["unresolved"].items() if any(why.endswith(r) for r in reasons))
        if broken:
            work["failed"] = broken  # not "not found": the next resolve looks this work up again
        if aliases(record):
            work["aliases"] = aliases(record)  # earlier keys of the work, still citable
    return data


def read_published(out: Path) -> list[Record]:
    """The records of an existing output file, whose keys are pinned; none if it is absent."""
    if not out.exists():
        return []
    return bibtex.read_bibliography(str(out)).records


@dataclass
class PriorState:
    """What earlier runs left for this output: the lookups to replay and the keys to keep."""

    store: Store
    published: list[Record]
    report_file: Path | None  # where the lookups came from (None: no report was found)
    keys_from: Path | None  # the bibliography whose keys are pinned (None: no earlier output)


def prior_state(out: Path, bundled: bool, replay_bundled_lookups: bool) -> PriorState:
    """The report and keys beside ``out``; for the bundled list, the package's own in their absence.

    The wheel ships ``references.bib`` with the report of the lookups that made it, so the
    bundled list built anywhere (any working directory, any ``--out``) gives the committed
    file: its keys are pinned from the packaged bibliography and its papers replay the
    packaged lookups. ``resolve`` passes ``replay_bundled_lookups=False``: it looks up
    what has no report beside its output.
    """
    from .resources import bundled_references, bundled_report

    report_file: Path | None = report_path(out)
    if not report_file.exists():
        packaged = bundled_report() if bundled and replay_bundled_lookups else None
        report_file = packaged if packaged and packaged.exists() else None
    keys_from: Path | None = out if out.exists() else None
    if keys_from is None and bundled and bundled_references().exists():
        keys_from = bundled_references()
    store = Store.load(report_file) if report_file else Store()
    published = read_published(keys_from) if keys_from else []
    return PriorState(store, published, report_file, keys_from)


def report_path(out: Path) -> Path:
    return out.with_name(out.stem + "-report.json")


def keymap_path(out: Path) -> Path:
    return out.with_name(out.stem + "-keymap.json")


def write_keymap(out: Path, renames: dict[str, str]) -> Path:
    """Add this run's old -> new keys to the cumulative key map beside the output."""
    path = keymap_path(out)
    mapping = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    mapping.update(renames)
    # Keys renamed earlier follow the chain to today's key.
    for old, new in list(mapping.items()):
        seen = {old}
        while new in mapping and new not in seen:
            seen.add(new)
            new = mapping[new]
        mapping[old] = new
    write_atomic(path, json.dumps(dict(sorted(mapping.items())), indent=2, ensure_ascii=False) + "\n")
    return path


def write_report(path: Path, data: dict) -> None:
    write_atomic(path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n")


def run_build(parsed: ParsedList, source_names: list[str], prior: PriorState, online: Online | None = None) -> BuildResult:
    return build_bibliography(parsed, prior.published, source_names, prior.store, online)


def not_looked_up(result: BuildResult) -> int:
    """Papers that no report covers: they carry the list's data only until ``resolve`` runs."""
    return sum(1 for outcome in result.outcomes if outcome.record.kind == "paper" and NOT_LOOKED_UP in outcome.unresolved)
