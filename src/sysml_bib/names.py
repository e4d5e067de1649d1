"""Author lines as awesome lists write them, parsed into people.

Styles seen in the wild (all in the bundled list):
  Chicago   ``Bailis, Peter, Kunle Olukotun, Christopher Ré, and Matei Zaharia.``
  Harvard   ``Sparks, E.R., Talwalkar, A., ... and Kraska, T., 2015, August.``
  natural   ``Zhihao Jia, Sina Lin, Charles R. Qi, and Alex Aiken.``
  BibTeX    ``Lerer, Adam and Wu, Ledell and Shen, Jiajun``
  truncated ``Chen, Tianqi, et al.`` (kept as "and others")
Whatever follows the last "and <name>" is an affiliation and is dropped
(``..., and Yuxiong He, Microsoft AI and Research``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Person

PARTICLES = frozenset({"van", "von", "der", "den", "de", "di", "da", "del", "della", "la", "le", "du", "dos", "bin", "ter"})
_ET_AL = re.compile(r",?\s*\bet\.?\s*al\b\.?", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[\s\-]?)+$")
_NAME_WORD = re.compile(r"^(?:[^\W\d_][\w'’\-\.\u0300-\u036f]*|[A-Z]\.?)$")  # combining marks: 'Olúwadámilọ́lá'
_TRAILING_DATE = re.compile(
    r"(?:,\s*(?:19|20)\d{2}(?:,\s*[A-Z][a-z]+)?\.?)\s*$"
)  # Harvard ", 2015, August."
_AFFILIATION = re.compile(r"\s*\([^()]*\)")
_FOOTNOTE_MARKS = re.compile(r"[∗*†‡§¶]+")
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"]
    )
}


@dataclass(frozen=True)
class AuthorLine:
    people: list[Person]
    truncated: bool
    year: str = ""
    month: int | None = None
    dropped: str = ""  # affiliation text that followed the last author


def _is_name_token(token: str) -> bool:
    words = re.sub(r"\.(?!-)", ". ", token).split()  # "J.R.R." is three initials, "H.-C." one hyphenated
    if not words or len(words) > 5:
        return False
    for word in words:
        if word.lower() in PARTICLES:
            continue
        if not _NAME_WORD.match(word) or not word[0].isupper():
            return False
    return True


def _tokens(line: str) -> list[tuple[str, bool]]:
    """Comma/"and" separated tokens, each flagged when an "and" introduced it."""
    tokens: list[tuple[str, bool]] = []
    for chunk in line.split(","):
        parts = re.split(r"\s+and\s+|^and\s+", chunk.strip())
        for n, part in enumerate(parts):
            part = part.strip()
            introduced_by_and = n > 0 or chunk.strip().startswith("and ")
            if part:
                tokens.append((part, introduced_by_and))
    return tokens


GENERATIONAL = {"jr", "sr", "ii", "iii", "iv"}


def _natural(token: str) -> Person:
    words = token.split()
    if len(words) == 1:
        return Person(family=words[0])
    # "Ludwig van Beethoven": the particle belongs to the family name; so does a generational
    # suffix ("Paul Dapolito IV" is Dapolito IV, Paul, not IV, Paul Dapolito).
    split = len(words) - 1
    if split > 1 and words[-1].rstrip(".").lower() in GENERATIONAL:
        split -= 1
    while split > 1 and words[split - 1].lower() in PARTICLES:
        split -= 1
    return Person(family=" ".join(words[split:]), given=" ".join(words[:split]))


def natural_person(name: str) -> Person | None:
    """A display name written "Given Family" ("Jane Q. Doe") as a person, else None
    (one word, a handle, a team's name, anything that is not 2 to 4 name words)."""
    name = " ".join(name.split())
    if "," in name or not 2 <= len(name.split()) <= 4 or not _is_name_token(name):
        return None
    if any(word.lower().strip(".") in _GROUP_WORDS for word in name.split()):
        return None  # "Acme Team", "Vision Lab": a group's account, one literal name
    return _natural(name)


_GROUP_WORDS = frozenset({"team", "lab", "labs", "group", "inc", "ltd", "llc", "research", "project", "foundation",
                          "university", "institute", "the", "community", "developers", "contributors"})


def _fix_case(text: str) -> str:
    """'RUBEN MAYER' -> 'Ruben Mayer'; mixed-case names are left alone."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) > 3 and all(c.isupper() for c in letters):
        return text.title()
    return text


def clean(line: str) -> tuple[str, bool, str, int | None]:
    """Strip quotes, "et al." and a Harvard date; return (text, truncated, year, month)."""
    text = line.strip().strip('"“”').strip()
    # Affiliations in parentheses and footnote marks: "Hong Zhang (University of Waterloo)", "Danyang Song∗".
    text = _AFFILIATION.sub("", text)
    text = _FOOTNOTE_MARKS.sub("", text)
    truncated = bool(_ET_AL.search(text))
    text = _ET_AL.sub("", text)
    year, month = "", None
    match = _TRAILING_DATE.search(text)
    if match:
        found = re.search(r"(19|20)\d{2}", match.group(0))
        year = found.group(0) if found else ""
        month_word = re.search(r"[A-Z][a-z]+", match.group(0))
        month = _MONTHS.get(month_word.group(0).lower()) if month_word else None
        text = text[: match.start()]
    text = text.strip().rstrip(",;:\"“” ").strip()
    if text.endswith(".") and not re.search(r"\b[A-Z]\.$", text):  # keep the period of "Kraska, T."
        text = text[:-1].rstrip()
    return text, truncated, year, month


def parse_authors(line: str) -> AuthorLine:
    text, truncated, year, month = clean(line)
    text = _fix_case(text)
    if " and " in text and all(p.count(",") == 1 for p in text.split(" and ")):
        # BibTeX style: "Lerer, Adam and Wu, Ledell"
        people = []
        for part in text.split(" and "):
            family, _, given = part.partition(",")
            people.append(Person(family=family.strip(), given=given.strip()))
        return AuthorLine(people, truncated, year, month)

    tokens = _tokens(text)
    people: list[Person] = []
    dropped = ""
    i = 0
    last_started = False
    while i < len(tokens):
        token, by_and = tokens[i]
        if last_started:
            dropped = ", ".join(t for t, _ in tokens[i:])
            break
        last_started = by_and
        single_word = len(token.split()) == 1
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else None
        nxt_by_and = tokens[i + 1][1] if i + 1 < len(tokens) else False
        if single_word and nxt is not None and not nxt_by_and and _looks_given(nxt, i == 0):
            people.append(Person(family=token, given=nxt))  # inverted "Last, First"
            i += 2
        else:
            people.append(_natural(token))
            i += 1
    return AuthorLine(people, truncated, year, month, dropped)


def _looks_given(token: str, first: bool) -> bool:
    """Whether a token after a lone surname is its given name(s), not the next author."""
    if _INITIALS.match(token.replace(" ", "")) or _INITIALS.match(token):
        return True
    words = token.split()
    if first:
        # "Saltzer, Jerome H., David P. Reed": the first author's given names may be two words.
        return len(words) <= 2 and all(w[0].isupper() for w in words)
    return len(words) == 1 and words[0][:1].isupper()


@lru_cache(maxsize=16384)
def looks_like_author_line(text: str) -> bool:
    """Heuristic used on nested bullets: mostly person names separated by commas/"and"."""
    body, truncated, _, _ = clean(text)
    if not body:
        return False
    tokens = [t for t, _ in _tokens(body)]
    if not tokens:
        return False
    named = sum(_is_name_token(t) for t in tokens)
    if truncated and named >= 1:
        return True
    if len(tokens) == 1:
        words = tokens[0].split()
        return 2 <= len(words) <= 4 and named == 1 and not body.endswith(":")
    return named / len(tokens) >= 0.75


def all_names(text: str) -> bool:
    """Stricter than ``looks_like_author_line``: every comma/"and" token is a person's name."""
    body, _, _, _ = clean(text)
    tokens = [t for t, _ in _tokens(body)]
    return bool(tokens) and all(_is_name_token(t) for t in tokens)


def format_person(person: Person) -> str:
    """Unicode 'Family, Given' (or the literal) for BibTeX name lists; escaping is the writer's."""
    if person.literal:
        return person.family
    if person.given:
        return f"{person.family}, {person.given}"
    return person.family
