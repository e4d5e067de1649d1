"""Stage 4 (and the reader of its own output): records <-> ``.bib`` text.

Two dialects from one record:
- ``bibtex``: what plain/unsrt/alpha styles understand. Non-ASCII as LaTeX escapes,
  software and web pages as ``@misc`` with the URL in ``howpublished``, arXiv ids as
  ``eprint``/``archivePrefix``/``primaryClass``.
- ``biblatex``: UTF-8, ``@software``/``@online``, ``eprinttype``/``eprintclass``,
  ``journaltitle``, numeric months, the kind in ``entrysubtype``.
- ``bibtex-utf8``: the ``bibtex`` dialect with UTF-8 text and no ``howpublished`` copy of
  the URL; not for files, but for pybtex (``sysml-bib render``), which decodes LaTeX
  specials but prints ``\\url`` and accent commands it does not know as raw LaTeX.

Sections travel in ``keywords`` as hierarchical keywords (``Video System > Papers``),
every prefix of every path listed, so ``\\printbibliography[keyword={Video System}]``
works and the paths can be read back. ``kind`` carries the item's kind.
Same records in, same bytes out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from . import latex
from .record import KINDS, Person, Record

MODES = ("bibtex", "biblatex", "bibtex-utf8")
STYLE_FAMILIES = ("default", "plain")
FIELD_ORDER = (
    "author", "title", "booktitle", "journal", "journaltitle", "year", "month", "date", "series", "volume", "number",
    "pages", "publisher", "address", "location", "isbn", "school", "institution", "type", "edition",
    "version", "license", "organization", "eventtitle", "howpublished", "doi", "eprint", "archiveprefix", "eprinttype",
    "primaryclass", "eprintclass", "url", "dblp", "key", "note", "related", "abstract", "annote", "keywords", "kind",
)
_FIELD_NAMES = {"archiveprefix": "archivePrefix", "primaryclass": "primaryClass"}
_VERBATIM = {"url", "doi", "eprint", "archiveprefix", "primaryclass", "eprinttype", "eprintclass", "kind", "dblp", "isbn", "date", "related"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_BIBLATEX_ONLINE_KINDS = {"blog", "website", "course", "dataset"}  # talks: see worktypes
SECTION_SEPARATOR = " > "


class BibError(Exception):
    """A .bib file we cannot use; the message names the file and line."""


# ------------------------------------------------------------------------------ writing

def _protect_title(record: Record, ascii_only: bool) -> str:
    """Braces around the words whose case must survive case-changing styles (see capitalisation.py)."""
    from . import capitalisation  # writing only: export passes entries through and never needs it

    return "".join(
        "{" + latex.encode(text, ascii_only) + "}" if protected else latex.encode(text, ascii_only)
        for text, protected in capitalisation.record_segments(record)
    )


def _format_name(person: Person, ascii_only: bool) -> str:
    if person.literal:
        return "{" + latex.encode(person.family, ascii_only) + "}"
    family = latex.encode(person.family, ascii_only)
    if " and " in person.family or "," in person.family:
        family = "{" + family + "}"
    text = family
    if person.given:
        given = latex.encode(person.given.replace(",", ""), ascii_only)
        text = f"{family}, {given}"
    return text


def _url(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C").replace(" ", "%20")


# For `render --format latex` (pybtex's LaTeX, where the field may end up in a macro's
# argument): \url{} only when no character in it breaks there. Files written for
# BibTeX/biblatex keep URLs in `url` (verbatim) or in a top-level \url{}.
_URL_UNSAFE_IN_MACRO = set("#%&~^\\{}")


def _howpublished_url(url: str, ascii_only: bool) -> str:
    url = _url(url)
    if _URL_UNSAFE_IN_MACRO & set(url):
        return latex.encode(url, ascii_only)
    return "\\url{" + url + "}"


def section_keywords(sections: list[tuple[str, ...]]) -> list[str]:
    keywords: list[str] = []
    for path in sections:
        for depth in range(1, len(path) + 1):
            keyword = SECTION_SEPARATOR.join(path[:depth])
            if keyword not in keywords:
                keywords.append(keyword)
    return keywords


def _keywords(sections: list[tuple[str, ...]], ascii_only: bool) -> str:
    parts = []
    for keyword in section_keywords(sections):
        encoded = latex.encode(keyword, ascii_only)
        parts.append("{" + encoded + "}" if "," in keyword else encoded)
    return ", ".join(parts)


def _sort_key(record: Record) -> str:
    return record.title.split(":")[0].strip()[:60] or record.key


def site_label(record: Record) -> str:
    """The site a work without authors is on (``medium.com``): what author-year styles
    print in the author's place, from the work's own URL; empty when it has none."""
    from urllib.parse import urlsplit

    host = urlsplit(record.fields.get("url", "")).hostname or ""
    return host.removeprefix("www.")


def _arxiv_note(fields: dict, family: str, mode: str) -> None:
    """One arXiv id per entry: styles that print ``eprint`` (ACM, biblatex, pandoc) get it
    there, so ``howpublished`` says only "arXiv preprint"; the plain family keeps the id in
    ``howpublished``, because plain/unsrt/alpha print no ``eprint``."""
    eprint = fields.get("eprint", "")
    note = fields.get("howpublished") or ""
    if not eprint or note.removesuffix(f" arXiv:{eprint}") != "arXiv preprint":
        return
    if mode == "biblatex":
        fields.pop("howpublished")  # biblatex prints "arXiv: <id>" from eprint/eprinttype
    elif family == "plain":
        fields["howpublished"] = f"arXiv preprint arXiv:{eprint}"
    else:
        fields["howpublished"] = "arXiv preprint"


def entry_fields(record: Record, mode: str, family: str = "default") -> tuple[str, list[tuple[str, str, bool]]]:
    """(entry type, [(field, encoded value, braced)]) in the fixed field order.

    ``family`` (BibTeX dialect only): ``default`` is read right by plainnat, IEEEtran,
    ACM-Reference-Format, biblatex and pandoc (the URL only in ``url``, the arXiv id only
    in ``eprint``); ``plain`` is for plain/unsrt/alpha/abbrv, which print neither ``url``
    nor ``eprint``: the URL is copied into ``howpublished`` and the id into the note.
    """
    if family not in STYLE_FAMILIES:
        raise ValueError(f"unknown style family {family!r} (one of {', '.join(STYLE_FAMILIES)})")
    ascii_only = mode == "bibtex"
    fields = dict(record.fields)
    from . import worktypes  # only the writer needs it: export's pass-through never loads it

    entry_type = worktypes.adapt(record, fields, mode)
    url = fields.get("url", "")
    _arxiv_note(fields, family, mode)
    if mode in ("bibtex", "bibtex-utf8"):
        # pybtex's styles print the url field themselves (bibtex-utf8 is only for pybtex).
        if mode == "bibtex" and family == "plain" and entry_type == "misc" and url and "howpublished" not in fields:
            fields["howpublished"] = None  # filled below with \url{...}
        if not record.authors:
            # The sort key of plain/plainnat/ACM (they warn without one), printed by
            # plainnat and ACM where the author would be: the site, never the title again.
            # pybtex (bibtex-utf8) and the plain family only sort by it: the title there.
            label = site_label(record) if mode == "bibtex" and family == "default" else _sort_key(record)
            if label:
                fields["key"] = label
    else:
        if entry_type == "misc" and record.kind == "software":
            entry_type = "software"
        elif entry_type == "misc" and record.kind in _BIBLATEX_ONLINE_KINDS and record.year and "type" not in fields:
            # Undated pages stay @misc: biblatex-ieee's @online prints an empty "()" for
            # the missing date, and @misc reads the same in every other style. A
            # collection (``type``) stays @misc: ``type`` is no @online field.
            entry_type = "online"
        for old, new in (("archiveprefix", "eprinttype"), ("primaryclass", "eprintclass"), ("journal", "journaltitle"), ("address", "location")):
            if old in fields:
                fields[new] = fields.pop(old)
        if "eprinttype" in fields:
            fields["eprinttype"] = fields["eprinttype"].lower()
        # biblatex's @article has no publisher (biber --validate-datamodel rejects it);
        # the journal identifies the work, and the .bib/CSL-JSON exports keep the value.
        if entry_type == "article":
            fields.pop("publisher", None)
        # The dblp key is for matching (and our pinning), not a biblatex field.
        fields.pop("dblp", None)
        # A full date says more than year + month (biber warns when both are given); biber's
        # data model has no `license` field (the .bib and BibTeX keep it).
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields.get("date", "")):
            fields.pop("year", None)
            fields.pop("month", None)
        else:
            fields.pop("date", None)
        fields.pop("license", None)
        # biblatex prints a `related` entry in full inside the entry (its title, its URL):
        # the note line names the other work instead; the .bib keeps `related` for tools.
        fields.pop("related", None)
    out: list[tuple[str, str, bool]] = []
    if record.authors or record.authors_truncated:
        people = [_format_name(p, ascii_only) for p in record.authors]
        if record.authors_truncated:
            people.append("others")
        out.append(("author", " and ".join(people), True))
    if any(record.sections):
        fields["keywords"] = None
    if mode == "biblatex":
        # biber's data model has no `kind` field (--validate-datamodel warns on each entry);
        # `entrysubtype` is biblatex's field for "a subtype of an entry type", which is what
        # our kind is (a talk or a blog among @online), and the standard styles ignore it.
        fields["entrysubtype"] = record.kind
    else:
        fields["kind"] = record.kind
    ordered = [f for f in FIELD_ORDER if f in fields] + sorted(f for f in fields if f not in FIELD_ORDER)
    for name in ordered:
        if name == "author":
            continue
        value = fields[name]
        if name == "title":
            out.append((name, _protect_title(record, ascii_only), True))
        elif name == "howpublished" and value is None:
            out.append((name, "\\url{" + _url(url) + "}", True))
        elif name == "keywords":
            out.append((name, _keywords(record.sections, ascii_only), True))
        elif name == "month":
            month = value.lower()[:3]
            if mode != "biblatex" and month in _MONTHS:
                out.append((name, month, False))
            elif month in _MONTHS:
                out.append((name, str(_MONTHS.index(month) + 1), True))
            else:
                out.append((name, latex.encode(value, ascii_only), True))
        elif name == "url":
            out.append((name, _url(value), True))
        elif name in _VERBATIM:
            out.append((name, value.replace("{", "").replace("}", ""), True))
        elif name == "pages":
            out.append((name, re.sub(r"\s*[-–—]+\s*", "--", value), True))
        else:
            out.append((name, latex.encode(value, ascii_only), True))
    return entry_type, out


def format_entry(record: Record, mode: str = "bibtex", family: str = "default") -> str:
    entry_type, fields = entry_fields(record, mode, family)
    lines = [f"@{entry_type}{{{record.key},"]
    for name, value, braced in fields:
        shown = _FIELD_NAMES.get(name, name)
        lines.append(f"  {shown:<13} = {{{value}}}," if braced else f"  {shown:<13} = {value},")
    lines.append("}")
    return "\n".join(lines) + "\n"


HEADER = "sysml-bib"


def format_bibliography(
    records: list[Record], mode: str = "bibtex", aliases: dict[str, tuple[str, ...]] | None = None, source: str = "", family: str = "default"
) -> str:
    parts = []
    if source:
        parts.append(f"@comment{{{HEADER}: generated by `sysml-bib build` from {latex.encode(source, True)}. Edit the list, not this file.}}\n")
    if aliases:
        lines = [f"@comment{{{HEADER} aliases"]
        for alias, path in sorted(aliases.items()):
            lines.append(f"  {_comment_safe(alias)} -> {_comment_safe(SECTION_SEPARATOR.join(path))}")
        parts.append("\n".join(lines) + "\n}\n")
    parts.extend(format_entry(record, mode, family) for record in records)
    return "\n".join(parts)


def _comment_safe(text: str) -> str:
    return text.replace("{", "(").replace("}", ")").replace("=", "-").replace("->", "-").replace("\n", " ")


# ------------------------------------------------------------------------------ reading

class Bibliography(NamedTuple):  # not a dataclass: export's start-up would pay for compiling its methods
    records: list[Record]
    aliases: dict[str, tuple[str, ...]]


def _split_top_level(value: str, separator: str) -> list[str]:
    if "{" not in value and "}" not in value:
        return value.split(separator)  # the same, and export reads every entry's keywords this way
    parts, depth, current = [], 0, []
    i = 0
    while i < len(value):
        if value[i] == "{":
            depth += 1
        elif value[i] == "}":
            depth -= 1
        if depth == 0 and value.startswith(separator, i):
            parts.append("".join(current))
            current = []
            i += len(separator)
            continue
        current.append(value[i])
        i += 1
    parts.append("".join(current))
    return parts


def _one_group(raw: str) -> bool:
    """Whether the whole name is a single brace group (``{Google Research}``): a literal."""
    depth = 0
    for position, char in enumerate(raw):
        depth += (char == "{") - (char == "}")
        if depth == 0:
            return char == "}" and position == len(raw) - 1 and position > 0
    return False


def parse_name(raw: str) -> Person | None:
    raw = raw.strip()
    if not raw or raw == "others":
        return None
    if _one_group(raw):
        return Person(family=latex.decode(raw[1:-1]), literal=True)
    parts = [latex.decode(p).strip() for p in _split_top_level(raw, ",")]
    if len(parts) >= 2:
        return Person(family=parts[0], given=" ".join(p for p in parts[-1:] if p))
    words = latex.decode(raw).split()
    if len(words) == 1:
        return Person(family=words[0])
    from .names import _natural

    return _natural(" ".join(words))


def parse_sections(value: str) -> list[tuple[str, ...]]:
    keywords = [latex.decode(k).strip() for k in _split_top_level(value, ",")]
    paths = [tuple(k.split(SECTION_SEPARATOR)) for k in keywords if k]
    # Every prefix is listed; the paths themselves are the ones no other path extends.
    return [p for p in paths if not any(len(q) > len(p) and q[: len(p)] == p for q in paths)]


def _aliases_from_comment(text: str) -> dict[str, tuple[str, ...]]:
    aliases = {}
    match = re.search(r"@comment\{" + re.escape(HEADER) + r" aliases\n(.*?)\n\}", text, re.DOTALL)
    if match:
        for line in match.group(1).splitlines():
            alias, sep, path = line.strip().partition(" -> ")
            if sep:
                aliases[alias] = tuple(path.split(SECTION_SEPARATOR))
    return aliases


# Reading a user's own .bib: the kind when there is no ``kind`` field, and biblatex's types
# and fields in the record's BibTeX form (the writer turns them back for --format biblatex).
KIND_BY_TYPE = {
    "inproceedings": "paper", "conference": "paper", "article": "paper", "incollection": "paper",
    "inbook": "paper", "phdthesis": "paper", "mastersthesis": "paper", "thesis": "paper",
    "techreport": "paper", "report": "paper", "unpublished": "paper", "proceedings": "book",
    "book": "book", "mvbook": "book", "booklet": "book", "manual": "book", "collection": "book",
    "mvcollection": "book", "reference": "book", "inreference": "paper", "software": "software",
    "online": "website", "www": "website", "electronic": "website", "dataset": "dataset",
}
BIBTEX_TYPES = frozenset(
    "article book booklet conference inbook incollection inproceedings manual mastersthesis misc "
    "phdthesis proceedings techreport unpublished".split()
)
_BIBLATEX_TYPES = {  # biblatex-only type -> the BibTeX type of the record
    "online": "misc", "www": "misc", "electronic": "misc", "software": "misc", "dataset": "misc",
    "report": "techreport", "thesis": "phdthesis", "mvbook": "book", "bookinbook": "inbook",
    "collection": "book", "mvcollection": "book", "reference": "book", "inreference": "incollection",
    "suppbook": "inbook", "suppcollection": "incollection", "suppperiodical": "article",
}
_BIBLATEX_FIELDS = {"journaltitle": "journal", "location": "address", "eprinttype": "archiveprefix", "eprintclass": "primaryclass"}
_BIBLATEX_ONLY = frozenset(_BIBLATEX_FIELDS) | {"date", "entrysubtype", "urldate", "eventdate", "origdate"}
_BIBLATEX_ONLY_BESIDE_YEAR = _BIBLATEX_ONLY - {"date"}  # a `date` beside a `year` is our own software date
_EPRINT_PREFIXES = {"arxiv": "arXiv"}


def kind_of(entry_type: str, fields: dict[str, str]) -> str:
    """The kind of an entry: its ``kind`` (or biblatex ``entrysubtype``) field, else its type."""
    for name in ("kind", "entrysubtype"):
        value = fields.get(name, "").strip().lower()
        if value in KINDS:
            return value
    entry_type = entry_type.lower()
    if entry_type == "misc" and fields.get("eprint"):
        return "paper"  # an arXiv preprint written as @misc
    return KIND_BY_TYPE.get(entry_type, "website")


def needs_conversion(entry_type: str, field_names, raw: str) -> bool:
    """Whether an entry is not plain ASCII BibTeX (a biblatex type or field, UTF-8 text).

    ``field_names``: lower-case names, as a set or a dict's keys."""
    # A `date` beside a `year` is our own software date (kept for biblatex/CSL), not biblatex-only input.
    biblatex_only = _BIBLATEX_ONLY_BESIDE_YEAR if "year" in field_names else _BIBLATEX_ONLY
    return entry_type.lower() not in BIBTEX_TYPES or not biblatex_only.isdisjoint(field_names) or not raw.isascii()


def parse_bibliography(text: str, filename: str = "<bib>", full: bool = True) -> Bibliography:
    """Read a .bib file; a block that does not parse, or a file with no entry, is an error naming its line.

    With ``full=False`` only what selection needs is decoded (key, type, kind, sections)
    and each plain-BibTeX record keeps its entry text in ``raw``: ``export`` to BibTeX
    passes those entries through unchanged, which is as fast as reading the file. Other
    entries (biblatex, UTF-8) are decoded in full, with ``raw`` empty, to be converted.
    """
    import logging

    import bibtexparser

    # bibtexparser logs its own view of a bad block ("Unknown block type ..."); the error below says it.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    if library.failed_blocks:
        block = library.failed_blocks[0]
        line = (getattr(block, "start_line", 0) or 0) + 1
        error = getattr(block, "error", None)
        reason = getattr(error, "abort_reason", None) or error or type(block).__name__
        raise BibError(f"{filename}:{line}: cannot read this entry ({_describe(reason)}); fix or remove it")
    if not library.entries and text.strip():
        line, first = next((n, t.strip()) for n, t in enumerate(text.splitlines(), 1) if t.strip())
        if not _only_bibtex_blocks(library):
            raise BibError(f"{filename}:{line}: not a BibTeX file (no @entry found; it starts {first[:40]!r})")
    for entry in library.entries:
        if not entry.key.strip():
            raise BibError(f"{filename}:{entry.start_line + 1}: @{entry.entry_type} entry without a citation key")
    records = []
    for entry in library.entries:
        values = {f.key.lower(): f.value for f in entry.fields}
        plain = not needs_conversion(entry.entry_type, values, entry.raw)
        if full or not plain:
            record = _record_from_entry(entry, filename)
        else:
            record = Record(key=entry.key, entry_type=entry.entry_type.lower(), kind=kind_of(entry.entry_type, values))
            record.sections = parse_sections(values["keywords"]) if "keywords" in values else []
        record.raw = entry.raw if plain else ""
        records.append(record)
    return Bibliography(records, _aliases_from_comment(text))


def _only_bibtex_blocks(library) -> bool:
    """A file of @comment/@string/@preamble blocks only is BibTeX, just without entries."""
    return any(type(block).__name__ in ("ExplicitComment", "String", "Preamble") for block in library.blocks)


def _describe(reason) -> str:
    text = str(reason).strip().splitlines()
    return text[0].rstrip(".") if text and text[0].strip() else "syntax error"


def _from_biblatex(entry_type: str, fields: dict[str, str]) -> str:
    """biblatex types and fields in the record's BibTeX form; returns the BibTeX entry type."""
    for old, new in _BIBLATEX_FIELDS.items():
        if old in fields:
            value = fields.pop(old)
            fields.setdefault(new, value)
    if "archiveprefix" in fields:
        fields["archiveprefix"] = _EPRINT_PREFIXES.get(fields["archiveprefix"].strip().lower(), fields["archiveprefix"].strip())
    ours = "year" in fields and re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields.get("date", "").strip())
    date = "" if ours else fields.pop("date", "").strip()  # our software's full date beside its year stays
    found = re.match(r"(\d{4})(?:-(\d{1,2}))?", date)
    if found:
        fields.setdefault("year", found.group(1))
        if found.group(2) and 1 <= int(found.group(2)) <= 12:
            fields.setdefault("month", _MONTHS[int(found.group(2)) - 1])
    month = fields.get("month", "").strip()
    if month.isdigit() and 1 <= int(month) <= 12:
        fields["month"] = _MONTHS[int(month) - 1]
    if entry_type == "thesis" and fields.get("type", "").strip().lower() in ("mathesis", "master's thesis", "masters thesis"):
        fields.pop("type")
        return "mastersthesis"
    if entry_type == "thesis" and fields.get("type", "").strip().lower() == "phdthesis":
        fields.pop("type")
    if entry_type in BIBTEX_TYPES:
        return entry_type
    return _BIBLATEX_TYPES.get(entry_type, "misc")


def _record_from_entry(entry, filename: str) -> Record:
    fields = {f.key.lower(): f.value for f in entry.fields}
    kind = kind_of(entry.entry_type, fields)
    fields.pop("kind", None)
    fields.pop("entrysubtype", None)
    entry_type = _from_biblatex(entry.entry_type.lower(), fields)
    record = Record(key=entry.key, entry_type=entry_type, kind=kind)
    raw_authors = fields.pop("author", "")
    if raw_authors:
        people = [_name for _name in (parse_name(n) for n in _split_top_level(" ".join(raw_authors.split()), " and "))]
        record.authors = [p for p in people if p]
        record.authors_truncated = any(p is None for p in people)
    raw_title = fields.get("title", "")
    record.keep_case = latex.protected_words(raw_title)
    record.sections = parse_sections(fields.pop("keywords", ""))
    fields.pop("key", None)  # regenerated by the writer
    howpublished = fields.get("howpublished", "")
    url = fields.get("url", "").strip()
    if url and (howpublished == "\\url{" + url + "}" or latex.decode(howpublished) == url):
        fields.pop("howpublished")  # regenerated from url
    for name, value in fields.items():
        if name in _VERBATIM or name == "url":
            record.fields[name] = value.strip()
        elif name == "month":
            record.fields[name] = value.strip().lower()
        else:
            record.fields[name] = latex.decode(value)
        record.provenance[name] = filename
    return record


def read_bibliography(path, full: bool = True) -> Bibliography:
    """Read a .bib file (``path``: a string or a Path; opened without pathlib, which export's start-up does not load)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise BibError(f"{path}: cannot read it ({error.strerror or error})") from None
    if b"\0" in data[:8192]:
        raise BibError(f"{path}: a binary file, not BibTeX")
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BibError(f"{path}:{line}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    return parse_bibliography(text, path, full)
