"""Records -> CSL-JSON items (the input format of pandoc's citeproc, citeproc-js/Zotero
and citeproc-py). Pure: no I/O, no third-party imports.

Every item is valid against the official CSL-JSON schema (``additionalProperties`` is
false there, so only schema keys are written; what has no CSL variable goes to ``custom``).

Choices, each for a reader we test against:
- Types follow the BibTeX entry type first (``inproceedings`` -> ``paper-conference`` ...),
  then the record's kind for ``@misc`` (see ``csl_type``).
- Software: Zotero's CSL JSON importer rejects a *whole file* when one item has type
  ``software`` (it is missing from its list of known types), so by default software is
  written as ``book`` with a ``version``, which Zotero's importer turns into its
  *Computer Program* type. ``strict=True`` writes the honest ``software`` type instead.
  ``version`` is the release or version tag GitHub gave; when none is known there is no
  ``version`` (never a made-up "latest"), and the date is the full release date.
- Talks are ``speech`` (a presentation given at an event), not ``motion_picture``: the
  speaker is an author, where a film would make them its director; Zotero imports
  ``speech`` as *Presentation*, which keeps title, presenter, date and URL.
- Names: ``family``/``given``, particles kept inside ``family`` ("van der Putten"),
  because Zotero's importer reads only family, given and literal; organisations and
  GitHub owners are ``literal``. A list that ended in "et al." is written without a fake
  "others" person: the known authors are kept and ``custom["authors-truncated"]`` says
  that the list was cut.
- The citation key is ``id`` and ``citation-key``, and also a ``Citation Key: <key>`` line
  in ``note``: Zotero does not keep ``id`` on import, but reads that line from Extra.
- Numbers (``volume``, ``issue``, ``number``) are strings, as Zotero exports them: the
  schema allows JSON numbers too, but citeproc-js crashes on a numeric ``volume``.
- Titles are CSL rich text: words that must keep their case (the ones braced in BibTeX)
  are wrapped in ``<span class="nocase">``. ``&`` and ``<`` stay as they are, not as
  ``&amp;``/``&lt;``: pandoc 2.17's citeproc, citeproc-js 1.4 and citeproc-py all print
  entities literally ("Adaptive &amp; Multitask"), and all three treat a ``<`` that does
  not open one of CSL's few markup tags (i, b, sup, sub, span) as text. Zotero exports
  titles the same way. Each engine escapes the text itself when it writes HTML.
"""

from __future__ import annotations

import re

from .bibtex import section_keywords
from .capitalisation import record_names, title_segments
from .model import Person, Record

NOCASE_OPEN, NOCASE_CLOSE = '<span class="nocase">', "</span>"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# BibTeX entry types with an unambiguous CSL type, whatever the record's kind.
_ENTRY_TYPES = {
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "article": "article-journal",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "unpublished": "manuscript",
    "manual": "report",
    "dataset": "dataset",
    "software": "software",
    "online": "webpage",
}
_THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}

# ``@misc`` records (and unknown entry types) by kind.
_KIND_TYPES = {
    # A paper that is neither a conference nor a journal paper: a preprint or working
    # paper (CSL 1.0.2's meaning of ``article``; Zotero imports it as Preprint).
    "paper": "article",
    "software": "software",
    "talk": "speech",
    "blog": "post-weblog",
    "book": "book",
    "course": "webpage",
    "website": "webpage",
    "dataset": "dataset",
}


def csl_type(record: Record, strict: bool = False) -> str:
    entry_type = record.entry_type.lower()
    if entry_type in _ENTRY_TYPES:
        csl = _ENTRY_TYPES[entry_type]
    elif record.fields.get("type") and record.kind in ("talk", "blog"):
        csl = "webpage"  # a playlist, channel or blog as a whole: not one speech or post
    elif record.fields.get("type") in _THESIS_GENRES.values():
        csl = "thesis"  # a thesis the .bib writes as @misc because its school is unknown
    else:
        csl = _KIND_TYPES.get(record.kind, "document")
    if csl == "software" and not strict:
        return "book"  # + version: Zotero's Computer Program (see the module docstring)
    return csl


def rich_title(title: str, keep_case: tuple[str, ...], names: tuple[str, ...] = ()) -> str:
    """The title as CSL rich text: case-sensitive words in nocase spans.

    Words are protected by the same rule as the BibTeX writer's braces, so a style that
    changes case treats the .bib and the CSL-JSON alike.
    """
    rich = "".join(
        NOCASE_OPEN + text + NOCASE_CLOSE if protected else text for text, protected in title_segments(title, keep_case, names)
    )
    # TeX prints the .bib title's "--" and "---" as dashes; the CSL-JSON says what TeX prints.
    return rich.replace("---", "\u2014").replace("--", "\u2013")


def csl_name(person: Person) -> dict:
    if person.literal or not person.given:
        # A lone word is a family name for people ("Plato"), a literal for organisations.
        return {"literal": person.family} if person.literal else {"family": person.family}
    # A comma in ``given`` would be read as a suffix separator by citeproc.
    return {"family": person.family, "given": person.given.replace(",", " ").strip()}


def _issued(fields: dict[str, str]) -> dict | None:
    full = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", fields.get("date", "").strip())
    if full:
        return {"date-parts": [[int(part) for part in full.groups()]]}
    year = fields.get("year", "").strip()
    if not year:
        return None
    if not re.fullmatch(r"\d{4}", year):
        return {"literal": year}
    parts: list[int] = [int(year)]
    month = fields.get("month", "").strip().lower()
    if month[:3] in _MONTHS:
        parts.append(_MONTHS.index(month[:3]) + 1)
    elif month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    return {"date-parts": [parts]}


def _is_preprint(record: Record, csl: str) -> bool:
    return csl == "article" and bool(record.fields.get("eprint"))


def csl_item(record: Record, strict: bool = False) -> dict:
    """One CSL-JSON item; keys in a fixed order so the output is byte-stable."""
    fields = record.fields
    csl = csl_type(record, strict)
    item: dict = {"id": record.key, "citation-key": record.key, "type": csl}
    if record.authors:
        item["author"] = [csl_name(p) for p in record.authors]
    if record.title:
        item["title"] = rich_title(record.title, record.keep_case, record_names(record))
    container = fields.get("booktitle") or fields.get("journal") or fields.get("journaltitle")
    if not container and csl in ("post-weblog", "webpage"):
        container = fields.get("organization")  # the blog or site the page belongs to
    if container:
        item["container-title"] = container
    issued = _issued(fields)
    if issued:
        item["issued"] = issued
    if fields.get("volume"):
        item["volume"] = fields["volume"]
    if _is_preprint(record, csl):
        # arXiv's own identifiers: the archive is the "publisher", the id its number.
        item["number"] = fields["eprint"]
        item["publisher"] = fields.get("archiveprefix") or fields.get("eprinttype") or "arXiv"
    elif fields.get("number"):
        # BibTeX's number is a journal/proceedings issue, but a report's own number.
        item["number" if csl in ("report", "book", "thesis") else "issue"] = fields["number"]
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*[-–—]+\s*", "-", fields["pages"])
    publisher = fields.get("publisher") or fields.get("school") or fields.get("institution")
    if not publisher and csl not in ("post-weblog", "webpage"):
        publisher = fields.get("organization")  # a talk's channel or host, a course's institution
    if publisher and "publisher" not in item:
        item["publisher"] = publisher
    place = fields.get("address") or fields.get("location")
    if place:
        item["publisher-place"] = place
    for source, target in (("edition", "edition"), ("series", "collection-title"), ("isbn", "ISBN"), ("issn", "ISSN")):
        if fields.get(source):
            item[target] = fields[source]
    if fields.get("eventtitle"):
        item["event-title"] = fields["eventtitle"]
    genre = fields.get("type") or _THESIS_GENRES.get(record.entry_type.lower())
    if genre:
        item["genre"] = genre
    if record.kind == "software" and fields.get("version"):
        item["version"] = fields["version"]
    if fields.get("doi"):
        item["DOI"] = fields["doi"]
    if fields.get("url"):
        item["URL"] = fields["url"]
    if fields.get("annote"):
        item["annote"] = fields["annote"]
    if fields.get("abstract"):
        item["abstract"] = fields["abstract"]
    keywords = section_keywords(record.sections)
    if keywords:
        # Zotero splits ``keyword`` on commas into tags; a heading's own comma would split it.
        item["keyword"] = ", ".join(k.replace(",", ";") for k in keywords)
    item["note"] = "\n".join(filter(None, [fields.get("note", ""), f"Citation Key: {record.key}"]))
    custom: dict = {"kind": record.kind}
    if record.authors_truncated:
        custom["authors-truncated"] = True
    for name in ("primaryclass", "dblp"):
        if fields.get(name):
            custom[name] = fields[name]
    item["custom"] = custom
    return item


def csl_items(records: list[Record], strict: bool = False) -> list[dict]:
    return [csl_item(record, strict) for record in records]


def dumps(items: list[dict]) -> str:
    """The file text: UTF-8 (not \\u escapes), indent 2, trailing newline."""
    import json

    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
