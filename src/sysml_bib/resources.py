"""Where the bundled list and the bundled ``references.bib`` live.

The wheel carries both under ``sysml_bib/data/``. In a source checkout (editable
install) ``references.bib`` is the one file at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
LIST_NAME = "awesome-system-for-machine-learning.md"


def bundled_list() -> Path:
    return DATA / LIST_NAME


def bundled_references() -> Path:
    packaged = DATA / "references.bib"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "references.bib"
