"""``build --check [--diff]``: is the committed bibliography what the list builds to, and if not, what differs."""

from __future__ import annotations

import sys
from pathlib import Path

from ..commands.common import say
from . import diff


def check_output(out: Path, result, show_diff: bool) -> bool:
    """True when ``out`` is stale. The generated header (naming the list file) alone is no staleness."""
    current = out.read_text(encoding="utf-8") if out.exists() else ""
    if diff.same_bibliography(current, result.text):
        say(f"{out} is up to date")
        return False
    say(f"{out} is stale: run 'sysml-bib build --out {out}' and commit the result")
    if show_diff:
        from ..build import keymap_path
        from ..commands.diff import read_keymap

        keymap = {**read_keymap(keymap_path(out)), **result.keys.renames}
        try:
            changes = diff.diff(current, result.text, keymap)
        except ValueError as error:
            say(f"{out}: {error}; no diff shown")
            return True
        sys.stdout.write(diff.format_text(changes, f"{out} (committed)", f"{out} (as the list builds now)"))
    return True


def new_list_only(result, looked_up_only: bool = False) -> list[str]:
    """Keys of papers new or changed in this run that no source resolved (they carry the list's data only).

    In ``build`` (no network) these are the papers no earlier ``resolve`` looked up; in
    ``resolve`` (``looked_up_only``) the papers it looked up this time without a match.
    """
    keys = []
    for outcome in result.outcomes:
        record = outcome.record
        if record.kind != "paper" or outcome.accepted:
            continue
        fresh = outcome.looked_up if looked_up_only else ("all" in outcome.unresolved or record.key in result.keys.new)
        if fresh:
            keys.append(record.key)
    return sorted(keys)
