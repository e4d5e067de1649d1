"""Where the bundled list, the bundled ``references.bib`` and its report live.

The wheel carries them under ``sysml_bib/data/``. In a source checkout (editable
install) ``references.bib`` and ``references-report.json`` are the files at the top of
the repository.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LIST_NAME = "awesome-system-for-machine-learning.md"


def bundled_list() -> Path:
    return DATA / LIST_NAME


def _packaged(name: str) -> Path:
    packaged = DATA / name
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def bundled_references() -> Path:
    return _packaged("references.bib")


def bundled_report() -> Path:
    """The report of the lookups that made the bundled ``references.bib`` (``build`` replays it)."""
    return _packaged("references-report.json")
