"""Stable citation keys: ``<first author family><year><first significant title word>``.

Rules (see README "Citation keys"):
- lower-case ASCII, transliterated (``Ré`` -> ``re``, ``Søren`` -> ``soren``);
- no author: the host of the work's link stands in (``medium``, ``youtube``); software
  with no person as author is keyed ``<owner><repo>`` from its repository
  (``uber/horovod`` -> ``uberhorovod``); no year: the year is left out;
- a key already published in ``references.bib`` is **pinned** to its work (matched by
  DOI, arXiv id, dblp key, repository or normalized title) and never changes, whatever
  the metadata does later;
- on a collision the **newcomer** takes the next significant title word, then a letter.
Keys are compared case-insensitively, as BibTeX does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import links as linkmod
from .model import Record
from .normalize import ascii_fold, identities

STOPWORDS = frozenset(
    """a an the on of in for to and or with without by from at as is are be into via its it
    towards toward using use your you how what why when we our do does not this that new""".split()
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def title_words(title: str) -> list[str]:
    words = [slug(w) for w in re.split(r"[\s/:\-–—,.;!?()\[\]{}\"']+", ascii_fold(title))]
    return [w for w in words if w and w not in STOPWORDS]


def _author_part(record: Record) -> str:
    # An organisation standing in for the author because of its site (finish.py) keys as its
    # host did before, so adding it changes no key.
    if record.authors and record.provenance.get("author") != "url-host":
        first = record.authors[0]
        family = first.family if first.literal else first.family.split()[-1] if first.family else ""
        part = slug(family)
        if part:
            return part
    return slug(linkmod.host_label(record.fields.get("url", ""))) or "anon"


def candidate_keys(record: Record) -> list[str]:
    """Keys to try in order: the base key, then with more title words."""
    repo = linkmod.classify(record.fields.get("url", "")).repo
    if record.kind == "software" and repo and (not record.authors or record.authors[0].literal):
        owner, name = (slug(p) for p in repo.split("/"))
        words = [name] + [w for w in title_words(record.title) if w != name]
        stem = owner
    else:
        words = title_words(record.title) or ["untitled"]
        stem = _author_part(record) + record.year
    keys = []
    for n in range(1, len(words) + 1):
        keys.append(stem + "".join(words[:n]))
    return keys


@dataclass
class KeyAssignment:
    renames: dict[str, str] = field(default_factory=dict)  # old key -> surviving key (merges)
    new: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # pinned keys whose work left the list


def assign_keys(records: list[Record], published: list[Record]) -> KeyAssignment:
    """Give every record a key, keeping every published key for its work.

    ``published`` are the records of the existing ``references.bib``, in file order.
    """
    result = KeyAssignment()
    pin: dict[str, str] = {}  # identity token -> published key
    order = {}
    for position, old in enumerate(published):
        order[old.key] = position
        for token in identities(old):
            pin.setdefault(token, old.key)

    taken: set[str] = set()
    pending: list[Record] = []
    for record in records:
        claimed = {pin[t] for t in identities(record) if t in pin}
        matches = sorted((k for k in claimed if k.lower() not in taken), key=order.get)
        if matches:
            record.key = matches[0]
            taken.add(record.key.lower())
            for other in matches[1:]:  # two published entries turned out to be one work
                result.renames[other] = record.key
        else:
            pending.append(record)
    # Published keys not reused stay reserved, so a new work never inherits a dead key.
    reserved = taken | {old.key.lower() for old in published}
    for record in pending:
        record.key = _fresh_key(record, reserved)
        reserved.add(record.key.lower())
        result.new.append(record.key)
    used = {r.key for r in records}
    result.dropped = [old.key for old in published if old.key not in used and old.key not in result.renames]
    return result


def _fresh_key(record: Record, reserved: set[str]) -> str:
    candidates = candidate_keys(record)
    for key in candidates:
        if key.lower() not in reserved:
            return key
    base = candidates[0]
    for suffix in _letters():
        if (base + suffix).lower() not in reserved:
            return base + suffix
    raise AssertionError("unreachable")


def _letters():
    n = 0
    while True:
        n += 1
        text, value = "", n
        while value:
            value, rest = divmod(value - 1, 26)
            text = chr(ord("a") + rest) + text
        yield text
