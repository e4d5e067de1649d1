"""The GitHub part of the replay server: the REST API and raw.githubusercontent.com, in their real shapes.

Served from recorded repository snapshots (``data/recorded/github/``, see its SOURCE.md):

- ``GET /repos/{owner}/{repo}`` (owner and name compared case-insensitively, as GitHub
  does); a renamed repository (``renames.json``) answers ``301 Moved Permanently`` with
  ``Location: /repositories/{id}``, which answers with the new ``full_name``.
- ``GET /repos/{o}/{r}/contents/`` (the root listing), ``/tags`` (``per_page``/``page``,
  sorted by name descending as GitHub's endpoint is, with a ``Link`` header),
  ``/commits/{sha}`` (the tag's commit date), ``/releases/latest`` (404: git snapshots
  have tags, not GitHub releases; see ``releases_from_tags``), ``GET /users/{login}`` (the login only: no snapshot
  holds display names or the owner's type), ``GET /rate_limit`` (free).
- Every API answer carries ``X-RateLimit-Limit/-Remaining/-Used/-Reset`` and an ``ETag``;
  ``If-None-Match`` with that ETag gets ``304`` (which costs no quota). Without a token
  60 requests per window, with ``Authorization: Bearer ...`` 5,000 (any token: it is a
  replay); when the quota is spent GitHub's ``403`` "API rate limit exceeded" comes back,
  and ``refused`` counts those, so tests can prove a client never provoked one.
  ``reset_quota()`` starts the next window (tests stand in for the hour passing).
- Values no snapshot holds (description, homepage, topics, owner display name and type,
  releases) are absent or null, never invented. Repository ids are the replay's own
  stand-ins (derived from the name), needed for the 301 shape.
- A corpus that does hold them is served them in the same shapes: ``owners.json`` at its
  root (``{"owners": {login: {"name": ..., "type": "User" | "Organization"}}}``) gives
  ``/users/{login}`` its ``name`` and ``type`` and the repository's ``owner.type``; a
  snapshot's ``release.json`` (the latest release: ``tag_name``, ``name``, ``published_at``,
  ``created_at``) is its ``/releases/latest`` answer instead of the 404.
- ``releases_from_tags=True`` (off by default, never used for ``references.bib``) serves a
  snapshot without a recorded release its newest final version tag as its latest release,
  as ``data/recorded/SOURCE.md`` allows a replay to do, and says so: the answer's ``body`` and an
  ``X-Replay-Stand-In`` header. ``published_at`` is the tag's tagger date (an annotated tag)
  or its commit's date. The benchmark uses it to measure what a list of projects that make
  releases costs; nothing it serves is written into the bundled bibliography.

Raw host: ``/{owner}/{repo}/{HEAD|branch}/{path}`` -> the copied file.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ANONYMOUS_LIMIT = 60
TOKEN_LIMIT = 5000
WINDOW = 3600
STAND_IN = "not a recorded release: the replay serves the snapshot's newest version tag as its latest release"
SNAPSHOT_DATA = ("meta.json", "tags.tsv", "release.json")  # the snapshot's data, not the repository's files


@dataclass
class Snapshot:
    folder: Path
    full_name: str  # the current name (after a rename)
    listed_as: str
    meta: dict
    tags: list[dict]  # {"name", "commit", "commit_date"}
    files: dict[str, Path]  # root file name -> copied file
    release: dict | None = None  # the latest GitHub release, when the corpus records one

    @property
    def id(self) -> int:
        return int(hashlib.sha1(self.full_name.lower().encode()).hexdigest()[:8], 16)


@dataclass
class GitHubCorpus:
    repos: dict[str, Snapshot] = field(default_factory=dict)  # lower-case owner/name (old and new) -> snapshot
    by_id: dict[int, Snapshot] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # lower-case old name -> new full name
    owners: dict[str, dict] = field(default_factory=dict)  # lower-case login -> {"name", "type"} when recorded

    @classmethod
    def load(cls, root: Path) -> "GitHubCorpus":
        corpus = cls()
        if not root.is_dir():
            return corpus
        renames_file = root / "renames.json"
        renames = json.loads(renames_file.read_text(encoding="utf-8")).get("renames", {}) if renames_file.exists() else {}
        owners_file = root / "owners.json"
        if owners_file.exists():
            owners = json.loads(owners_file.read_text(encoding="utf-8")).get("owners", {})
            corpus.owners = {login.lower(): value for login, value in owners.items() if isinstance(value, dict)}
        for folder in sorted(p for p in root.iterdir() if (p / "meta.json").exists()):
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            listed = meta.get("full_name") or folder.name.replace("+", "/", 1)
            tags = []
            if (folder / "tags.tsv").exists():
                with open(folder / "tags.tsv", encoding="utf-8", newline="") as handle:
                    tags = [row for row in csv.DictReader(handle, delimiter="\t") if row.get("name")]
            files = {p.name: p for p in folder.iterdir() if p.is_file() and p.name not in SNAPSHOT_DATA}
            release_file = folder / "release.json"
            release = json.loads(release_file.read_text(encoding="utf-8")) if release_file.exists() else None
            current = renames.get(listed, listed)
            snapshot = Snapshot(folder, current, listed, meta, tags, files, release)
            corpus.repos[current.lower()] = snapshot
            corpus.by_id[snapshot.id] = snapshot
            if current.lower() != listed.lower():
                corpus.renamed[listed.lower()] = current
            elif current != listed:
                corpus.repos[listed.lower()] = snapshot
        return corpus


def _utc(stamp: str) -> str | None:
    """``2021-07-14T08:49:55+02:00`` -> ``2021-07-14T06:49:55Z`` (GitHub's form)."""
    from datetime import datetime, timezone

    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None


_LICENCES = [  # (SPDX id, words its text contains), judged from the LICENSE file as GitHub's licensee does
    ("Apache-2.0", ("apache license", "version 2.0")),
    ("MIT", ("permission is hereby granted, free of charge",)),
    ("BSD-3-Clause", ("redistribution and use in source and binary forms", "neither the name")),
    ("BSD-2-Clause", ("redistribution and use in source and binary forms",)),
    ("GPL-3.0", ("gnu general public license", "version 3")),
    ("GPL-2.0", ("gnu general public license", "version 2")),
    ("LGPL-3.0", ("gnu lesser general public license", "version 3")),
    ("AGPL-3.0", ("gnu affero general public license",)),
    ("MPL-2.0", ("mozilla public license", "2.0")),
    ("CC-BY-4.0", ("attribution 4.0 international",)),
]


def licence_of(snapshot: Snapshot) -> dict | None:
    for name, path in sorted(snapshot.files.items()):
        if not re.match(r"(?i)(licen[cs]e|copying)", name):
            continue
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").lower().split())
        for spdx, words in _LICENCES:
            if all(w in text for w in words):
                return {"key": spdx.lower(), "name": spdx, "spdx_id": spdx, "url": None, "node_id": None}
        return {"key": "other", "name": "Other", "spdx_id": "NOASSERTION", "url": None, "node_id": None}
    return None


class GitHubReplay:
    """The API's state (quota per client) and its answers; ``raw`` serves the raw host."""

    def __init__(self, corpus: GitHubCorpus, anonymous_limit: int = ANONYMOUS_LIMIT, token_limit: int = TOKEN_LIMIT,
                 releases_from_tags: bool = False):
        self.corpus = corpus
        self.releases_from_tags = releases_from_tags
        self.stand_in_releases = 0  # releases/latest answers made up from tags (releases_from_tags)
        self.limits = {"anonymous": anonymous_limit, "token": token_limit}
        self.used: dict[str, int] = {}
        self.reset_at = int(time.time()) + WINDOW
        self.refused = 0  # 403 quota answers given
        self.not_modified = 0
        self.tokens_seen: set[str] = set()
        self._lock = threading.Lock()

    def reset_quota(self) -> None:
        """The hour has passed: every client's quota is full again."""
        with self._lock:
            self.used.clear()
            self.reset_at = int(time.time()) + WINDOW

    # -- the API

    def api(self, path_and_query: str, headers, base: str):
        from .replay import Response

        parts = urlsplit(path_and_query)
        query = parse_qs(parts.query)
        auth = headers.get("Authorization", "") or ""
        client = "token" if auth.startswith(("Bearer ", "token ")) else "anonymous"
        if client == "token":
            self.tokens_seen.add(auth.split(" ", 1)[1])
        with self._lock:
            limit = self.limits[client]
            used = self.used.get(auth or client, 0)
            if parts.path.rstrip("/") == "/rate_limit":
                core = {"limit": limit, "remaining": max(0, limit - used), "reset": self.reset_at, "used": used, "resource": "core"}
                return Response(200, json.dumps({"resources": {"core": core}, "rate": core}).encode(), "application/json; charset=utf-8",
                                self._quota_headers(limit, used))
            if used >= limit:
                self.refused += 1
                body = {"message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit.)",
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}
                return Response(403, json.dumps(body).encode(), "application/json; charset=utf-8", self._quota_headers(limit, used))
            status, body, extra = self._answer(parts.path, query, base)
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
            etag = 'W/"' + hashlib.sha1(payload).hexdigest() + '"'
            if status == 200 and headers.get("If-None-Match") == etag:
                self.not_modified += 1
                return Response(304, b"", "application/json; charset=utf-8", {**self._quota_headers(limit, used), "ETag": etag})
            used += 1
            self.used[auth or client] = used
            response_headers = {**self._quota_headers(limit, used), **extra}
            if status == 200:
                response_headers["ETag"] = etag
            return Response(status, payload, "application/json; charset=utf-8", response_headers)

    def _quota_headers(self, limit: int, used: int) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(max(0, limit - used)),
                "X-RateLimit-Used": str(used), "X-RateLimit-Reset": str(self.reset_at), "X-RateLimit-Resource": "core"}

    def _answer(self, path: str, query: dict, base: str) -> tuple[int, object, dict]:
        not_found = (404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {})
        match = re.fullmatch(r"/repositories/(\d+)(/.*)?", path)
        if match:
            snapshot = self.corpus.by_id.get(int(match.group(1)))
            if snapshot is None:
                return not_found
            path = f"/repos/{snapshot.full_name}{match.group(2) or ''}"
        match = re.fullmatch(r"/users/([^/]+)", path)
        if match:
            owner = next((s.full_name.split("/")[0] for s in self.corpus.repos.values()
                          if s.full_name.split("/")[0].lower() == match.group(1).lower()), None)
            return (200, self._user(match.group(1), base), {}) if owner else not_found
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not match:
            return not_found
        full = f"{match.group(1)}/{match.group(2)}".lower()
        rest = (match.group(3) or "").rstrip("/") or ""
        if full in self.corpus.renamed:
            snapshot = self.corpus.repos[self.corpus.renamed[full].lower()]
            target = f"{base}/repositories/{snapshot.id}" + (path[len(f"/repos/{match.group(1)}/{match.group(2)}"):] if rest else "")
            return 301, {"message": "Moved Permanently", "url": target, "documentation_url": "https://docs.github.com/rest"}, {"Location": target}
        snapshot = self.corpus.repos.get(full)
        if snapshot is None:
            return not_found
        if rest == "":
            return 200, self._repo(snapshot, base), {}
        if rest == "/contents":
            return 200, self._listing(snapshot, base), {}
        if rest == "/tags":
            return self._tags(snapshot, query, base)
        if rest == "/releases/latest":
            if snapshot.release:
                return 200, self._release(snapshot, base, snapshot.release), {}
            stand_in = self._release_from_tags(snapshot) if self.releases_from_tags else None
            if stand_in:
                self.stand_in_releases += 1
                return 200, self._release(snapshot, base, stand_in), {"X-Replay-Stand-In": STAND_IN}
            return not_found
        match = re.fullmatch(r"/commits/([0-9a-f]{7,40})", rest)
        if match:
            tag = next((t for t in snapshot.tags if t["commit"].startswith(match.group(1))), None)
            if tag is None:
                return 422, {"message": "No commit found for SHA: " + match.group(1)}, {}
            date = _utc(tag.get("commit_date", ""))
            return 200, {"sha": tag["commit"], "commit": {"committer": {"date": date}}, "html_url": f"https://github.com/{snapshot.full_name}/commit/{tag['commit']}"}, {}
        return not_found

    def _repo(self, snapshot: Snapshot, base: str) -> dict:
        owner, name = snapshot.full_name.split("/", 1)
        meta = snapshot.meta
        return {
            "id": snapshot.id, "name": name, "full_name": snapshot.full_name,
            "owner": {"login": owner, "url": f"{base}/users/{owner}", "html_url": f"https://github.com/{owner}",
                      **self._owner_type(owner)},
            "html_url": f"https://github.com/{snapshot.full_name}", "url": f"{base}/repos/{snapshot.full_name}",
            "description": None, "homepage": None, "fork": False,
            "created_at": _utc(meta.get("first_commit_date", "")), "pushed_at": _utc(meta.get("head_commit_date", "")),
            "updated_at": _utc(meta.get("head_commit_date", "")), "default_branch": meta.get("default_branch"),
            "license": licence_of(snapshot),
        }

    def _owner_type(self, login: str) -> dict:
        known = self.corpus.owners.get(login.lower(), {})
        return {"type": known["type"]} if known.get("type") else {}

    def _user(self, login: str, base: str) -> dict:
        """``/users/{login}``: the login always; ``name`` and ``type`` only when the corpus records them."""
        known = self.corpus.owners.get(login.lower(), {})
        return {"login": login, "url": f"{base}/users/{login}", "html_url": f"https://github.com/{login}",
                **self._owner_type(login), "name": known.get("name")}

    def _release_from_tags(self, snapshot: Snapshot) -> dict | None:
        """The newest final version tag as a release (``releases/latest`` never answers a pre-release)."""
        from .sources.github import newest_version, version_of

        repo_name = snapshot.full_name.split("/")[-1]
        newest = newest_version([{"name": t["name"], "commit": {"sha": t["commit"]}} for t in snapshot.tags], repo_name)
        if newest is None or not version_of(newest[0], repo_name)[0][0]:  # only pre-releases: no latest release
            return None
        tag = next(t for t in snapshot.tags if t["name"] == newest[0])
        return {"tag_name": tag["name"], "name": tag["name"], "created_at": _utc(tag.get("commit_date", "")),
                "published_at": _utc(tag.get("tagger_date") or tag.get("commit_date", "")), "body": STAND_IN}

    def _release(self, snapshot: Snapshot, base: str, release: dict) -> dict:
        """``/releases/latest`` in GitHub's shape."""
        tag = str(release.get("tag_name", ""))
        repo = f"{base}/repos/{snapshot.full_name}"
        return {"url": f"{repo}/releases/latest", "html_url": f"https://github.com/{snapshot.full_name}/releases/tag/{tag}",
                "tag_name": tag, "target_commitish": release.get("target_commitish", snapshot.meta.get("default_branch")),
                "name": release.get("name", tag), "draft": False, "prerelease": False,
                "created_at": release.get("created_at"), "published_at": release.get("published_at"), "assets": [],
                "tarball_url": f"{repo}/tarball/{tag}", "zipball_url": f"{repo}/zipball/{tag}", "body": release.get("body")}

    def _listing(self, snapshot: Snapshot, base: str) -> list[dict]:
        out = []
        for name in snapshot.meta.get("root_entries", sorted(snapshot.files)):
            kind = "file" if name in snapshot.files or name in snapshot.meta.get("copied_files", []) else "dir" if "." not in name.lstrip(".") else "file"
            out.append({"name": name, "path": name, "type": kind,
                        "url": f"{base}/repos/{snapshot.full_name}/contents/{name}",
                        "download_url": f"https://raw.githubusercontent.com/{snapshot.full_name}/{snapshot.meta.get('default_branch', 'HEAD')}/{name}" if kind == "file" else None})
        return out

    def _tags(self, snapshot: Snapshot, query: dict, base: str) -> tuple[int, object, dict]:
        per_page = max(1, min(100, int((query.get("per_page") or ["30"])[0] or 30)))
        page = max(1, int((query.get("page") or ["1"])[0] or 1))
        ordered = sorted(snapshot.tags, key=lambda t: t["name"], reverse=True)
        chunk = ordered[(page - 1) * per_page : page * per_page]
        body = [{"name": t["name"], "commit": {"sha": t["commit"], "url": f"{base}/repos/{snapshot.full_name}/commits/{t['commit']}"},
                 "zipball_url": f"{base}/repos/{snapshot.full_name}/zipball/refs/tags/{t['name']}"} for t in chunk]
        last = max(1, -(-len(ordered) // per_page))
        links = []
        url = f"{base}/repos/{snapshot.full_name}/tags?per_page={per_page}&page="
        if page < last:
            links += [f'<{url}{page + 1}>; rel="next"', f'<{url}{last}>; rel="last"']
        if page > 1:
            links += [f'<{url}{page - 1}>; rel="prev"', f'<{url}1>; rel="first"']
        return 200, body, ({"Link": ", ".join(links)} if links else {})

    # -- the raw host

    def raw(self, path: str):
        from .replay import Response

        match = re.fullmatch(r"/([^/]+)/([^/]+)/([^/]+)/(.+)", path)
        if match:
            full = f"{match.group(1)}/{match.group(2)}".lower()
            snapshot = self.corpus.repos.get(self.corpus.renamed.get(full, full).lower())
            if snapshot is not None and match.group(4) in snapshot.files:
                return Response(200, snapshot.files[match.group(4)].read_bytes(), "text/plain; charset=utf-8")
        return Response(404, b"404: Not Found", "text/plain; charset=utf-8")
