"""Is this candidate the list item's paper? Title similarity plus an author-overlap guard.

A candidate found by identity (the item's own arXiv id or USENIX page) is accepted
unless both its title and its authors disagree with the list; a candidate found by
searching must match the title and, when the list names authors, share one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .model import Candidate, Person, Record
from .normalize import ascii_fold
from .venues import KNOWN_VENUES

TITLE_THRESHOLD = 90  # rapidfuzz ratio on normalized titles, 0..100
IDENTITY_MATCHES = {"arxiv-id", "usenix-url", "doi", "landing-url", "link-evidence"}
RETITLED_SIMILARITY = 70  # the least title similarity of an arXiv version under another title (confirmed_retitling)


@lru_cache(maxsize=8192)
def title_words(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))


def title_similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    wa, wb = title_words(a), title_words(b)
    if not wa or not wb:
        return 0.0
    return fuzz.ratio(wa, wb)


def title_hints(record: Record, urls: list[str]) -> list[str]:
    """The list's title, plus titles spelled out in paper URLs (``5872-efficient-and-robust-...pdf``)."""
    hints = [record.title] if record.title else []
    for url in urls:
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        name = re.sub(r"\.(pdf|html?)$", "", name, flags=re.IGNORECASE)
        words = [w for w in re.split(r"[-_]+", re.sub(r"^\d+-", "", name)) if w]
        if len(words) >= 4 and all(w.isalpha() or w.isdigit() for w in words):
            hints.append(" ".join(words))
    return hints


def best_title_similarity(hints: list[str], title: str) -> float:
    return max((title_similarity(h, title) for h in hints), default=0.0)


def _name_tokens(people: list[Person]) -> set[str]:
    tokens = set()
    for person in people:
        for part in (person.family, person.given):
            tokens.update(w for w in re.findall(r"[a-z]+", ascii_fold(part).lower()) if len(w) > 1)
    return tokens


def _family_tokens(people: list[Person]) -> set[str]:
    tokens = set()
    for person in people:
        tokens.update(w for w in re.findall(r"[a-z]+", ascii_fold(person.family).lower()) if len(w) > 1)
    return tokens


def authors_agree(listed: list[Person], found: list[Person]) -> bool | None:
    """None when the list names nobody; else whether some listed surname is among the found names.

    Compared against every name word of the candidate, because lists invert names
    ("Quanming, Y." for Quanming Yao).
    """
    mine = _family_tokens([p for p in listed if not p.literal])
    if not mine:
        return None
    return bool(mine & _name_tokens(found))


def system_name(title: str) -> str:
    """The one-word name before a title's colon ("NoScope" in "NoScope: Optimizing ..."), or ''."""
    head, sep, _ = title.partition(":")
    words = title_words(head).split()
    return words[0] if sep and len(words) == 1 and len(words[0]) >= 3 else ""


def same_system(record: Record, candidate: Candidate, similarity: float) -> bool:
    """A retitled version of the same paper: same system name, two shared authors, close years.

    Venues retitle papers (dblp's PVLDB record of NoScope carries the proceedings' title,
    the paper its own); the system name and the authors stay.
    """
    name = system_name(record.title)
    if not name or name != system_name(candidate.title) or similarity < 60:
        return False
    listed = [p for p in record.authors if not p.literal]
    shared = sum(1 for p in listed if _family_tokens([p]) & _name_tokens(candidate.authors))
    if shared < min(2, len(listed)) or not listed:
        return False
    years = [y for y in (record.year, candidate.fields.get("year", "")) if y.isdigit()]
    return len(years) < 2 or abs(int(years[0]) - int(years[1])) <= 1


STOP_WORDS = {"the", "and", "for", "with", "from", "into", "over", "that", "this", "are", "its", "our", "via", "using", "system", "systems"}


_ABBREVIATIONS = {"ml": "machine learning", "dl": "deep learning", "nn": "neural network", "rl": "reinforcement learning"}


def _stems(text: str) -> set[str]:
    words = " ".join(_ABBREVIATIONS.get(w, w) for w in title_words(text).split()).split()
    return {w[:5] for w in words if len(w) >= 3 and w not in STOP_WORDS}


def described_system(record: Record, candidate: Candidate) -> bool:
    """The list names a system and describes it instead of giving the title ("Nexus: Nexus is a
    scalable ... serving system for DNN applications on GPU cluster"), and names no author.

    The candidate must carry the same system name and share at least three content words
    with the description ("gpu", "cluster", "dnn"); a list that names authors is matched by
    them instead (``same_system``).
    """
    name = system_name(record.title)
    if not name or record.authors or name != system_name(candidate.title):
        return False
    rest = lambda title: title.partition(":")[2]  # noqa: E731 (the words after the name)
    return len((_stems(rest(record.title)) - {name[:5]}) & (_stems(rest(candidate.title)) - {name[:5]})) >= 3


def venue_named_in_preprint(record: Record, candidate: Candidate) -> str:
    """The arXiv journal_ref or comment when it names the list's venue and year ("13th USENIX
    Symposium on Operating Systems Design and Implementation (OSDI 18)"), else ''."""
    note = " ".join(candidate.fields.get(name, "") for name in ("journal_ref", "comment"))
    if candidate.source != "arxiv" or not note.strip() or not record.venue_short or not record.year.isdigit():
        return ""
    names_venue = re.search(rf"(?<![A-Za-z]){re.escape(record.venue_short)}(?![A-Za-z])", note, re.IGNORECASE)
    names_year = re.search(rf"(?<!\d)({record.year}|'?{record.year[2:]})(?!\d)", note)
    return note.strip() if names_venue and names_year else ""


def confirmed_retitling(record: Record, candidate: Candidate, similarity: float) -> bool:
    """An arXiv version under another title: close enough, an author in common, and its
    journal_ref or comment names the venue and year the list gives."""
    return similarity >= RETITLED_SIMILARITY and authors_agree(record.authors, candidate.authors) is not False and bool(venue_named_in_preprint(record, candidate))


def is_workshop(venue_text: str) -> bool:
    text = venue_text.lower()
    if "workshop" in text:
        return True
    known = KNOWN_VENUES.get(re.sub(r"[^a-z]", "", text))
    return bool(known and known[2] == "workshop")


def rejection(record: Record, candidate: Candidate, hints: list[str], list_venue_type: str) -> str | None:
    """Why the candidate is not the item's paper, or None when it is."""
    similarity = best_title_similarity(hints, candidate.title)
    title_ok = similarity >= TITLE_THRESHOLD
    authors_ok = authors_agree(record.authors, candidate.authors)
    if candidate.matched_by in IDENTITY_MATCHES:
        if not title_ok and authors_ok is False:
            return f"found by {candidate.matched_by} but neither title ({similarity:.0f}%) nor authors match the list"
        return None
    if not title_ok and not (same_system(record, candidate, similarity) or described_system(record, candidate)
                             or confirmed_retitling(record, candidate, similarity)):
        return f"title differs ({similarity:.0f}% similar)"
    if authors_ok is False:
        return "no author in common with the list"
    if candidate.published and list_venue_type in ("workshop", "conference"):
        listed_workshop = list_venue_type == "workshop"
        if listed_workshop != (candidate.venue_type == "workshop"):
            return "workshop paper and main-conference paper are different works"
    return None
