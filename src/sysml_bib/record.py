"""One work as a bibliography holds it: ``Record``, with its authors as ``Person``.

What every stage after parsing passes on (``model.py`` has the others' data and
re-exports these), in a module of its own: ``export`` reads a .bib into records and loads
nothing of the pipeline's (each dataclass costs start-up time to create). No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

KINDS = ("paper", "software", "talk", "blog", "book", "course", "website", "dataset")


class Person(NamedTuple):  # a named tuple: a frozen dataclass costs ~1 ms of start-up to create
    family: str
    given: str = ""
    literal: bool = False  # an organisation: never split into given/family

    def isascii_name(self) -> bool:
        return self.family.isascii() and self.given.isascii()

    def display(self) -> str:
        if self.literal or not self.given:
            return self.family
        return f"{self.given} {self.family}"


@dataclass
class Record:
    """One work, with every field's value in plain Unicode and its source.

    ``fields`` holds BibTeX field names (lower case) -> text. ``authors`` is kept apart
    because it is a list. ``provenance`` maps a field name (or "author") to where the
    value came from ("list", "arxiv", "dblp", "usenix", "github", or ``origin``).
    """

    key: str
    entry_type: str  # BibTeX-mode type: inproceedings, article, misc, book, ...
    kind: str
    authors: list[Person] = field(default_factory=list)
    authors_truncated: bool = False  # the list wrote "et al."
    fields: dict[str, str] = field(default_factory=dict)
    keep_case: tuple[str, ...] = ()
    sections: list[tuple[str, ...]] = field(default_factory=list)
    provenance: dict[str, str] = field(default_factory=dict)
    items: list[tuple[str, int]] = field(default_factory=list)  # (file, line) of list items
    # What the list said that is not a BibTeX field, for the resolvers (not written to .bib):
    links: list[str] = field(default_factory=list)  # every usable link of the item(s)
    venue_short: str = ""  # "OSDI", "NeurIPS", ... as recognised in the venue line
    venue_type: str = ""  # conference, workshop, journal, preprint, unpublished
    raw: str = ""  # the entry as read from a .bib file, for pass-through export
    # Where the record's own data came from: "list", or a repository's citation file for a
    # paper the repository asks to be cited with ("github:horovod/horovod README.rst").
    origin: str = "list"
    # Identity tokens the record keeps although its fields moved on (a renamed repository's
    # old name), so pinned keys and stored lookups still find it. Not written to .bib.
    aliases: set[str] = field(default_factory=set)
    title_derived: bool = False  # the list gives no title of its own ("[PROM](...) - A toolkit ([paper](...))")

    @property
    def title(self) -> str:
        return self.fields.get("title", "")

    @property
    def year(self) -> str:
        return self.fields.get("year", "")

    def set(self, name: str, value: str | None, source: str) -> None:
        if value:
            self.fields[name] = value
            self.provenance[name] = source
