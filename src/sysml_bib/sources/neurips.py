"""The NeurIPS proceedings' own record of a paper: its ``-Metadata.json`` file.

Every paper of ``proceedings.neurips.cc`` (formerly ``papers.nips.cc``) has, beside its
abstract page ``/paper/<year>/hash/<hash>-Abstract.html``, a metadata file
``/paper/<year>/file/<hash>-Metadata.json`` with ``title``, ``book`` ("Advances in
Neural Information Processing Systems"), ``page_first`` and ``page_last``. dblp's page
numbers can predate the proceedings' final ones (Differentiable MPC: dblp 8299-8310,
the proceedings 8289-8300), so ``merge`` trusts these.
"""

from __future__ import annotations

import json
import re

from ..http import FetchError, Http
from ..model import Candidate, Person

BASE = "https://proceedings.neurips.cc"
PATH = "/paper/"
_LANDING = re.compile(
    r"^https?://(?:proceedings\.neurips\.cc|papers\.nips\.cc)/paper(?:_files/paper)?/(\d{4})/(?:hash|file)/([0-9a-f]{32})-"
)


def recognise(url: str) -> tuple[str, str] | None:
    """(year, hash) of a NeurIPS proceedings URL, else None."""
    found = _LANDING.match(url.strip())
    return (found.group(1), found.group(2)) if found else None


def validate(response) -> str | None:
    if not response.content:
        return "empty answer"
    try:
        data = json.loads(response.content)
    except ValueError as error:
        return f"invalid JSON ({error})"
    if not isinstance(data, dict) or "title" not in data:
        return "JSON without a 'title'"
    return None


def candidate(data: dict, year: str, url: str) -> Candidate:
    first, last = data.get("page_first"), data.get("page_last")
    fields = {"year": year, "pages": f"{first}--{last}" if first and last else "", "url": url}
    authors = []
    for person in data.get("authors") or []:
        if isinstance(person, dict) and person.get("family_name"):
            authors.append(Person(person["family_name"], person.get("given_name", "")))
    return Candidate(
        source="neurips",
        id=f"{year}/{recognise(url)[1]}",
        title=" ".join(str(data.get("title", "")).split()),
        authors=authors,
        entry_type="inproceedings",
        fields={k: v for k, v in fields.items() if v},
        published=True,
        venue_type="conference",
        matched_by="landing-url",
    )


def fetch(http: Http, url: str, base: str = BASE) -> Candidate | None:
    found = recognise(url)
    if not found:
        return None
    year, digest = found
    try:
        response = http.get(f"{base.rstrip('/')}{PATH}{year}/file/{digest}-Metadata.json", expect=validate)
    except FetchError as error:
        if error.reason == "HTTP 404":
            return None
        raise
    return candidate(response.json(), year, url)
