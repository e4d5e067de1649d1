"""``sysml-bib diff``: entries added, removed, changed (field by field) and renamed between two .bib files."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_OK, Failure, UsageError, say


def add_arguments(parser) -> None:
    parser.add_argument("old", metavar="OLD.bib")
    parser.add_argument("new", metavar="NEW.bib")
    parser.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="markdown fits a pull-request comment")
    parser.add_argument("--keymap", metavar="FILE",
                        help="old -> new key map (default: <NEW>-keymap.json, else <OLD>-keymap.json, when present)")


def read_keymap(*candidates: Path) -> dict[str, str]:
    import json

    for path in candidates:
        if path.is_file():
            try:
                data = json.loads(path.read_bytes().decode("utf-8"))
            except ValueError as error:  # UnicodeDecodeError included
                raise Failure(f"{path}: not a JSON key map ({str(error)[:200]})") from None
            except OSError as error:
                raise Failure(f"cannot read {path}: {error.strerror or error}") from None
            if isinstance(data, dict):
                return {str(k): str(v) for k, v in data.items()}
    return {}


def run(args) -> int:
    from ..maintainers import diff

    old, new = Path(args.old), Path(args.new)
    texts = []
    for path in (old, new):
        if not path.is_file():
            raise UsageError(f"bibliography not found: {path}")
        try:
            texts.append(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise Failure(f"{path}: not UTF-8 text") from None
    if args.keymap and not Path(args.keymap).is_file():
        raise UsageError(f"key map not found: {args.keymap} (a JSON object of old -> new keys, as build writes)")
    keymap = read_keymap(Path(args.keymap)) if args.keymap else read_keymap(diff.keymap_file(new), diff.keymap_file(old))
    try:
        result = diff.diff(texts[0], texts[1], keymap)
    except ValueError as error:
        raise Failure(f"{error} (in {old} or {new})") from None
    sys.stdout.write(diff.FORMATS[args.format](result, old.name, new.name))
    say(f"{old} -> {new}: {'no change' if result.empty() else result.counts()}")
    return EXIT_OK
