"""Inline markdown: links, images and emphasis, scanned by hand.

A regex cannot match the balanced brackets of ``[[Paper]](...GPU%20(8).pdf)`` or stay
safe on unclosed brackets, so this is a small scanner that never raises and always
returns the text it could not interpret as plain text.
"""

from __future__ import annotations

import html
import bisect
import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class InlineLink:
    label: str
    url: str
    start: int  # offset of the link in the source text
    image: bool = False


_BARE_URL = re.compile(r"<?(https?://[^\s<>\]\)]+[^\s<>\]\).,;:!?'\"])>?")
_EMPHASIS = re.compile(r"(?<![\w\\])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?!\w)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


class _Brackets:
    """Where the bracket at any index closes, from one pass over the text.

    Scanning from every ``[`` to the end of the line would be quadratic (a hostile line of
    5000 unclosed ``[`` took seconds). The answer equals a scan from ``start`` that skips
    the character after a backslash: ``depth[j]`` is the bracket depth after index ``j``
    in one such scan from the beginning, and a bracket at ``start`` closes at the first
    close bracket after it where the depth falls back below its level.
    """

    def __init__(self, text: str, open_char: str, close_char: str):
        self.text, self.open_char = text, open_char
        self.visited = [False] * len(text)  # not skipped as the character after a backslash
        self.depth = [0] * len(text)
        self.closes: dict[int, list[int]] = {}  # depth after a close bracket -> its indexes, ascending
        depth, i = 0, 0
        while i < len(text):
            char = text[i]
            self.visited[i] = True
            if char == "\\":
                self.depth[i] = depth
                if i + 1 < len(text):
                    self.depth[i + 1] = depth
                i += 2
                continue
            if char == open_char:
                depth += 1
            elif char == close_char:
                depth -= 1
                self.closes.setdefault(depth, []).append(i)
            self.depth[i] = depth
            i += 1

    def matching(self, start: int) -> int:
        """Index of the bracket closing the one at ``start``, or -1."""
        before = self.depth[start - 1] if start > 0 else 0
        # An escaped bracket still opens when a link starts there: its level is one below.
        target = before if self.visited[start] and self.text[start] == self.open_char else before - 1
        found = self.closes.get(target, [])
        at = bisect.bisect_right(found, start)
        return found[at] if at < len(found) else -1


MAX_NESTING = 20  # links inside link labels ([![badge](img)](href)); deeper is hostile, kept as text


def split_links(text: str) -> tuple[str, list[InlineLink]]:
    """Return the text with every link replaced by its label, and the links.

    Images are dropped from the text (they are decoration), but returned with
    ``image=True``. Bare URLs become links with an empty label.
    """
    plain, links = _split_links(text, 0)
    return plain, list(links)


@lru_cache(maxsize=8192)  # every entry reader looks at the same text
def _split_links(text: str, _nesting: int) -> tuple[str, tuple[InlineLink, ...]]:
    out: list[str] = []
    links: list[InlineLink] = []
    squares = parens = None
    i = 0
    while i < len(text):
        char = text[i]
        is_image = char == "!" and text.startswith("[", i + 1)
        if char == "[" or is_image:
            squares = squares or _Brackets(text, "[", "]")
            open_at = i + 1 if is_image else i
            close = squares.matching(open_at)
            if close != -1 and text.startswith("(", close + 1):
                parens = parens or _Brackets(text, "(", ")")
                end = parens.matching(close + 1)
                if end != -1:
                    label_src = text[open_at + 1 : close]
                    if _nesting < MAX_NESTING:
                        inner_label, inner_links = _split_links(label_src, _nesting + 1)
                    else:
                        inner_label, inner_links = label_src, ()
                    target = text[close + 2 : end].strip()
                    # "[Title]([old-url](new-url))": an edit that wrapped the new URL around the old one.
                    nested = re.fullmatch(r"\[[^\[\]]*\]\((\S+)\)", target)
                    target = nested.group(1) if nested else target
                    url = target.split()[0].strip("<>") if target else ""
                    # [![badge](img)](href): the outer link is what the line points to.
                    links.extend(inner_links)
                    label = inner_label.strip().strip("[]").strip()
                    links.append(InlineLink(label, url, len("".join(out)), image=is_image))
                    if not is_image:
                        out.append(label)
                    i = end + 1
                    continue
        out.append(char)
        i += 1
    plain = "".join(out)
    for match in _BARE_URL.finditer(plain):
        url = match.group(1)
        if not any(link.url == url for link in links):
            links.append(InlineLink("", url, match.start()))
    return plain, tuple(links)


def without_links(text: str) -> str:
    """The text with every link (label included) removed: a heading's own words."""
    plain, found = split_links(text)
    pieces, cursor = [], 0
    for link in sorted((l for l in found if not l.image and l.label), key=lambda l: l.start):
        pieces.append(plain[cursor : max(cursor, link.start)])
        cursor = max(cursor, link.start + len(link.label))
    pieces.append(plain[cursor:])
    return "".join(pieces)


@lru_cache(maxsize=65536)  # pure; readers ask about the same pieces of an entry several times
def strip_inline(text: str) -> str:
    """Plain text of inline markdown: emphasis, code, HTML tags and entities removed."""
    text = _HTML_TAG.sub(" ", text)
    text = text.replace("`", "")
    previous = None
    while previous != text:  # nested emphasis (***x***, **_x_**) unwraps one layer a pass
        previous = text
        text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPED.sub(r"\1", text)
    text = html.unescape(text)
    return " ".join(text.split())


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    slug = heading.strip().lower()
    slug = re.sub(r"[^\w\- ]", "", slug)
    return slug.replace(" ", "-")
