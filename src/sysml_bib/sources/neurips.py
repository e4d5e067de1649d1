"""The NeurIPS proceedings' own record of a paper: its ``-Metadata.json`` file.

Every paper of ``proceedings.neurips.cc`` (formerly ``papers.nips.cc``) has, beside its
abstract page ``/paper/<year>/hash/<hash>-Abstract.html``, a metadata file
``/paper/<year>/file/<hash>-Metadata.json`` with ``title``, ``book`` ("Advances in
Neural Information Processing Systems"), ``page_first`` and ``page_last``. dblp's page
numbers can predate the proceedings' final ones (Differentiable MPC: dblp 8299-8310,
the proceedings 8289-8300), so ``merge`` trusts these.
"""

from __future__ import annotations

import re

from ..http import FetchError, Http
from ..model import Candidate, Person
from .answers import json_object

BASE = "https://proceedings.neurips.cc"
PATH = "/paper/"
_LANDING = re.compile(
    r"^https?://(?:proceedings\.neurips\.cc|papers\.nips\.cc)/paper(?:_files/paper)?/(\d{4})/(?:hash|file)/([0-9a-f]{32})-"
)


def recognise(url: str) -> tuple[str, str] | None:
    """(year, hash) of a NeurIPS proceedings URL, else None."""
    found = _LANDING.match(url.strip())
    return (found.group(1), found.group(2)) if found else None


validate = json_object("title", typed=False)  # a static file: the Content-Type says little


def candidate(data: dict, year: str, url: str) -> Candidate:
    first, last = data.get("page_first"), data.get("page_last")
    fields = {"year": year, "pages": f"{first}--{last}" if first and last else "", "url": url}
    authors = []
    for person in data.get("authors") or []:
        if isinstance(person, dict) and person.get("family_name"):
            authors.append(Person(person["family_name"], person.get("given_name", "")))
    return proceedings_candidate("neurips", f"{year}/{recognise(url)[1]}", str(data.get("title", "")), authors, fields)


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


# ----------------------------------------------------------------------------- as a source

from .base import Host  # noqa: E402
from .venue_record import VenueRecordSource, proceedings_candidate  # noqa: E402

HOST = Host("neurips", BASE, 1.0, description="the NeurIPS proceedings site")


class Neurips(VenueRecordSource):
    """The proceedings' metadata file of a paper whose landing page the list or dblp gives."""

    name, label, hosts, rank = "neurips", "NeurIPS proceedings", (HOST,), 16
    validators = {PATH: validate}
    fetch_record = staticmethod(fetch)
    recognise = staticmethod(recognise)
