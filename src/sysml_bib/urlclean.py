"""URL hygiene: the URL written for a work is the one a reader should follow, without
the list author's tracking or personal parameters, and the landing page rather than a
PDF copy when the record has one. Pure; the list's original URL goes into the report.

Removed query parameters:
- everywhere: ``utm_*`` (campaign tracking), ``fbclid`` (Facebook), ``gclid`` (Google
  Ads), ``si`` (YouTube/Spotify share tracking);
- YouTube: ``list=WL`` (the sharer's private "Watch later" playlist), ``index`` (a
  position in that playlist), ``t`` (where the sharer stopped watching), and
  ``feature``/``pp`` share markers;
- WeChat articles (``mp.weixin.qq.com``): ``from`` and ``isappinstalled`` (which app the
  sharer used), ``scene``, ``srcid``, ``sharer_*``, ``clicktime``, ``enterid``.

Landing pages: an arXiv PDF becomes its abstract page (``arxiv.org/abs/<id>``, the
version suffix kept), and a PDF (USENIX or any other) is replaced by a landing page of
the same publication the list links (USENIX presentation page, publisher DOI page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from . import links as linkmod
from .model import Record

_TRACKING = re.compile(r"^(utm_.*|fbclid|gclid|si|mc_cid|mc_eid)$", re.IGNORECASE)
_YOUTUBE_HOSTS = {"youtube.com", "m.youtube.com", "youtu.be", "music.youtube.com"}
_YOUTUBE_PERSONAL = {"index", "t", "feature", "pp", "ab_channel"}
_WECHAT_PERSONAL = re.compile(r"^(from|isappinstalled|scene|srcid|sharer_.*|clicktime|enterid|ascene|devicetype|version|nettype|lang|exportkey|pass_ticket|wx_header)$")
# Landing pages of the same publication as a PDF; an arXiv page is the preprint's, not a
# proceedings PDF's, so it replaces only an arXiv PDF.
_LANDING_TYPES = ("usenix-page", "doi")


def _host(parts) -> str:
    return (parts.hostname or "").lower().removeprefix("www.")


def _keep(name: str, value: str, host: str) -> bool:
    if _TRACKING.match(name):
        return False
    if host in _YOUTUBE_HOSTS and (name in _YOUTUBE_PERSONAL or (name == "list" and value.upper() in ("WL", "LL"))):
        return False
    if host == "mp.weixin.qq.com" and _WECHAT_PERSONAL.match(name):
        return False
    return True


def clean_url(url: str) -> str:
    """``url`` without tracking and personal query parameters; anything else unchanged."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if not parts.query:
        return url
    host = _host(parts)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(name, value) for name, value in pairs if _keep(name, value, host)]
    if len(kept) == len(pairs):
        return url  # untouched: keep the exact spelling of the query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept, safe=":/@!$'()*,;"), parts.fragment))


def arxiv_landing(url: str) -> str | None:
    """``arxiv.org/pdf/1705.07538v2.pdf`` -> ``https://arxiv.org/abs/1705.07538v2``."""
    match = re.match(r"^https?://(?:www\.|export\.)?arxiv\.org/pdf/(.+?)(?:\.pdf)?/?$", url.strip())
    return f"https://arxiv.org/abs/{match.group(1)}" if match else None


def landing_page(url: str, record_links: list[str]) -> str:
    """The landing page for a PDF URL, if there is one; else ``url``."""
    arxiv = arxiv_landing(url)
    if arxiv:
        return arxiv
    if linkmod.classify(url).type not in ("pdf", "usenix-pdf"):
        return url
    classified = [linkmod.classify(link) for link in record_links]
    for wanted in _LANDING_TYPES:
        for link in classified:
            if link.type == wanted:
                return link.url
    return url


@dataclass(frozen=True)
class UrlChange:
    listed: str
    written: str
    why: str

    def as_json(self) -> dict:
        return {"listed": self.listed, "written": self.written, "why": self.why}


def tidy(record: Record) -> UrlChange | None:
    """Clean the record's URL in place; what changed (for the report), or None."""
    original = record.fields.get("url", "")
    if not original:
        return None
    reasons = []
    cleaned = clean_url(original)
    if cleaned != original:
        reasons.append("tracking or personal parameters removed")
    landing = landing_page(cleaned, [clean_url(link) for link in record.links])
    if landing != cleaned:
        reasons.append("landing page instead of a PDF copy")
    if not reasons:
        return None
    record.fields["url"] = landing
    return UrlChange(original, landing, "; ".join(reasons))
