"""A local stand-in for arXiv, dblp, USENIX, Crossref, PMLR, NeurIPS and GitHub, serving recorded data in each API's format.

The resolver talks to it through exactly the production code path; only the base URLs
change (``--arxiv-url`` and friends). One server (one port) per host:

- arXiv ``/api/query``: ``id_list`` answered from recorded Atom entries (any subset, in
  any batch; a malformed id gets arXiv's HTTP 400 error feed; a missing id is simply
  absent), ``search_query`` of ``ti:"..."`` phrases joined by OR.
- dblp ``/search/publ/api``: recorded hits; ``toc:db/conf/...bht:`` returns a venue-year,
  other queries match every word as a word prefix (as dblp's CompleteSearch does).
  Answers carry dblp's quirks: one author as an object, titles ending in ".", no
  ``hit`` key when empty, numbers as strings. ``/rec/<key>.bib``: recorded record exports.
- USENIX ``/biblio/export/bibtex``: the recorded export; ``/conference/...``: recorded pages.
- GitHub's REST API and raw file host (two ports): see ``replay_github.py`` (301 for a
  renamed repository, ``Link`` pagination, ETags and 304, rate-limit headers, 403 when
  the quota is spent).
- web ``/<host>/<path>?<query>`` (the ``--web-url`` form): recorded pages (a recorded query
  must be part of the request's), YouTube ``/oembed`` from recorded videos (404 for others,
  as YouTube), Open Library ``/api/books`` by ISBN (``{}`` when unknown) and ``/search.json``
  by title and author words, both built from recorded editions and works.
- Crossref ``/works/<doi>``: recorded ``message`` objects, 404 for an unknown DOI.
- PMLR (raw.githubusercontent.com) ``/mlresearch/<volume>/gh-pages/...``: recorded volume
  configs and posts; NeurIPS ``/paper/<year>/file/<hash>-Metadata.json``: recorded metadata.

Faults can be injected per host (``Fault``) to test degradation: HTTP errors with or
without ``Retry-After``, timeouts, truncated bodies, invalid JSON, an HTML page with
status 200, a wrong paper.

Corpus layout (see ``data/recorded/SOURCE.md``)::

    arxiv/*.xml        Atom feeds; every <entry> is indexed by its version-less id
    dblp/*.jsonl       one hit per line: {"toc": ..., "info": {...}, "source": ...}
    dblp/rec/<key>.bib record exports (``/rec/<key>.bib``), as dblp writes them
    usenix/export.bib  the BibTeX export (or a documented cut of it)
    usenix/pages/...   presentation pages, at their URL path + ".html"
    github/<owner>+<name>/  meta.json, tags.tsv and the repository's root files
    web/pages/...            a body per page and its ``*.source.json`` sidecar (URL, values, pages)
    web/openlibrary.jsonl    {"kind": "edition"|"work", ...Open Library fields, "source": {...}}
    web/youtube-oembed.jsonl {"url", "title", "author_name", "author_url", "source": {...}}
    crossref/*.json    one Crossref ``message`` per file, found by its ``DOI``
    pmlr/<volume>/...  _config.yml and _posts/*.md, at their repository path
    neurips/<year>/<hash>-Metadata.json

Run ``python -m sysml_bib.replay --corpus DIR -- resolve ...`` to run sysml-bib
against it; this is how ``references.bib`` is rebuilt (see README).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree as ET

from .links import is_valid_arxiv_id
from .replay_github import GitHubCorpus, GitHubReplay
from .replay_web import BOT_CHECK_PAGE, COOKIE_WALL_PAGE, Response, WebCorpus, web_site

ATOM = "http://www.w3.org/2005/Atom"
NS = {"atom": ATOM, "opensearch": "http://a9.com/-/spec/opensearch/1.1/", "arxiv": "http://arxiv.org/schemas/atom"}
for _prefix, _uri in NS.items():
    ET.register_namespace("" if _prefix == "atom" else _prefix, _uri)


def _words(text: str) -> list[str]:
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", folded.lower())


# ----------------------------------------------------------------------------- corpus

@dataclass
class Corpus:
    arxiv: dict[str, ET.Element] = field(default_factory=dict)  # version-less id -> <entry>
    dblp: list[dict] = field(default_factory=list)  # {"toc", "info"}
    usenix_export: bytes = b""
    usenix_pages: dict[str, bytes] = field(default_factory=dict)  # URL path -> HTML
    github: GitHubCorpus = field(default_factory=GitHubCorpus)
    web: WebCorpus = field(default_factory=WebCorpus)  # pages, Open Library, YouTube oEmbed
    dblp_records: dict[str, bytes] = field(default_factory=dict)  # record key -> its BibTeX export
    crossref: dict[str, dict] = field(default_factory=dict)  # lower-case DOI -> message
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # role -> URL path -> body (pmlr, neurips)
    _dblp_words: dict[str, set[int]] | None = field(default=None, repr=False)  # word -> indexes of dblp records

    def dblp_word_index(self) -> dict[str, set[int]]:
        """Each word of a dblp record's title, venue, year and authors -> the records having it
        (built once: a title search then costs what dblp's own index does, not a corpus scan)."""
        if self._dblp_words is None:
            index: dict[str, set[int]] = {}
            for n, record in enumerate(self.dblp):
                info = record["info"]
                venue = info.get("venue", "")
                text = " ".join([info.get("title", ""), venue if isinstance(venue, str) else " ".join(venue), str(info.get("year", "")),
                                 " ".join(a["text"] if isinstance(a, dict) else a for a in info.get("authors", []))])
                for word in _words(text):
                    index.setdefault(word, set()).add(n)
            self._dblp_words = index
        return self._dblp_words

    @classmethod
    def load(cls, root: Path) -> "Corpus":
        corpus = cls()
        for path in sorted((root / "arxiv").glob("*.xml")):
            feed = ET.fromstring(path.read_bytes())
            for entry in feed.findall("atom:entry", NS):
                entry_id = entry.findtext("atom:id", "", NS).split("arxiv.org/abs/")[-1]
                corpus.arxiv[re.sub(r"v\d+$", "", entry_id)] = entry
        for path in sorted((root / "dblp").glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    corpus.dblp.append(json.loads(line))
        records = root / "dblp" / "rec"
        for path in sorted(records.rglob("*.bib")) if records.exists() else []:
            corpus.dblp_records[str(path.relative_to(records).with_suffix("").as_posix())] = path.read_bytes()
        export = root / "usenix" / "export.bib"
        if export.exists():
            corpus.usenix_export = export.read_bytes()
        pages = root / "usenix" / "pages"
        for path in sorted(pages.rglob("*.html")) if pages.exists() else []:
            corpus.usenix_pages["/" + str(path.relative_to(pages))[: -len(".html")]] = path.read_bytes()
        corpus.github = GitHubCorpus.load(root / "github")
        corpus.web = WebCorpus.load(root / "web")
        for path in sorted((root / "crossref").glob("*.json")) if (root / "crossref").exists() else []:
            message = json.loads(path.read_text(encoding="utf-8"))["message"]
            corpus.crossref[message["DOI"].lower()] = message
        for role, prefix in (("pmlr", "/mlresearch/{}/gh-pages/"), ("neurips", "/paper/{}/file/")):
            folder = root / role
            for path in sorted(folder.rglob("*")) if folder.exists() else []:
                if path.is_file():
                    first, _, rest = str(path.relative_to(folder)).partition("/")
                    corpus.files.setdefault(role, {})[prefix.format(first) + rest] = path.read_bytes()
        return corpus


# ----------------------------------------------------------------------------- faults

@dataclass
class Fault:
    """Break some responses of one host: ``kind`` on the responses ``when`` selects.

    kinds: ``status:NNN`` (optionally with ``retry_after``), ``timeout`` (sleep
    ``seconds`` before answering), ``truncate``, ``invalid-json``, ``html200``,
    ``billion-laughs`` (nested XML entities), ``oversized`` (a 60 MB body),
    ``wrong-paper`` (dblp: every hit's title and authors swapped with another record's),
    ``bot-check`` / ``cookie-wall`` (an HTML interstitial with status 200), ``other-work``
    (web: another recorded page, whose metadata names a different work), ``refuse`` (the
    connection is closed without an answer).
    ``every``: break every Nth request to the host (1 = all); ``first``: break only
    the first N requests; ``path``: only requests whose path+query contains it.
    """

    kind: str
    every: int = 1
    first: int | None = None
    path: str = ""
    retry_after: str | None = None
    seconds: float = 0.0




# ----------------------------------------------------------------------------- the three APIs

def _feed(entries: list[ET.Element], title: str, total: int | None = None) -> bytes:
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "https://arxiv.org/api/replay"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = "2026-01-01T00:00:00Z"
    ET.SubElement(feed, f"{{{NS['opensearch']}}}totalResults").text = str(len(entries) if total is None else total)
    ET.SubElement(feed, f"{{{NS['opensearch']}}}startIndex").text = "0"
    ET.SubElement(feed, f"{{{NS['opensearch']}}}itemsPerPage").text = str(len(entries))
    feed.extend(entries)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _arxiv_error(bad: str) -> Response:
    entry = ET.Element(f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = f"https://arxiv.org/api/errors#incorrect_id_format_for_{bad}"
    ET.SubElement(entry, f"{{{ATOM}}}title").text = "Error"
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = f"incorrect id format for {bad}"
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "arXiv api core"
    return Response(400, _feed([entry], "arXiv Query: error", total=1), "application/atom+xml; charset=UTF-8")


def arxiv_api(corpus: Corpus, query: dict[str, list[str]]) -> Response:
    ids = [i.strip() for i in ",".join(query.get("id_list", [""])).split(",") if i.strip()]
    max_results = int((query.get("max_results") or ["10"])[0] or 10)
    start = int((query.get("start") or ["0"])[0] or 0)
    search = (query.get("search_query") or [""])[0]
    for arxiv_id in ids:
        if not is_valid_arxiv_id(arxiv_id):
            return _arxiv_error(arxiv_id)
    if ids:
        found = [corpus.arxiv[re.sub(r"v\d+$", "", i)] for i in ids if re.sub(r"v\d+$", "", i) in corpus.arxiv]
    elif search:
        phrases = [_words(p) for p in re.findall(r'ti:"([^"]*)"', search)]
        found = []
        for entry in corpus.arxiv.values():
            title = " ".join(_words(entry.findtext("atom:title", "", NS)))
            if any(p and " ".join(p) in title for p in phrases):
                found.append(entry)
    else:
        found = []
    page = found[start : start + max_results]
    return Response(200, _feed(page, f"arXiv Query: {search or ids}", total=len(found)), "application/atom+xml; charset=UTF-8")


def _dblp_info(info: dict) -> dict:
    """A recorded hit in dblp's wire shape."""
    out = dict(info)
    authors = [{"@pid": a.get("pid", ""), "text": a["text"]} if isinstance(a, dict) else {"text": a} for a in info.get("authors", [])]
    if authors:
        out["authors"] = {"author": authors[0] if len(authors) == 1 else authors}
    else:
        out.pop("authors", None)
    title = info.get("title", "")
    if title and title[-1] not in ".?!":
        out["title"] = title + "."
    return out


def dblp_api(corpus: Corpus, query: dict[str, list[str]]) -> Response:
    q = (query.get("q") or [""])[0].strip()
    size = min(1000, int((query.get("h") or ["30"])[0] or 30))
    first = int((query.get("f") or ["0"])[0] or 0)
    if q.startswith("toc:"):
        wanted = q[4:].rstrip(":")
        found = [r for r in corpus.dblp if r.get("toc") == wanted]
    else:
        words = _words(q)
        index = corpus.dblp_word_index()
        matching = None
        for word in words:  # every query word is a prefix of some word of the record
            having = set().union(*(index[h] for h in index if h.startswith(word)))
            matching = having if matching is None else matching & having
        found = [corpus.dblp[i] for i in sorted(matching or ())]
    page = found[first : first + size]
    hits = {"@total": str(len(found)), "@computed": str(len(found)), "@sent": str(len(page)), "@first": str(first)}
    if page:
        hits["hit"] = [
            {"@score": "1", "@id": str(n), "info": _dblp_info(r["info"]), "url": f"https://dblp.org/rec/{r['info'].get('key', '')}"}
            for n, r in enumerate(page, start=first)
        ]
    body = {"result": {"query": q, "status": {"@code": "200", "text": "OK"}, "time": {"@unit": "msecs", "text": "1.00"}, "hits": hits}}
    return Response(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")


def usenix_site(corpus: Corpus, path: str) -> Response:
    if path.rstrip("/") == "/biblio/export/bibtex" and corpus.usenix_export:
        return Response(200, corpus.usenix_export, "text/plain; charset=utf-8")
    page = corpus.usenix_pages.get(path.rstrip("/"))
    if page is not None:
        return Response(200, page, "text/html; charset=utf-8")
    return Response(404, b"<html><body>Page not found</body></html>", "text/html; charset=utf-8")


def crossref_api(corpus: Corpus, path: str) -> Response:
    from urllib.parse import unquote

    message = corpus.crossref.get(unquote(path[len("/works/"):]).lower())
    if message is None:
        return Response(404, b"Resource not found.", "text/plain")
    body = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}
    return Response(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json")


# ----------------------------------------------------------------------------- server

class HostServer:
    """One replayed host on 127.0.0.1, with request counting and fault injection."""

    def __init__(self, role: str, corpus: Corpus, faults: list[Fault] | None = None, port: int = 0, latency: float = 0.0,
                 github: GitHubReplay | None = None):
        self.role = role
        self.github = github
        self.latency = latency  # seconds added to every answer, as a network round trip would
        self.corpus = corpus
        self.faults = faults or []
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

            def do_GET(self):  # noqa: N802 (the stdlib's name)
                server._handle(self)

            def log_message(self, *args):  # keep test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        # A short poll: shutdown() waits for the loop's next look at its flag (0.5 s by default,
        # times nine hosts at every test's end).
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "HostServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path_and_query: str, headers=None) -> Response:
        parts = urlsplit(path_and_query)
        if self.role == "github" and self.github is not None:
            return self.github.api(path_and_query, headers or {}, self.url)
        if self.role == "github-raw" and self.github is not None:
            return self.github.raw(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        if self.role == "arxiv" and parts.path == "/api/query":
            return arxiv_api(self.corpus, query)
        if self.role == "dblp" and parts.path == "/search/publ/api":
            return dblp_api(self.corpus, query)
        if self.role == "dblp" and parts.path.startswith("/rec/") and parts.path.endswith(".bib"):
            record = self.corpus.dblp_records.get(parts.path[len("/rec/") : -len(".bib")])
            if record is not None:  # dblp's record export (the content type it sends was not recorded)
                return Response(200, record, "text/plain; charset=utf-8")
            return Response(404, b"<html><body>Error 404: Not Found</body></html>", "text/html; charset=utf-8")
        if self.role == "usenix":
            return usenix_site(self.corpus, parts.path)
        if self.role == "web":
            return web_site(self.corpus.web, parts.path, query)
        if self.role == "crossref" and parts.path.startswith("/works/"):
            return crossref_api(self.corpus, parts.path)
        if self.role in ("pmlr", "neurips"):
            body = self.corpus.files.get(self.role, {}).get(parts.path)
            kind = "application/json" if parts.path.endswith(".json") else "text/plain; charset=utf-8"
            return Response(200, body, kind) if body is not None else Response(404, b"404: Not Found", "text/plain")
        return Response(404, b"not found", "text/plain")

    def _fault_for(self, number: int, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.path and fault.path not in path:
                continue
            if fault.first is not None:
                if number <= fault.first:
                    return fault
                continue
            if number % fault.every == 0:
                return fault
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(handler.path)
            number = len(self.requests)
        if self.latency:
            time.sleep(self.latency)
        response = self.answer(handler.path, handler.headers)
        fault = self._fault_for(number, handler.path)
        if fault:
            response = self._break(response, fault)
            if response is None:
                handler.close_connection = True  # hang up without a word
                return
        handler.send_response(response.status)
        handler.send_header("Content-Type", response.content_type)
        handler.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        try:
            handler.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _break(self, response: Response, fault: Fault) -> Response | None:
        kind = fault.kind
        if kind.startswith("status:"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            # dblp's 429 is an empty document, not JSON; others are HTML error pages.
            return Response(int(kind[7:]), b"" if kind == "status:429" else b"<html><body>Server error</body></html>", "text/html", headers)
        if kind == "timeout":
            time.sleep(fault.seconds)
            return response
        if kind == "refuse":
            return None  # nothing is sent: the client sees the connection closed
        if kind == "truncate":
            return Response(response.status, response.body[: max(1, len(response.body) // 2)], response.content_type)
        if kind == "invalid-json":
            return Response(200, b'{"result": {"hits": [', "application/json")
        if kind == "billion-laughs":  # entity expansion: a few hundred bytes that unfold to gigabytes
            entities = '<!ENTITY a "ha">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
            body = f'<?xml version="1.0"?><!DOCTYPE feed [{entities}]><feed xmlns="{ATOM}"><title>&j;</title></feed>'
            return Response(200, body.encode(), "application/atom+xml")
        if kind == "oversized":
            return Response(200, b"<feed>" + b" " * (60 * 1024 * 1024) + b"</feed>", response.content_type)
        if kind == "bot-check":
            return Response(200, BOT_CHECK_PAGE, "text/html; charset=utf-8")
        if kind == "cookie-wall":
            return Response(200, COOKIE_WALL_PAGE, "text/html; charset=utf-8")
        if kind == "other-work" and self.role == "web":
            # Another recorded page's HTML: metadata naming a different work.
            pages = [body for answers in self.corpus.web.pages.values() for _, body, ctype in answers if "html" in ctype and body != response.body]
            return Response(200, pages[0], "text/html; charset=utf-8") if pages else response
        if kind == "html200":
            return Response(200, b"<!DOCTYPE html><html><body>We are down for maintenance</body></html>", "text/html; charset=utf-8")
        if kind == "wrong-paper" and self.role == "dblp":
            data = json.loads(response.body)
            hits = data["result"]["hits"].get("hit", [])
            impostor = next((r["info"] for r in self.corpus.dblp if all(r["info"].get("title") != h["info"].get("title", "").rstrip(".") for h in hits)), None)
            for hit in hits:
                if impostor:
                    hit["info"] = _dblp_info({**impostor, "key": hit["info"].get("key", "")})
            return Response(200, json.dumps(data).encode("utf-8"), response.content_type)
        return response


class ReplayServers:
    """The three hosts, started together; ``env()`` gives the variables that point sysml-bib at them."""

    ROLES = ("arxiv", "dblp", "usenix", "crossref", "pmlr", "neurips", "github", "github-raw", "web")

    def __init__(self, corpus: Corpus, faults: dict[str, list[Fault]] | None = None, latency: float = 0.0,
                 github_limits: tuple[int, int] | None = None, github_releases_from_tags: bool = False):
        faults = faults or {}
        self.github = GitHubReplay(corpus.github, *(github_limits or ()), releases_from_tags=github_releases_from_tags)
        self.hosts = {role: HostServer(role, corpus, faults.get(role), latency=latency, github=self.github) for role in self.ROLES}

    def __enter__(self) -> "ReplayServers":
        for host in self.hosts.values():
            host.start()
        return self

    def __exit__(self, *exc) -> None:
        for host in self.hosts.values():
            host.stop()

    def env(self) -> dict[str, str]:
        return {f"SYSML_BIB_{role.upper().replace('-', '_')}_URL": host.url for role, host in self.hosts.items()}

    def args(self) -> list[str]:
        return [arg for role, host in self.hosts.items() for arg in (f"--{role}-url", host.url)]

    def calls(self) -> dict[str, int]:
        return {role: len(host.requests) for role, host in self.hosts.items()}

    def reset_github_quota(self) -> None:
        """Tests stand in for the hour passing: GitHub's quota is full again."""
        self.github.reset_quota()


def main(argv: list[str] | None = None) -> int:
    """``python -m sysml_bib.replay --corpus DIR [--min-interval S] -- resolve ...``"""
    import argparse
    import os
    import sys
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m sysml_bib.replay", description=main.__doc__)
    parser.add_argument("--corpus", required=True, type=Path, help="recorded corpus folder")
    parser.add_argument("--min-interval", default="0", help="politeness interval for the run (default 0: local server)")
    parser.add_argument("--github-quota", type=int, default=60, help="GitHub API requests per window without a token (default 60, as GitHub)")
    parser.add_argument("--github-releases-from-tags", action="store_true",
                        help="serve each snapshot's newest version tag as its latest GitHub release (a stand-in, marked as one)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="sysml-bib arguments after --")
    args = parser.parse_args(argv)
    command = [a for a in args.command if a != "--"] or ["resolve"]
    if not (args.corpus / "dblp").is_dir():
        parser.error(f"{args.corpus} is not a recorded corpus (no dblp/ folder)")
    from .cli import main as cli_main

    with ReplayServers(Corpus.load(args.corpus), github_limits=(args.github_quota, 5000),
                      github_releases_from_tags=args.github_releases_from_tags) as servers, tempfile.TemporaryDirectory() as cache:
        os.environ.update(servers.env())
        os.environ["SYSML_BIB_MIN_INTERVAL"] = args.min_interval
        if command[0] == "resolve" and "--cache-dir" not in command:
            command += ["--cache-dir", cache]  # a cold cache: every run asks the servers
        code = cli_main(command)
        print(f"replay: requests served {json.dumps(servers.calls())}", file=sys.stderr)
        return code


if __name__ == "__main__":
    raise SystemExit(main())
