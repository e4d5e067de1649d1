"""What the sources of a venue's own record share (Crossref, PMLR, NeurIPS proceedings).

They run after dblp and USENIX (phase 2): the publisher DOI or landing page they look up
is the list's, one recorded evidence ties the list's link to (``link_evidence``), or that
of a dblp record the paper accepted. A subclass says which target
it takes (``target``) and how to fetch it (``fetch``); one lookup per work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from .. import match
from ..http import FetchError
from ..model import Candidate, Record
from .base import Lookup, Online, Source
from .link_evidence import MATCHED_BY, evidence_changed, evidenced_ids


def proceedings_candidate(source: str, record_id: str, title: str, authors: list, fields: dict) -> Candidate:
    """A proceedings' own record of a conference paper, found from the paper's landing page
    (PMLR's post, NeurIPS's metadata file): published, and an identity match by that page."""
    return Candidate(source=source, id=record_id, title=" ".join(title.split()), authors=authors,
                     entry_type="inproceedings", fields={k: v for k, v in fields.items() if v}, published=True,
                     venue_type="conference", matched_by="landing-url")


class VenueRecordSource(Source):
    """A subclass names its host and its module's ``fetch(http, target, base)``; one that looks
    up landing pages gives the module's ``recognise(url)``, one that looks up DOIs leaves it None."""

    kinds = frozenset({"paper"})
    phase = 2
    fetch_record: ClassVar[Callable[..., Candidate | None]]
    recognise: ClassVar[Callable[[str], object] | None] = None

    def target(self, record: Record, dois: list[str], urls: list[str]) -> str | None:
        """The DOI or landing page to look up for ``record`` (None: nothing this source knows)."""
        if self.recognise is None:
            return dois[0] if dois else None
        return next((u for u in urls if self.recognise(u)), None)

    def fetch(self, online: Online, target: str) -> Candidate | None:
        return self.fetch_record(online.http, target, online.base(self.hosts[0]))

    def wants(self, record: Record, found: dict[int, Lookup]) -> bool:
        return record.kind in self.kinds and self._target(record, found) is not None

    def revisit_record(self, record: Record, entry: dict, online: Online) -> bool:
        return self.recognise is None and evidence_changed(record, entry, online)  # a DOI source: evidence may give one

    def _target(self, record: Record, found: dict[int, Lookup]) -> str | None:
        hints = match.title_hints(record, record.links)
        dblp = [c for c in found[id(record)].candidates
                if c.source == "dblp" and c.published and not match.rejection(record, c, hints, record.venue_type)]
        dois = [record.fields.get("doi", "")] + evidenced_ids(record, found, "doi") + [c.fields.get("doi", "") for c in dblp]
        dois = [d for d in dois if d and not d.lower().startswith("10.48550/")]  # arXiv's DataCite DOIs are no venue's
        urls = [u for u in dict.fromkeys([c.fields.get("url", "") for c in dblp] + record.links) if u]
        return self.target(record, dois, urls)

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        for record in records:
            target = self._target(record, found)
            try:
                hit = self.fetch(online, target)
            except FetchError as error:
                found[id(record)].failures[self.name] = error.reason
                continue
            if hit:
                if target in evidenced_ids(record, found, "doi") and target != record.fields.get("doi"):
                    hit = replace(hit, matched_by=MATCHED_BY)  # the DOI came from recorded evidence about the link
                found[id(record)].candidates.append(hit)
