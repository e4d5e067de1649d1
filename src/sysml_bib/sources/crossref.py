"""The publisher's own record of a DOI, from Crossref's REST API (``/works/<doi>``, JSON).

ACM, the VLDB Endowment and IEEE deposit their records with Crossref, so for a paper
with a publisher DOI this is the venue's own record: its title as published, article
numbers, volume and issue. dblp copies these, but a recorded dblp snapshot may predate a
correction; where the two disagree, ``merge`` takes the publisher's and reports it.

Quirks: ``title`` and ``container-title`` are lists; ``page`` is "1586-1597" or just
"1"; an article number comes apart in ``article-number``; dates are ``date-parts``;
an unknown DOI is HTTP 404 (not an error page with status 200). Titles are as deposited
(ACM deposits sentence case), so ``merge`` keeps dblp's capitalisation when only the
case differs.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from ..http import FetchError, Http
from ..model import Candidate, Person

BASE = "https://api.crossref.org"
PATH = "/works/"
TYPES = {"journal-article": ("article", "journal"), "proceedings-article": ("inproceedings", "conference")}


def validate(response) -> str | None:
    kind = response.headers.get("Content-Type", "")
    if "json" not in kind:
        return f"expected JSON, got {kind or 'no content type'}"
    try:
        data = json.loads(response.content)
    except ValueError as error:
        return f"invalid JSON ({error})"
    if not isinstance(data, dict) or not isinstance(data.get("message"), dict):
        return "JSON without a 'message' object"
    return None


def _first(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value or "").split())


def _year(message: dict) -> str:
    for name in ("published-print", "published", "issued", "published-online"):
        parts = (message.get(name) or {}).get("date-parts") or [[]]
        if parts and parts[0] and parts[0][0]:
            return str(parts[0][0])
    return ""


def pages(page: str, article: str) -> str:
    """BibTeX pages, with the article number as the venue writes it ("18:1--18:17")."""
    page = re.sub(r"\s*[-–]+\s*", "--", page.strip())
    if article and page and not page.startswith(f"{article}:"):
        first, _, last = page.partition("--")
        return f"{article}:{first}--{article}:{last}" if last else f"{article}:{first}"
    return page or (article and f"{article}")


def candidate(message: dict) -> Candidate:
    entry_type, venue_type = TYPES.get(message.get("type", ""), ("misc", ""))
    fields = {
        "doi": str(message.get("DOI", "")),
        "year": _year(message),
        "volume": str(message.get("volume", "") or ""),
        "number": str(message.get("issue", "") or ""),
        "pages": pages(str(message.get("page", "") or ""), str(message.get("article-number", "") or "")),
    }
    # ``publisher`` is Crossref's member name ("Association for Computing Machinery (ACM)"),
    # not how a bibliography names a publisher: left out.
    container = _first(message.get("container-title"))
    if container:
        fields["journal" if entry_type == "article" else "booktitle"] = container
    authors = []
    for person in message.get("author") or []:
        if person.get("family"):
            authors.append(Person(" ".join(person["family"].split()), " ".join(str(person.get("given", "")).split())))
        elif person.get("name"):
            authors.append(Person(person["name"], literal=True))
    return Candidate(
        source="crossref",
        id=fields["doi"],
        title=_first(message.get("title")),
        authors=authors,
        entry_type=entry_type,
        fields={k: v for k, v in fields.items() if v},
        published=entry_type != "misc",
        venue_type=venue_type,
        matched_by="doi",
    )


def fetch(http: Http, doi: str, base: str = BASE) -> Candidate | None:
    """The record of ``doi``, or None when Crossref does not know it (HTTP 404)."""
    try:
        response = http.get(base.rstrip("/") + PATH + quote(doi, safe="/"), expect=validate)
    except FetchError as error:
        if error.reason == "HTTP 404":
            return None
        raise
    return candidate(response.json()["message"])
