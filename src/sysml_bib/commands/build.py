"""``sysml-bib build``: references.bib from the list, without the network."""

from __future__ import annotations

from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, Failure, add_list_argument, check_out_folder, list_paths, say, write_outputs


def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")


def run(args) -> int:
    from .. import bibtex
    from ..build import run_build

    out = Path(args.out)
    paths = list_paths(args)
    check_out_folder(out)
    try:
        result = run_build(paths, out)
    except bibtex.BibError as error:
        raise Failure(f"{error} (the existing output is read to keep its citation keys)") from None
    counts = result.parsed.counts()
    say(
        f"{counts['items']} list items -> {len(result.records)} records "
        f"({result.merged_items} duplicate items merged), {len(result.keys.new)} new keys"
    )
    from .. import listreport

    for line in listreport.summary(result.parsed, result.merges):
        say(line)
    for old, new in sorted(result.keys.renames.items()):
        say(f"key merged: {old} -> {new}")
    for key in result.keys.dropped:
        say(f"key dropped (its work is no longer in the list): {key}")
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != result.text:
            say(f"{out} is stale: run 'sysml-bib build --out {out}' and commit the result")
            return EXIT_FAILED
        say(f"{out} is up to date")
        return EXIT_OK
    write_outputs(out, result)
    return EXIT_OK
