"""Every source sysml-bib knows, in one tuple: ``resolve``, the CLI and the report read it.

A new source is one module with a ``Source`` subclass (see ``base.py``) and one line here.
"""

from __future__ import annotations

from functools import lru_cache

from .arxiv import ArxivIds, ArxivTitleSearch
from .base import Host, Source
from .crossref import Crossref
from .dblp import Dblp
from .github import GitHub
from .link_evidence import LinkEvidence
from .neurips import Neurips
from .pmlr import Pmlr
from .usenix import Usenix
from .webworks import Web

SOURCES: tuple[type[Source], ...] = (GitHub, LinkEvidence, ArxivIds, Dblp, Usenix, Crossref, Pmlr, Neurips, Web, ArxivTitleSearch)


@lru_cache(maxsize=None)
def instances() -> tuple[Source, ...]:
    return tuple(cls() for cls in SOURCES)


def source_named(name: str) -> Source:
    """The (first) source reporting under ``name``; candidates carry that name."""
    return next(s for s in instances() if s.name == name or name in s.reports)


def names_of(source: Source) -> set[str]:
    """Every name the source's candidates and failures carry."""
    return {source.name, *source.reports}


def hosts() -> tuple[Host, ...]:
    """Every host of every source, once each, in source order."""
    seen: dict[str, Host] = {}
    for source in instances():
        for host in source.hosts:
            seen.setdefault(host.name, host)
    return tuple(seen.values())


def waiting_prefixes() -> tuple[str, ...]:
    return tuple(s.waiting for s in instances() if s.waiting)


def validators() -> dict:
    out: dict = {}
    for source in instances():
        out.update(source.validators)
    return out


def ranked(names: set[str]) -> list[str]:
    """Source names in merge order (lower rank first)."""
    rank = {n: s.rank for s in instances() for n in names_of(s)}
    return sorted(names, key=lambda n: (rank.get(n, 99), n))
