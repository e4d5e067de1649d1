"""What a repository asks to be cited as: ``CITATION.cff``, ``CITATION.bib``/``CITATION``, README BibTeX.

- ``CITATION.cff`` (Citation File Format 1.2.0) is read with PyYAML's safe loader, with
  YAML dates kept as text (the format's own advice), and validated against the published
  JSON schema (vendored: ``data/cff/``). Many real files fail the schema; a failure is a
  warning and the fields that are there are still used. A file that is not YAML (or not
  a mapping) is reported, never a crash. ``cffconvert`` is not used: it is unmaintained
  and ignores ``preferred-citation``.
- BibTeX (a ``CITATION.bib``, a bare ``CITATION``, or blocks in the README under a heading
  such as Citation/Cite/Citing/Reference/BibTeX/Paper, in code fences or reStructuredText
  literal blocks) is read with bibtexparser. The first entry is the preferred citation;
  the others are kept for the report.

A citation of the software itself (``type: software``, ``@software``, or an entry whose
URL is a GitHub repository) describes the software (its authors, title, version); any
other is a *paper* the project asks for, which becomes a record of its own.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .. import latex
from ..model import Person

SCHEMA = "cff/schema-1.2.0.json"
_CITE_HEADING = re.compile(r"\b(citations?|cite|citing|references?|referencing|bibtex|papers?|publications?|how to cite)\b", re.IGNORECASE)
_ASKS_TO_CITE = re.compile(r"\b(cite|citing|citation|bibtex)\b", re.IGNORECASE)
_ENTRY_START = re.compile(r"@([A-Za-z]+)\s*[{(]")
_ARXIV_IN_TEXT = re.compile(r"(?:arxiv[:\s/]*(?:abs/)?|arxiv\.org/(?:abs|pdf)/)(\d{4}\.\d{4,5})(?:v\d+)?", re.IGNORECASE)
_GITHUB_REPO_URL = re.compile(r"^https?://(www\.)?github\.com/[^/\s]+/[^/\s#?]+/?$", re.IGNORECASE)
_GITHUB_OWNER_URL = re.compile(r"^https?://(www\.)?github\.com/[^/\s#?]+/?$", re.IGNORECASE)
_URL_IN_TEXT = re.compile(r"https?://[^\s{}]+")


@dataclass
class Citation:
    """One work a repository asks to be cited (plain Unicode fields, BibTeX names)."""

    entry_type: str  # inproceedings, article, misc, techreport, software, ...
    title: str
    authors: list[Person]
    fields: dict[str, str] = field(default_factory=dict)  # year, booktitle, journal, pages, doi, eprint, url, ...
    keep_case: tuple[str, ...] = ()
    where: str = ""  # "CITATION.cff preferred-citation", "README.md"

    @property
    def is_software(self) -> bool:
        """``@software``/``@manual``, an entry whose URL is a GitHub repository, or a ``@misc``
        published only at a GitHub owner's page (``howpublished = {\\url{https://github.com/gnes-ai}}``)."""
        url = self.fields.get("url", "")
        return self.entry_type in ("software", "manual") or bool(_GITHUB_REPO_URL.match(url)) \
            or (self.entry_type == "misc" and bool(_GITHUB_OWNER_URL.match(url)))

    def as_json(self) -> dict:
        return {"entry_type": self.entry_type, "title": self.title, "authors": [p.display() for p in self.authors],
                "fields": dict(sorted(self.fields.items())), "where": self.where}


@dataclass
class CffFile:
    title: str = ""
    authors: list[Person] = field(default_factory=list)
    version: str = ""
    date_released: str = ""
    doi: str = ""
    license: str = ""
    preferred: Citation | None = None
    warnings: list[str] = field(default_factory=list)
    error: str = ""  # not usable at all


# ----------------------------------------------------------------------------- CITATION.cff

def _yaml_loader():
    import yaml

    class TextDates(yaml.SafeLoader):
        """Safe loading, but ``2021-05-14`` stays the text it is (the CFF schema wants strings)."""

    TextDates.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextDates


@lru_cache(maxsize=1)
def _validator():
    import jsonschema

    from ..resources import DATA

    schema = json.loads((DATA / SCHEMA).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def cff_people(entries) -> list[Person]:
    people = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        family = " ".join(p for p in (_text(entry.get("name-particle")), _text(entry.get("family-names"))) if p)
        given = _text(entry.get("given-names"))
        if family:
            suffix = _text(entry.get("name-suffix"))
            people.append(Person(family=family + (f", {suffix}" if suffix else ""), given=given))
        elif _text(entry.get("name")):
            people.append(Person(family=_text(entry["name"]), literal=True))
        elif given:
            people.append(Person(family=given))
    return people


_CFF_TYPES = {"article": "article", "conference-paper": "inproceedings", "proceedings": "inproceedings",
              "report": "techreport", "thesis": "phdthesis", "software": "software", "software-code": "software",
              "book": "book", "generic": "misc", "manual": "manual", "unpublished": "misc"}


def _cff_citation(data: dict, where: str) -> Citation:
    fields: dict[str, str] = {}
    year = _text(data.get("year")) or _text(data.get("date-published"))[:4] or _text(data.get("date-released"))[:4]
    if re.fullmatch(r"\d{4}", year):
        fields["year"] = year
    journal = _text(data.get("journal"))
    collection = _text(data.get("collection-title")) or _text((data.get("conference") or {}).get("name") if isinstance(data.get("conference"), dict) else "")
    entry_type = _CFF_TYPES.get(_text(data.get("type")), "misc")
    if journal:
        fields["journal"] = journal
        entry_type = "article" if entry_type in ("misc", "article") else entry_type
    if collection:
        fields["booktitle"] = collection
        entry_type = "inproceedings" if entry_type in ("misc", "article", "inproceedings") and not journal else entry_type
    pages = _text(data.get("pages")) or "--".join(p for p in (_text(data.get("start")), _text(data.get("end"))) if p)
    for name, value in (("pages", pages), ("volume", _text(data.get("volume"))), ("number", _text(data.get("issue"))),
                        ("url", _text(data.get("url"))), ("doi", _text(data.get("doi"))), ("version", _text(data.get("version")))):
        if value:
            fields[name] = value
    publisher = data.get("publisher")
    if isinstance(publisher, dict) and _text(publisher.get("name")):
        fields["publisher"] = _text(publisher["name"])
    for identifier in data.get("identifiers") or []:
        if isinstance(identifier, dict):
            kind, value = _text(identifier.get("type")), _text(identifier.get("value"))
            if kind == "doi" and "doi" not in fields:
                fields["doi"] = value
            elif kind == "url" and "url" not in fields:
                fields["url"] = value
    _arxiv_fields(fields, " ".join([journal, fields.get("url", ""), _text(data.get("repository")), fields.get("doi", "")]))
    return Citation(entry_type, _text(data.get("title")), cff_people(data.get("authors")), fields, (), where)


def read_cff(text: str, where: str = "CITATION.cff") -> CffFile:
    import yaml

    result = CffFile()
    try:
        data = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        result.error = f"{where} is not valid YAML" + (f" (line {mark.line + 1})" if mark else "")
        return result
    if not isinstance(data, dict):
        result.error = f"{where} is not a YAML mapping"
        return result
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.absolute_path) or "(top)"
        result.warnings.append(f"{where} does not validate against CFF 1.2.0 ({len(errors)} problem(s); first at {path}: {first.message[:120]})")
    result.title = _text(data.get("title"))
    result.authors = cff_people(data.get("authors"))
    result.version = _text(data.get("version"))
    released = _text(data.get("date-released"))
    result.date_released = released if re.fullmatch(r"\d{4}-\d{2}-\d{2}", released) else ""
    result.doi = _text(data.get("doi"))
    for identifier in data.get("identifiers") or []:
        if isinstance(identifier, dict) and identifier.get("type") == "doi" and not result.doi:
            result.doi = _text(identifier.get("value"))
    licence = data.get("license")
    result.license = _text(licence) or (" OR ".join(_text(x) for x in licence if _text(x)) if isinstance(licence, list) else "")
    preferred = data.get("preferred-citation")
    if isinstance(preferred, dict):
        result.preferred = _cff_citation(preferred, f"{where} preferred-citation")
    return result


# ----------------------------------------------------------------------------- BibTeX

def _arxiv_fields(fields: dict[str, str], text: str) -> None:
    if "eprint" in fields:
        return
    found = _ARXIV_IN_TEXT.search(text)
    if found:
        fields["eprint"] = found.group(1)
        fields["archiveprefix"] = "arXiv"


def _bibtex_entries(text: str) -> list[str]:
    """Every ``@type{...}`` block of ``text``, cut at its balanced closing brace."""
    blocks = []
    for start in _ENTRY_START.finditer(text):
        if start.group(1).lower() in ("comment", "preamble", "string"):
            continue
        depth, position = 0, start.end() - 1
        while position < len(text):
            char = text[position]
            depth += (char in "{(") - (char in "})")
            if depth == 0:
                blocks.append(text[start.start() : position + 1])
                break
            position += 1
    return blocks


def bibtex_citations(text: str, where: str) -> tuple[list[Citation], list[str]]:
    """The entries of a BibTeX text, in order; warnings for blocks that do not parse."""
    import bibtexparser

    from ..bibtex import _split_top_level, parse_name

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    citations, warnings = [], []
    for block in _bibtex_entries(text):
        library = bibtexparser.parse_string("\n".join(line.strip() for line in block.splitlines()))
        if library.failed_blocks or not library.entries:
            warnings.append(f"{where}: a BibTeX entry that does not parse ({block[:40].strip()!r}...)")
            continue
        entry = library.entries[0]
        raw = {f.key.lower(): f.value for f in entry.fields}
        fields = {name: " ".join(latex.decode(value).split()) for name, value in raw.items() if name not in ("author", "title", "editor")}
        fields = {k: v for k, v in fields.items() if v and k in _KEPT_BIBTEX}
        people = [parse_name(n) for n in _split_top_level(" ".join(raw.get("author", "").split()), " and ")]
        raw_title = raw.get("title", "")
        _arxiv_fields(fields, " ".join([raw.get("journal", ""), raw.get("eprint", ""), raw.get("url", ""), raw.get("note", ""), raw.get("howpublished", "")]))
        published_at = _URL_IN_TEXT.search(raw.get("howpublished", ""))
        if "url" not in fields and published_at and "github.com/" in published_at.group(0).lower():
            fields["url"] = published_at.group(0)  # howpublished = {\url{https://github.com/...}}: the software's own page
        citations.append(Citation(entry.entry_type.lower(), " ".join(latex.decode(raw_title).split()),
                                  [p for p in people if p], fields, latex.protected_words(raw_title), where))
    return citations, warnings


_KEPT_BIBTEX = {"year", "month", "booktitle", "journal", "volume", "number", "pages", "publisher", "doi", "eprint",
                "archiveprefix", "primaryclass", "url", "version", "institution", "school", "address"}


# ----------------------------------------------------------------------------- README

_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HTML_HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_UNDERLINE = re.compile(r"^\s*([=\-~^*+'\"])\1{2,}\s*$")  # setext/reStructuredText underlines
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*[\w+.-]*\s*$")  # a fence line (not ```inline``` code)


def _plain(text: str) -> str:
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # image -> alt text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link -> label
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"\|[^|]*\|", " ", text)  # reStructuredText substitutions (|badge|)
    return " ".join(text.split())


def headings(text: str) -> list[tuple[int, str]]:
    """(line number, plain heading text) of every markdown, setext, reStructuredText or HTML heading."""
    lines = text.splitlines()
    found = []
    fence = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            fence = not fence
            continue
        if fence:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((number, _plain(atx.group(2))))
        elif line.strip() and number + 1 < len(lines) and _UNDERLINE.match(lines[number + 1]) and not _UNDERLINE.match(line) \
                and len(lines[number + 1].strip()) >= min(3, len(line.strip())):
            found.append((number, _plain(line)))
        for html_heading in _HTML_HEADING.finditer(line):
            found.append((number, _plain(html_heading.group(2))))
    return [(n, t) for n, t in found if t]


def readme_citations(text: str, where: str) -> tuple[list[Citation], list[str]]:
    """BibTeX entries under a citation-like heading, or in a fence marked ``bibtex``, in order."""
    lines = text.splitlines()
    marks = headings(text)
    chunks = []
    for position, (number, title) in enumerate(marks):
        if _CITE_HEADING.search(title):
            end = marks[position + 1][0] if position + 1 < len(marks) else len(lines)
            chunks.append((number, "\n".join(lines[number + 1 : end])))
    # Elsewhere: an entry in a fence marked bibtex, or one that a nearby line asks to cite
    # ("If you use our code, please cite our paper:").
    for block in _bibtex_entries(text):
        start = text.index(block)
        line = text.count("\n", 0, start)
        if any(first <= line <= first + chunk.count("\n") + 1 for first, chunk in chunks):
            continue
        before = "\n".join(lines[max(0, line - 6) : line])
        if re.search(r"(```|~~~)\s*(bibtex|bib)\s*$", before, re.IGNORECASE) or _ASKS_TO_CITE.search(before):
            chunks.append((line, block))
    citations, warnings = [], []
    for _, chunk in sorted(chunks):
        found, problems = bibtex_citations(chunk, where)
        citations += found
        warnings += problems
    return citations, warnings


_NOT_A_NAME = re.compile(r"^(why|what|who|how|when|where|use|using|welcome|getting|introduction|about|overview|table of contents)\b", re.IGNORECASE)


def readme_name(text: str, repo_name: str) -> str:
    """The software's name from the README's first heading, when that heading is a name.

    It must contain the repository's name (ignoring case and punctuation) and not be a
    sentence such as "Why Ax?" or "Welcome to EuclidesDB" (those give the repository name).
    """
    marks = headings(text)
    if not marks:
        return ""
    title = re.sub(r"!?\[[^\]]*$|\s*!\[.*$", "", marks[0][1]).strip()  # a broken image link's remains
    words = title.split()
    title = " ".join(w for i, w in enumerate(words) if i == 0 or w != words[i - 1])  # "MMdnn MMdnn" (alt text + text)
    if not title or _NOT_A_NAME.match(title) or title.endswith("?"):
        return ""
    key = re.sub(r"[^a-z0-9]", "", repo_name.lower())
    for part in (re.split(r"\s+[-–—:|]\s+|:\s+|,\s+", title)[0], title):
        squeezed = re.sub(r"[^a-z0-9]", "", part.lower())
        if key and squeezed and (key in squeezed or squeezed in key) and len(part) <= 60:
            return part.strip(" :-")
    return ""
