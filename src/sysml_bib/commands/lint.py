"""``sysml-bib lint``: check the list's entries against its template and each other, offline."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, UsageError, add_list_argument, list_paths, parse_lists, read_stdin_list, say


def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument(
        "--changed-since", metavar="GIT_REF",
        help="only entries added or changed since this git revision (uncommitted changes included)",
    )
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="text: file:line: level: message; github: Actions annotations; json: an array")


def run(args) -> int:
    from ..maintainers import lint
    from ..parse import read_text

    paths = list_paths(args)
    if args.changed_since and any(str(p) == "-" for p in paths):
        raise UsageError("--changed-since needs list files, not stdin")
    if [str(p) for p in paths] == ["-"]:
        from ..parse import ParsedList, parse_text

        data = read_stdin_list()
        parsed, texts = parse_text(data, "<stdin>", ParsedList()), {"<stdin>": data}
    else:
        parsed = parse_lists(paths)
        texts = {str(path): read_text(path) for path in paths}
    findings = lint.lint(parsed, texts)
    scope = "the whole list"
    if args.changed_since:
        from ..maintainers.changed import RevisionError, changed_lines, old_text

        changed = {}
        try:
            for path in paths:
                changed[str(path)] = changed_lines(old_text(Path(path), args.changed_since), texts[str(path)])
        except RevisionError as error:
            raise UsageError(str(error)) from None
        findings = lint.only_changed(findings, changed)
        scope = f"entries changed since {args.changed_since}"
    sys.stdout.write(lint.FORMATS[args.format](findings))
    say(f"lint ({scope}): {lint.summary(findings)}")
    return EXIT_FAILED if lint.exit_status(findings) else EXIT_OK
