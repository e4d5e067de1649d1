"""The list -> references.bib pipeline: parse, normalize, key, write.

Pure until ``write``: ``build_bibliography`` returns the text and what happened, the
CLI decides where it goes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import bibtex
from .files import write_atomic
from .keys import KeyAssignment, assign_keys
from .model import Record
from .normalize import records_from_items
from .parse import ParsedList, parse_files


@dataclass
class BuildResult:
    parsed: ParsedList
    records: list[Record]
    keys: KeyAssignment
    text: str
    merged_items: int = 0
    warnings: list[str] = field(default_factory=list)


def build_bibliography(
    parsed: ParsedList,
    published: list[Record],
    source_names: list[str],
    records: list[Record] | None = None,
) -> BuildResult:
    """Records for every item of ``parsed``, keyed against the published ones."""
    if records is None:
        records = records_from_items(parsed.items)
    keys = assign_keys(records, published)
    text = bibtex.format_bibliography(records, "bibtex", parsed.aliases, source=", ".join(source_names))
    merged = len(parsed.items) - len(records)
    return BuildResult(parsed, records, keys, text, merged_items=merged)


def read_published(out: Path) -> list[Record]:
    """The records of an existing output file, whose keys are pinned; none if it is absent."""
    if not out.exists():
        return []
    return bibtex.read_bibliography(str(out)).records


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


def run_build(list_paths: list[Path], out: Path) -> BuildResult:
    parsed = parse_files(list_paths)
    return build_bibliography(parsed, read_published(out), [p.name for p in list_paths])
