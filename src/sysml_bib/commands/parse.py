"""``sysml-bib parse``: the list's items, one per line or as one JSON document."""

from __future__ import annotations

import sys

from .common import EXIT_OK, add_list_argument, list_paths, parse_lists, say


def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON document (items, bullet and table-row roles, counts, report, merges)")


def run(args) -> int:
    import json

    from .. import listreport
    from ..normalize import works_from_items

    parsed = parse_lists(list_paths(args))
    merges = works_from_items(parsed.items)[1]
    if args.json:
        json.dump({**parsed.as_json(), "merges": merges.as_json()}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        for item in parsed.items:
            where = " > ".join(item.sections) or "(top)"
            print(f"{item.file}:{item.line}\t{item.kind}\t{where}\t{item.title}")
    counts = parsed.counts()
    say(
        f"{counts['bullets']} bullets: {counts['item']} items, {counts['continuation']} continuation lines, "
        f"{counts['toc']} table of contents, {counts['template']} template, {counts['empty']} empty; "
        f"{counts['heading_items']} items from headings"
    )
    for line in listreport.summary(parsed, merges):
        say(line)
    return EXIT_OK
