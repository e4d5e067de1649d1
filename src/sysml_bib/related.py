"""Works cited together: a repository and the paper it asks to be cited with it.

- ``Works``: the run's records, found by identity; ``join`` adds an asked-for work (the
  listed record when it is already there, else a new record in the asker's sections).
- ``fold_and_link``: after merging, a new work that resolved to a listed one (same DOI,
  dblp key, arXiv id or title) is that one; each new work is placed right after its asker.
- ``link_related``: once keys are given, each of two linked works names the other
  (biblatex ``related``, a line in ``note``, which CSL-JSON carries too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Person, Record
from .normalize import identities, normalized_title

if TYPE_CHECKING:  # pragma: no cover
    from .resolve import Outcome


def related_json(record: Record) -> dict:
    """A related work's own data (what its citation file says), to rebuild it without the network."""
    return {
        "origin": record.origin, "entry_type": record.entry_type, "title": record.title,
        "authors": [[p.family, p.given, p.literal] for p in record.authors],
        "fields": dict(sorted(record.fields.items())), "keep_case": list(record.keep_case),
        "links": record.links, "venue_type": record.venue_type,
    }


def related_from_json(data: dict) -> Record:
    origin = data["origin"]
    record = Record(key="", entry_type=data["entry_type"], kind="paper", keep_case=tuple(data.get("keep_case", ())), origin=origin)
    record.authors = [Person(f, g, bool(lit)) for f, g, lit in data["authors"]]
    if record.authors:
        record.provenance["author"] = origin
    for name, value in data["fields"].items():
        record.set(name, value, origin)
    record.links, record.venue_type = list(data.get("links", [])), data.get("venue_type", "")
    return record


class Works:
    """The run's records, findable by identity, with the links between asking and asked works."""

    def __init__(self, records: list[Record]):
        self.records = list(records)
        self.owner: dict[str, int] = {}
        for index, record in enumerate(self.records):
            self._index(index, record)
        self.links: set[tuple[int, int]] = set()

    def _index(self, index: int, record: Record) -> None:
        for token in sorted(identities(record)):
            self.owner.setdefault(token, index)

    def join(self, asking: Record, asked: Record) -> Record | None:
        """``asked`` (a work ``asking`` wants cited) joins: the existing record of that work, else a new
        one in ``asking``'s sections. Returns the new record, or None when it was already there."""
        me = next(i for i, r in enumerate(self.records) if r is asking)
        known = next((self.owner[t] for t in sorted(identities(asked)) if t in self.owner and self.owner[t] != me), None)
        if known is not None:
            target, new = self.records[known], None
        else:
            asked.sections = list(asking.sections)
            self.records.append(asked)
            known = len(self.records) - 1
            self._index(known, asked)
            target, new = asked, asked
        for path in asking.sections:  # `export --section` of the software gives the paper too
            if path not in target.sections:
                target.sections.append(path)
        self.links.add((me, known))
        return new


def fold_and_link(outcomes: "list[Outcome]", links: set[tuple[int, int]]) -> "list[Outcome]":
    """A related work that resolved to a work already in the list (same DOI, dblp key, arXiv id or
    title once resolved) is that work: it is dropped and its links go to the listed one."""
    owner: dict[str, int] = {}
    for index, outcome in enumerate(outcomes):
        if (outcome.listed or outcome.record).origin == "list":
            for token in sorted(identities(outcome.record)):
                owner.setdefault(token, index)
    alias = {}
    for index, outcome in enumerate(outcomes):
        if (outcome.listed or outcome.record).origin != "list":
            same = next((owner[t] for t in sorted(identities(outcome.record)) if t in owner), None)
            if same is not None:
                alias[index] = same
                outcomes[same].also_known_as |= identities(outcome.listed or outcome.record)
                if outcome.fingerprint not in outcomes[same].folded:
                    outcomes[same].folded.append(outcome.fingerprint)
                for path in outcome.record.sections:
                    if path not in outcomes[same].record.sections:
                        outcomes[same].record.sections.append(path)
    pairs = sorted({(alias.get(a, a), alias.get(b, b)) for a, b in links})
    # Each new work right after the first work that asks for it (the list's order otherwise).
    asker = {}
    for a, b in pairs:
        if (outcomes[b].listed or outcomes[b].record).origin != "list":
            asker.setdefault(b, a)
    order: list[int] = []

    def place(index: int) -> None:
        order.append(index)
        for new in sorted(n for n, a in asker.items() if a == index):
            place(new)

    for index in range(len(outcomes)):
        if index not in alias and index not in asker:
            place(index)
    position = {old: new for new, old in enumerate(order)}
    result = [outcomes[i] for i in order]
    for a, b in pairs:
        a, b = position[a], position[b]
        for one, other in ((a, b), (b, a)):
            if one != other and other not in result[one].related:
                result[one].related.append(other)
    return result


def link_related(outcomes: "list[Outcome]") -> None:
    """Once keys are given: each of two linked works names the other (biblatex ``related``, a note line)."""
    for outcome in outcomes:
        if not outcome.related:
            continue
        record = outcome.record
        others = [outcomes[i].record for i in outcome.related]
        record.fields["related"] = ",".join(o.key for o in others)
        lines = [record.fields["note"]] if record.fields.get("note") else []
        for other in others:  # the key is in `related`; the note is for readers of any style
            if other.kind != "software":
                lines.append(f"Its authors ask to cite: {_short_citation(other)}")
            elif not _names_each_other(other.title, record.title):
                lines.append(f"Software: {other.title} (GitHub)")  # unless the two titles say it already
        if lines:
            record.fields["note"] = ". ".join(lines)


def _names_each_other(a: str, b: str) -> bool:
    import unicodedata

    def letters(text: str) -> str:  # symbols (™, ®) are not part of a name
        return normalized_title("".join(c for c in text if not unicodedata.category(c).startswith("S")))

    a, b = letters(a), letters(b)
    return bool(a and b) and (a in b or b in a)


def _short_citation(record: Record) -> str:
    people = record.authors
    names = people[0].family if people else record.title
    if len(people) == 2:
        names = f"{people[0].family} and {people[1].family}"
    elif len(people) > 2:
        names += " et al."
    return f"{names} ({record.year})" if record.year else names
