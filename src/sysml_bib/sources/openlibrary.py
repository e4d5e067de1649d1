"""Open Library: books by ISBN (the books API), else by title and author (the search API).

- ``/api/books?bibkeys=ISBN:<isbn>&format=json&jscmd=data``: ``{"ISBN:<isbn>": {title,
  subtitle, authors: [{name}], publishers: [{name}], publish_date, identifiers}}``, or
  ``{}`` when Open Library has no such edition.
- ``/search.json?title=...&author=...``: ``{"numFound", "docs": [{title, subtitle,
  author_name, first_publish_year, publisher, isbn, edition_count}]}``, one doc per
  *work*: its year is the first edition's, and its publishers are every edition's, so
  a publisher is taken only when the editions agree on one. The caller then reads an
  edition of the work by its ISBN (``by_isbn``) for one edition's publisher and year.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from ..http import FetchError, Http, prefixed
from ..model import Candidate
from .web import people
from .answers import json_object

BASE = "https://openlibrary.org"
BOOKS_PATH = "/api/books"
SEARCH_PATH = "/search.json"
EDITIONS_TRIED = 3  # a work's first ISBNs read for its edition data (one call each)


validate = json_object()  # the books and search APIs answer one JSON object


def _year(text: str) -> str:
    match = re.search(r"\b(1[5-9]\d{2}|20\d{2})\b", text or "")
    return match.group(1) if match else ""


def _title(title: str, subtitle: str) -> str:
    title, subtitle = " ".join((title or "").split()), " ".join((subtitle or "").split())
    return f"{title}: {subtitle}" if subtitle and subtitle.lower() not in title.lower() else title


def by_isbn(http: Http, isbn: str, base: str = "") -> Candidate | None:
    """The edition with this ISBN, or None when Open Library has none."""
    query = urlencode({"bibkeys": f"ISBN:{isbn}", "format": "json", "jscmd": "data"})
    response = http.get(prefixed(f"{BASE}{BOOKS_PATH}?{query}", base), expect=validate)
    edition = json.loads(response.content).get(f"ISBN:{isbn}")
    if not isinstance(edition, dict) or not edition.get("title"):
        return None
    names = [a.get("name", "") for a in edition.get("authors", []) if isinstance(a, dict)]
    publishers = [p.get("name", "") for p in edition.get("publishers", []) if isinstance(p, dict)]
    identifiers = edition.get("identifiers", {}) if isinstance(edition.get("identifiers"), dict) else {}
    isbn13 = (identifiers.get("isbn_13") or [""])[0]
    fields = {
        "year": _year(edition.get("publish_date", "")),
        "publisher": publishers[0] if publishers else "",
        "isbn": isbn13 or isbn,
        "url": edition.get("url", ""),
    }
    return Candidate(
        source="openlibrary",
        id=f"ISBN:{isbn}",
        title=_title(edition["title"], edition.get("subtitle", "")),
        authors=people(names),
        entry_type="book",
        fields={k: v for k, v in fields.items() if v},
        published=True,
        venue_type="book",
        matched_by="isbn",
    )


def search(http: Http, title: str, author: str = "", base: str = "", limit: int = 5) -> list[Candidate]:
    """Works whose title matches; the caller checks which one is the list's book."""
    params = {"title": title, "limit": str(limit), "fields": "key,title,subtitle,author_name,first_publish_year,publisher,isbn,edition_count"}
    if author:
        params["author"] = author
    response = http.get(prefixed(f"{BASE}{SEARCH_PATH}?{urlencode(params)}", base), expect=validate)
    docs = json.loads(response.content).get("docs", [])
    out = []
    for doc in docs if isinstance(docs, list) else []:
        if not isinstance(doc, dict) or not doc.get("title"):
            continue
        publishers = sorted({p.strip() for p in doc.get("publisher", []) if isinstance(p, str) and p.strip()})
        isbns = [i for i in doc.get("isbn", []) if isinstance(i, str)]
        fields = {
            "year": str(doc.get("first_publish_year") or ""),
            "publisher": publishers[0] if len(publishers) == 1 else "",
            "url": f"{BASE}{doc['key']}" if isinstance(doc.get("key"), str) else "",
            "isbns": " ".join(isbns[:EDITIONS_TRIED]),  # editions to read for publisher and year
        }
        out.append(Candidate(
            source="openlibrary",
            id=str(doc.get("key") or doc["title"]),
            title=_title(doc["title"], doc.get("subtitle", "")),
            authors=people([a for a in doc.get("author_name", []) if isinstance(a, str)]),
            entry_type="book",
            fields={k: v for k, v in fields.items() if v},
            published=True,
            venue_type="book",
            matched_by="title",
        ))
    return out


__all__ = ["FetchError", "by_isbn", "search", "validate"]
