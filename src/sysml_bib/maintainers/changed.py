"""``--changed-since REV``: the lines of a list file added or changed since a git revision.

The file is compared with its content at that revision (``git show REV:./file``),
uncommitted changes included, so a pull request is judged on what it adds.
"""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path


class RevisionError(Exception):
    """No git, not a repository, or an unknown revision: bad usage."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=60)
    except FileNotFoundError:
        raise RevisionError("git is not installed (needed by --changed-since)") from None


def check_revision(folder: Path, revision: str) -> None:
    done = _git(folder, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if done.returncode != 0:
        inside = _git(folder, "rev-parse", "--is-inside-work-tree").returncode == 0
        if not inside:
            raise RevisionError(f"{folder} is not in a git repository (--changed-since compares with a git revision)")
        raise RevisionError(f"unknown git revision {revision!r} (fetch it first, e.g. 'git fetch origin main')")


def old_text(path: Path, revision: str) -> str | None:
    """The file's text at ``revision``; None when the file did not exist then."""
    path = path.resolve()
    check_revision(path.parent, revision)
    done = _git(path.parent, "show", f"{revision}:./{path.name}")
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace").lstrip("\ufeff")


def changed_lines(old: str | None, new: str) -> set[int] | None:
    """1-based lines of ``new`` added or changed against ``old`` (None: the whole file is new).

    A deletion marks the line before it: an author line removed from an entry changes
    that entry.
    """
    if old is None:
        return None
    before, after = old.splitlines(), new.splitlines()
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            changed.update(range(j1 + 1, j2 + 1))
        elif tag == "delete" and j1 > 0 and after[j1 - 1].strip():
            changed.add(j1)
    return changed
