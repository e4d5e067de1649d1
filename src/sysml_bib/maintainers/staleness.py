"""``build --check [--diff]``: is the committed bibliography what the list builds to, and if not, what differs;
and which new papers stayed list-only."""

from __future__ import annotations

import sys
from pathlib import Path

from ..commands.common import say
from . import diff


def is_stale(current: str, text: str) -> bool:
    """Whether the committed bibliography differs from what the list builds to; the generated header
    (which names the list file) alone is no difference."""
    return not diff.same_bibliography(current, text)


def show_changes(out: Path, current: str, result) -> None:
    """What a rebuild would change, in ``diff``'s text form on stdout."""
    from ..build import keymap_path
    from ..commands.diff import read_keymap

    keymap = {**read_keymap(keymap_path(out)), **result.keys.renames}
    try:
        changes = diff.diff(current, result.text, keymap)
    except ValueError as error:
        say(f"{out}: {error}; no diff shown")
        return
    sys.stdout.write(diff.format_text(changes, f"{out} (committed)", f"{out} (as the list builds now)"))


def new_list_only(result, looked_up_only: bool = False) -> list[str]:
    """Keys of papers new or changed in this run that no source resolved (they carry the list's data only).

    In ``build`` (no network) these are the papers no earlier ``resolve`` looked up; in
    ``resolve`` (``looked_up_only``) the papers it looked up this time without a match.
    """
    from ..build import NOT_LOOKED_UP

    keys = []
    for outcome in result.outcomes:
        record = outcome.record
        if record.kind != "paper" or outcome.accepted:
            continue
        fresh = outcome.looked_up if looked_up_only else (NOT_LOOKED_UP in outcome.unresolved or record.key in result.keys.new)
        if fresh:
            keys.append(record.key)
    return sorted(keys)
