"""Which list entries are one work, and the merge of their copies.

Identity before titles: two records are one work when an identifier says so (the same
arXiv id, DOI, dblp key, repository or normalized paper URL), and never when their
identifiers conflict (two arXiv ids, two DOIs, ...), whatever their titles say. A title
alone joins two records only when neither conflicts with the other in any identifier,
first author or year. An identifier shared by entries whose titles have nothing in
common is a link the list reused by mistake (a copied arXiv URL, one DOI pasted under
two papers): those stay apart too. Every merge made and every merge refused is reported, so a user
sees both "these two lines became one record" and "these two lines share a title but
are two works".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import links as linkmod
from .model import Record

LIST = "list"

# Identifier kinds, strongest first; "title:" tokens are the weak kind.
STRONG = ("arxiv", "doi", "dblp", "repo", "url")
_NAMES = {"arxiv": "arXiv ids", "doi": "DOIs", "dblp": "dblp keys", "repo": "repositories", "url": "paper URLs",
          "author": "first authors", "year": "years"}
_ONE = {"arxiv": "arXiv id", "doi": "DOI", "dblp": "dblp key", "repo": "repository", "url": "paper URL"}


def identities(record: Record) -> set[str]:
    """Tokens that identify the work: ``kind:value`` (kinds in ``STRONG``, then ``title:``)."""
    from .normalize import normalized_title  # normalize imports this module

    tokens = set()
    doi = record.fields.get("doi")
    if doi:
        tokens.add("doi:" + doi.lower())
    eprint = record.fields.get("eprint")
    if eprint:
        tokens.add("arxiv:" + re.sub(r"v\d+$", "", eprint.lower()))
    dblp = record.fields.get("dblp")
    if dblp:
        tokens.add("dblp:" + dblp)
    url = record.fields.get("url", "")
    if record.kind == "software":
        link = linkmod.classify(url)
        if link.repo:
            tokens.add("repo:" + link.repo.lower())
    elif url and record.kind == "paper" and linkmod.classify(url).type in ("usenix-pdf", "usenix-page", "pdf", "doi"):
        tokens.add("url:" + _url_key(url))
    elif url and record.kind in ("talk", "blog", "book", "course", "website"):
        tokens.add("url:" + _url_key(url))  # its page: keeps the key when the list's title is cleaned up
    title = normalized_title(record.title)
    if title:
        group = "paper" if record.kind == "paper" else record.kind
        tokens.add(f"title:{group}:{title}")
    return tokens | record.aliases  # names the work had before (a renamed repository)


def _url_key(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).split("#")[0].rstrip("/")


def _facts(record: Record, tokens: set[str]) -> dict[str, set[str]]:
    """What identifies a record, by kind, plus its first author and year (which only veto)."""
    from .normalize import ascii_fold  # normalize imports this module

    facts: dict[str, set[str]] = {}
    for token in tokens:
        kind, _, value = token.partition(":")
        if kind in STRONG:
            facts.setdefault(kind, set()).add(value)
    if record.authors and not record.authors[0].literal:
        family = record.authors[0].family.split()[-1] if record.authors[0].family else ""
        if family:
            facts["author"] = {re.sub(r"[^a-z]", "", ascii_fold(family).lower())}
    # A year read off an arXiv id is the preprint's, which a published copy may well not share.
    from .normalize import arxiv_year

    eprint = record.fields.get("eprint", "")
    published = "booktitle" in record.fields or "journal" in record.fields
    if record.year and (published or not eprint or record.year != arxiv_year(eprint)):
        facts["year"] = {record.year}
    return facts


UNRELATED_TITLES = 50  # rapidfuzz token_set_ratio below which two titles share no words to speak of
SAME_TITLE = 90  # ... and above which they are one title spelled two ways


def _title_likeness(titles_a: list[str], titles_b: list[str]) -> float:
    """How alike the closest titles of two groups are, 0..100 (100 when either has none)."""
    from rapidfuzz import fuzz

    from .normalize import ascii_fold

    def words(title: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))

    scores = [fuzz.token_set_ratio(words(a), words(b)) for a in titles_a for b in titles_b if a and b]
    return max(scores) if scores else 100.0


def _conflict(a: dict[str, set[str]], b: dict[str, set[str]], kinds) -> str:
    for kind in kinds:
        if a.get(kind) and b.get(kind) and a[kind].isdisjoint(b[kind]):
            return f"different {_NAMES[kind]}: {', '.join(sorted(a[kind]))} / {', '.join(sorted(b[kind]))}"
    return ""


def stored_conflict(record: Record, tokens: set[str], stored_tokens: set[str], stored_titles: list[str]) -> str:
    """Why a work stored by an earlier run (its identity tokens and titles) is not ``record``'s
    ("": it is), by the rules that keep list entries apart: a conflicting identifier, or one
    identifier shared under unrelated titles (a link the list reused for two works)."""
    reason = _conflict(_strong(tokens), _strong(stored_tokens), STRONG)
    if reason:
        return reason
    shared = tokens & stored_tokens
    if shared and not any(t.startswith("title:") for t in shared) and not record.title_derived:
        if _title_likeness([record.title], stored_titles) < UNRELATED_TITLES:
            kind = _ONE.get(min(shared).partition(":")[0], "identifier")
            return f"the same {kind} for unrelated titles: the list probably reuses a link"
    return ""


def _strong(tokens: set[str]) -> dict[str, set[str]]:
    facts: dict[str, set[str]] = {}
    for token in tokens:
        kind, _, value = token.partition(":")
        if kind in STRONG:
            facts.setdefault(kind, set()).add(value)
    return facts


@dataclass
class MergeReport:
    """Merges made (several list lines, one record) and refused (one title, two works)."""

    merged: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"merged": self.merged, "refused": self.refused}


def _where(record: Record) -> list[str]:
    return [f"{Path(f).name}:{line}" for f, line in record.items]


def group_same_works(records: list[Record]) -> tuple[list[list[Record]], MergeReport]:
    """Partition records into works, in first-seen order: first by identifiers, then by
    title where nothing conflicts. Refused joins are reported."""
    parent = list(range(len(records)))
    tokens = [sorted(identities(r)) for r in records]
    facts = [_facts(r, set(t)) for r, t in zip(records, tokens)]
    titles = [[] if r.title_derived else [r.title] for r in records]  # a made-up title vetoes nothing
    report = MergeReport()
    joined_by: dict[int, list[str]] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int, token: str, kinds) -> str:
        ra, rb = find(a), find(b)
        if ra == rb:
            return ""
        reason = _conflict(facts[ra], facts[rb], kinds)
        if reason:
            return reason
        if not token.startswith("title:"):
            likeness = _title_likeness(titles[ra], titles[rb])
            authors = _conflict(facts[ra], facts[rb], ("author",))
            if token.startswith("url:") and records[ra].kind != "paper" and likeness < SAME_TITLE:
                # A page is one work only under one title: two talks, sites or posts on one URL
                # (PACT listed with CGO's page) are a copied link, not one work; both stay.
                return "the same page for other titles: the list probably reuses a link"
            if likeness < UNRELATED_TITLES or (authors and likeness < SAME_TITLE):
                kind = _ONE[token.partition(":")[0]]
                why = "unrelated titles" if likeness < UNRELATED_TITLES else f"other titles and {authors}"
                return f"the same {kind} for {why}: the list probably reuses a link"
        keep, gone = min(ra, rb), max(ra, rb)
        titles[keep] += [t for t in titles[gone] if t not in titles[keep]]  # each spelling once: likeness is all pairs
        parent[gone] = keep
        for kind, values in facts[gone].items():
            facts[keep].setdefault(kind, set()).update(values)
        joined_by.setdefault(keep, []).extend(joined_by.pop(gone, []) + [token])
        return ""

    for weak in (False, True):
        owner: dict[str, int] = {}
        for index, record in enumerate(records):
            for token in tokens[index]:
                if token.startswith("title:") != weak:
                    continue
                if token not in owner:
                    owner[token] = index
                    continue
                # Identifiers veto each other; a title is also vetoed by the first author and the year.
                reason = union(owner[token], index, token, STRONG + (("author", "year") if weak else ()))
                pair = _where(records[owner[token]]) + _where(record)
                if reason and not any(r["items"] == pair for r in report.refused):
                    report.refused.append({"items": _where(records[owner[token]]) + _where(record),
                                           "title": record.title, "shared": token, "reason": reason})
    groups: dict[int, list[Record]] = {}
    for index, record in enumerate(records):
        groups.setdefault(find(index), []).append(record)
    for root, group in groups.items():
        if len(group) > 1:
            report.merged.append({"items": [w for r in group for w in _where(r)], "title": group[0].title,
                                  "by": sorted(set(joined_by.get(root, [])))})
    return list(groups.values()), report


def _richness(record: Record) -> tuple:
    given = sum(len(p.given.replace(".", "").replace(" ", "")) for p in record.authors)
    # Any author list beats none: "Reddi, et al." is more than a bare bullet's nothing.
    return (bool(record.authors), not record.authors_truncated, len(record.authors), given)


def merge(records: list[Record]) -> Record:
    """One record from several copies of one work, keeping what every copy knows: the
    fullest author list, every field any copy has (the typed copy's first, the title as
    best spelled),
    every section, link and list line; distinct summaries are all kept."""
    base = records[0]
    merged = Record(key=base.key, entry_type=base.entry_type, kind=base.kind, keep_case=base.keep_case)
    merged.title_derived = all(r.title_derived for r in records)
    richest = max(records, key=_richness)
    merged.authors, merged.authors_truncated = list(richest.authors), richest.authors_truncated
    if "author" in richest.provenance:
        merged.provenance["author"] = richest.provenance["author"]
    # A title of the list's own beats one made from a tool's description; then the spelling
    # with more capitals: it keeps acronyms ("DeepCPU", "RNN").
    best_title = max(records, key=lambda r: (not r.title_derived, sum(c.isupper() for c in r.title)))
    typed = max(records, key=lambda r: (r.entry_type != "misc", len(r.fields)))
    merged.entry_type = typed.entry_type
    merged.set("title", best_title.title, best_title.provenance.get("title", LIST))
    # The published (typed) copy's year and venue beat a preprint's.
    for source in [typed, best_title, *records]:
        for name, value in source.fields.items():
            if name not in merged.fields:
                merged.set(name, value, source.provenance.get(name, LIST))
    summaries = list(dict.fromkeys(r.fields["annote"] for r in records if r.fields.get("annote")))
    if len(summaries) > 1:
        merged.set("annote", " ".join(summaries), merged.provenance.get("annote", LIST))
    merged.keep_case = tuple(dict.fromkeys(w for r in records for w in r.keep_case))
    merged.venue_short = typed.venue_short or next((r.venue_short for r in records if r.venue_short), "")
    merged.venue_type = typed.venue_type or next((r.venue_type for r in records if r.venue_type), "")
    for record in records:
        for path in record.sections:
            if path not in merged.sections:
                merged.sections.append(path)
        merged.items.extend(record.items)
        merged.links.extend(link for link in record.links if link not in merged.links)
    return merged
