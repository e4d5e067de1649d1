"""Where the bundled list, the bundled ``references.bib`` and its report live.

The wheel carries them under ``sysml_bib/data/``. In a source checkout (editable
install) ``references.bib`` and ``references-report.json`` are the files at the top of
the repository.

The locations are found with ``os.path``: ``export`` reads the bundled references.bib,
and importing pathlib (with urllib.parse and ipaddress) would add ~4 ms to its start-up,
a quarter of what it costs beyond a bare bibtexparser parse; so it asks for the file name
as text (``bundled_references_file``). Everything else gets ``Path`` objects, pathlib
imported when they are made.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_DATA = os.path.join(os.path.dirname(os.path.realpath(__file__)), "data")
_CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
LIST_NAME = "awesome-system-for-machine-learning.md"


def __getattr__(name: str):
    if name == "DATA":  # the data folder as a Path, made when asked for (see above)
        from pathlib import Path

        return Path(_DATA)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def bundled_list() -> Path:
    from pathlib import Path

    return Path(_DATA, LIST_NAME)


def _packaged(name: str) -> str:
    packaged = os.path.join(_DATA, name)
    if os.path.exists(packaged):
        return packaged
    return os.path.join(_CHECKOUT, name)


def bundled_references_file() -> str:
    """The bundled ``references.bib``, as text (no pathlib: see above)."""
    return _packaged("references.bib")


def bundled_references() -> Path:
    from pathlib import Path

    return Path(bundled_references_file())


def bundled_report() -> Path:
    """The report of the lookups that made the bundled ``references.bib`` (``build`` replays it)."""
    from pathlib import Path

    return Path(_packaged("references-report.json"))
