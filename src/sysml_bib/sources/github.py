"""GitHub: software records from the REST API, and the papers their repositories ask to be cited.

Per repository, one API request after another (GitHub's secondary limits punish
concurrency), each answer's ``X-RateLimit-*`` headers obeyed (``http.py``):

1. ``GET /repos/{owner}/{repo}``: name, URL, owner, dates, licence. A renamed repository
   answers ``301`` to ``/repositories/{id}``; the new name and URL are used, the list's
   old one stays in the report.
2. ``GET /repos/{full_name}/contents/``: which of ``CITATION.cff``, ``CITATION.bib``,
   ``CITATION`` and ``README*`` exist at the root.
3. ``GET /repos/{full_name}/releases/latest``: the latest release gives version and date in
   one answer. Only when there is none (404, or a release whose tag is no version):
   ``GET .../tags`` (``per_page=100``, following the ``Link`` header) for the newest
   version-like tag (``v1.2.3``, ``1.2.3``, ``<repo>-v0.4.34``; not ``ciflow/rocm/6186``), then
   ``GET .../commits/{sha}`` for its date (GitHub's tag list has no dates). No version tag:
   no version, and the date of the last push (as Zotero does).
4. The files found in 2. from ``raw.githubusercontent.com/{full_name}/HEAD/{path}`` (no
   API quota; one request a second).
5. ``GET /users/{login}`` for the owner's display name and type, only when no citation
   file names the authors, and once per owner in a run (logins compare case-insensitively,
   as GitHub's do; a later run revalidates the stored answer with its ETag, which is free).
   An organisation is its name as one literal author (``{Uber}``), a user's name a person.

So a repository with a release costs 3 API calls (repository, listing, release); without
one, 4 when no tag is a version (the release's 404, then the tags) and 5 when one is (then
the tag's commit); plus one per further page of 100 tags, one for a 301, and one per owner.
The release is asked first because it is what the maintainers call their latest version
(a tag can be a candidate or an experiment), and because one answer then says everything:
the tags, pages of them in a big project (``ciflow/...``), and the extra call for a tag's
date are spent only on a project that never made a release.

Before the first request, ``GET /rate_limit`` (free) says how much quota is left. When it
runs out, the remaining repositories are reported as waiting, with the reset time, and a
later run looks up only those (``revisit``). With ``GITHUB_TOKEN`` set, requests carry it
(5,000 an hour instead of 60); it is never stored or shown.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field

from .. import names
from ..http import FetchError, QuotaExhausted
from ..links import classify
from ..model import Candidate, Person, Record
from . import citations
from .base import Host, Lookup, Online, Source

API = Host("github", "https://api.github.com", 0.1, metered=True, token_env="GITHUB_TOKEN", description="GitHub's REST API")
RAW = Host("github-raw", "https://raw.githubusercontent.com", 1.0, description="GitHub's raw file host")
ACCEPT = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
WAITING = "waiting for the GitHub API quota"
CITATION_FILES = ("CITATION.cff", "CITATION.bib", "CITATION")
README_ORDER = ("README.md", "README.markdown", "README.rst", "README.txt", "README")
PER_PAGE = 100
MAX_TAG_PAGES = 10
_PRERELEASE = re.compile(r"(a|b|rc|alpha|beta|dev|pre|preview)\.?\d*$", re.IGNORECASE)


def validate_json(response) -> str | None:
    if "json" not in response.headers.get("Content-Type", ""):
        return f"expected JSON, got {response.headers.get('Content-Type') or 'no content type'}"
    try:
        json.loads(response.content)
    except ValueError as error:
        return f"invalid JSON ({error})"
    return None


# ----------------------------------------------------------------------------- versions

def version_of(tag: str, repo_name: str) -> tuple[tuple, str] | None:
    """(sort key, version text) when ``tag`` names a version of this repository, else None.

    ``v1.2.3``, ``1.2.3``, ``release-1.2``, ``<repo>-v0.4.34`` and ``<repo>-26-05-3-1`` are versions;
    ``ciflow/rocm/6186``, ``client-v0.18.2a0`` (another package's) and ``nightly`` are not.
    """
    name = tag.strip()
    prefix = re.match(r"^([A-Za-z][\w.]*?)[-_/]", name)
    if prefix and not re.match(r"^v\d", name):
        word = prefix.group(1).lower()
        if word not in (repo_name.lower(), repo_name.lower().replace("-", ""), "release", "version"):
            return None
        name = name[prefix.end():]
    match = re.fullmatch(r"[vV]?(\d+(?:\.\d+){1,3})([-.]?(?:a|b|rc|alpha|beta|dev|pre|preview|post)\.?\d*)?", name)
    if not match and prefix and re.fullmatch(r"\d+(?:[-_]\d+){1,3}", name):  # slurm-26-05-3-1: kept as written
        return (True, tuple(int(n) for n in re.split(r"[-_]", name)), ""), name
    if not match:
        return None
    numbers = tuple(int(n) for n in match.group(1).split("."))
    suffix = match.group(2) or ""
    final = not _PRERELEASE.search(suffix)
    return (final, numbers, suffix), (name[1:] if name[:1] in "vV" else name)


def newest_version(tags: list[dict], repo_name: str) -> tuple[str, str, str] | None:
    """(tag name, version, commit sha) of the highest final version, else the highest pre-release."""
    best = None
    for tag in tags:
        parsed = version_of(str(tag.get("name", "")), repo_name)
        if parsed and (best is None or parsed[0] > best[0]):
            best = (parsed[0], tag["name"], parsed[1], (tag.get("commit") or {}).get("sha", ""))
    return best[1:] if best else None


def _next_link(response) -> str | None:
    for part in response.headers.get("Link", "").split(","):
        match = re.match(r'\s*<([^>]+)>\s*;\s*rel="next"', part)
        if match:
            return match.group(1)
    return None


# ----------------------------------------------------------------------------- one repository

@dataclass
class Found:
    """Everything one repository gave, before it becomes a candidate."""

    listed: str  # owner/name as the list links it
    full_name: str = ""
    data: dict = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    version: str = ""
    date: str = ""
    date_from: str = ""
    owner_name: str = ""
    owner_type: str = ""  # "User" or "Organization", when GitHub says
    cff: citations.CffFile | None = None
    asked: list[citations.Citation] = field(default_factory=list)  # citations of the files, in order
    readme_title: str = ""
    notes: list[str] = field(default_factory=list)


class GitHub(Source):
    # A paper's code link can ask for a paper too (its own, or another: GPipe's code is Lingvo's).
    name, label, kinds, hosts, phase, rank = "github", "GitHub", frozenset({"software", "paper"}), (API, RAW), 0, 10
    validators = {"/repos/": validate_json, "/repositories/": validate_json, "/users/": validate_json}
    waiting = WAITING

    def wants(self, record: Record, found: dict[int, Lookup]) -> bool:
        return record.kind in self.kinds and bool(repository(record))

    def rejection(self, record: Record, candidate: Candidate) -> str | None:
        listed = (repository(record) or "").lower()
        known = {candidate.id.lower(), candidate.fields.get("listed_repo", "").lower()}
        return None if listed in known else f"repository {candidate.id} is not the list's {listed}"

    def revisit(self, entry: dict, online: Online) -> bool:
        return str(entry.get("unresolved", {}).get("github", "")).startswith(WAITING)

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        api, raw = online.base(API), online.base(RAW)
        self._ask_quota(online, api)
        owners: dict[str, dict] = {}  # lower-case login -> the /users answer ({} when none)
        spent: QuotaExhausted | None = None
        for record in records:
            lookup = found[id(record)]
            if spent is not None:
                lookup.failures["github"] = f"{WAITING}: {spent.reason}"
                lookup.extra["waiting_until"] = spent.reset
                continue
            try:
                if record.kind == "software":
                    result = self._repository(online, api, raw, repository(record), owners)
                else:  # a paper's code: only what it asks to be cited (one API call: the listing)
                    result = self._citations_only(online, api, raw, repository(record))
            except QuotaExhausted as error:
                spent = error
                lookup.failures["github"] = f"{WAITING}: {error.reason}"
                lookup.extra["waiting_until"] = error.reset
                continue
            except FetchError as error:
                lookup.failures["github"] = error.reason
                continue
            if result is None:
                lookup.failures["github"] = "repository not found on GitHub (404)"
                continue
            if record.kind == "software":
                lookup.candidates.append(software_candidate(result))
            lookup.related = paper_records(result, record)  # this answer replaces a stored one
            lookup.extra.update(report_data(result))

    # -- requests

    def _ask_quota(self, online: Online, api: str) -> None:
        """``/rate_limit`` costs nothing and says how much may be sent before the first real request."""
        try:
            response = online.http.get(api + "/rate_limit", headers=ACCEPT, expect=validate_json)
            core = response.json().get("resources", {}).get("core", {})
            online.http.adapter.note_quota(_netloc(api), int(core["remaining"]), float(core["reset"]))
        except (FetchError, KeyError, TypeError, ValueError):
            pass  # the headers of the first real answer will tell

    def _api(self, online: Online, url: str, allow_404: bool = False):
        try:
            return online.http.get(url, headers=ACCEPT, expect=validate_json)
        except QuotaExhausted:
            raise
        except FetchError as error:
            if allow_404 and error.reason == "HTTP 404":
                return None
            raise

    def _repository(self, online: Online, api: str, raw: str, listed: str, owners: dict[str, dict]) -> Found | None:
        response = self._api(online, f"{api}/repos/{listed}", allow_404=True)
        if response is None:
            return None
        result = Found(listed=listed, data=response.json())
        result.full_name = str(result.data.get("full_name") or listed)
        if response.history or result.full_name.lower() != listed.lower():
            result.notes.append(f"renamed or moved on GitHub: {listed} -> {result.full_name}")
        base = f"{api}/repos/{result.full_name}"
        listing = self._api(online, f"{base}/contents/", allow_404=True)
        entries = listing.json() if listing is not None else []
        result.files = [str(e.get("name", "")) for e in entries if isinstance(e, dict) and e.get("type", "file") == "file"]
        self._version(online, base, result)
        self._files(online, raw, result)
        owner = result.data.get("owner") if isinstance(result.data.get("owner"), dict) else {}
        login = str(owner.get("login", ""))
        result.owner_type = str(owner.get("type") or "")
        if login and not (result.cff and result.cff.authors) and not any(c.is_software and c.authors for c in result.asked):
            if login.lower() not in owners:
                try:
                    user = self._api(online, f"{api}/users/{login}", allow_404=True)
                except QuotaExhausted:
                    raise
                except FetchError as error:  # the repository's own answers stand; the owner stays its login
                    user = None
                    result.notes.append(f"owner {login}: {error.reason}")
                answer = user.json() if user is not None else {}
                owners[login.lower()] = answer if isinstance(answer, dict) else {}
            user = owners[login.lower()]
            result.owner_name = str(user.get("name") or "").strip()
            result.owner_type = str(user.get("type") or result.owner_type)
        return result

    def _citations_only(self, online: Online, api: str, raw: str, listed: str) -> Found | None:
        listing = self._api(online, f"{api}/repos/{listed}/contents/", allow_404=True)
        if listing is None:
            return None
        result = Found(listed=listed, full_name=listed)
        moved = re.search(r"/repos/([^/]+/[^/]+)/contents", listing.url)
        if moved and moved.group(1).lower() != listed.lower():
            result.full_name = moved.group(1)
        entries = listing.json()
        result.files = [str(e.get("name", "")) for e in entries if isinstance(e, dict) and e.get("type", "file") == "file"]
        self._files(online, raw, result)
        return result

    def _version(self, online: Online, base: str, result: Found) -> None:
        """The latest release; else the newest version tag and its commit's date; else the last push."""
        repo_name = result.full_name.split("/")[-1]
        release = self._api(online, f"{base}/releases/latest", allow_404=True)
        data = release.json() if release is not None else None
        if isinstance(data, dict):
            tag_name = str(data.get("tag_name", ""))
            parsed = version_of(tag_name, repo_name)
            if parsed and data.get("published_at"):
                result.version, result.date = parsed[1], str(data["published_at"])[:10]
                result.date_from = f"release {tag_name}"
                return
            result.notes.append(f"latest release {tag_name or '(no tag)'} names no version: the tags decide")
        tags: list[dict] = []
        url: str | None = f"{base}/tags?per_page={PER_PAGE}"
        for _ in range(MAX_TAG_PAGES):
            response = self._api(online, url, allow_404=True)
            if response is None:
                break
            tags += [t for t in response.json() if isinstance(t, dict)]
            url = _next_link(response)
            if not url:
                break
        else:
            result.notes.append(f"more than {MAX_TAG_PAGES * PER_PAGE} tags: only the first {MAX_TAG_PAGES} pages were read")
        newest = newest_version(tags, repo_name)
        if newest is None:
            pushed = str(result.data.get("pushed_at") or "")
            if pushed:
                result.date, result.date_from = pushed[:10], "pushed_at (no version tag)"
            return
        tag, result.version, sha = newest
        if sha:
            commit = self._api(online, f"{base}/commits/{sha}", allow_404=True)
            if commit is not None:
                info = commit.json().get("commit") or {}
                date = (info.get("committer") or {}).get("date") or (info.get("author") or {}).get("date") or ""
                result.date, result.date_from = str(date)[:10], f"tag {tag} (commit date)"

    def _files(self, online: Online, raw: str, result: Found) -> None:
        present = {name.lower(): name for name in result.files}
        for wanted in CITATION_FILES:
            name = present.get(wanted.lower())
            if not name:
                continue
            text = self._raw(online, raw, result, name)
            if text is None:
                continue
            if wanted == "CITATION.cff":
                result.cff = citations.read_cff(text, name)
                result.notes += result.cff.warnings + ([result.cff.error] if result.cff.error else [])
                if result.cff.preferred is not None:
                    result.asked.append(result.cff.preferred)
            else:
                found, problems = citations.bibtex_citations(text, name)
                result.asked += found
                result.notes += problems
                if not found and not problems:
                    result.notes.append(f"{name} holds no BibTeX entry")
        readme = next((present[n.lower()] for n in README_ORDER if n.lower() in present), None)
        readme = readme or next((n for n in result.files if n.lower().startswith("readme")), None)
        if readme:
            text = self._raw(online, raw, result, readme)
            if text is not None:
                result.readme_title = citations.readme_name(text, result.full_name.split("/")[-1])
                found, problems = citations.readme_citations(text, readme)
                result.asked += found
                result.notes += problems

    def _raw(self, online: Online, raw: str, result: Found, name: str) -> str | None:
        try:
            response = online.http.get(f"{raw}/{result.full_name}/HEAD/{name}")
        except FetchError as error:
            result.notes.append(f"{name}: {error.reason}")
            return None
        return response.content.decode("utf-8", errors="replace")


def _netloc(base: str) -> str:
    from ..http import netloc

    return netloc(base)


def repository(record: Record) -> str | None:
    """``owner/name`` of the record's GitHub repository (its URL, else its first GitHub link)."""
    for url in [record.fields.get("url", ""), *record.links]:
        repo = classify(url).repo if url else None
        if repo:
            return repo
    return None


# ----------------------------------------------------------------------------- results

def _own_citation(result: Found) -> citations.Citation | None:
    """A citation file's entry for the software itself (``@software``, a repository URL)."""
    return next((c for c in result.asked if c.is_software), None)


def owner_author(display_name: str, owner_type: str) -> Person:
    """The owner as the software's author: an organisation (or an owner of unknown type) is
    one literal name, ``{Uber}``; a user whose display name is a person's name is that person."""
    if owner_type == "User":
        person = names.natural_person(display_name)
        if person is not None:
            return person
    return Person(family=display_name, literal=True)


def software_candidate(result: Found) -> Candidate:
    data = result.data
    repo_name = str(data.get("name") or result.full_name.split("/")[-1])
    own = _own_citation(result)
    cff = result.cff or citations.CffFile()
    title = cff.title or (own.title if own else "") or result.readme_title or repo_name
    fields = {"url": str(data.get("html_url") or f"https://github.com/{result.full_name}")}
    authors: list[Person] = list(cff.authors) or (list(own.authors) if own else [])
    if not authors:
        login = str((data.get("owner") or {}).get("login") or result.full_name.split("/")[0])
        authors = [owner_author(result.owner_name, result.owner_type) if result.owner_name else Person(family=login, literal=True)]
        kind = {"Organization": "organisation", "User": "user"}.get(result.owner_type, "")
        fields["author_from"] = (f"owner display name ({kind})" if kind else "owner display name") if result.owner_name \
            else "owner login (GitHub names no author)"
    else:
        fields["author_from"] = "CITATION.cff" if cff.authors else own.where
    version = result.version or cff.version or (own.fields.get("version", "") if own else "")
    date = result.date or cff.date_released
    if version:
        fields["version"] = version
    if date:
        fields["date"], fields["year"] = date, date[:4]
    licence = ((data.get("license") or {}).get("spdx_id") or "") if isinstance(data.get("license"), dict) else ""
    if licence and licence != "NOASSERTION":
        fields["license"] = licence
    elif cff.license:
        fields["license"] = cff.license
    if cff.doi:
        fields["doi"] = cff.doi
    fields["listed_repo"] = result.listed
    return Candidate(source="github", id=result.full_name, title=title, authors=authors, entry_type="misc",
                     fields={k: v for k, v in fields.items() if v}, published=False, venue_type="software",
                     matched_by="repository")


def paper_records(result: Found, software: Record) -> list[Record]:
    """The papers the repository asks to be cited, as records to resolve like the list's papers."""
    from ..match import is_workshop

    papers = [c for c in result.asked if not c.is_software and c.title]
    out = []
    for position, citation in enumerate(papers[:1]):  # the first is the preferred one; others go to the report
        origin = f"github:{result.full_name} {citation.where.split()[0]}"
        record = Record(key="", entry_type="misc", kind="paper", keep_case=citation.keep_case, origin=origin)
        record.set("title", citation.title, origin)
        if citation.authors:
            record.authors = list(citation.authors)
            record.provenance["author"] = origin
        fields = dict(citation.fields)
        if fields.get("eprint") and not fields.get("url"):
            fields["url"] = f"https://arxiv.org/abs/{fields['eprint']}"  # as the list links an arXiv paper
        if fields.get("booktitle") and fields.get("year"):
            record.entry_type = "inproceedings"
        elif fields.get("journal") and fields.get("year") and "eprint" not in fields:
            record.entry_type = "article"
        else:
            fields.pop("booktitle", None)
            if fields.get("journal"):
                fields["howpublished"] = fields.pop("journal")
        for name in ("year", "booktitle", "journal", "volume", "number", "pages", "publisher", "doi", "eprint",
                     "archiveprefix", "primaryclass", "url", "howpublished", "institution", "school"):
            record.set(name, fields.get(name), origin)
        if record.fields.get("eprint") and record.entry_type == "misc":
            record.set("howpublished", f"arXiv preprint arXiv:{record.fields['eprint']}", origin)
        record.links = [fields["url"]] if fields.get("url") else []
        record.venue_type = ("journal" if record.entry_type == "article" else "" if record.entry_type != "inproceedings"
                             else "workshop" if is_workshop(fields.get("booktitle", "")) else "conference")
        out.append(record)
    return out


def report_data(result: Found) -> dict:
    data = {
        "repository": result.full_name,
        "repository_id": result.data.get("id"),
        "version_from": result.date_from,
        "files": sorted(f for f in result.files if f.lower().startswith(("readme", "citation"))),
    }
    if result.full_name.lower() != result.listed.lower():
        data["listed_as"] = result.listed
    papers = [c.as_json() for c in result.asked if not c.is_software]
    if papers:
        data["asks_for"] = papers[0]  # the preferred citation (its record is in related_keys, or is this work)
    if papers[1:]:
        data["other_citations"] = papers[1:]
    if result.notes:
        data["notes"] = result.notes
    if result.data.get("archived"):
        data["archived"] = True
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def waiting_until(extra: dict) -> str:
    reset = extra.get("waiting_until")
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(reset)) if isinstance(reset, (int, float)) else ""
