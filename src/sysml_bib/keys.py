"""Stable citation keys: ``<first author family><year><first significant title word>``.

Rules (see README "Citation keys"):
- lower-case ASCII, transliterated (``Ré`` -> ``re``, ``Søren`` -> ``soren``);
- no author: the host of the work's link stands in (``medium``, ``youtube``); software
  with no person as author is keyed ``<owner><repo>`` from its repository
  (``uber/horovod`` -> ``uberhorovod``); no year: the year is left out;
- a key already published in ``references.bib`` is **pinned** to its work (matched by
  DOI, arXiv id, dblp key, repository or normalized title) and never changes, whatever
  the metadata does later;
- except a **provisional** key, one made while the record had no person as first author
  or no year (``youtubehave``, now ``patterson2016have``; ``githubmodeldb``, ``arxiv2023efficient``): the first run
  whose record has both gives the work its author-year key, once, and keeps the old key
  as an alias (biblatex ``ids``, the key map, the report);
- on a collision the **newcomer** takes the next significant title word, then a letter;
- a new key has at most ``MAX_KEY_LENGTH`` characters (before a collision letter).
Keys are compared case-insensitively, as BibTeX does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import links as linkmod
from .model import Record
from .normalize import ascii_fold, identities, normalized_title

STOPWORDS = frozenset(
    """a an the on of in for to and or with without by from at as is are be into via its it
    towards toward using use your you how what why when we our do does not this that new""".split()
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", ascii_fold(text).lower())


def title_words(title: str) -> list[str]:
    words = [slug(w) for w in re.split(r"[\s/:\-–—,.;!?()\[\]{}\"']+", ascii_fold(title))]
    return [w for w in words if w and w not in STOPWORDS]


MAX_KEY_LENGTH = 30
ANONYMOUS = "anon"
_AUTHOR_YEAR_KEY = re.compile(r"([a-z]+)((?:1[89]|20)\d\d)")


def _author_part(record: Record) -> str:
    # An organisation standing in for the author because of its site (finish.py) keys as its
    # host did before, so adding it changes no key.
    if record.authors and record.provenance.get("author") != "url-host":
        first = record.authors[0]
        family = first.family if first.literal else first.family.split()[-1] if first.family else ""
        part = slug(family)
        if part:
            return part
    return _host_part(record) or ANONYMOUS


def _host_part(record: Record) -> str:
    return slug(linkmod.host_label(record.fields.get("url", "")))


def author_year_stem(record: Record) -> str:
    """``<first author's family><year>`` when the first author is a person and the year is known, else ''."""
    year = re.match(r"\d{4}", record.year)
    if not year or not record.authors or record.authors[0].literal:
        return ""
    part = slug(record.authors[0].family.split()[-1] if record.authors[0].family else "")
    return part + year.group() if part else ""


def _stand_ins(record: Record) -> set[str]:
    """Name parts a key gets when no person is known: the link's host, the repository owner, an organisation."""
    names = {ANONYMOUS, _host_part(record)}
    repo = linkmod.classify(record.fields.get("url", "")).repo
    if repo:
        names.add(slug(repo.split("/")[0]))
    if record.authors and record.authors[0].literal:
        names.add(slug(record.authors[0].family))
    return names - {""}


def is_provisional(key: str, *records: Record) -> bool:
    """Whether ``key`` was made without a person author or a year.

    A key made from both starts with a name and a year (``crankshaw2017clipper``) whose
    name is none of the stand-ins of the work's records (``youtube``, ``arxiv``, ``uber``).
    """
    found = _AUTHOR_YEAR_KEY.match(key.lower())
    return not found or any(found.group(1) in _stand_ins(record) for record in records)


def candidate_keys(record: Record) -> list[str]:
    """Keys to try in order: the base key, then with more title words (up to ``MAX_KEY_LENGTH``)."""
    repo = linkmod.classify(record.fields.get("url", "")).repo
    if record.kind == "software" and repo and (not record.authors or record.authors[0].literal):
        owner, name = (slug(p) for p in repo.split("/"))
        words = [name] + [w for w in title_words(record.title) if w != name]
        stem = owner
    else:
        words = title_words(record.title) or ["untitled"]
        stem = _author_part(record) + record.year
    keys = [(stem + words[0])[:MAX_KEY_LENGTH]]
    for n in range(2, len(words) + 1):
        key = stem + "".join(words[:n])
        if len(key) > MAX_KEY_LENGTH:
            break
        keys.append(key)
    return keys


def aliases(record: Record) -> list[str]:
    """The record's earlier keys, as kept in its biblatex ``ids`` field."""
    return [k.strip() for k in record.fields.get("ids", "").split(",") if k.strip()]


def _set_aliases(record: Record, keys: list[str]) -> None:
    keys = [k for k in dict.fromkeys(keys) if k.lower() != record.key.lower()]
    if keys:
        record.set("ids", ",".join(keys), "keys")
    else:
        record.fields.pop("ids", None)
        record.provenance.pop("ids", None)


@dataclass
class KeyAssignment:
    renames: dict[str, str] = field(default_factory=dict)  # old key -> surviving key (merges)
    provisional: dict[str, str] = field(default_factory=dict)  # provisional key -> its author-year key
    new: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # pinned keys whose work left the list

    def changed(self) -> dict[str, str]:
        """Every old key -> today's key of this run, for the key map."""
        return {**self.renames, **self.provisional}


def assign_keys(records: list[Record], published: list[Record]) -> KeyAssignment:
    """Give every record a key, keeping every published key for its work.

    ``published`` are the records of the existing ``references.bib``, in file order.
    """
    result = KeyAssignment()
    pin: dict[str, str] = {}  # identity token -> published key
    order = {}
    by_key = {}
    for position, old in enumerate(published):
        order[old.key] = position
        by_key[old.key] = old
        for token in identities(old):
            pin.setdefault(token, old.key)

    taken: set[str] = set()
    pending: list[Record] = []
    promoted: list[tuple[Record, list[str]]] = []  # provisional keys whose author and year are known now
    for record in records:
        claimed = {pin[t] for t in identities(record) if t in pin}
        matches = sorted((k for k in claimed if k.lower() not in taken), key=order.get)
        if not matches:
            pending.append(record)
            continue
        kept = [alias for key in matches for alias in [key, *aliases(by_key[key])]]
        record.key = matches[0]
        taken.add(record.key.lower())
        for other in matches[1:]:  # two published entries turned out to be one work
            result.renames[other] = record.key
        if author_year_stem(record) and is_provisional(record.key, by_key[record.key], record):
            promoted.append((record, kept))
        else:
            _set_aliases(record, kept)
    # Published keys and their aliases stay reserved, so a work never inherits a dead key.
    reserved = taken | {k.lower() for old in published for k in [old.key, *aliases(old)]}
    for record, kept in promoted:
        old_key = record.key
        own = _own_citation_record(record, old_key, published, taken)
        record.key = own.key if own else _fresh_key(record, reserved)
        if own:
            kept = kept + [own.key, *aliases(own)]
        taken.add(record.key.lower())
        reserved.add(record.key.lower())
        result.provisional[old_key] = record.key
        for other, target in result.renames.items():
            if target == old_key:
                result.renames[other] = record.key
        _set_aliases(record, kept)
    for record in pending:
        record.key = _fresh_key(record, reserved)
        reserved.add(record.key.lower())
        result.new.append(record.key)
    used = {r.key for r in records}
    result.dropped = [
        old.key for old in published
        if old.key not in used and old.key not in result.renames and old.key not in result.provisional
    ]
    return result


def _own_citation_record(record: Record, old_key: str, published: list[Record], taken: set[str]) -> Record | None:
    """The published record of a repository's citation of the software itself, if any.

    Such a citation (``@misc{..., howpublished = {\\url{https://github.com/videoflow/videoflow}}}``)
    was once written as a paper of its own, related to the software (``related``) and
    titled like it. It is this work: the software keeps that author-year key, and its
    provisional key becomes an alias.
    """
    if record.kind != "software":
        return None
    title = normalized_title(record.title)
    return next((old for old in published
                 if old.key.lower() not in taken and old.kind == "paper" and old.fields.get("related", "") == old_key
                 and title and normalized_title(old.title) == title), None)


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
