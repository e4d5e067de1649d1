"""PMLR's own record of a paper: the front matter of its post in the volume's repository.

PMLR (Proceedings of Machine Learning Research: ICML, AISTATS, CoRL, ...) keeps each
volume as a public GitHub repository, ``mlresearch/v<N>``, published with GitHub Pages:
``_config.yml`` names the volume's publication date, and ``_posts/<date>-<id>.md`` holds
each paper's record as citeproc-style YAML front matter (title, authors, firstpage,
lastpage, volume, booktitle). Corrections land there (ICML 2018's ``jia18a`` was retitled
and repaginated after dblp's snapshot), so it is the record ``merge`` trusts over dblp.

A paper is found from its landing page URL (``proceedings.mlr.press/v80/jia18a.html``,
as dblp's ``ee`` and lists give it): two requests, the volume's config (cached, one per
volume) and the post.
"""

from __future__ import annotations

import re

from ..http import FetchError, Http
from ..model import Candidate, Person

BASE = "https://raw.githubusercontent.com"
PATH = "/mlresearch/"
BRANCH = "gh-pages"
_LANDING = re.compile(r"^https?://proceedings\.mlr\.press/(v\d+)/([A-Za-z0-9_-]+?)(?:\.html|/[^/]*\.pdf)?$")


def recognise(url: str) -> tuple[str, str] | None:
    """(volume, paper id) of a PMLR landing page or PDF URL, else None."""
    found = _LANDING.match(url.strip())
    return (found.group(1), found.group(2)) if found else None


def validate(response) -> str | None:
    if not response.content:
        return "empty answer"
    text = response.content[:200].decode("utf-8", "replace").lstrip()
    if not text.startswith("---"):
        return "expected YAML front matter (a file starting with ---)"
    return None


def _scalar(text: str) -> str:
    """A YAML scalar as PMLR writes them: plain, or single-quoted with '' for a quote."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('\\"', '"')
    return text


def front_matter(text: str) -> dict:
    """The top-level keys of a post's front matter, and ``author`` as (given, family) pairs.

    PMLR folds long values over indented lines ("booktitle: Proceedings of the Fourth
    International Conference on Automated Machine" + "  Learning"): those lines continue
    the value.
    """
    body = text.split("---", 2)[1] if text.lstrip().startswith("---") else text
    raw: dict[str, str] = {}
    data: dict = {"author": []}
    key = None
    for line in body.splitlines():
        top = re.match(r"^([A-Za-z_-]+):\s*(.*)$", line)
        if top:
            key, value = top.group(1), top.group(2)
            if value:
                raw[key] = value
            continue
        if key == "author":
            given = re.match(r"^- given:\s*(.*)$", line.strip())
            family = re.match(r"^family:\s*(.*)$", line.strip())
            if given:
                data["author"].append([_scalar(given.group(1)), ""])
            elif family and data["author"]:
                data["author"][-1][1] = _scalar(family.group(1))
        elif key in raw and line[:1].isspace() and line.strip() and not line.strip().startswith(("- ", "#")):
            raw[key] += " " + line.strip()
    data.update({name: _scalar(value) for name, value in raw.items()})
    return data


def _pages(first: str, last: str) -> str:
    """'561--577'; PMLR's per-paper numbering ('firstpage: 21/1', 'lastpage: 25': paper 21,
    pages 1-25, as volume 293 writes it) in the article-number form '21:1--21:25'."""
    numbered = re.fullmatch(r"(\d+)/(\d+)", first)
    if numbered and last.isdigit():
        return f"{numbered.group(1)}:{numbered.group(2)}--{numbered.group(1)}:{last}"
    return f"{first}--{last}" if first and last else first


def candidate(data: dict, url: str, volume: dict | None = None) -> Candidate:
    """The record of a post; ``volume`` (the volume's ``_config.yml``) names the booktitle and
    year where the post does not (newer posts carry ``container-title`` and ``date``)."""
    volume = volume or {}
    fields = {
        "booktitle": data.get("booktitle") or data.get("container-title") or volume.get("booktitle", ""),
        "year": data.get("year") or volume.get("year") or data.get("date", "")[:4],
        "volume": data.get("volume", ""),
        "series": data.get("series", ""),
        "publisher": data.get("publisher", ""),
        "pages": _pages(data.get("firstpage", ""), data.get("lastpage", "")),
        "url": url,
    }
    authors = [Person(family, given) for given, family in data.get("author", []) if family]
    return proceedings_candidate("pmlr", f"v{data.get('volume', '')}/{data.get('id', '')}", data.get("title", ""), authors, fields)


def fetch(http: Http, url: str, base: str = BASE) -> Candidate | None:
    """PMLR's record of the paper at ``url``, or None when the volume has no such post."""
    found = recognise(url)
    if not found:
        return None
    volume, paper = found
    root = f"{base.rstrip('/')}{PATH}{volume}/{BRANCH}"
    try:
        config = http.get(f"{root}/_config.yml", expect=validate).text
        published = re.search(r"^published:\s*'?(\d{4}-\d{2}-\d{2})", config, re.MULTILINE)
        if not published:
            raise FetchError(f"{root}/_config.yml", "no publication date in the volume's _config.yml")
        post = http.get(f"{root}/_posts/{published.group(1)}-{paper}.md", expect=validate)
    except FetchError as error:
        if error.reason == "HTTP 404":
            return None
        raise
    return candidate(front_matter(post.text), url, front_matter(config))


# ----------------------------------------------------------------------------- as a source

from .base import Host  # noqa: E402
from .venue_record import VenueRecordSource, proceedings_candidate  # noqa: E402

# PMLR's volumes are GitHub repositories: the raw file host, under its own name for --pmlr-url.
HOST = Host("pmlr", BASE, 1.0, description="PMLR's volume repositories (raw files)")


class Pmlr(VenueRecordSource):
    """PMLR's front matter of a paper whose landing page the list or dblp gives."""

    name, label, hosts, rank = "pmlr", "PMLR", (HOST,), 14
    validators = {PATH: validate}
    fetch_record = staticmethod(fetch)
    recognise = staticmethod(recognise)
