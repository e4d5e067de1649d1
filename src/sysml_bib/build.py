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
from .http import netloc
from .keys import KeyAssignment, assign_keys
from .model import Record
from .identity import MergeReport
from .normalize import works_from_items
from .parse import ParsedList, parse_files
from .resolve import Online, Outcome, Store, report, resolve_records


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
    keys = assign_keys(records, published)
    text = bibtex.format_bibliography(records, "bibtex", parsed.aliases, source=", ".join(source_names))
    result = BuildResult(parsed, records, keys, text, outcomes, merged_items=len(parsed.items) - len(records), merges=merges)
    if online is not None:  # only resolve writes a report; build reads the last one
        names = {netloc(url): name for name, url in vars(online.bases).items()}
        calls = {names.get(host, host): n for host, n in online.http.calls().items()}
        result.report = report(outcomes, calls, listed, online.title_search)
    return result


def read_published(out: Path) -> list[Record]:
    """The records of an existing output file, whose keys are pinned; none if it is absent."""
    if not out.exists():
        return []
    return bibtex.read_bibliography(str(out)).records


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


def run_build(list_paths: list[Path], out: Path, online: Online | None = None) -> BuildResult:
    parsed = parse_files(list_paths)
    store = Store.load(report_path(out))
    return build_bibliography(parsed, read_published(out), [p.name for p in list_paths], store, online)
