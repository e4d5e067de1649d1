"""dblp's publication search API (JSON), with its quirks handled.

Quirks (dblp FAQ and client reports): one author comes as an object, not a list;
titles end with "."; an empty result has no ``hit`` key; ``venue`` and ``ee`` may be
lists; DOIs are upper-cased; person names may carry a homonym number ("Wei Wang 0001");
a 429 answer is not JSON. CoRR (arXiv) records never count as published versions.

Several papers of one venue-year are found with one ``toc:`` query (all records of
that proceedings volume) instead of one title query each; every other paper costs one
search query (``title_query`` chooses it), never a retry.
"""

from __future__ import annotations

import re

from ..http import Http
from ..model import Candidate
from ..names import _natural
from ..venues import KNOWN_VENUES
from .answers import json_object

BASE = "https://dblp.org"
PATH = "/search/publ/api"
TOC_SIZE = 1000  # hits of a venue-year page: dblp's most
SEARCH_SIZE = 30  # hits of a title query: dblp's default
NAME_SEARCH_SIZE = 1000  # hits of a system-name query: a common name with a prolific author's still fits

# Our venue short names -> dblp's stream, for venue-year toc queries.
# ``db/conf/<stream>/<stream><year>.bht`` holds a conference's papers of one year.
TOC_STREAMS = {
    "OSDI": "osdi", "NSDI": "nsdi", "SOSP": "sosp", "USENIX ATC": "usenix", "EuroSys": "eurosys",
    "SIGCOMM": "sigcomm", "SIGMOD": "sigmod", "KDD": "kdd", "ICML": "icml", "NeurIPS": "nips",
    "SysML": "mlsys", "MLSys": "mlsys", "HPCA": "hpca", "ASPLOS": "asplos", "PLDI": "pldi",
    "MobiCom": "mobicom", "HotNets": "hotnets", "ICLR": "iclr", "CVPR": "cvpr", "ISCA": "isca",
    "FAST": "fast", "MobiSys": "mobisys",
}
# dblp venue strings -> our short names (for the long booktitle), beyond the exact ones.
_VENUE_ALIASES = {"nips": "neurips", "usenix annual technical conference": "atc", "usenix atc": "atc", "sigmod conference": "sigmod"}


def toc_query(short: str, year: str) -> str | None:
    stream = TOC_STREAMS.get(short)
    if not stream or not year:
        return None
    return f"toc:db/conf/{stream}/{stream}{year}.bht:"


validate = json_object("result")  # the search API answers {"result": {...}}


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def hits(data: dict) -> list[dict]:
    """The ``info`` of every hit; an empty answer has no ``hit`` key at all."""
    found = (data.get("result") or {}).get("hits") or {}
    return [h.get("info", {}) for h in _as_list(found.get("hit")) if isinstance(h, dict)]


def search(http: Http, query: str, base: str = BASE, size: int = SEARCH_SIZE) -> list[dict]:
    return search_page(http, query, base, size)[0]


def search_page(http: Http, query: str, base: str = BASE, size: int = SEARCH_SIZE, first: int = 0) -> tuple[list[dict], int]:
    """One page of hits, ``size`` (dblp sends at most 1,000) from the ``first``-th on, and how
    many there are in all (``@total``; the page's own count when dblp leaves it out)."""
    params = {"q": query, "format": "json", "h": str(size), "c": "0"}
    if first:
        params["f"] = str(first)
    data = http.get(base.rstrip("/") + PATH, params=params, expect=validate).json()
    page = hits(data)
    total = str(((data.get("result") or {}).get("hits") or {}).get("@total", ""))
    return page, int(total) if total.isdigit() else first + len(page)


def _name(author) -> str:
    text = author.get("text", "") if isinstance(author, dict) else str(author)
    return re.sub(r"\s+\d{4}$", "", " ".join(text.split()))  # "Wei Wang 0001" -> "Wei Wang"


def _long_venue(venue: str, year: str) -> tuple[str, str]:
    """(long name, venue type) for a dblp venue string such as 'OSDI' or 'NeurIPS'."""
    key = venue.lower()
    key = _VENUE_ALIASES.get(key, key)
    if key == "mlsys" and year == "2019":  # dblp files SysML 2019 under its later name
        key = "sysml"
    known = KNOWN_VENUES.get(key.replace(" ", ""))
    if known:
        return known[1], known[2]
    return venue, "workshop" if "workshop" in key else "conference"


def candidate(info: dict, matched_by: str = "title") -> Candidate:
    venues = [v for v in _as_list(info.get("venue")) if isinstance(v, str)]
    venue = venues[0] if venues else ""
    kind = info.get("type", "")
    # A report or thesis record names its institution or school (dblp's "tr/" and "phd/" keys).
    institution = str(info.get("institution", "") or "")
    school = str(info.get("school", "") or "")
    corr = venue == "CoRR" or (kind.startswith("Informal") and not institution)
    ee = [e for e in _as_list(info.get("ee")) if isinstance(e, str)]
    doi = (info.get("doi") or "").strip()
    for link in ee:  # dblp upper-cases ``doi``; the link keeps the registrant's case
        if link.lower().startswith("https://doi.org/") and link[16:].lower() == doi.lower():
            doi = link[16:]
    fields = {
        "year": str(info.get("year", "")),
        "pages": re.sub(r"\s*-+\s*", "--", str(info.get("pages", ""))),
        "volume": str(info.get("volume", "")),
        "number": str(info.get("number", "")),
        "dblp": str(info.get("key", "")),
    }
    if kind == "Journal Articles" and not corr:
        entry_type, venue_type = "article", "journal"
        known = KNOWN_VENUES.get(venue.lower().replace(" ", ""))
        fields["journal"] = known[1] if known and known[2] == "journal" else venue
    elif kind == "Books and Theses" and school:
        entry_type, venue_type = "phdthesis", "thesis"
        fields["school"] = school
        for name in ("volume", "number"):
            fields.pop(name, None)
    elif institution:
        entry_type, venue_type = "techreport", "report"
        fields["institution"] = institution
        fields.pop("volume", None)
    elif corr:
        entry_type, venue_type = "misc", "preprint"
        match = re.search(r"abs/(\d{4}\.\d{4,5})", fields["volume"])
        if match:
            fields["eprint"] = match.group(1)
        fields.pop("volume", None)
    else:
        long_name, venue_type = _long_venue(venue, fields["year"])
        entry_type = "inproceedings"
        fields["booktitle"] = long_name
        fields.pop("volume", None)
        fields.pop("number", None)
    if doi and not corr:
        fields["doi"] = doi
    landing = next((e for e in ee if not e.lower().startswith("https://doi.org/")), "")
    if landing and not corr:
        fields["url"] = landing
    title = " ".join(str(info.get("title", "")).split())
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    return Candidate(
        source="dblp",
        id=fields["dblp"],
        title=title,
        authors=[_natural(_name(a)) for a in _as_list((info.get("authors") or {}).get("author"))],
        entry_type=entry_type,
        fields={k: v for k, v in fields.items() if v},
        published=not corr,
        venue_type=venue_type,
        matched_by=matched_by,
    )


def attach_twin(published: Candidate, corr: Candidate) -> bool:
    """Give a published record the arXiv id of its CoRR twin: same work by title AND authors.

    dblp keeps a paper's arXiv version as a separate CoRR record; the published record
    carries no eprint of its own. A title alone is not enough (two papers can share a
    title), so the two must also share most of their authors.
    """
    from ..match import title_similarity
    from ..normalize import ascii_fold

    def families(candidate: Candidate) -> set[str]:
        return {ascii_fold(p.family).lower() for p in candidate.authors if p.family}

    eprint = corr.fields.get("eprint")
    if not eprint or published.fields.get("eprint") or title_similarity(published.title, corr.title) < 90:
        return False
    mine, theirs = families(published), families(corr)
    if not mine or len(mine & theirs) * 2 <= max(len(mine), len(theirs)):
        return False
    published.fields["eprint"] = eprint
    published.fields["archiveprefix"] = "arXiv"
    return True


# ----------------------------------------------------------------------------- as a source

from .. import match  # noqa: E402
from ..http import FetchError  # noqa: E402
from ..model import Record  # noqa: E402
from .base import Host, Lookup, Online, Source, best_by_title, take_best  # noqa: E402

HOST = Host("dblp", BASE, 1.0, description="dblp's search API")


from . import dblp_record  # noqa: E402  (imports BASE from this module: after it is defined)


class Dblp(Source):
    """One ``toc:`` query per venue-year that several papers share (a page of 1,000 hits, the
    next page only while some of them are still not found), then one query per paper left."""

    name, label, kinds, hosts, phase, rank = "dblp", "dblp", frozenset({"paper"}), (HOST,), 1, 20
    validators = {PATH: validate, dblp_record.PATH: dblp_record.validate}  # search API; record export (``add``)

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        http, base = online.http, online.base(HOST)
        groups: dict[str, list[Record]] = {}
        for record in records:
            query = toc_query(record.venue_short, record.year)
            if query:
                groups.setdefault(query, []).append(record)
        done: set[int] = set()
        searched: set[int] = set()  # records whose whole venue-year was read
        for query, members in groups.items():
            if len(members) < 2:
                continue  # one title query costs the same and is more precise
            left, first = members, 0
            try:
                while left:
                    page, total = search_page(http, query, base, TOC_SIZE, first)
                    left = take_best(left, [candidate(info) for info in page], found)
                    first += TOC_SIZE
                    if first >= total or len(page) < TOC_SIZE:
                        searched.update(id(r) for r in members)
                        break
            except FetchError as error:  # those not found yet are asked by title
                for record in left:
                    found[id(record)].failures["dblp"] = f"venue-year query failed: {error.reason}"
            unmatched = {id(r) for r in left}
            done.update(id(r) for r in members if id(r) not in unmatched)
        for record in records:
            if id(record) not in done:
                self._by_search(http, base, record, found[id(record)], id(record) in searched)

    def _by_search(self, http, base: str, record: Record, lookup: Lookup, venue_year_read: bool = False) -> None:
        """The paper's one search query (``title_query``), and the best of its hits."""
        query, size = title_query(record, venue_year_read)
        words = re.findall(r"[^\W_]+", query)
        if not words:
            lookup.failures.setdefault("dblp", "no record with this title")
            return
        try:
            hits = [candidate(info) for info in search(http, " ".join(words), base, size)]
        except FetchError as error:
            lookup.failures["dblp"] = error.reason
            return
        best = best_by_title(record, hits) or retitled(record, hits)
        if best:
            # The conference/journal record wins over the CoRR record of the same paper.
            published = [c for c in best if c.published]
            lookup.candidates.extend(published[:1] or best[:1])
            corr = [c for c in best if not c.published][:1]
            if published and corr:
                attach_twin(published[0], corr[0])  # the CoRR twin's arXiv id
                lookup.candidates.extend(corr)
        else:
            lookup.candidates.extend(hits[:1])  # so the report can say why it was not taken
            lookup.failures.setdefault("dblp", "no record with this title")


def title_query(record: Record, venue_year_read: bool = False) -> tuple[str, int]:
    """The ONE dblp query for a paper no venue-year query found, and how many hits to ask.

    One query per paper keeps a cold resolve at one ``toc:`` query per venue-year plus one per
    leftover paper, so the query must be the one that finds the paper however it is titled:

    1. A title spelled out in the paper's URL (``5872-efficient-and-robust-automated-machine-
       learning.pdf``) that is not the list's title: the publisher wrote it from the paper's
       title, and the list's differing text is a description ("Aut-sklearn: Automated Machine
       Learning with scikit-learn"). When the two share enough distinctive words (four, and
       two thirds of the shorter's), those shared words are asked: every one is in whichever of
       the two is the real title, so the query finds it either way. When they share fewer, the
       URL's title is asked; when they share none, the file name is not this entry's title and
       is ignored (the list's title is asked, as when the two agree).
    2. A "Name: ..." title outside every venue-year read whole (a retitled paper of such a
       venue-year would have been on its page): ``Name Family`` of the first author. dblp
       matches every query word as a prefix of a word of the title OR the authors, so this one
       query finds the paper under its own title and under the title a venue gave it
       (NoScope's PVLDB record), which ``retitled`` then accepts by the name and two shared
       authors (a list that inverts names, "Quanming, Y.", still matches: given names are
       author words too). The family name loses its accents ("Müller" -> "Muller": dblp
       matches a word without diacritics diacritics-insensitively, so it finds "Müller" and a
       transliterated "Muller" alike, but a word with one exactly); a letter of its own ("Ø",
       "ł") is kept. Up to 1,000 hits are asked (one request either way; dblp sends only what
       matches), so that a common system name with a prolific author's still brings the
       paper; ``best_by_title`` and ``retitled`` choose among them as among 30. What it
       misses: a list that misspells the first author's family name (or names someone dblp
       does not list first or at all); a title query would miss a misspelled title word as
       easily (TrIMS's "LearningInference"), and no title query finds a retitled paper.
       With no author listed the name alone is asked (the list only describes the system:
       "Nexus: Nexus is a scalable ... serving system"); with an organisation as first
       author, the title.
    3. Otherwise the list's title.
    """
    title = record.title or ""
    spelled = match.title_hints(record, record.links)[1 if title else 0 :]
    for hint in spelled:
        if title and match.title_similarity(hint, title) >= match.TITLE_THRESHOLD:
            break  # the URL spells the list's title
        if not title:
            return hint, SEARCH_SIZE
        ours, theirs = _distinctive(title), _distinctive(hint)
        shared = [w for w in ours if w in theirs]
        if len(shared) >= 4 and 3 * len(shared) >= 2 * min(len(ours), len(theirs)):
            return " ".join(shared), SEARCH_SIZE
        if shared:
            return hint, SEARCH_SIZE
    name = "" if venue_year_read else match.system_name(title)
    first = record.authors[0] if record.authors else None
    if name and first and not first.literal and first.family:
        return f"{name} {_without_accents(first.family)}", NAME_SEARCH_SIZE
    if name and not record.authors:
        return name, NAME_SEARCH_SIZE
    return title, SEARCH_SIZE


def _without_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _distinctive(title: str) -> list[str]:
    """A title's words that narrow a search (not "the", "for", "system"...), once each, in order."""
    return list(dict.fromkeys(w for w in match.title_words(title).split() if len(w) >= 3 and w not in match.STOP_WORDS))


def retitled(record: Record, hits: list[Candidate]) -> list[Candidate]:
    """Hits that are the list's paper under a title its venue gave it (``match.same_system``:
    the same system name, two shared authors, close years), most similar first, published first."""
    hints = match.title_hints(record, record.links)
    scored = [(match.best_title_similarity(hints, c.title), c) for c in hits]
    same = [(score, c) for score, c in scored if match.same_system(record, c, score)]
    return [c for _, c in sorted(same, key=lambda pair: (-pair[0], not pair[1].published))]
