"""``add``: a URL -> the work's record, through the same sources and checks as ``resolve``.

Two steps. First the URL's own source says what the work is (arXiv by id, dblp by
record key, USENIX by presentation page). Then that work, written as a list entry and
read back by ``parse``, goes through ``resolve`` like any item of the list, so a preprint
gets its published venue from dblp or USENIX exactly as in ``references.bib``. A GitHub
repository is only the second step: an entry of kind software, which ``resolve`` fills in
as far as its sources know repositories (this version has no GitHub source, so from the
URL alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import links as linkmod
from ..http import FetchError
from ..model import Candidate, Record
from ..sources import dblp_record
from .entry import Entry, format_authors, venue_text

SUPPORTED = "an arXiv abs/pdf URL, a dblp record URL, a USENIX presentation page or a GitHub repository"


class UnsupportedURL(ValueError):
    """Not a URL ``add`` can resolve (bad usage)."""


class NotResolved(Exception):
    """The URL's source did not answer with a work."""


@dataclass
class Work:
    record: Record  # the work as resolve would put it in references.bib
    links: list[tuple[str, str]]  # (label, url) for the entry line
    sources: list[str] = field(default_factory=list)  # which sources gave data
    notes: list[str] = field(default_factory=list)  # what could not be had


def kind_of(url: str) -> str:
    """'arxiv', 'dblp', 'usenix-page', 'github'; UnsupportedURL otherwise."""
    link = linkmod.classify(url)
    if link.type in ("arxiv", "usenix-page", "github"):
        return link.type
    if dblp_record.key_of(url):
        return "dblp"
    if link.type == "usenix-pdf":
        raise UnsupportedURL(f"{url} is a USENIX PDF: give its presentation page (usenix.org/conference/.../presentation/...)")
    raise UnsupportedURL(f"cannot resolve {url}: give {SUPPORTED}")


def _primary(url: str, kind: str, online) -> Candidate:
    """What the URL's own source says (NotResolved when it says nothing usable)."""
    from ..sources import arxiv as arxiv_source
    from ..sources import usenix as usenix_source

    http, bases = online.http, online.bases
    try:
        if kind == "arxiv":
            arxiv_id = linkmod.classify(url).arxiv_id
            result = arxiv_source.fetch_ids(http, [arxiv_id], bases.arxiv)
            found = result.found.get(arxiv_source.strip_version(arxiv_id))
            if found is None:
                raise NotResolved(f"arXiv: {result.failed.get(arxiv_source.strip_version(arxiv_id)) or result.failed.get(arxiv_id, 'not found')}")
            return found
        if kind == "dblp":
            key = dblp_record.key_of(url)
            found = dblp_record.fetch(http, key, bases.dblp)
            if found is None:
                raise NotResolved(f"dblp: record {key} has no title or authors")
            return found
        if kind == "usenix-page":
            # The export first, as resolve does (one download, cached, that resolve reuses below);
            # a page the export lacks is read for its own BibTeX block.
            found = usenix_source.download(http, bases.usenix).find_page(url)
            if found is None:
                found = usenix_source.from_page(http, url, bases.usenix)
            if found is None:
                raise NotResolved("USENIX: neither the page nor the BibTeX export has this presentation")
            return found
    except FetchError as error:
        raise NotResolved(f"{error.url}: {error.reason}") from None
    raise UnsupportedURL(f"cannot resolve {url}: give {SUPPORTED}")


def _paper_links(url: str, kind: str, candidate: Candidate, code: str | None) -> list[tuple[str, str]]:
    paper = url
    if kind == "dblp":  # the dblp page is not the paper: its landing page, DOI or arXiv abstract is
        fields = candidate.fields
        paper = (fields.get("url") or (f"https://doi.org/{fields['doi']}" if fields.get("doi") else "")
                 or (f"https://arxiv.org/abs/{fields['eprint']}" if fields.get("eprint") else url))
    links = [("Paper", paper)]
    if code:
        links.append(("GitHub", code))
    return links


def _repository(url: str, online) -> Record:
    """A GitHub repository as a list item of kind software, resolved like one: whatever the
    sources know about repositories (a GitHub source, where the version has one) fills it in."""
    repo = linkmod.classify(url).repo
    _, outcome = _resolve_entry(Entry(repo.split("/", 1)[1], [("GitHub", f"https://github.com/{repo}")], paper=False), online)
    return outcome.record


def look_up(url: str, online, code: str | None = None) -> Work:
    """The work ``url`` names, resolved as ``resolve`` would (UnsupportedURL, NotResolved)."""
    kind = kind_of(url)
    if kind == "github":
        record = _repository(url, online)
        sources = _sources_of(record)
        notes = [] if sources else ["no source gave data about the repository: the entry has its name only; add a description by hand"]
        return Work(record, [("GitHub", record.fields.get("url") or url)], sources, notes)
    candidate = _primary(url, kind, online)
    links = _paper_links(url, kind, candidate, code)
    record = _resolved(candidate, links, online)
    return Work(record, links, _sources_of(record) or [candidate.source])


def _sources_of(record: Record) -> list[str]:
    return sorted(set(record.provenance.values()) - {"list"})


def _resolve_entry(entry: Entry, online):
    """An entry written in the template, read back by ``parse`` and resolved as ``resolve`` resolves list items."""
    from ..normalize import record_from_item
    from ..parse import parse_text
    from ..resolve import Online, Store, resolve_records

    item = parse_text("\n".join(entry.lines()) + "\n", "<add>").items[0]
    listed = record_from_item(item)
    outcome = resolve_records([listed], Store(), Online(online.http, online.bases, refresh=True))[0]
    return listed, outcome


def _resolved(candidate: Candidate, links: list[tuple[str, str]], online) -> Record:
    """The candidate written as a list item, then resolved like one (published venue, DOI, ...)."""
    draft = Record(key="", entry_type=candidate.entry_type, kind="paper")
    draft.fields.update(candidate.fields)
    draft.fields["title"] = candidate.title
    entry = Entry(candidate.title, links, format_authors(candidate.authors, False, "natural"), venue_text(draft))
    listed, outcome = _resolve_entry(entry, online)
    listed.keep_case = tuple(dict.fromkeys(listed.keep_case + candidate.keep_case))
    # The URL's own source is the authority on what the URL names: its record is merged
    # whatever the title search of its source found.
    from ..merge import merge

    others = [c for c in outcome.accepted if c.source != candidate.source]
    return merge(listed, others + [candidate]).record
