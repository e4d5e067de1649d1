"""Recorded evidence that a listed link is a known work: a URL -> identifier lookup.

Some list entries link a paper only by an address no bibliographic source indexes (a
conference's PDF of its own white paper, a lab's copy) and give neither its title nor an
author, so no title or author search can find it safely. An **evidence record** says which
work such an address is, and why: a public page, read and recorded, that names both the
address (or the file behind it) and the work's identifier (an arXiv id, a DOI). With such
a record the entry gets the identifier, and the identifier's own source resolves it by the
normal path (``ArxivIds`` by id, ``Crossref`` by DOI); the report says which evidence tied
them (``extra.link_evidence``). An address no record names gets nothing: no guess.

Records come from ``data/link-evidence.json`` (bundled; built from the public records in
``data/public-records/evidence/``) and from files given with ``--link-evidence FILE``. A
record is used only when one of its pages names both the address and the identifier;
anything else is a malformed record, refused with a message naming the file.

The source runs in phase 0, asks no server, and adds no candidate itself: it only tells
the phase-1 sources which identifier a record's link stands for (``evidenced_ids``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..links import is_valid_arxiv_id
from ..model import Record
from .base import Lookup, Online, Source

KINDS = ("arxiv", "doi")  # the identifiers a record may give, each resolved by its own source
EXTRA = "link_evidence"  # where the report keeps the evidence used
MATCHED_BY = "link-evidence"  # a candidate found by an evidenced identifier (an identity match)


class EvidenceError(ValueError):
    """A malformed evidence file: the message names the file and what is wrong."""


@dataclass(frozen=True)
class Evidence:
    url: str  # the address as the record gives it
    work: tuple[tuple[str, str], ...]  # (kind, identifier), in KINDS order
    pages: tuple[dict, ...]  # each {"page", "names_url", "names_work"}: what the page shows
    origin: str  # the file the record came from

    def as_json(self, listed_url: str) -> dict:
        return {"url": listed_url, "work": dict(self.work), "pages": [dict(p) for p in self.pages], "record": self.origin}


def url_key(url: str) -> str:
    """One spelling of an address: no scheme, no ``www.``, lower-case host, no fragment or trailing slash."""
    text = url.strip().split("#")[0]
    match = re.match(r"^(?:https?://)?(?:www\.)?([^/?]+)(.*)$", text, re.I)
    if not match:
        return text
    host, rest = match.groups()
    return (host.lower() + rest).rstrip("/")


def _check_identifier(kind: str, value: str) -> bool:
    if kind == "arxiv":
        return is_valid_arxiv_id(value)
    return bool(re.fullmatch(r"10\.\d{4,9}/\S+", value))


def _record(data: dict, origin: str) -> Evidence:
    where = f"{origin}: record for {data.get('url')!r}"
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise EvidenceError(f"{origin}: a record without a 'url'")
    work = data.get("work")
    if not isinstance(work, dict) or not work:
        raise EvidenceError(f"{where} names no work (expected e.g. \"work\": {{\"arxiv\": \"1904.03257\"}})")
    unknown = sorted(set(work) - set(KINDS))
    if unknown:
        raise EvidenceError(f"{where}: unknown identifier kind {unknown[0]!r} (known: {', '.join(KINDS)})")
    for kind, value in work.items():
        if not isinstance(value, str) or not _check_identifier(kind, value.strip()):
            raise EvidenceError(f"{where}: {value!r} is not a valid {kind} identifier")
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        raise EvidenceError(f"{where} cites no page (each page: page, names_url, names_work)")
    for page in pages:
        if not isinstance(page, dict) or not all(isinstance(page.get(k), str) and page[k].strip()
                                                 for k in ("page", "names_url", "names_work")):
            raise EvidenceError(f"{where}: every page needs 'page' (its address), 'names_url' and 'names_work' "
                                "(what it shows of the address and of the identifier)")
    record_file = data.get("public_record") if isinstance(data.get("public_record"), str) else origin
    return Evidence(url.strip(), tuple((k, work[k].strip()) for k in KINDS if k in work), tuple(pages), record_file)


def parse(text: str, origin: str) -> list[Evidence]:
    """The records of one evidence file: a record, or ``{"links": [record, ...]}``."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise EvidenceError(f"{origin}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise EvidenceError(f"{origin}: expected a JSON object (one record, or {{\"links\": [...]}})")
    entries = data["links"] if "links" in data else [data]
    if not isinstance(entries, list):
        raise EvidenceError(f"{origin}: 'links' must be a list of records")
    return [_record(entry, origin) for entry in entries]


@lru_cache(maxsize=1)
def bundled() -> tuple[Evidence, ...]:
    text = resources.files("sysml_bib").joinpath("data/link-evidence.json").read_text(encoding="utf-8")
    return tuple(parse(text, "sysml_bib/data/link-evidence.json"))


def read_files(paths: tuple[str, ...]) -> list[Evidence]:
    found = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise EvidenceError(f"--link-evidence {path}: cannot read it ({error.strerror or error})") from None
        except UnicodeDecodeError:
            raise EvidenceError(f"--link-evidence {path}: not UTF-8 text (expected a JSON file)") from None
        found += parse(text, path)
    return found


def table(paths: tuple[str, ...] = ()) -> dict[str, Evidence]:
    """Address key -> evidence: the bundled records, then the given files' (a later record for the
    same address replaces an earlier one, so a user's file can correct the bundled table)."""
    out: dict[str, Evidence] = {}
    for evidence in (*bundled(), *read_files(paths)):
        out[url_key(evidence.url)] = evidence
    return out


_TABLES: dict[tuple, dict[str, Evidence]] = {}


def table_for(online: Online | None) -> dict[str, Evidence]:
    """The table of a run: its --link-evidence files read once (again when one changed)."""
    paths = tuple(online.link_evidence) if online is not None else ()
    stamp = tuple((p, *_stat(p)) for p in paths)
    if stamp not in _TABLES:
        _TABLES[stamp] = table(paths)
    return _TABLES[stamp]


def _stat(path: str) -> tuple[int, int]:
    try:
        info = Path(path).stat()
    except OSError:
        return (-1, -1)  # table() says what is wrong with it
    return (info.st_mtime_ns, info.st_size)


def evidence_of(record: Record, online: Online | None) -> list[dict]:
    """What the run's evidence says of the record's links, as the report keeps it."""
    known = table_for(online)
    return [known[url_key(link)].as_json(link) for link in record.links if url_key(link) in known]


def evidence_changed(record: Record, entry: dict, online: Online) -> bool:
    """Whether the evidence about a stored record's links differs from what its lookup used
    (a record added or corrected since): the sources that use it must look again."""
    return record.kind == "paper" and evidence_of(record, online) != entry.get("extra", {}).get(EXTRA, [])


def evidenced_ids(record: Record, found: dict[int, Lookup], kind: str) -> list[str]:
    """The ``kind`` identifiers that recorded evidence gives ``record``'s links (phase 0's findings)."""
    used = found.get(id(record))
    entries = used.extra.get(EXTRA, []) if used is not None else []
    return list(dict.fromkeys(e["work"][kind] for e in entries if kind in e.get("work", {})))


class LinkEvidence(Source):
    """Gives a paper whose link a recorded page ties to a work that work's identifier."""

    name, label, kinds, hosts, phase, rank = "link-evidence", "link evidence", frozenset({"paper"}), (), 0, 90

    def wants(self, record: Record, found: dict[int, Lookup]) -> bool:
        return record.kind in self.kinds and bool(record.links)

    def revisit_record(self, record: Record, entry: dict, online: Online) -> bool:
        return evidence_changed(record, entry, online)

    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        for record in records:
            used = evidence_of(record, online)
            if used:
                found[id(record)].extra[EXTRA] = used
            else:  # a revisited record whose evidence is gone keeps none
                found[id(record)].extra.pop(EXTRA, None)
