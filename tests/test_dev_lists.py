"""`sysml-bib build --list` on real lists in other styles (tests/data/lists, see SOURCE.md).

The test counts the lists' paper links itself, from the raw markdown: every distinct
paper link must end in a record with a real title that holds no paper link of another
entry (two works merged into one), for at least 95 % of the links; the rest must be
reported by line in the build summary."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sysml_bib.build import build_bibliography
from sysml_bib.parse import parse_files

LISTS = sorted((Path(__file__).parent / "data" / "lists").glob("*/README.md"))
_LINK = re.compile(r"\]\((https?://[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)\)")
_PAPER_HOSTS = {"arxiv.org", "doi.org", "dl.acm.org", "ieeexplore.ieee.org", "openreview.net", "link.springer.com",
                "proceedings.mlr.press", "papers.nips.cc", "proceedings.neurips.cc", "aclweb.org", "sciencedirect.com",
                "epubs.siam.org", "proceedings.mlsys.org", "nature.com", "researchgate.net"}
_LABELS = {"pdf", "paper", "link", "code", "github", "download", "homepage", "slides", "video", "blog", "arxiv", "website"}


def url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    arxiv = re.match(r"^/(?:abs|pdf)/(\d{4}\.\d{4,5})", path) if host == "arxiv.org" else None
    if arxiv:
        return "arxiv:" + arxiv.group(1)
    return host + path + ("?" + parts.query if parts.query else "")


def is_paper(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return parts.path.lower().endswith(".pdf") or host in _PAPER_HOSTS or (
        host == "usenix.org" and ("/system/files/" in parts.path or "/presentation/" in parts.path))


def paper_links(text: str) -> dict[str, set[int]]:
    """Distinct paper link -> the lines it is on (fenced blocks and HTML comments are not shown, so not counted)."""
    found: dict[str, set[int]] = {}
    fenced = comment = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced:
            continue
        visible = line
        if comment:
            if "-->" not in line:
                continue
            comment, visible = False, line.split("-->", 1)[1]
        if "<!--" in visible and "-->" not in visible.split("<!--", 1)[1]:
            comment, visible = True, visible.split("<!--", 1)[0]
        for match in _LINK.finditer(visible):
            if is_paper(match.group(1)):
                found.setdefault(url_key(match.group(1)), set()).add(number)
    return found


def real_title(title: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'\-]+", title)
    return bool(words) and not set(w.lower() for w in words) <= _LABELS and not re.search(r"^\s*[\[#|]|\|", title) \
        and not re.fullmatch(r"[\[(]?[A-Za-z]+['’ ]?\d{2,4}[\])]?", title.strip())


def components(links: dict[str, set[int]]) -> dict[str, int]:
    """Paper links on one line belong to one entry; entries sharing a link are one (a work listed twice)."""
    parent = {key: key for key in links}

    def find(key):
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    by_line: dict[int, list[str]] = {}
    for key, lines in links.items():
        for line in lines:
            by_line.setdefault(line, []).append(key)
    for keys in by_line.values():
        for other in keys[1:]:
            parent[find(other)] = find(keys[0])
    return {key: hash(find(key)) for key in links}


@pytest.mark.parametrize("path", LISTS, ids=[p.parent.name for p in LISTS])
def test_build_keeps_every_paper_link_as_a_titled_record_of_its_own(path, cli, tmp_path):
    links = paper_links(path.read_text(encoding="utf-8"))
    assert len(links) > 80  # the count is the test's own, from the raw markdown
    entry_of = components(links)
    result = build_bibliography(parse_files([path]), [], [path.name])
    holders: dict[str, list] = {}
    for record in result.records:
        for url in record.links:
            if url_key(url) in links:
                holders.setdefault(url_key(url), []).append(record)

    def clean(record, key):
        """A titled record holding paper links of one entry only."""
        entries = {entry_of[url_key(u)] for u in record.links if url_key(u) in links}
        return real_title(record.title) and entries == {entry_of[key]}

    lost = {key: lines for key, lines in links.items() if not any(clean(r, key) for r in holders.get(key, []))}
    kept = 1 - len(lost) / len(links)
    assert kept >= 0.95, f"{kept:.1%} kept; lost: {sorted(lost.items(), key=lambda kv: min(kv[1]))[:20]}"

    # The same run through the command line writes every record and reports the rest by line.
    out = tmp_path / "refs.bib"
    run = cli("build", "--list", str(path), "--out", str(out))
    assert run.code == 0, run.err
    assert out.read_text(encoding="utf-8").count("\n@") + 1 >= len(result.records)
    reported = {int(n) for n in re.findall(rf"{re.escape(path.name)}:(\d+)", run.err)}
    for key, lines in lost.items():
        assert lines & reported, f"{key} (line {sorted(lines)}) is neither kept nor reported"
