"""Between resolve and key: the last touches every record gets, whatever its sources.

- URL hygiene (``urlclean``): tracking and personal parameters removed, the landing page
  preferred over a PDF copy; each change is kept for the report with the list's URL.
- A work the list names no author for, whose URL is the own site of an organisation in
  ``data/proper-nouns.csv`` (a product page, documentation, a course page), gets that
  organisation as author: APA and the ACM/IEEE styles cite such pages so. Blogs, talks
  and papers do not (the platform is not their author); nothing is fetched or guessed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from . import urlclean
from .capitalisation import organisation_for_host
from .model import Person, Record

ORGANISATION_KINDS = ("website", "course", "software")


def organisation_author(record: Record) -> str | None:
    if record.authors or record.kind not in ORGANISATION_KINDS:
        return None
    host = urlsplit(record.fields.get("url", "")).hostname or ""
    return organisation_for_host(host)


def finish(records: list[Record]) -> list[tuple[Record, urlclean.UrlChange]]:
    """Finish the records in place; the URL changes, each with its record (keyed later)."""
    changes = []
    for record in records:
        change = urlclean.tidy(record)
        if change:
            changes.append((record, change))
        organisation = organisation_author(record)
        if organisation:
            record.authors = [Person(family=organisation, literal=True)]
            record.provenance["author"] = "url-host"
    return changes
