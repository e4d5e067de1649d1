"""dblp's record export: one record by its key, as BibTeX (``/rec/<key>.bib?param=1``).

``add`` uses it for a dblp URL (``https://dblp.org/rec/conf/osdi/ChenMJZYSCWHCGK18``,
``.html``/``.bib``/``.xml`` forms, the older ``/rec/bib/<key>`` and ``/rec/bibtex/<key>``
forms, and the ``dblp.uni-trier.de`` host). ``param=1`` is the "standard" export: full
booktitle, ``doi``, ``url``. Quirks (dblp's own exports): ``_`` in ``url``/``doi`` is
written ``\\_``, the DOI is upper-cased, names may carry a homonym number ("Wei Wang
0001"), CoRR records are ``@article`` with ``journal = {CoRR}`` and the arXiv id in
``eprint``. An unknown key is HTTP 404.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

from .. import latex
from ..http import Http
from ..model import Candidate
from ..names import _natural
from ..venues import KNOWN_VENUES
from .dblp import BASE

PATH = "/rec/"
_HOSTS = {"dblp.org", "dblp.uni-trier.de", "dblp.dagstuhl.de"}
_KEY_PATH = re.compile(r"^/rec/(?:bibtex/|bib/|xml/)?(?P<key>[a-z]+/[\w\-]+/[\w\-.:]+?)(?:\.(?:html|bib|xml|ris|nt|ttl|rdf))?/?$")


def key_of(url: str) -> str | None:
    """The record key of a dblp record URL, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host not in _HOSTS:
        return None
    match = _KEY_PATH.match(unquote(parts.path))
    return match.group("key") if match else None


def validate(response) -> str | None:
    start = response.content[:2048].lstrip()
    if start[:1] != b"@":
        kind = response.headers.get("Content-Type", "")
        return f"expected a BibTeX record, got {kind or 'no content type'} starting {start[:20]!r}"
    return None


def _clean(value: str) -> str:
    return " ".join(value.replace("\\_", "_").split())


def candidate_from_bibtex(text: str) -> Candidate | None:
    """The record of a dblp BibTeX export (the first entry; a crossref'd proceedings entry is ignored)."""
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    entries = [e for e in library.entries if e.entry_type.lower() != "proceedings"]
    if not entries:
        return None
    entry = entries[0]
    raw = {f.key.lower(): str(f.value) for f in entry.fields}
    if not raw.get("title") or not raw.get("author"):
        return None
    key = entry.key.removeprefix("DBLP:")
    authors = [re.sub(r"\s+\d{4}$", "", " ".join(latex.decode(a).split())) for a in re.split(r"\s+and\s+", " ".join(raw["author"].split()))]
    fields = {name: latex.decode(raw[name]) for name in ("year", "volume", "number", "pages", "publisher") if raw.get(name)}
    fields["pages"] = re.sub(r"\s*-+\s*", "--", fields.get("pages", ""))
    fields["dblp"] = key
    journal = " ".join(latex.decode(raw.get("journal", "")).split())
    corr = journal == "CoRR" or key.startswith("journals/corr/")
    if corr:
        entry_type, venue_type, published = "misc", "preprint", False
        if raw.get("eprint"):
            fields["eprint"] = _clean(raw["eprint"])
        fields.pop("volume", None)
    elif entry.entry_type.lower() == "article":
        entry_type, venue_type, published = "article", "journal", True
        known = KNOWN_VENUES.get(journal.lower().replace(" ", ""))
        fields["journal"] = known[1] if known and known[2] == "journal" else journal
    else:
        entry_type, published = "inproceedings", True
        booktitle = " ".join(latex.decode(raw.get("booktitle", "")).split())
        venue_type = "workshop" if "workshop" in booktitle.lower() else "conference"
        fields["booktitle"] = booktitle
        fields.pop("volume", None)
        fields.pop("number", None)
    if raw.get("doi") and not corr:
        doi = _clean(raw["doi"])
        url = _clean(raw.get("url", ""))
        # The DOI is upper-cased; a doi.org url keeps the registrant's case.
        if url.lower().startswith("https://doi.org/") and url[16:].lower() == doi.lower():
            doi = url[16:]
        fields["doi"] = doi
    if raw.get("url") and not corr:
        fields["url"] = _clean(raw["url"])
    return Candidate(
        source="dblp",
        id=key,
        title=latex.decode(raw["title"]).strip().rstrip("."),
        authors=[_natural(a) for a in authors if a],
        entry_type=entry_type,
        fields={k: v for k, v in fields.items() if v},
        keep_case=latex.protected_words(raw["title"]),
        published=published,
        venue_type=venue_type,
        matched_by="dblp-key",
    )


def fetch(http: Http, key: str, base: str = BASE) -> Candidate | None:
    """The record with this key (``FetchError`` when dblp does not answer with one)."""
    response = http.get(f"{base.rstrip('/')}{PATH}{key}.bib", params={"param": "1"}, expect=validate)
    return candidate_from_bibtex(response.content.decode("utf-8", errors="replace"))
