"""The data that flows between the pipeline stages.

parse -> ``Item`` (what the list says), normalize -> ``Record`` (one work, BibTeX-ready
but still plain Unicode; in ``record.py`` with ``Person``), the sources -> ``Candidate``
(what one says about a paper), write -> text. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .record import KINDS, Person, Record  # noqa: F401  (defined apart, for export's start-up: see there)

# Link is a named tuple: a frozen dataclass costs ~1 ms of every command's start-up to create
# (it compiles five methods), a named tuple a fifth of it.


class Link(NamedTuple):
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
    byline_title: str = ""  # the title with the " by Who" a reader took for its authors (readers.Entry)

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
