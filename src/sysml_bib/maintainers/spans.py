"""Which lines of a list file each item occupies, and which headings it has.

``parse`` gives every bullet its line and its item; an item's lines are its own
bullets plus the lazy continuation lines that follow each of them, up to the next
bullet or heading. Lint findings and ``--changed-since`` both speak in these lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import markdown
from ..parse import ParsedList

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class Heading:
    file: str
    line: int
    level: int
    raw: str  # the heading's text as written (links included)


def heading_text(raw: str) -> str:
    """A heading's own words, as ``parse`` names the section (links and emphasis dropped)."""
    return markdown.strip_inline(markdown.without_links(raw)).strip(" \t:;,|-–—")


def headings(file: str, text: str) -> list[Heading]:
    """ATX headings outside fenced blocks, in order."""
    found, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _HEADING.match(line)
        if match:
            found.append(Heading(file, number, len(match.group(1)), match.group(2) or ""))
    return found


_BULLET_HEADING = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")


def anchored_headings(file: str, text: str) -> list[Heading]:
    """Every heading GitHub gives an anchor, in order: the ATX headings and headings inside
    list items ("+ #### Expand Reduce"), which ``parse`` does not read as sections."""
    found, fenced = list(headings(file, text)), False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else _BULLET_HEADING.match(line)
        if match:
            found.append(Heading(file, number, len(match.group(1)), match.group(2)))
    return sorted(found, key=lambda h: h.line)


def item_lines(parsed: ParsedList, texts: dict[str, str]) -> dict[int, set[int]]:
    """item index -> the lines (1-based) of the file its bullets and their wrapped lines occupy."""
    spans: dict[int, set[int]] = {}
    by_file: dict[str, list] = {}
    for bullet in parsed.bullets:
        by_file.setdefault(bullet.file, []).append(bullet)
    for file, bullets in by_file.items():
        lines = texts.get(file, "").splitlines()
        starts = sorted({b.line for b in bullets} | {h.line for h in headings(file, texts.get(file, ""))})
        following = {line: (starts[n + 1] if n + 1 < len(starts) else len(lines) + 1) for n, line in enumerate(starts)}
        for bullet in bullets:
            if bullet.item is None or bullet.role not in ("item", "continuation", "empty"):
                continue
            span, blank = {bullet.line}, False
            for number in range(bullet.line + 1, following.get(bullet.line, bullet.line + 1)):
                text = lines[number - 1]
                if not text.strip():
                    blank = True
                elif blank and len(text) - len(text.lstrip()) < 2:
                    break  # prose after a blank line: no longer the bullet (as parse reads it)
                else:
                    span.add(number)
            spans.setdefault(bullet.item, set()).update(span)
    for item in parsed.items:  # an item made from a heading occupies the heading's line
        spans.setdefault(item.index, {item.line})
    return spans
