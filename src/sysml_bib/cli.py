"""``sysml-bib``: the command line.

Data goes to stdout, messages to stderr. Exit 0 on success, 1 when the work failed
(bad file content, stale output, failed write), 2 on bad usage (unknown option,
section or file).

Each command lives in ``commands/<name>.py``. Only the module of the command being run
is imported (the others appear in ``--help`` by their one-line summary below), and each
imports its heavy libraries inside ``run``: start-up stays close to a bare Python.
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
    "resolve": "look papers up in arXiv, dblp, USENIX and the venues' own records, then build",
    "lint": "check the list's entries (links, template, duplicates, table of contents)",
    "add": "print (or --write) a list entry for a paper or repository URL",
    "diff": "what changed between two bibliographies (entries, fields, renamed keys)",
}


def make_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``command``, that command's options are filled in (importing its module)."""
    parser = argparse.ArgumentParser(
        prog="sysml-bib",
        description="Citation toolkit for the Awesome System for Machine Learning list.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in COMMANDS.items():
        sub = subparsers.add_parser(name, help=summary, description=summary)
        if name == command:
            module = import_module(f".commands.{name}", __package__)
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    return parser


def _command_in(argv: list[str]) -> str | None:
    """The command named on the command line (the first word not an option), if it is one."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


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
