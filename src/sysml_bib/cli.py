"""``sysml-bib``: the command line.

Data goes to stdout, messages to stderr. Exit 0 on success, 1 when the work failed
(bad file content, stale output, failed write), 2 on bad usage (unknown option,
section or file).

Each command lives in ``commands/<name>.py``. Only the module of the command being run
is imported, and only its sub-parser is built (the others appear in ``--help`` by their
one-line summary below); each imports its heavy libraries inside ``run``: start-up stays
close to a bare Python.
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from . import __version__
from .commands.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Failure, UsageError, say

COMMANDS = {  # name -> one-line summary, in the order of --help
    "parse": "parse the list into items",
    "sections": "show the section tree with item counts",
    "export": "print entries of references.bib, filtered",
    "render": "format entries of references.bib in a citation style",
    "build": "build references.bib from the list (no network)",
    "resolve": "look software up in GitHub, papers in arXiv, dblp, USENIX and the venues' own records, then build",
    "lint": "check the list's entries (links, template, duplicates, table of contents)",
    "add": "print (or --write) a list entry for a paper or repository URL",
    "diff": "what changed between two bibliographies (entries, fields, renamed keys)",
}


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser. With ``command``, only that command's sub-parser is built, with its options
    (importing its module); without, every command's, for the top-level ``--help`` and the
    error that lists the commands. (Each sub-parser costs start-up time: argparse looks up
    gettext translations and the terminal width for every parser and option.)"""
    parser = argparse.ArgumentParser(
        prog="sysml-bib",
        description="Citation toolkit for the Awesome System for Machine Learning list.",
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in [command] if command else COMMANDS:
        summary = COMMANDS[name]
        sub = subparsers.add_parser(name, help=summary, description=summary, formatter_class=_HelpFormatter)
        if name == command:
            module = import_module(f".commands.{name}", __package__)
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    return parser


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, given the terminal width. Left to itself it imports shutil for
    it (and zlib, bz2 and lzma with it), and it makes a formatter for every option added:
    every command's start-up would pay for that import."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_terminal_columns() - 2)  # the margin HelpFormatter keeps


def _terminal_columns() -> int:
    """The width ``shutil.get_terminal_size()`` gives: $COLUMNS, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _command_in(argv: list[str]) -> str | None:
    """The command being run: the first word, when it names one. After a top-level option
    (``-h``, ``--version``) or with an unknown name, None: the full parser answers."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = make_parser(_command_in(argv)).parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        say(f"sysml-bib {args.command}: error: {_short(error)}")
        return EXIT_USAGE
    except Failure as error:
        say(f"sysml-bib {args.command}: error: {_short(error)}")
        return EXIT_FAILED
    except BrokenPipeError:  # `sysml-bib export | head`
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        say(f"sysml-bib {args.command}: error: out of memory (is the input a huge or hostile file?)")
        return EXIT_FAILED
    except Exception as error:  # a bug: one line that says what and how to report it, never a traceback
        if os.environ.get("SYSML_BIB_DEBUG"):
            raise
        say(
            f"sysml-bib {args.command}: internal error: {type(error).__name__}: {_short(error)} "
            "(a bug: please report it with the command line; SYSML_BIB_DEBUG=1 shows the traceback)"
        )
        return EXIT_FAILED


def _short(error: Exception, limit: int = 500) -> str:
    """An error message fit for one or two lines, even when it quotes a huge argument or file line."""
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 21] + " ... " + text[-16:]


def _silence_stdout() -> None:
    """The reader of stdout went away: drop what is still buffered instead of failing at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no real file (tests capture it)
        pass
