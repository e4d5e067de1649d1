"""Inline markdown: links, images and emphasis, scanned by hand.

A regex cannot match the balanced brackets of ``[[Paper]](...GPU%20(8).pdf)`` or stay
safe on unclosed brackets, so this is a small scanner that never raises and always
returns the text it could not interpret as plain text.
"""

from __future__ import annotations

import html
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


def _matching(text: str, start: int, open_char: str, close_char: str) -> int:
    """Index of the bracket closing the one at ``start``, or -1."""
    depth = 0
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == open_char:
            depth += 1
        elif char == close_char:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def split_links(text: str) -> tuple[str, list[InlineLink]]:
    """Return the text with every link replaced by its label, and the links.

    Images are dropped from the text (they are decoration), but returned with
    ``image=True``. Bare URLs become links with an empty label.
    """
    plain, links = _split_links(text)
    return plain, list(links)


@lru_cache(maxsize=8192)  # every entry reader looks at the same text
def _split_links(text: str) -> tuple[str, tuple[InlineLink, ...]]:
    out: list[str] = []
    links: list[InlineLink] = []
    i = 0
    while i < len(text):
        char = text[i]
        is_image = char == "!" and text.startswith("[", i + 1)
        if char == "[" or is_image:
            open_at = i + 1 if is_image else i
            close = _matching(text, open_at, "[", "]")
            if close != -1 and text.startswith("(", close + 1):
                end = _matching(text, close + 1, "(", ")")
                if end != -1:
                    label_src = text[open_at + 1 : close]
                    inner_label, inner_links = _split_links(label_src)
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
