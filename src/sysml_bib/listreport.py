"""What reading a list did, for people: per file, entries by style, tables read and
skipped, entries with no title, and the merges made and refused. ``parse`` and
``build`` print it on stderr; ``parse --json`` carries the same data."""

from __future__ import annotations

from pathlib import Path

from .identity import MergeReport
from .parse import ParsedList

MAX_LISTED = 20  # lines listed per kind of problem before "... and N more"


def as_json(parsed: ParsedList, merges: MergeReport) -> dict:
    return {"files": parsed.report(), "merges": merges.as_json()}


def summary(parsed: ParsedList, merges: MergeReport) -> list[str]:
    lines = []
    for entry in parsed.report():
        name = Path(entry["file"]).name
        styles = ", ".join(f"{style} {n}" for style, n in entry["entries_by_style"].items()) or "none"
        tables = (f"; tables: {len(entry['tables_read'])} read, {len(entry['tables_skipped'])} skipped"
                  if entry["tables_read"] or entry["tables_skipped"] else "")
        prose = f", {len(entry['prose'])} bullets naming no work (no link, author, venue or date)" if entry["prose"] else ""
        lines.append(f"{name}: entries by style: {styles}{tables}; {len(entry['untitled'])} without a title{prose}")
        for table in entry["tables_skipped"]:
            lines.append(f"  {name}:{table['line']}: table skipped ({table['rows']} rows): {table['reason']}")
        lines += _capped([f"  {name}:{u['line']}: no title, not written: {u['text'][:80]}" for u in entry["untitled"]])
        lines += _capped([f"  {name}:{p['line']}: prose, not written: {p['text'][:80]}" for p in entry["prose"]])
    lines.append(f"merges: {len(merges.merged)} made, {len(merges.refused)} refused")
    lines += _capped([f"  one work: {' and '.join(m['items'])} ({m['title'][:60]!r}) by {', '.join(m['by'])}"
                      for m in merges.merged])
    lines += _capped([f"  kept apart: {' and '.join(r['items'])} ({r['title'][:60]!r}): {r['reason']}"
                      for r in merges.refused])
    return lines


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    return lines[:MAX_LISTED] + [f"  ... and {len(lines) - MAX_LISTED} more (parse --json lists them all)"]
