"""Choosing records by section and kind, as ``--section`` and ``--kind`` do.

A query matches a heading when their words are equal (case and punctuation ignored);
only if no heading or alias matches that way, a heading matches when it contains the
query's words in order ("Training" -> "Machine Learning System Papers (Training)").
``A > B`` matches a heading B directly under A. Table-of-contents names are aliases
("Distributed Training") for the section they link to.
"""

from __future__ import annotations

import re

from .record import Record

SEPARATOR = ">"


def words(text: str) -> tuple[str, ...]:
    folded = text.lower()
    if not folded.isascii():
        from .normalize import ascii_fold

        folded = ascii_fold(folded).lower()
    return tuple(re.findall(r"[a-z0-9]+", folded))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _query(name: str) -> list[tuple[str, ...]]:
    return [words(part) for part in name.split(SEPARATOR) if words(part)]


def section_paths(records: list[Record]) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], int] = {}
    for record in records:
        for path in record.sections:
            for depth in range(1, len(path) + 1):
                seen.setdefault(path[:depth], len(seen))
    # As a tree: every path right under its parent, siblings in the order first seen (a work
    # listed in two sections must not pull one section's subsections under another's).
    order = sorted(seen, key=lambda path: [seen[path[:d]] for d in range(1, len(path) + 1)])
    return order  # the empty path (items above every heading) has no prefix, so is never listed


def resolve_section(name: str, paths: list[tuple[str, ...]], aliases: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The section paths a --section NAME stands for (empty when nothing matches)."""
    query = _query(name)
    if not query:
        return []
    for exact in (True, False):
        found = [p for p in paths if len(p) >= len(query) and _ends_on_match(p, query, exact)]
        for alias, target in aliases.items():
            alias_words = words(alias)
            if len(query) == 1 and (alias_words == query[0] if exact else _contains(alias_words, query[0])):
                found.append(tuple(target))
        if found:
            return list(dict.fromkeys(found))
    return []


def _ends_on_match(path: tuple[str, ...], query: list[tuple[str, ...]], exact: bool) -> bool:
    """Select the matched section itself, not every descendant path separately."""
    tail = [words(h) for h in path[-len(query):]]
    return all((t == q) if exact else _contains(t, q) for t, q in zip(tail, query))


def in_sections(record: Record, chosen: list[tuple[str, ...]]) -> bool:
    return any(path[: len(c)] == c for path in record.sections for c in chosen)


def closest_sections(name: str, paths: list[tuple[str, ...]], aliases: dict[str, tuple[str, ...]], n: int = 3) -> list[str]:
    import difflib

    names = list(dict.fromkeys([p[-1] for p in paths] + list(aliases)))
    lowered = {x.lower(): x for x in names}
    return [lowered[m] for m in difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.3)]


def select(records: list[Record], chosen: list[tuple[str, ...]] | None, kinds: list[str] | None) -> list[Record]:
    out = []
    for record in records:
        if chosen is not None and not in_sections(record, chosen):
            continue
        if kinds and record.kind not in kinds:
            continue
        out.append(record)
    return out
