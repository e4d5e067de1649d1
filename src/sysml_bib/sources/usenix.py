"""USENIX: the site's whole BibTeX export in one download, matched by page URL or title.

PDF file names cannot be mapped to presentation pages by rule (``sec15-paper-…``,
``sec16_paper_…``, ``opml19papers-…``), so a paper linked by its PDF is matched by
title (and, when the list names authors, first-author overlap is checked by
``match``). A presentation page that the export lacks is read for its BibTeX block.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

from .. import latex
from ..http import Http
from ..match import title_similarity, title_words
from ..model import Candidate
from ..names import _natural

BASE = "https://www.usenix.org"
EXPORT_PATH = "/biblio/export/bibtex"
_BIBTEX_BLOCK = re.compile(r'<div[^>]*class="[^"]*bibtex-text-entry[^"]*"[^>]*>(.*?)</div>', re.DOTALL | re.IGNORECASE)


def validate_bibtex(response) -> str | None:
    kind = response.headers.get("Content-Type", "")
    start = (response.content or b"")[:2048].lstrip()
    if "html" in kind or start[:1] != b"@":
        return f"expected BibTeX, got {kind or 'no content type'} starting {start[:20]!r}"
    return None


def validate_page(response) -> str | None:
    if "html" not in response.headers.get("Content-Type", ""):
        return "expected an HTML page"
    return None


def page_key(url: str) -> str:
    """Presentation URLs compare without scheme, www, trailing slash or the old ``technical-sessions/`` infix."""
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")
    return url.replace("/technical-sessions/presentation/", "/presentation/")


def candidate_from_entry(key: str, fields: dict[str, str], matched_by: str) -> Candidate | None:
    raw_title = fields.get("title", "")
    if not raw_title or not fields.get("author"):
        return None
    values = {name: latex.decode(value) for name, value in fields.items() if name not in ("title", "author", "month")}
    if "month" in fields:
        values["month"] = fields["month"].strip().lower()[:3]
    values["usenix"] = key
    authors = [_natural(latex.decode(a)) for a in re.split(r"\s+and\s+", " ".join(fields["author"].split())) if a.strip()]
    return Candidate(
        source="usenix",
        id=key,
        title=latex.decode(raw_title),
        authors=authors,
        entry_type="inproceedings",
        fields={k: v for k, v in values.items() if v and k in _KEPT},
        keep_case=latex.protected_words(raw_title),
        published=True,
        venue_type="conference",
        matched_by=matched_by,
    )


_KEPT = {"booktitle", "year", "month", "pages", "isbn", "address", "publisher", "url", "usenix"}


@dataclass
class UsenixIndex:
    by_page: dict[str, tuple[str, dict]] = field(default_factory=dict)
    by_title: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)
    unreadable: int = 0  # entries of the export that do not parse (a few 2001 entries are cut short)

    def find_page(self, url: str) -> Candidate | None:
        found = self.by_page.get(page_key(url))
        return candidate_from_entry(found[0], found[1], "usenix-url") if found else None

    def find_title(self, title: str, threshold: float = 90) -> list[Candidate]:
        """Entries whose title equals the given one (ignoring case and punctuation), else close ones."""
        exact = self.by_title.get(title_words(title), [])
        if exact:
            pool = exact
        else:
            pool = [e for t, entries in self.by_title.items() if title_similarity(t, title) >= threshold for e in entries]
        out = [candidate_from_entry(k, f, "title") for k, f in pool]
        return [c for c in out if c]


def parse_export(text: str) -> UsenixIndex:
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    index = UsenixIndex(unreadable=len(library.failed_blocks))
    for entry in library.entries:
        if entry.entry_type.lower() != "inproceedings":
            continue
        fields = {f.key.lower(): f.value for f in entry.fields}
        url = fields.get("url", "")
        if url:
            index.by_page[page_key(url)] = (entry.key, fields)
        title = title_words(latex.decode(fields.get("title", "")))
        if title:
            index.by_title.setdefault(title, []).append((entry.key, fields))
    return index


def download(http: Http, base: str = BASE) -> UsenixIndex:
    response = http.get(base.rstrip("/") + EXPORT_PATH, expect=validate_bibtex)
    return parse_export(response.content.decode("utf-8", errors="replace"))


def from_page(http: Http, url: str, base: str | None = None) -> Candidate | None:
    """The BibTeX block shown on a presentation page (used when the export lacks the paper)."""
    from ..http import with_base

    response = http.get(with_base(url, base), expect=validate_page)
    match = _BIBTEX_BLOCK.search(response.text)
    if not match:
        return None
    block = html.unescape(re.sub(r"<br\s*/?>", "\n", match.group(1))).replace("\xa0", " ")
    index = parse_export(re.sub(r"<[^>]+>", "", block).strip())
    entries = list(index.by_page.values()) or [e for es in index.by_title.values() for e in es]
    if not entries:
        return None
    return candidate_from_entry(entries[0][0], entries[0][1], "usenix-url")
