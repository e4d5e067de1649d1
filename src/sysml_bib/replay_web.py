"""The web part of the replay server: pages of any host, YouTube oEmbed and Open Library.

Requests arrive in the ``--web-url`` form, ``/<host>/<path>?<query>``. Corpus layout
(``data/recorded/web/``, see ``data/recorded/SOURCE.md``)::

    pages/**/<name>.source.json  {"url", "body": file beside it, "content_type", "values": {field: {value, source}}}
    openlibrary.jsonl            {"kind": "edition"|"work", ...Open Library fields..., "source": {...}}
    youtube-oembed.jsonl         {"url": watch URL, "title", "author_name", "author_url", "source": {...}}

Open Library's books API is answered from the editions (``{}`` for an unknown ISBN, as
Open Library does), its search API from the works (every title and author word must
occur); YouTube's oEmbed from the videos (404 otherwise, as YouTube does). A page matches
when the query parameters it and the request share agree and one holds the other's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _words(text: str) -> list[str]:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", folded.lower())


@dataclass
class WebCorpus:
    pages: dict[str, list[tuple[dict, bytes, str]]] = field(default_factory=dict)  # "host/path" -> [(query, body, type)]
    editions: list[dict] = field(default_factory=list)
    works: list[dict] = field(default_factory=list)
    videos: list[dict] = field(default_factory=list)

    @classmethod
    def load(cls, root: Path) -> "WebCorpus":
        corpus = cls(pages=load_pages(root / "pages"))
        for line in _lines(root / "openlibrary.jsonl"):
            (corpus.editions if line["kind"] == "edition" else corpus.works).append(line)
        corpus.videos.extend(_lines(root / "youtube-oembed.jsonl"))
        return corpus


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_pages(folder: Path) -> dict[str, list[tuple[dict, bytes, str]]]:
    """Recorded web answers: every ``*.source.json`` sidecar names the URL its body answers.

    Sidecar: ``{"url": "https://host/path?q", "body": "file next to it", "content_type": ...,
    "values": {field: {"value": ..., "source": public page}}}``.
    """
    answers: dict[str, list[tuple[dict, bytes, str]]] = {}
    for sidecar in sorted(folder.rglob("*.source.json")) if folder.exists() else []:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        parts = urlsplit(meta["url"])
        body = (sidecar.parent / meta["body"]).read_bytes()
        kind = meta.get("content_type") or ("application/json" if meta["body"].endswith(".json") else "text/html; charset=utf-8")
        answers.setdefault(parts.netloc.lower() + (parts.path or "/"), []).append((parse_qs(parts.query), body, kind))
    return answers


def _json(data) -> Response:
    return Response(200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def _isbn_digits(text: str) -> str:
    return re.sub(r"[^0-9X]", "", text.upper())


def openlibrary_books(corpus: WebCorpus, query: dict[str, list[str]]) -> Response:
    """``/api/books?bibkeys=ISBN:...&format=json&jscmd=data``: editions in the books API's shape, ``{}`` if none."""
    found = {}
    for key in ",".join(query.get("bibkeys", [""])).split(","):
        scheme, _, value = key.strip().partition(":")
        if scheme.upper() != "ISBN":
            continue
        for edition in corpus.editions:
            isbns = [_isbn_digits(i) for i in edition.get("isbn", [])]
            if _isbn_digits(value) not in isbns:
                continue
            data = {name: edition[name] for name in ("title", "subtitle", "publish_date", "number_of_pages") if edition.get(name)}
            data["authors"] = [{"name": name} for name in edition.get("authors", [])]
            data["publishers"] = [{"name": name} for name in edition.get("publishers", [])]
            identifiers = {"isbn_13": [i for i in isbns if len(i) == 13], "isbn_10": [i for i in isbns if len(i) == 10]}
            data["identifiers"] = {k: v for k, v in identifiers.items() if v}
            found[key.strip()] = data
    return _json(found)


def openlibrary_search(corpus: WebCorpus, query: dict[str, list[str]]) -> Response:
    """``/search.json?title=...&author=...``: works whose title and authors hold every query word."""
    title = _words((query.get("title") or query.get("q") or [""])[0])
    author = _words((query.get("author") or [""])[0])
    limit = int((query.get("limit") or ["100"])[0] or 100)
    docs = []
    for work in corpus.works:
        haystack = set(_words(f"{work.get('title', '')} {work.get('subtitle', '')}"))
        names = set(_words(" ".join(work.get("author_name", []))))
        if title and all(w in haystack for w in title) and all(w in names for w in author):
            docs.append({k: v for k, v in work.items() if k not in ("kind", "source")})
    return _json({"numFound": len(docs), "start": 0, "numFoundExact": True, "docs": docs[:limit]})


def youtube_oembed(corpus: WebCorpus, query: dict[str, list[str]]) -> Response:
    """``/oembed?url=<watch URL>&format=json``: the recorded video's answer; 404 for others, as YouTube does."""
    wanted = parse_qs(urlsplit((query.get("url") or [""])[0]).query).get("v", [""])[0]
    for video in corpus.videos:
        if wanted and parse_qs(urlsplit(video["url"]).query).get("v", [""])[0] == wanted:
            answer = {"title": video["title"], "type": "video", "version": "1.0", "provider_name": "YouTube", "provider_url": "https://www.youtube.com/"}
            answer.update({k: video[k] for k in ("author_name", "author_url") if video.get(k)})
            return _json(answer)
    return Response(404, b"Not Found", "text/html; charset=utf-8")


def _same_page(recorded: dict[str, list[str]], asked: dict[str, list[str]]) -> bool:
    """The parameters both name agree, and one set holds the other: a page recorded as
    ``watch?v=X&list=WL`` answers ``watch?v=X`` and the other way round, never ``v=Y``."""
    shared = recorded.keys() & asked.keys()
    if any(recorded[name] != asked[name] for name in shared):
        return False
    return shared == recorded.keys() or shared == asked.keys()


def web_site(corpus: WebCorpus, path: str, query: dict[str, list[str]]) -> Response:
    """``/<host>/<path>?q`` (the ``--web-url`` form) answered from the recorded answers."""
    key = path.lstrip("/")
    if "/" not in key:
        key += "/"
    if key == "openlibrary.org/api/books":
        return openlibrary_books(corpus, query)
    if key == "openlibrary.org/search.json":
        return openlibrary_search(corpus, query)
    if key in ("www.youtube.com/oembed", "youtube.com/oembed"):
        return youtube_oembed(corpus, query)
    for recorded_query, body, kind in corpus.pages.get(key, []):
        if _same_page(recorded_query, query):
            return Response(200, body, kind)
    return Response(404, b"<html><head><title>404 Not Found</title></head><body>Not found</body></html>", "text/html; charset=utf-8")


BOT_CHECK_PAGE = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
                  b"<h1>Checking your browser before accessing the site</h1><form id='challenge-form' action='/cdn-cgi/challenge'></form></body></html>")
COOKIE_WALL_PAGE = (b"<!DOCTYPE html><html><head><title>Before you continue</title></head><body>"
                    b"<h1>Before you continue</h1><p>We use cookies and data to deliver our services.</p>"
                    b"<form action='https://consent.example.com/save'><button>Accept all</button></form></body></html>")
