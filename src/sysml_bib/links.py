"""Classify a link by its URL alone.

Labels in awesome lists are unreliable (the Ray item's "[GitHub]" points to a USENIX
page), so the type comes from the host and path only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from .model import Link

LINK_TYPES = (
    "arxiv",  # arxiv.org/abs/<id> or /pdf/<id>
    "usenix-page",  # usenix.org/conference/<conf>/.../presentation/<slug>
    "usenix-pdf",  # usenix.org/system/files/...pdf
    "github",  # github.com/<owner>/<repo>
    "github-profile",  # github.com/<owner>
    "doi",  # doi.org/<doi>, or a publisher page whose path carries the DOI (dl.acm.org/doi/10.1145/...)
    "pdf",  # any other PDF (proceedings, author copies)
    "youtube",
    "other",
    "invalid",  # empty, relative or non-http(s): never fetched
)

# New-style ids (0704.0001 onwards) and old-style ids (hep-th/9901001, astro-ph/0601001).
ARXIV_NEW_ID = r"\d{4}\.\d{4,5}"
ARXIV_OLD_ID = r"[a-z][a-z\-]+(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_PATH = re.compile(rf"^/(?:abs|pdf)/({ARXIV_NEW_ID}|{ARXIV_OLD_ID})(v\d+)?(?:\.pdf)?/?$")
ARXIV_ID = re.compile(rf"^(?:{ARXIV_NEW_ID}|{ARXIV_OLD_ID})$")


def is_valid_arxiv_id(arxiv_id: str) -> bool:
    """What arXiv accepts: a real month, and 4 digits after the dot until 2014, 5 from 2015.

    One id arXiv refuses makes it refuse the whole batch, so ids are checked first.
    """
    arxiv_id = re.sub(r"v\d+$", "", arxiv_id)
    match = re.fullmatch(r"(\d{2})(\d{2})\.(\d{4,5})", arxiv_id)
    if match:
        yymm = int(match.group(1) + match.group(2))
        month_ok = 1 <= int(match.group(2)) <= 12 and yymm >= 704
        return month_ok and len(match.group(3)) == (4 if yymm < 1501 else 5)
    return bool(re.fullmatch(ARXIV_OLD_ID, arxiv_id))


@lru_cache(maxsize=65536)  # pure; the readers and normalize ask about the same links again
def classify(url: str, label: str = "") -> Link:
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return Link(url, label, "invalid")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return Link(url, label, "invalid")
    host = parts.hostname.lower().removeprefix("www.")
    path = unquote(parts.path)

    if host in ("arxiv.org", "export.arxiv.org"):
        match = _ARXIV_PATH.match(path)
        if match:
            return Link(url, label, "arxiv", arxiv_id=match.group(1))
    if host == "usenix.org":
        if "/presentation/" in path and path.startswith("/conference/"):
            return Link(url, label, "usenix-page")
        if path.startswith("/system/files/") and path.lower().endswith(".pdf"):
            return Link(url, label, "usenix-pdf")
    if host == "github.com":
        segments = [s for s in path.split("/") if s]
        if len(segments) >= 2:
            return Link(url, label, "github", repo=f"{segments[0]}/{segments[1].removesuffix('.git')}")
        if len(segments) == 1:
            return Link(url, label, "github-profile")
    if host in ("doi.org", "dx.doi.org") and path.startswith("/10."):
        return Link(url, label, "doi")
    if host in _DOI_IN_PATH_HOSTS and _DOI_IN_PATH.search(path):
        return Link(url, label, "doi")
    if host in ("youtube.com", "youtu.be", "m.youtube.com"):
        return Link(url, label, "youtube")
    if path.lower().endswith(".pdf"):
        return Link(url, label, "pdf")
    return Link(url, label, "other")


# Publishers whose landing pages name the DOI in the path: /doi/abs/10.1145/3332186.3332246.
_DOI_IN_PATH_HOSTS = frozenset({"dl.acm.org", "link.springer.com", "onlinelibrary.wiley.com", "tandfonline.com"})
_DOI_IN_PATH = re.compile(r"/(10\.\d{4,9}/[^?#]+?)/?$")


def doi_of(link: Link) -> str | None:
    if link.type != "doi":
        return None
    path = unquote(urlsplit(link.url).path)
    match = _DOI_IN_PATH.search(path)
    return match.group(1) if match else path.lstrip("/")


def host_label(url: str) -> str:
    """The registrable name of a URL's host: 'medium' for medium.com, 'nips' for papers.nips.cc."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    labels = [p for p in host.split(".") if p and p not in ("www", "m")]
    if len(labels) >= 2:
        # "co.uk"-style suffixes are rare in this domain; take the label before the TLD.
        return labels[-2]
    return labels[0] if labels else ""


PAPER_LINK_TYPES = frozenset({"arxiv", "usenix-page", "usenix-pdf", "doi", "pdf"})
