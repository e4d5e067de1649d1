"""What several commands share: errors and exit codes, the --list and selection options."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from pathlib import Path  # here, not at the top: export's start-up never needs pathlib

    from ..resources import bundled_list

    paths = [Path(p) for p in args.list] if args.list else [bundled_list()]
    for path in paths:
        if str(path) == "-":
            continue
        if path.is_dir():
            raise UsageError(f"--list {path} is a folder: give the markdown file(s) in it (or '-' for stdin)")
        if not path.is_file():
            raise UsageError(f"list file not found: {path} (give --list a markdown file, or '-' for stdin)")
        try:
            _check_text(path.read_bytes(), str(path))
        except OSError as error:
            raise Failure(f"cannot read {path}: {error.strerror or error}") from None
    return paths


_SNIFF = 8192  # a NUL byte in the first 8 KB: a binary file, not a markdown list


def _check_text(data: bytes, name: str) -> None:
    """A binary file is an error; text that is not UTF-8 is read with U+FFFD, and said so."""
    if b"\0" in data[:_SNIFF]:
        raise Failure(f"{name} is a binary file, not a markdown list")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        say(f"warning: {name}:{line}: not UTF-8 (byte {error.start}); undecodable bytes read as U+FFFD: save the list as UTF-8")


def read_stdin_list() -> str:
    """The list given on stdin (``--list -``), checked as list files are."""
    try:
        raw = sys.stdin.buffer.read()
    except OSError as error:
        raise Failure(f"cannot read the list from stdin: {error.strerror or error}") from None
    _check_text(raw, "stdin")
    return raw.decode("utf-8", errors="replace").lstrip("\ufeff")


def parse_lists(paths: list[Path]):
    from ..parse import ParsedList, parse_files, parse_text

    if [str(p) for p in paths] == ["-"]:
        return parse_text(read_stdin_list(), "<stdin>", ParsedList())
    if any(str(p) == "-" for p in paths):
        raise UsageError("'-' (stdin) cannot be combined with other list files")
    return parse_files(paths)


def read_lists(args):
    """(parsed list, source names for the output's header, whether it is the bundled list) of --list."""
    paths = list_paths(args)
    names = ["stdin" if str(p) == "-" else p.name for p in paths]
    return parse_lists(paths), names, not args.list


# ------------------------------------------------------------------------------ --bib --section --kind

def add_selection_arguments(parser) -> None:
    parser.add_argument("--section", action="append", metavar="NAME", help="a heading or TOC name (repeatable)")
    parser.add_argument("--kind", action="append", choices=KIND_CHOICES, help="only this kind (repeatable)")
    parser.add_argument("--bib", metavar="FILE", help="bibliography to read (default: the bundled references.bib)")


def select_from_bib(args, full: bool = True):
    """(bib file name, all records, chosen section paths or None, selected records) for
    --bib/--section/--kind, shared by export and render (``full``: decode every field).

    The file is named by a string and checked with ``os.path``: export's start-up never
    imports pathlib (see ``resources``)."""
    from .. import bibtex
    from ..resources import bundled_references_file
    from ..select import closest_sections, resolve_section, section_paths, select

    bib_path = args.bib or bundled_references_file()
    if os.path.isdir(bib_path):
        raise UsageError(f"--bib {bib_path} is a folder: give a .bib file")
    if not os.path.isfile(bib_path):
        raise UsageError(f"bibliography not found: {bib_path} (run 'sysml-bib build' or pass --bib FILE)")
    try:
        bibliography = bibtex.read_bibliography(bib_path, full)
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
    if not out.parent.is_dir():
        raise Failure(f"cannot write {out}: folder {out.parent} does not exist")
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder; give a file name such as {out / 'references.bib'}")


def prior_state(out: Path, bundled: bool, replay_bundled_lookups: bool = True):
    """The report and keys of earlier runs for ``out`` (see ``build.prior_state``); errors as Failure."""
    from .. import bibtex
    from ..build import prior_state as load

    try:
        return load(out, bundled, replay_bundled_lookups)
    except bibtex.BibError as error:
        raise Failure(
            f"{error} (the existing output is read to keep its citation keys: fix it, or choose another --out)"
        ) from None
    except ValueError as error:  # an unreadable report
        raise Failure(str(error)) from None
    except OSError as error:
        raise Failure(f"cannot read {error.filename or out}: {error.strerror or error}") from None


def say_key_changes(keys) -> None:
    for old, new in sorted(keys.renames.items()):
        say(f"key merged: {old} -> {new}")
    for old, new in sorted(keys.provisional.items()):
        say(f"key {old} was provisional (made without a person author or a year): now {new}, {old} kept as an alias")
    for key in keys.dropped:
        say(f"key dropped (its work is no longer in the list): {key}")


def write_outputs(out: Path, result, report_file: Path | None = None) -> None:
    """references.bib, then the report and the key map: each atomically, errors as Failure."""
    from ..build import write_keymap, write_report
    from ..files import write_atomic

    try:
        write_atomic(out, result.text)
        if report_file is not None:
            write_report(report_file, result.report)
        if result.keys.changed():
            say(f"key map written to {write_keymap(out, result.keys.changed())}")
    except OSError as error:
        raise Failure(f"cannot write {out}: {error.strerror or error}") from None
    say(f"wrote {out}" + (f" and {report_file}" if report_file else ""))
