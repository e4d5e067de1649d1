"""``sysml-bib build``: references.bib from the list, without the network."""

from __future__ import annotations

from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, Failure, UsageError, add_list_argument, check_out_folder, list_paths, say, write_outputs


def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")
    parser.add_argument("--diff", action="store_true", help="with --check: print what a rebuild would change (entries, fields, keys)")


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
    for old, new in sorted(result.keys.renames.items()):
        say(f"key merged: {old} -> {new}")
    for key in result.keys.dropped:
        say(f"key dropped (its work is no longer in the list): {key}")
    from ..maintainers.staleness import new_list_only

    for key in new_list_only(result):
        say(f"new or changed, list data only (run 'sysml-bib resolve' to look it up): {key}")
    if args.check:
        from ..maintainers.staleness import check_output

        return EXIT_FAILED if check_output(out, result, args.diff) else EXIT_OK
    if args.diff:
        raise UsageError("--diff goes with --check (or use 'sysml-bib diff OLD.bib NEW.bib')")
    write_outputs(out, result)
    return EXIT_OK
