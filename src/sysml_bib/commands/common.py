"""What several commands share: errors and exit codes, the --list and selection options."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
KIND_CHOICES = ("paper", "software", "talk", "blog", "book", "course", "website", "dataset")


class UsageError(Exception):
    """Bad usage (unknown option value, section or file): exit 2."""


class Failure(Exception):
    """The work failed (bad file content, stale output, failed write): exit 1."""


def say(message: str) -> None:
    print(message, file=sys.stderr)


# ------------------------------------------------------------------------------ --list

def add_list_argument(parser) -> None:
    parser.add_argument(
        "--list", nargs="+", metavar="FILE",
        help="markdown list file(s), or '-' for stdin (default: the bundled list)",
    )


def list_paths(args) -> list[Path]:
    from ..resources import bundled_list

    paths = [Path(p) for p in args.list] if args.list else [bundled_list()]
    for path in paths:
        if str(path) != "-" and not path.is_file():
            raise UsageError(f"list file not found: {path} (give --list a markdown file, or '-' for stdin)")
    return paths


def parse_lists(paths: list[Path]):
    from ..parse import ParsedList, parse_files, parse_text

    if [str(p) for p in paths] == ["-"]:
        data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        return parse_text(data, "<stdin>", ParsedList())
    if any(str(p) == "-" for p in paths):
        raise UsageError("'-' (stdin) cannot be combined with other list files")
    return parse_files(paths)


# ------------------------------------------------------------------------------ --bib --section --kind

def add_selection_arguments(parser) -> None:
    parser.add_argument("--section", action="append", metavar="NAME", help="a heading or TOC name (repeatable)")
    parser.add_argument("--kind", action="append", choices=KIND_CHOICES, help="only this kind (repeatable)")
    parser.add_argument("--bib", metavar="FILE", help="bibliography to read (default: the bundled references.bib)")


def select_from_bib(args, full: bool = True):
    """(bib path, all records, chosen section paths or None, selected records) for
    --bib/--section/--kind, shared by export and render (``full``: decode every field)."""
    from .. import bibtex
    from ..resources import bundled_references
    from ..select import closest_sections, resolve_section, section_paths, select

    bib_path = Path(args.bib) if args.bib else bundled_references()
    if not bib_path.is_file():
        raise UsageError(f"bibliography not found: {bib_path} (run 'sysml-bib build' or pass --bib FILE)")
    try:
        bibliography = bibtex.read_bibliography(str(bib_path), full)
    except bibtex.BibError as error:
        raise Failure(str(error)) from None
    records = bibliography.records
    chosen = None
    if args.section:
        paths = section_paths(records)
        chosen = []
        for name in args.section:
            found = resolve_section(name, paths, bibliography.aliases)
            if not found:
                near = closest_sections(name, paths, bibliography.aliases)
                hint = f"; closest: {', '.join(near)}" if near else ""
                raise UsageError(f"no section matches {name!r}{hint} (see 'sysml-bib sections')")
            chosen.extend(found)
    kinds = args.kind or None
    return bib_path, records, chosen, select(records, chosen, kinds)


# ------------------------------------------------------------------------------ outputs of build and resolve

def check_out_folder(out: Path) -> None:
    if not out.parent.exists():
        raise Failure(f"cannot write {out}: folder {out.parent} does not exist")


def write_outputs(out: Path, result, report_file: Path | None = None) -> None:
    """references.bib, then the report and the key map: each atomically, errors as Failure."""
    from ..build import write_keymap, write_report
    from ..files import write_atomic

    try:
        write_atomic(out, result.text)
        if report_file is not None:
            write_report(report_file, result.report)
        if result.keys.renames:
            say(f"key map written to {write_keymap(out, result.keys.renames)}")
    except OSError as error:
        raise Failure(f"cannot write {out}: {error.strerror or error}") from None
    say(f"wrote {out}" + (f" and {report_file}" if report_file else ""))
