"""The data that flows between the pipeline stages.

parse -> ``Item`` (what the list says), normalize -> ``Record`` (one work, BibTeX-ready
but still plain Unicode), write -> text. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("paper", "software", "talk", "blog", "book", "course", "website", "dataset")


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    type: str  # see links.LINK_TYPES
    arxiv_id: str | None = None
    repo: str | None = None  # "owner/name" for GitHub repositories
    related: bool = False  # a link to another work the entry mentions ("([paper](...))"), not the entry's own

    def as_json(self) -> dict:
        data = {"url": self.url, "label": self.label, "type": self.type}
        if self.arxiv_id:
            data["arxiv_id"] = self.arxiv_id
        if self.repo:
            data["repo"] = self.repo
        if self.related:
            data["related"] = True
        return data


@dataclass
class Item:
    """One entry of the list, as written there."""

    file: str
    line: int
    sections: tuple[str, ...]
    title: str
    keep_case: tuple[str, ...] = ()  # words the list wrapped in {braces}
    links: list[Link] = field(default_factory=list)
    author_lines: list[str] = field(default_factory=list)
    venue_lines: list[str] = field(default_factory=list)
    summary: str = ""
    notes: list[str] = field(default_factory=list)
    kind: str = "website"
    parent: int | None = None  # index of the enclosing item for nested papers
    index: int = 0
    style: str = ""  # the reader that read it (readers/): labelled_links, link_title, table, ...
    date: str = ""  # the date the list gives the entry ("2024.05", "2026.05.13"), as written

    def as_json(self) -> dict:
        return {
            "index": self.index,
            "file": self.file,
            "line": self.line,
            "sections": list(self.sections),
            "title": self.title,
            "keep_case": list(self.keep_case),
            "kind": self.kind,
            "links": [link.as_json() for link in self.links],
            "author_lines": self.author_lines,
            "venue_lines": self.venue_lines,
            "summary": self.summary,
            "notes": self.notes,
            "parent": self.parent,
            "style": self.style,
            "date": self.date,
        }


@dataclass(frozen=True)
class Person:
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


@dataclass
class Candidate:
    """What one source says about one paper, before it is checked against the list."""

    source: str  # "arxiv", "dblp", "usenix"
    id: str  # arXiv id, dblp key, USENIX node id
    title: str
    authors: list[Person]
    entry_type: str  # inproceedings, article, misc
    fields: dict[str, str] = field(default_factory=dict)  # plain Unicode BibTeX-style fields
    keep_case: tuple[str, ...] = ()
    published: bool = False  # a conference/journal version, not a preprint or CoRR record
    venue_type: str = ""  # conference, workshop, journal, preprint
    matched_by: str = "title"  # "arxiv-id", "usenix-url", "doi" or "title"

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "id": self.id,
            "title": self.title,
            "authors": [[p.family, p.given, p.literal] for p in self.authors],
            "entry_type": self.entry_type,
            "fields": dict(sorted(self.fields.items())),
            "keep_case": list(self.keep_case),
            "published": self.published,
            "venue_type": self.venue_type,
            "matched_by": self.matched_by,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Candidate":
        return cls(
            source=data["source"],
            id=data["id"],
            title=data["title"],
            authors=[Person(f, g, bool(lit)) for f, g, lit in data["authors"]],
            entry_type=data["entry_type"],
            fields=dict(data["fields"]),
            keep_case=tuple(data.get("keep_case", ())),
            published=data["published"],
            venue_type=data.get("venue_type", ""),
            matched_by=data.get("matched_by", "title"),
        )
