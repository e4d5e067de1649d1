"""``lint``: a list's entries checked against its own template and against each other.

Offline and pure: parse results and the file texts in, ``Finding``s out. Levels:

- ``error``: the entry is broken for every reader (an empty, relative or non-http(s)
  link, a malformed arXiv id, no title, the same work twice in one section, a table
  of contents link to no heading). ``lint`` exits 1.
- ``warning``: the entry does not follow the template (a label that does not fit its
  link, a paper without a readable author or venue/year line, a section missing from
  the table of contents, one repository listed as two items). Never fails a run.
- ``note``: worth a look (the same work in two sections, a line under a paper read as
  neither authors nor venue).

Every finding names the file and line (the offending line when there is one, else the
entry's first line) and the lines it is about (``lines``), which ``--changed-since``
intersects with the lines a change touched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .. import links as linkmod
from .. import markdown, names, venues
from ..model import Item, Link
from ..normalize import group_same_works, identities, normalized_title, record_from_item
from ..parse import ParsedList
from .spans import Heading, anchored_headings, heading_text, headings, item_lines

LEVELS = ("error", "warning", "note")

# A link label -> the link types it promises; labels not listed promise nothing.
_LABEL_TYPES = {
    "paper": linkmod.PAPER_LINK_TYPES | {"other"},
    "pdf": linkmod.PAPER_LINK_TYPES | {"other"},  # a publisher's landing page is fine
    "arxiv": {"arxiv"},
    "github": {"github", "github-profile"},
    "code": {"github", "github-profile", "other"},
    "youtube": {"youtube"},
}
_LABEL_WANTS = {
    "paper": "a paper (arXiv, DOI, USENIX, a PDF or a publisher page)",
    "pdf": "a paper",
    "arxiv": "an arXiv abstract or PDF",
    "github": "a GitHub repository",
    "code": "a code repository",
    "youtube": "a YouTube video",
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    level: str
    code: str
    message: str
    lines: frozenset[int] = field(default=frozenset(), compare=False)  # what the finding is about
    # The same finding told from the other entry (a duplicate): reported instead when only that entry changed.
    mirror: "Finding | None" = field(default=None, compare=False)

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "level": self.level, "code": self.code, "message": self.message}


# ----------------------------------------------------------------------------- the checks

def lint(parsed: ParsedList, texts: dict[str, str]) -> list[Finding]:
    """Every finding for the parsed list (``texts``: file name as parsed -> its text), in file order."""
    spans = item_lines(parsed, texts)
    file_lines = {file: text.splitlines() for file, text in texts.items()}
    findings: list[Finding] = []
    for item in parsed.items:
        span = frozenset(spans.get(item.index, {item.line}))
        findings += _item_findings(item, span, file_lines.get(item.file, []))
    findings += _duplicates(parsed.items, spans)
    for file, text in texts.items():
        findings += _toc_findings(parsed, file, text, spans)
    order = {file: n for n, file in enumerate(texts)}
    return sorted(set(findings), key=lambda f: (order.get(f.file, len(order)), f.line, LEVELS.index(f.level), f.code, f.message))


def _line_of(link: Link, span: frozenset[int], lines: list[str], default: int) -> int:
    """The line of the item that holds the link, else the item's first line."""
    needle = f"]({link.url}" if link.url else "]()"
    for number in sorted(span):
        if 0 < number <= len(lines) and needle in lines[number - 1]:
            return number
    return default


def _item_findings(item: Item, span: frozenset[int], lines: list[str]) -> list[Finding]:
    out = []

    def add(level: str, code: str, message: str, line: int | None = None) -> None:
        out.append(Finding(item.file, line or item.line, level, code, message, span))

    if not item.title.strip():
        add("error", "no-title", "entry without a title (the template: '- Title [[Paper]](link)')")
    for link in item.links:
        where = _line_of(link, span, lines, item.line)
        problem = link_problem(link)
        if problem:
            add("error", problem[0], problem[1], where)
            continue
        mismatch = label_mismatch(link)
        if mismatch:
            add("warning", "label-mismatch", mismatch, where)
    if item.kind == "paper":
        out += _template_findings(item, span, lines)
    return out


def link_problem(link: Link) -> tuple[str, str] | None:
    """(code, message) when the link cannot be followed or names a malformed arXiv id."""
    label = f"[{link.label}]" if link.label else "link"
    url = link.url.strip()
    if not url:
        return "empty-link", f"{label} has an empty URL: '{label}()'"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "invalid-link", f"{label} URL {url!r} cannot be read"
    if not parts.scheme:
        return "relative-link", f"{label} URL {url!r} is relative: give the full https:// address"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "non-http-link", f"{label} URL {url!r} is not http(s)"
    host = parts.hostname.lower().removeprefix("www.")
    if host in ("arxiv.org", "export.arxiv.org") and re.match(r"^/(abs|pdf)/", parts.path):
        arxiv_id = link.arxiv_id or re.sub(r"^/(abs|pdf)/|\.pdf$|/$", "", parts.path)
        if link.type != "arxiv" or not linkmod.is_valid_arxiv_id(arxiv_id):
            return "arxiv-id", f"{label} names arXiv id {arxiv_id!r}, which arXiv does not issue (YYMM.NNNNN, a real month)"
    return None


def label_mismatch(link: Link) -> str | None:
    key = re.sub(r"[^a-z]", "", link.label.lower())
    wanted = _LABEL_TYPES.get(key)
    if wanted is None or link.type in wanted:
        return None
    what = {"github": "a GitHub repository", "github-profile": "a GitHub profile", "youtube": "a YouTube video",
            "usenix-page": "a USENIX presentation page", "usenix-pdf": "a USENIX PDF", "arxiv": "arXiv",
            "doi": "a DOI page", "pdf": "a PDF"}.get(link.type, "a web page")
    return f"[{link.label}] should link to {_LABEL_WANTS[key]}, but {link.url} is {what}"


def _line_with(text: str, item: Item, span: frozenset[int], lines: list[str]) -> int:
    """The line of the item holding ``text`` (as parse read it: markdown stripped), its lines under the first one
    searched first; else the item's first line."""
    needle = text.strip()[:24]
    for number in sorted(span, key=lambda n: (n == item.line, n)):
        if needle and 0 < number <= len(lines) and needle in markdown.strip_inline(lines[number - 1]):
            return number
    return item.line


def _template_findings(item: Item, span: frozenset[int], lines: list[str]) -> list[Finding]:
    """A paper's author line and '(*Venue Year*)' line, read as ``parse`` reads them."""
    out = []

    def add(level: str, code: str, message: str, about: str = "") -> None:
        line = _line_with(about, item, span, lines) if about else item.line
        out.append(Finding(item.file, line, level, code, message, span))

    if not item.author_lines:
        add("warning", "no-authors", "paper without an author line ('  - Authors (*Venue Year*)')")
    for line in item.author_lines:
        if not names.parse_authors(line).people:
            add("warning", "authors-unreadable", f"author line {line!r} names no person", line)
    if not item.venue_lines:
        add("warning", "no-venue", "paper without a venue/year line ('(*OSDI 2018*)')")
    author_year = any(names.parse_authors(line).year for line in item.author_lines)  # Harvard "..., 2015, August."
    for line in item.venue_lines:
        venue = venues.parse_venue(line)
        if not venue.year and not author_year:
            add("warning", "venue-no-year", f"venue line {line!r} has no year", line)
        elif venue.type == "unknown" or not (venue.short or venue.name):
            add("warning", "venue-unreadable", f"venue line {line!r} names no venue", line)
    for note in item.notes:
        if note.strip(" :-"):
            add("note", "unread-line", f"line {note[:60]!r} under a paper was read as neither authors nor venue", note)
    return out


def _duplicates(items: list[Item], spans: dict[int, set[int]]) -> list[Finding]:
    """The same work (shared arXiv id, DOI, repository, URL or title) as two entries; one repository twice."""
    singles = [record_from_item(item) for item in items]
    item_of = {id(record): item for record, item in zip(singles, items)}
    out = []
    work_of: dict[int, int] = {}
    groups, merges = group_same_works(singles)
    for number, group in enumerate(groups):
        members = [item_of[id(r)] for r in group]
        for item in members:
            work_of[item.index] = number
        for n, item in enumerate(members):
            for first in members[:n]:
                if item.parent == first.index or first.parent == item.index:
                    continue  # a project and its paper, nested on purpose
                shared = _shared_identity(singles[first.index], singles[item.index])
                out.append(_same_work(item, first, spans, shared, mirror=_same_work(first, item, spans, shared)))
                break
    out += _reused_links(items, merges.refused, spans)
    seen: dict[str, Item] = {}
    for item in items:
        for repo in dict.fromkeys(l.repo.lower() for l in item.links if l.type == "github" and l.repo):
            first = seen.setdefault(repo, item)
            if first is not item and work_of.get(first.index) != work_of.get(item.index) \
                    and item.parent != first.index and first.parent != item.index:
                def told(a: Item, b: Item, mirror=None) -> Finding:
                    return Finding(a.file, a.line, "warning", "same-repository",
                                   f"repository {repo} is also listed at line {b.line} ({b.title[:50]!r})",
                                   frozenset(spans.get(a.index, {a.line})), mirror)

                out.append(told(item, first, told(first, item)))
    return out


_IDENTITY_NAMES = {"arxiv": "arXiv id", "doi": "DOI", "dblp": "dblp key", "repo": "repository", "url": "paper link", "title": "title"}


def _shared_identity(a, b) -> str:
    """What makes two records one work ("title", "arXiv id 1809.04676", ...), for the message."""
    shared = sorted(identities(a) & identities(b), key=lambda t: t.startswith("title:"))
    if not shared:
        return ""  # joined through a third entry
    kind, _, value = shared[0].partition(":")
    return "title" if kind == "title" else f"{_IDENTITY_NAMES.get(kind, kind)} {value}"


def _reused_links(items: list[Item], refused: list[dict], spans: dict[int, set[int]]) -> list[Finding]:
    """Joins ``identity`` refused (one link or id under unrelated titles): a link copied from another entry."""
    from pathlib import Path

    by_place = {f"{Path(item.file).name}:{item.line}": item for item in items}
    out = []
    for refusal in refused:
        found = [by_place[w] for w in refusal["items"] if w in by_place]
        if len(found) < 2:
            continue
        first, item = found[0], found[-1]
        kind, _, value = refusal["shared"].partition(":")
        if kind == "title":
            continue  # one title, two works (other authors or year): identity kept them apart, rightly
        # A paper's id or link under two titles is a copy error; one repository may serve a paper and a tool.
        level = "warning" if kind == "repo" else "error"

        def told(a: Item, b: Item, mirror=None) -> Finding:
            return Finding(a.file, a.line, level, "reused-link",
                           f"has the {_IDENTITY_NAMES.get(kind, kind)} {value} of line {b.line} ({b.title[:50]!r}) "
                           f"under another title: is one link wrong? ({refusal['reason']})",
                           frozenset(spans.get(a.index, {a.line})), mirror)

        out.append(told(item, first, told(first, item)))
    return out


def _same_work(item: Item, other: Item, spans: dict[int, set[int]], shared: str, mirror: Finding | None = None) -> Finding:
    where = f"{other.file}:{other.line}" if other.file != item.file else f"line {other.line}"
    about = frozenset(spans.get(item.index, {item.line}))
    same = f" (same {shared})" if shared else ""
    retitled = shared and shared != "title" and normalized_title(item.title) != normalized_title(other.title)
    if item.sections == other.sections:
        if retitled:  # two titles, one link: a link copied from the entry next to it, most often
            message = f"has the {shared} of {where} ({other.title[:50]!r}) under another title: is one link wrong?"
        else:
            message = f"the same work as {where}{same}, in the same section: remove one"
        return Finding(item.file, item.line, "error", "duplicate", message, about, mirror)
    section = " > ".join(other.sections) or "the top of the list"
    return Finding(item.file, item.line, "note", "listed-twice",
                   f"the same work is also listed at {where}{same}, under {section}", about, mirror)


def _toc_findings(parsed: ParsedList, file: str, text: str, spans: dict[int, set[int]]) -> list[Finding]:
    """Table-of-contents links that reach no heading, and sections with entries that it does not list."""
    found = headings(file, text)
    slugs: dict[str, Heading] = {}
    for heading in anchored_headings(file, text):
        slug = markdown.github_slug(heading_text(heading.raw))
        taken, n = slug, 0
        while taken in slugs:  # GitHub numbers repeated headings: survey, survey-1
            n += 1
            taken = f"{slug}-{n}"
        slugs[taken] = heading
    out, targeted = [], set()
    for bullet in parsed.bullets:
        if bullet.file != file or bullet.role != "toc":
            continue
        for link in markdown.split_links(bullet.text)[1]:
            if not link.url.startswith("#"):
                continue
            target = slugs.get(link.url[1:].lower())
            if target is None:
                out.append(Finding(file, bullet.line, "error", "toc-anchor",
                                   f"table of contents entry [{link.label}]({link.url}) reaches no heading", frozenset({bullet.line})))
            else:
                targeted.add(target)
    if not targeted:
        return out  # a list without a table of contents
    level = min(h.level for h in targeted)
    items_by_line = sorted(((item.line, item) for item in parsed.items if item.file == file), key=lambda pair: pair[0])
    for n, heading in enumerate(found):
        if heading.level != level or heading in targeted:
            continue
        end = next((h.line for h in found[n + 1 :] if h.level <= heading.level), 10**9)
        inside = [item for line, item in items_by_line if heading.line < line < end]
        if not inside:
            continue  # a heading without entries (the table of contents itself, a template)
        about = frozenset({heading.line}).union(*(spans.get(item.index, ()) for item in inside))
        out.append(Finding(file, heading.line, "warning", "section-not-in-toc",
                           f"section {heading_text(heading.raw)!r} is not in the table of contents: add a link to #{markdown.github_slug(heading_text(heading.raw))}",
                           about))
    return out


# ----------------------------------------------------------------------------- selection and output

def only_changed(findings: list[Finding], changed: dict[str, set[int] | None]) -> list[Finding]:
    """Findings about lines a change touched (``changed``: file -> lines; None = the whole file is new)."""
    def touched(finding: Finding) -> bool:
        lines = changed.get(finding.file, set())
        return lines is None or bool((finding.lines or {finding.line}) & lines)

    kept = []
    for finding in findings:
        if touched(finding):
            kept.append(finding)
        elif finding.mirror is not None and touched(finding.mirror):
            kept.append(finding.mirror)  # the changed entry is the earlier one: say it there
    order = {f: n for n, f in enumerate(findings)}
    return sorted(dict.fromkeys(kept), key=lambda f: (f.file, f.line, order.get(f, 0)))


def exit_status(findings: list[Finding]) -> int:
    return 1 if any(f.level == "error" for f in findings) else 0


def format_text(findings: list[Finding]) -> str:
    return "".join(f"{f.file}:{f.line}: {f.level}: {f.message} [{f.code}]\n" for f in findings)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}


def format_github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    return "".join(
        f"::{_GITHUB_COMMANDS[f.level]} file={_escape_property(f.file)},line={f.line},"
        f"title={_escape_property('sysml-bib ' + f.code)}::{_escape_data(f.message)}\n"
        for f in findings
    )


def format_json(findings: list[Finding]) -> str:
    return json.dumps([f.as_json() for f in findings], indent=1, ensure_ascii=False) + "\n"


FORMATS = {"text": format_text, "github": format_github, "json": format_json}


def summary(findings: list[Finding]) -> str:
    counts = {level: sum(f.level == level for f in findings) for level in LEVELS}
    return ", ".join(f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items())
