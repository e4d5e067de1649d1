"""dblp's publication search API (JSON), with its quirks handled.

Quirks (dblp FAQ and client reports): one author comes as an object, not a list;
titles end with "."; an empty result has no ``hit`` key; ``venue`` and ``ee`` may be
lists; DOIs are upper-cased; person names may carry a homonym number ("Wei Wang 0001");
a 429 answer is not JSON. CoRR (arXiv) records never count as published versions.

Several papers of one venue-year are found with one ``toc:`` query (all records of
that proceedings volume) instead of one title query each.
"""

from __future__ import annotations

import json
import re

from ..http import Http
from ..model import Candidate
from ..names import _natural
from ..venues import KNOWN_VENUES

BASE = "https://dblp.org"
PATH = "/search/publ/api"
TOC_SIZE = 1000

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


def validate(response) -> str | None:
    kind = response.headers.get("Content-Type", "")
    if "json" not in kind:
        return f"expected JSON, got {kind or 'no content type'}"
    try:
        data = json.loads(response.content)
    except ValueError as error:
        return f"invalid JSON ({error})"
    if not isinstance(data, dict) or not isinstance(data.get("result"), dict):
        return "JSON without a 'result' object"
    return None


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def hits(data: dict) -> list[dict]:
    """The ``info`` of every hit; an empty answer has no ``hit`` key at all."""
    found = (data.get("result") or {}).get("hits") or {}
    return [h.get("info", {}) for h in _as_list(found.get("hit")) if isinstance(h, dict)]


def search(http: Http, query: str, base: str = BASE, size: int = 30) -> list[dict]:
    response = http.get(base.rstrip("/") + PATH, params={"q": query, "format": "json", "h": str(size), "c": "0"}, expect=validate)
    return hits(response.json())


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
