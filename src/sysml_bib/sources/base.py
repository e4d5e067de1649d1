"""The interface every metadata source implements, so ``resolve`` drives them without naming any.

A source says four things about itself and does one job:

- **what it looks up**: ``kinds`` (record kinds, e.g. ``{"paper"}``) and ``wants(record,
  found)``, which may look at what earlier phases found (the arXiv title search only
  takes papers nobody else found);
- **how it batches**: ``lookup(online, records, found)`` gets *all* wanted records of the
  run at once, so it can group them (arXiv id batches of 100, one dblp query per
  venue-year, one USENIX download, one GitHub repository after another);
- **its host policy**: ``hosts``, one ``Host`` per server it talks to (the default base
  URL, the seconds between two requests, whether the host meters a quota in
  ``X-RateLimit-*`` headers, which environment variable holds a token for it);
  ``--<host>-url`` / ``SYSML_BIB_<HOST>_URL`` replace the base, ``validators`` are checked
  before an answer is cached;
- **its place in the merge**: ``rank`` orders the sources' candidates (lower = more
  authoritative: the published version before the preprint); the field-by-field order is
  the table in ``merge.py``, where each source appears under its ``name``.

Sources of one ``phase`` run concurrently (one thread each, each host one request at a
time); a later phase sees what the earlier ones found. A source's lookup can also return
*related works* (``Lookup.related``): records the looked-up work asks to be cited with it
(a repository's preferred citation), which join the run and are looked up by the later
phases like any record of the list.

A source never decides how fields combine (``merge``) and never raises for a failed
request: it writes why into ``found[id(record)].failures[name]`` and the record keeps the
list's data.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ..model import Candidate, Record

if TYPE_CHECKING:  # pragma: no cover
    import requests

    from ..http import Http

Validator = Callable[["requests.Response"], "str | None"]


@dataclass(frozen=True)
class Host:
    """One server a source talks to, and how politely."""

    name: str  # option/env name: "dblp" -> --dblp-url, SYSML_BIB_DBLP_URL
    default_base: str  # scheme://host[:port] of the real service
    interval: float  # seconds between the starts of two requests to it
    metered: bool = False  # answers carry X-RateLimit-Remaining/-Reset: never send what the quota refuses
    token_env: str = ""  # environment variable holding a bearer token for this host (never stored)
    description: str = ""  # for --help
    prefix: bool = False  # not a server but a prefix for any URL (BASE/host/path?q); "" = the real URLs

    @property
    def env(self) -> str:
        return f"SYSML_BIB_{self.name.upper().replace('-', '_')}_URL"


@dataclass
class Lookup:
    """What the sources said about one record in this run."""

    candidates: list[Candidate] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # source -> why nothing came
    related: list[Record] = field(default_factory=list)  # works the record asks to be cited with it
    extra: dict[str, object] = field(default_factory=dict)  # source-specific report data (JSON-able)
    only: set[str] | None = None  # revisited: only these sources ask again; the others' answers are stored
    rejected_before: list[dict] = field(default_factory=list)  # stored rejections of the sources not asked


@dataclass
class Online:
    """How a ``resolve`` run reaches the sources (``build`` runs without one)."""

    http: "Http"
    bases: dict[str, str] = field(default_factory=dict)  # host name -> base URL (defaults when absent)
    refresh: bool = False  # look every record up again, not only new or changed ones
    title_search: bool = False  # --arxiv-title-search
    link_evidence: tuple[str, ...] = ()  # --link-evidence files (URL -> identifier records beyond the bundled ones)
    progress: Callable[[str], None] | None = None  # told each finished step

    def base(self, host: Host) -> str:
        return self.bases.get(host.name) or host.default_base


class Source(ABC):
    """One metadata source. Subclasses set the class attributes and implement ``lookup``."""

    name: ClassVar[str]  # in reports, provenance and merge.PRECEDENCE: "arxiv"
    reports: ClassVar[tuple[str, ...]] = ()  # other names its candidates and failures carry (default: ``name`` only)
    label: ClassVar[str]  # in progress messages: "arXiv"
    kinds: ClassVar[frozenset[str]]  # record kinds it can look up
    hosts: ClassVar[tuple[Host, ...]]
    phase: ClassVar[int] = 1  # 0: before papers (may add related papers); 1: papers; 2: venue records (need 1); 3: searches
    rank: ClassVar[int] = 50  # merge order among sources: lower wins
    validators: ClassVar[dict[str, Validator]] = {}  # URL path prefix -> check before caching
    waiting: ClassVar[str] = ""  # a failure starting with this means "not yet" (a quota), not "not found"

    def enabled(self, online: Online) -> bool:
        """Whether this run uses the source at all (an opt-in search is off by default)."""
        return True

    def wants(self, record: Record, found: dict[int, Lookup]) -> bool:
        """Whether to look ``record`` up (``found``: what earlier phases found this run)."""
        return record.kind in self.kinds

    @abstractmethod
    def lookup(self, online: Online, records: list[Record], found: dict[int, Lookup]) -> None:
        """Look every record up; add to ``found[id(record)]`` candidates, failures, related works."""

    def rejection(self, record: Record, candidate: Candidate) -> str | None:
        """Why ``candidate`` is not ``record``'s work (None: it is). Papers: title and authors."""
        from .. import match

        return match.rejection(record, candidate, match.title_hints(record, record.links), record.venue_type)

    def revisit(self, entry: dict, online: Online) -> bool:
        """Whether a record stored by an earlier run must be looked up again although it did not
        change (it waited for a quota, or for an option that is on now)."""
        return False

    def revisit_record(self, record: Record, entry: dict, online: Online) -> bool:
        """Like ``revisit``, for a reason only the record shows (what recorded evidence says of its links now)."""
        return False

    def skipped(self, record: Record, found: dict[int, Lookup], online: Online) -> str | None:
        """Why a record of this source's kinds was not looked up (for the report), if it says so."""
        return None


# ----------------------------------------------------------------------------- helpers for paper sources

def listed_arxiv_id(record: Record) -> str | None:
    """The arXiv id the record's own data gives (the list's, or a citation file's), not a source's."""
    return record.fields.get("eprint") if record.provenance.get("eprint") == record.origin else None


def best_by_title(record: Record, candidates: list[Candidate]) -> list[Candidate]:
    """Candidates whose title matches the record's, best first, published before preprints."""
    from .. import match

    hints = match.title_hints(record, record.links)
    scored = [(match.best_title_similarity(hints, c.title), c) for c in candidates]
    good = [(score, c) for score, c in scored if score >= match.TITLE_THRESHOLD or match.described_system(record, c)
            or match.confirmed_retitling(record, c, score)]
    return [c for _, c in sorted(good, key=lambda pair: (-pair[0], not pair[1].published))]


def take_best(records: list[Record], hits: list[Candidate], found: dict[int, Lookup]) -> list[Record]:
    """Give each record the hit of one shared query that matches it best; return those none matched.

    A venue-year's query answers up to 1,000 hits for hundreds of records: scoring every pair
    in Python would cost more than the politeness waits. So rapidfuzz picks, in C, the hits
    each record could match at all (a title within ``match.RETITLED_SIMILARITY``, or the same system
    name), and ``best_by_title`` decides among those alone, exactly as it would among all.
    """
    from rapidfuzz import fuzz, process

    from .. import match

    words = [match.title_words(c.title) for c in hits]
    by_name: dict[str, list[int]] = {}
    for n, c in enumerate(hits):
        name = match.system_name(c.title)
        if name:
            by_name.setdefault(name, []).append(n)
    unmatched = []
    for record in records:
        near: set[int] = set(by_name.get(match.system_name(record.title), ()))
        for hint in match.title_hints(record, record.links):
            hint_words = match.title_words(hint)
            if hint_words:
                near.update(n for _, _, n in process.extract(hint_words, words, scorer=fuzz.ratio,
                                                                processor=None, score_cutoff=match.RETITLED_SIMILARITY, limit=None))
        best = best_by_title(record, [hits[n] for n in sorted(near)])
        if best:
            found[id(record)].candidates.append(best[0])
        else:
            unmatched.append(record)
    return unmatched

