"""What every reader shares: the ``Entry`` it returns, what is never a title, the
decorations stripped before any reader looks (badges, venue tags, dates), and the
split of an "Authors. Venue Year." tail."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .. import markdown, names, venues


@dataclass
class Entry:
    """One work as an entry of the list writes it (plain text, links still markdown links)."""

    title: str
    links: list[markdown.InlineLink] = field(default_factory=list)
    related: list[markdown.InlineLink] = field(default_factory=list)  # "(paper, slides)" of another work
    authors: str = ""
    # The title as written when " by Who" was taken from it for the authors; an author line of
    # the entry's own then proves that "by" the title's (``entries``: the title is restored).
    byline_title: str = ""
    venue: str = ""
    date: str = ""  # "2024", "2024.05": from a tag, a column or the headings
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    style: str = ""


@dataclass(frozen=True)
class Context:
    """Where the entry stands: its file, line and section path."""

    file: str = "<stdin>"
    line: int = 0
    sections: tuple[str, ...] = ()


# Labels of links that name the kind of link, never the work: "[PDF]", "[[Paper]]", "[`Link`]".
LINK_LABEL_WORDS = frozenset(
    """pdf paper papers link links code codes github gitlab repo repository source blog post medium slides slide
    video videos talk youtube website web homepage home page project arxiv pub publication doi url here demo
    poster download site html abstract bibtex bib dataset data docs doc documentation official supplementary
    supp proceedings openreview acm ieee springer usenix pwc notes note tutorial article zhihu chinese english
    part part1 part2 pt full text preprint review implementation talks webpage readme""".split()
)
_DATE = re.compile(r"^(?:19|20)\d{2}(?:[./\-](?:0?[1-9]|1[0-2])(?:[./\-](?:0?[1-9]|[12]\d|3[01]))?)?$")
_TAG = re.compile(r"^\s*(?:\*\*|__|\*|_)?\s*[\[(](?P<tag>[^\[\]()]{1,40})[\])](?!\()\s*(?:\*\*|__|\*|_)?\s*[:|\-–—]?\s*")
_HTML_ANCHOR = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A reading-status badge some copies of the list put before titles: "$\\color{red}{(Read)(New)}$".
COLOR_BADGE = re.compile(r"\$\s*\\(?:text)?color\s*\{[^{}$]*\}\s*\{[^{}$]*\}\s*\$\s*")
_SEPARATOR = re.compile(r"^:?-{2,}:?$")


def is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Cn", "Co") or char in "\ufe0f\u200d"


def clean_title(text: str) -> str:
    """A title as written, minus markdown, emoji at its ends and trailing punctuation."""
    text = markdown.strip_inline(text)
    while text and (is_symbol(text[0]) or text[0] in " \t-–—:|,;*_#>"):
        text = text[1:]
    while text and (is_symbol(text[-1]) or text[-1] in " \t-–—:|,;*_<"):  # "C#" keeps its "#"
        text = text[:-1]
    return text.strip()


def is_link_label(text: str) -> bool:
    """'PDF', '[Paper]', '`Link`', 'Code & Data', 'Part 2': a label naming a kind of link."""
    words = re.findall(r"[a-z]+\d*|\d+", text.lower())
    if not words or len(words) > 4:
        return False
    for previous, word in zip([""] + words, words):
        if word.isdigit() and previous in ("part", "pt", "vol", "v"):
            continue
        if word not in LINK_LABEL_WORDS and word not in ("and", "the", "of", "on", "in", "with", "full"):
            return False
    return True


def is_date(text: str) -> bool:
    return bool(_DATE.match(text.strip(" []()*_")))


def is_venue_tag(text: str) -> bool:
    """'VLDB'23', 'arxiv'25', 'OSDI 2022', 'NeurIPS 2023 Oral': a venue and year, not a title."""
    body = text.strip(" []()*_")
    if not body or len(body.split()) > 5 or not (re.search(r"\d", body) or re.search(r"arxiv|preprint", body, re.I)):
        return False
    parsed = venues.parse_venue(body)
    if parsed.type == "preprint" and len(body.split()) <= 2:
        return True
    return bool(parsed.year and (parsed.short or venues.looks_like_venue_line(body)))


@lru_cache(maxsize=16384)
def is_title(text: str, paper: bool = False) -> bool:
    """Whether text can stand as a work's title: not empty, no lone '#', table separator,
    date, bracketed venue tag ('[VLDB'23]'), emoji or link label. A bare 'SysML 2019' names
    an event's page or channel; as a paper's title (``paper``) it is only a venue tag."""
    body = clean_title(text)
    if not body or not any(c.isalpha() for c in body):
        return False
    if _SEPARATOR.match(body.replace(" ", "")) or is_date(body):
        return False
    bracketed = bool(re.fullmatch(r"\s*[*_]*\s*[\[(].*[\])]\s*[*_]*\s*", text))
    return not (is_link_label(body) or ((bracketed or paper) and is_venue_tag(body)))


@dataclass
class Tags:
    """Venue tags and dates peeled off the front of an entry, given to what the reader returns."""

    venue: str = ""
    date: str = ""

    def apply(self, entry: Entry) -> None:
        if self.venue and not entry.venue:
            entry.venue = self.venue
        if self.date and not entry.date:
            entry.date = self.date


def strip_decorations(text: str) -> tuple[str, Tags]:
    """The entry text without what is decoration: HTML images and comments, reading badges,
    and leading venue tags ('[VLDB'23]', '(OSDI 2022)') and dates ('**[2026.05.13]**'),
    which are kept as the venue and date. HTML anchors become markdown links."""
    if "<" in text:
        text = _HTML_COMMENT.sub(" ", text)
        text = _HTML_ANCHOR.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
        text = _HTML_IMG.sub(" ", text)
    if "$" in text:
        text = COLOR_BADGE.sub("", text)
    tags = Tags()
    while True:
        stripped = text.lstrip()
        while stripped and is_symbol(stripped[0]):  # a leading emoji
            stripped = stripped[1:].lstrip()
        match = _TAG.match(stripped)
        if not match:
            text = stripped
            break
        tag = match.group("tag").strip()
        if is_date(tag) and not tags.date:
            tags.date = tag
        elif is_venue_tag(tag) and not tags.venue:
            tags.venue = tag
        else:
            text = stripped
            break
        text = stripped[match.end():]
    # "[**FlashAttention**] Fast and Memory-Efficient ...": a short name in brackets, then its title.
    name = re.match(r"^\[(?:\*\*|__)?(?P<name>[^\s\[\]()*_]{2,30})(?:\*\*|__)?\](?!\()\s+(?=\S)", text)
    if name and not is_link_label(name.group("name")):
        text = f"{name.group('name')}: {text[name.end():]}"
    # A bare date before the title: "2024.05 Title", "**2026.05.13** [Title](url)".
    bare = None if not text[:3].strip("*_")[:1].isdigit() else re.match(r"^(?:\*\*|__)?((?:19|20)\d{2}[./\-]\d{1,2}(?:[./\-]\d{1,2})?)(?:\*\*|__)?\s*[:|\-–—]?\s+", text)
    if bare and not tags.date:
        tags.date, text = bare.group(1), text[bare.end():]
    return text, tags


def without_links(plain: str, links: list[markdown.InlineLink]) -> str:
    """Plain text (links replaced by labels) with the labels removed too."""
    pieces, cursor = [], 0
    for link in sorted(links, key=lambda l: l.start):
        pieces.append(plain[cursor : max(cursor, link.start)])
        cursor = max(cursor, link.start + len(link.label))
    pieces.append(plain[cursor:])
    text = "".join(pieces)
    return re.sub(r"\(\s*[,;/|]?\s*\)|\[\s*\]", " ", re.sub(r"\(\s*(?:[,;/|&]\s*)*\)", " ", text))


_VENUE_WORDS = re.compile(r"\b(journal|transactions|trans|proceedings|conference|symposium|workshop|letters|magazine)\b", re.IGNORECASE)


def venue_strength(text: str) -> int:
    """2: a venue by name (a known acronym, arXiv, 'Transactions', 'Proceedings'); 1: a year
    with an acronym or other non-name words ('ACM TACO 2022', 'CGO 2025'); 0: not a venue."""
    body = text.strip(" .,;()")
    if not body or len(body.split()) > 16:
        return 0
    parsed = venues.parse_venue(body)
    if parsed.type in ("preprint", "unpublished") or parsed.short or _VENUE_WORDS.search(body):
        return 2
    if venues.looks_like_venue_line(body):
        return 1
    if not parsed.year:
        return 0
    rest = re.sub(r"\b(19|20)\d{2}\b", "", body).strip(" .,;")
    if rest.count(",") > 1:  # "Palermo, and Cristina Silvano, ACM ..., 2018": people before the venue
        return 0
    return 1 if not rest or re.search(r"\b[A-Z]{2,}\b", rest) or not names.looks_like_author_line(rest) else 0


def venue_like(text: str) -> bool:
    return venue_strength(text) > 0


def author_like(text: str) -> bool:
    body = text.strip(" .,;")
    return bool(body) and not re.search(r"\b(?:19|20)\d{2}\b", body) and names.looks_like_author_line(body)


_SPLIT_POINTS = re.compile(r"(?:\.|,|;|\s[-–—])\s+")


def split_byline(text: str) -> tuple[str, str, str]:
    """(authors, venue, rest) of the tail of an entry: 'Zheng Wang and Michael O'Boyle,
    Proceedings of the IEEE, 2018', 'Vaswani et al., NeurIPS 2017', '_Authors._ Venue 2024.',
    'Authors (*OSDI 2018*)'. What is neither (a description) comes back as ``rest``."""
    body = markdown.strip_inline(text).strip(" \t-–—:,;.")
    body = re.sub(r"^by\s+", "", body, flags=re.IGNORECASE)
    if not body:
        return "", "", ""
    authors, venue = venues.split_venue(text.strip(" \t-–—:,;"))
    if venue:
        authors = markdown.strip_inline(authors).strip(" \t-–—:,;.")
        return (authors, venue, "") if not authors or author_like(authors) else ("", venue, authors)
    italic = re.match(r"^\s*[-–—:,]?\s*(?:by\s+)?(?<!\*)([*_])(?!\1)(?P<who>[^*_]+?)\1(?!\1)\s*(?P<rest>.*)$", text)
    if italic and author_like(italic.group("who")):
        rest = markdown.strip_inline(italic.group("rest")).strip(" .,;")
        return italic.group("who").strip(" .,;"), rest if venue_like(rest) else "", "" if venue_like(rest) else rest
    # The venue named outright beats a bare year ("..., IEEE Transactions on ..., 2021"); of
    # equal ones, the shortest tail ("... Chen Zhao. CGO 2025", not "Chen Zhao. CGO 2025").
    best = None
    for match in reversed(list(_SPLIT_POINTS.finditer(body))):
        left, right = body[: match.start()], body[match.end():]
        strength = venue_strength(right)
        if strength and (author_like(left) or author_like(left + ".")):
            rank = (strength, names.all_names(left), not re.fullmatch(r"\W*(?:19|20)\d{2}\W*", right))
            if best is None or rank > best[0]:
                best = (rank, left, right)
    if best:
        return best[1].strip(" ,;"), best[2].strip(" .,;"), ""
    if author_like(body):
        return body, "", ""
    if venue_like(body):
        return "", body, ""
    return "", "", body


def trailing_venue(title: str) -> tuple[str, str]:
    """'Orca: A Distributed Serving System ..., OSDI 2022' -> (title, 'OSDI 2022'); a title
    not ending in a venue tag comes back whole."""
    match = re.search(r"(?:,|\s[-–—]|\.)\s*(?P<venue>[^,.()\-–—]{2,40})$", title)
    if match and is_venue_tag(match.group("venue")) and title[: match.start()].strip():
        return title[: match.start()].rstrip(" ,.-–—"), match.group("venue").strip()
    return title, ""
