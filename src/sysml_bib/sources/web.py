"""Web pages: the metadata a page embeds about itself, read with a real HTML parser (lxml).

What Zotero's Embedded Metadata translator reads, in this order of trust for each value:

1. Highwire Press ``citation_*`` (publishers, Google Scholar's inclusion rules),
2. schema.org JSON-LD (``Article``, ``BlogPosting``, ``VideoObject``, ``Book``, ``Course``,
   ``Event``, ...; ``@graph`` and lists included) and microdata ``itemprop`` tags
   (YouTube's watch pages carry ``uploadDate``/``datePublished`` that way),
3. Dublin Core ``DC.*`` / ``dcterms.*``,
4. OpenGraph ``og:*`` and ``article:*`` / ``book:*``,
5. ``<meta name="author">`` and the ``<title>``.

Politeness is ``http.Http``'s (one request at a time per host, spaced); on top of it
each host's ``robots.txt`` is read once and obeyed, only HTML is accepted, and a page
larger than ``MAX_PAGE`` is refused. A bot check or cookie wall answered with status 200
is a failure, not a page. Nothing here decides whether the page is the list's work
(``webworks.Web.rejection`` checks the title like for every other candidate).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from ..http import USER_AGENT, FetchError, Http, prefixed
from ..model import Candidate, Person

MAX_PAGE = 5 * 1024 * 1024  # real article and video pages are well under 2 MB
SCHEMA_TYPES = ("Book", "Course", "Event", "VideoObject", "BlogPosting", "NewsArticle", "TechArticle", "ScholarlyArticle", "Article", "WebPage", "WebSite")
VIDEO_TYPES = {"VideoObject"}
_BOT_CHECK = re.compile(
    r"just a moment\.\.\.|attention required!? \| cloudflare|checking your browser|verify you are (a )?human|"
    r"are you a robot|unusual traffic from your computer|captcha|access denied|please enable javascript and cookies",
    re.IGNORECASE,
)
_COOKIE_WALL = re.compile(
    r"before you continue|we value your privacy|cookie consent|consent to (the use of )?cookies|"
    r"accept (all )?cookies to continue|your privacy choices",
    re.IGNORECASE,
)


@dataclass
class PageMetadata:
    """What one page says about itself; empty strings where it says nothing."""

    url: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  # as written (ISO 8601 in every vocabulary read here)
    site: str = ""  # og:site_name, the publisher's or the blog's name
    publisher: str = ""  # citation_publisher, a Book's publisher
    schema_type: str = ""  # the schema.org type the page declares, or og:type
    isbn: str = ""
    event: str = ""  # a talk's event (citation_conference_title, an Event's name)
    event_date: str = ""  # when a recorded talk was given (its ``recordedAt`` Event's startDate) or a course taught
    delivery: str = ""  # which of the two ``event_date`` is: "event" or "term" (a ``hasCourseInstance``)
    term: str = ""  # a course instance's name ("Spring 2019")
    speakers: list[str] = field(default_factory=list)  # that Event's performers (a video's author is its channel)
    vocabularies: list[str] = field(default_factory=list)  # which were present, for the report

    @property
    def is_video(self) -> bool:
        return self.schema_type in VIDEO_TYPES or self.schema_type.startswith("video")


def validate_page(response) -> str | None:
    kind = response.headers.get("Content-Type", "")
    if "html" not in kind.lower():
        return f"expected an HTML page, got {kind or 'no content type'}"
    if len(response.content) > MAX_PAGE:
        return f"page of {len(response.content)} bytes is over the {MAX_PAGE} byte limit"
    return blocked(response.content)


def blocked(html: bytes | str) -> str | None:
    """Why a 200 page is no page of the work: a bot check or a cookie wall."""
    doc = _parse(html)
    if doc is None:
        return "not readable as HTML"
    title = " ".join(doc.xpath("string(//title)").split())
    heading = " ".join(doc.xpath("string((//h1)[1])").split())
    forms = " ".join(doc.xpath("//form/@action"))
    if _BOT_CHECK.search(title) or _BOT_CHECK.search(heading) or doc.xpath("//*[contains(@class,'g-recaptcha') or contains(@id,'challenge-form') or contains(@class,'cf-challenge')]"):
        return "bot check page instead of the page"
    if _COOKIE_WALL.search(title) or _COOKIE_WALL.search(heading) or "consent." in forms:
        return "cookie wall instead of the page"
    return None


def _parse(html: bytes | str):
    import lxml.html

    try:
        return lxml.html.fromstring(html if html else b"<html></html>")
    except (ValueError, TypeError):
        return None
    except Exception:  # lxml.etree.ParserError on empty or binary bodies
        return None


# ----------------------------------------------------------------------------- reading

def _metas(doc) -> dict[str, list[str]]:
    """Every <meta> by lower-cased name/property/itemprop, values in page order."""
    found: dict[str, list[str]] = {}
    for meta in doc.iter("meta"):
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        for attribute in ("name", "property", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key:
                found.setdefault(key, []).append(content)
    for link in doc.iter("link"):  # microdata names as <link itemprop="name" content="...">
        key = (link.get("itemprop") or "").strip().lower()
        content = " ".join((link.get("content") or "").split())
        if key and content:
            found.setdefault(key, []).append(content)
    return found


def _json_ld(doc) -> list[dict]:
    """Every schema.org object of the page's JSON-LD blocks (lists and @graph flattened)."""
    objects: list[dict] = []

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            if "@graph" in node:
                walk(node["@graph"])
            if "@type" in node:
                objects.append(node)

    for script in doc.xpath("//script[@type='application/ld+json']"):
        try:
            walk(json.loads(script.text_content() or "null", strict=False))
        except ValueError:
            continue  # a broken block is skipped, not fatal: the other vocabularies remain
    return objects


def _microdata(doc) -> tuple[str, list[str]]:
    """(schema.org type, author names) of the page's top microdata item (YouTube's watch pages)."""
    items = doc.xpath("//*[@itemscope and @itemtype and not(@itemprop)]")
    if not items:
        return "", []
    item = items[0]
    kind = item.get("itemtype", "").rstrip("/").rsplit("/", 1)[-1]
    names = []
    for author in item.xpath(".//*[@itemprop='author']"):
        named = author.xpath(".//*[@itemprop='name']/@content") or [author.text_content()]
        names.extend(" ".join(n.split()) for n in named[:1] if n.strip())
    return kind, names


def _types(node: dict) -> list[str]:
    kind = node.get("@type", "")
    return [k.rsplit("/", 1)[-1] for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]


def _names(value) -> list[str]:
    """Names of a schema.org author/publisher value: a string, an object or a list of them."""
    if isinstance(value, str):
        return [value] if value.strip() and not value.startswith("http") else []
    if isinstance(value, dict):
        name = value.get("name")
        return [" ".join(name.split())] if isinstance(name, str) and name.strip() else []
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(value.split()) if isinstance(value, str) else ""


def _main_object(objects: list[dict]) -> dict | None:
    for wanted in SCHEMA_TYPES:
        for node in objects:
            if wanted in _types(node):
                return node
    return None


def read_metadata(html: bytes | str, url: str) -> PageMetadata:
    """The page's own metadata; pure (no I/O)."""
    meta = PageMetadata(url=url)
    doc = _parse(html)
    if doc is None:
        return meta
    tags = _metas(doc)

    def first(*names: str) -> str:
        for name in names:
            if tags.get(name):
                return tags[name][0]
        return ""

    main = _main_object(_json_ld(doc))
    micro_type, micro_authors = _microdata(doc)
    if any(k.startswith("citation_") for k in tags):
        meta.vocabularies.append("highwire")
    if main is not None:
        meta.vocabularies.append("json-ld")
    if any(k.startswith(("dc.", "dcterms.")) for k in tags):
        meta.vocabularies.append("dublin-core")
    if any(k.startswith(("og:", "article:", "book:", "video:")) for k in tags):
        meta.vocabularies.append("opengraph")
    if micro_type or any(k in tags for k in ("uploaddate", "datepublished")):
        meta.vocabularies.append("microdata")
    ld = main or {}

    meta.title = (
        first("citation_title") or _text(ld.get("headline")) or _text(ld.get("name"))
        or first("dc.title", "dcterms.title") or first("og:title", "twitter:title")
        or " ".join(doc.xpath("string(//title)").split())
    )
    meta.authors = (
        tags.get("citation_author", []) or _names(ld.get("author")) or _names(ld.get("creator")) or _names(ld.get("performer"))
        or tags.get("dc.creator", []) or tags.get("dcterms.creator", [])
        or [a for a in tags.get("article:author", []) + tags.get("book:author", []) if not a.startswith("http")]
        or micro_authors or tags.get("author", [])
    )
    meta.date = (
        first("citation_publication_date", "citation_date", "citation_online_date")
        or _text(ld.get("datePublished")) or _text(ld.get("uploadDate")) or _text(ld.get("startDate")) or _text(ld.get("dateCreated"))
        or first("dc.date", "dcterms.date", "dcterms.issued", "dc.date.issued")
        or first("article:published_time", "book:release_date", "video:release_date")
        or first("uploaddate", "datepublished")
    )
    meta.site = first("og:site_name") or first("citation_journal_title") or _text(_names(ld.get("publisher"))[:1] or "")
    meta.publisher = first("citation_publisher", "dc.publisher", "dcterms.publisher") or (
        _text(_names(ld.get("publisher"))[:1] or "") if "Book" in _types(ld) else ""
    )
    declared = _types(ld)
    meta.schema_type = next((t for t in SCHEMA_TYPES if t in declared), "") or (micro_type if micro_type in SCHEMA_TYPES else "") or first("og:type")
    meta.isbn = re.sub(r"[^\dX]", "", (first("citation_isbn", "book:isbn") or _text(ld.get("isbn"))).upper())
    # The event a talk was given at: Highwire's conference, the event a talk's Event is part of,
    # or the Event a video was recorded at (schema.org ``recordedAt``: its name, date and performers).
    recorded = ld.get("recordedAt") if isinstance(ld.get("recordedAt"), dict) else {}
    meta.event = first("citation_conference_title") or _text(_names(ld.get("superEvent"))[:1] or "") or _text(_names(recorded)[:1] or "")
    meta.event_date, meta.delivery = _text(recorded.get("startDate")), "event" if recorded.get("startDate") else ""
    meta.speakers = _names(recorded.get("performer"))
    # A course's term: the first schema.org CourseInstance it has (name, startDate, instructors).
    instances = ld.get("hasCourseInstance")
    instance = next((i for i in (instances if isinstance(instances, list) else [instances]) if isinstance(i, dict)), {})
    if instance and not meta.event_date and _text(instance.get("startDate")):
        meta.event_date, meta.delivery, meta.term = _text(instance.get("startDate")), "term", _text(instance.get("name"))
    meta.authors = meta.authors or _names(instance.get("instructor"))
    return meta


# ----------------------------------------------------------------------------- fetching

class WebSource:
    """Fetches pages for one run: robots.txt once per host, then the pages it allows."""

    def __init__(self, http: Http, base: str = ""):
        self.http = http
        self.base = base  # "" = the real URL; else a prefix (``--web-url``)
        self._robots: dict[str, RobotFileParser | str | None] = {}
        self._lock = threading.Lock()
        self._host_locks: dict[str, threading.Lock] = {}

    def _rules(self, url: str) -> RobotFileParser | str | None:
        """The host's robots.txt: rules, None (none published: all allowed) or why it is unreachable."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            host_lock = self._host_locks.setdefault(origin, threading.Lock())
        with host_lock:  # one fetch of robots.txt per host, however many threads ask
            return self._fetch_rules(origin)

    def _fetch_rules(self, origin: str) -> RobotFileParser | str | None:
        if origin in self._robots:
            return self._robots[origin]
        rules: RobotFileParser | str | None
        try:
            response = self.http.get(prefixed(origin + "/robots.txt", self.base))
            rules = RobotFileParser()
            rules.parse(response.text.splitlines())
        except FetchError as error:
            # RFC 9309: an absent robots.txt (4xx) allows everything; an unreachable one
            # (5xx, timeout) means "assume complete disallow".
            rules = None if re.fullmatch(r"HTTP 4\d\d", error.reason) else f"robots.txt unreachable: {error.reason}"
        self._robots[origin] = rules
        return rules

    def allowed(self, url: str) -> str | None:
        """None when the page may be fetched, else why not."""
        rules = self._rules(url)
        if isinstance(rules, str):
            return rules
        if rules is not None and not rules.can_fetch(USER_AGENT, url):
            return "robots.txt disallows this page"
        return None

    def page(self, url: str) -> PageMetadata:
        """The page's metadata; a ``FetchError`` says why there is none."""
        refused = self.allowed(url)
        if refused:
            raise FetchError(url, refused)
        response = self.http.get(prefixed(url, self.base), expect=validate_page)
        return read_metadata(response.content, url)


def canonical_url(url: str) -> str:
    """The page to fetch for a link: a YouTube video without its playlist/index/time parameters."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.endswith("youtube.com") and parts.path == "/watch":
        video = parse_qs(parts.query).get("v", [""])[0]
        if video:
            return urlunsplit(("https", "www.youtube.com", "/watch", f"v={video}", ""))
    if host == "youtu.be" and parts.path.strip("/"):
        return urlunsplit(("https", "www.youtube.com", "/watch", f"v={parts.path.strip('/')}", ""))
    return url


def _year_month(date: str) -> tuple[str, str]:
    from ..interpret import MONTHS

    match = re.match(r"^\s*((?:19|20)\d{2})(?:[-/](\d{2}))?", date)  # "2017-05-04", "2017/05/04"
    if not match:
        match = re.search(r"\b((?:19|20)\d{2})\b", date)
        return (match.group(1), "") if match else ("", "")
    month = match.group(2)
    return match.group(1), (MONTHS[int(month) - 1] if month and 1 <= int(month) <= 12 else "")


def split_names(text: str) -> list[str]:
    """"A B, C D and E F" -> three names; "Smith, John" (one inverted name) stays whole."""
    text = " ".join(re.sub(r"^by\s+", "", text.strip(), flags=re.IGNORECASE).split())
    parts = [p.strip() for p in re.split(r"\s*;\s*|\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text) if p.strip()]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [text] if text else []


def people(names: list[str]) -> list[Person]:
    from ..names import _natural

    out = []
    for raw in names:
        for name in split_names(raw):
            family, comma, given = name.partition(",")
            if name.startswith("http"):
                continue
            out.append(Person(family.strip(), given.strip()) if comma and given.strip() else _natural(name))
    return out


def candidate(meta: PageMetadata) -> Candidate:
    """The page as a candidate. A video's author is its channel (uploader), so it becomes the
    ``organization``, never the speaker; its speakers are the performers of the event it was
    recorded at. A blog's site name is its ``organization`` too.

    A recorded talk's date is the day it was given (its event's), not the upload date, and a
    course's is its term's; which one the year is goes in ``datekind`` (``event``, ``term``,
    ``upload`` or ``page``), a course's term name in ``note``."""
    date, date_kind = meta.date, ("upload" if meta.is_video else "page")
    if meta.event_date:
        date, date_kind = meta.event_date, meta.delivery or "event"
    year, month = _year_month(date)
    day = re.match(r"^\s*((?:19|20)\d{2})([-/])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)", date)  # a full date: the day too
    fields = {"year": year, "month": month, "date": "-".join(day.group(1, 3, 4)) if day else "", "url": meta.url,
              "isbn": meta.isbn, "publisher": meta.publisher, "datekind": date_kind if year else "", "note": meta.term}
    authors = people(meta.authors)
    if meta.is_video:
        fields["organization"] = meta.authors[0] if meta.authors else meta.site
        authors = people(meta.speakers)
    else:
        fields["organization"] = meta.site
    if meta.event:
        fields["eventtitle"] = meta.event
    return Candidate(
        source="web",
        id=meta.url,
        title=meta.title,
        authors=authors,
        entry_type="misc",
        fields={k: v for k, v in fields.items() if v},
        published=False,
        venue_type=meta.schema_type,
        matched_by="url",
    )
