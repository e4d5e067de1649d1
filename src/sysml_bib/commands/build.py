"""``sysml-bib build``: references.bib from the list, without the network."""

from __future__ import annotations

from pathlib import Path

from .common import (
    EXIT_FAILED, EXIT_OK, UsageError, add_list_argument, check_out_folder, prior_state, read_lists, say, say_key_changes,
    write_outputs,
)


def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is missing or stale")
    parser.add_argument("--diff", action="store_true", help="with --check: print what a rebuild would change (entries, fields, keys)")


def run(args) -> int:
    from ..build import not_looked_up, report_path, run_build

    out = Path(args.out)
    parsed, names, bundled = read_lists(args)
    check_out_folder(out)
    prior = prior_state(out, bundled)
    result = run_build(parsed, names, prior)
    counts = parsed.counts()
    say(
        f"{counts['items']} list items -> {len(result.records)} records "
        f"({result.merged_items} duplicate items merged), {len(result.keys.new)} new keys"
    )
    from .. import listreport

    for line in listreport.summary(result.parsed, result.merges):
        say(line)
    _say_unresolved(result, prior, report_path(out), not_looked_up(result), out)
    say_key_changes(result.keys)
    if args.check:
        return _check(out, result, args.diff)
    if args.diff:
        raise UsageError("--diff goes with --check (or use 'sysml-bib diff OLD.bib NEW.bib')")
    write_outputs(out, result)
    return EXIT_OK


def _say_unresolved(result, prior, own_report: Path, missing: int, out: Path) -> None:
    """Never degrade silently: papers no report covers keep the list's data only."""
    if prior.report_file is not None and prior.report_file != own_report:
        keys = "" if prior.keys_from == out else f", keys kept from {prior.keys_from}"
        say(f"resolved data replayed from the bundled report {prior.report_file}{keys}")
    failed = sum(1 for r in result.records if r.kind == "paper" and (prior.store.find(r) or {}).get("failed"))
    if failed:
        say(
            f"warning: the last resolve could not look up {failed} papers (network, quota or an --offline cache miss; "
            f"see failed_requests in {prior.report_file}): they use the list's data where it failed; "
            f"'sysml-bib resolve' tries them again"
        )
    if not missing:
        return
    papers = sum(1 for r in result.records if r.kind == "paper")
    resolve = f"'sysml-bib resolve{'' if str(out) == 'references.bib' else f' --out {out}'}'"
    if prior.report_file is None:
        say(
            f"warning: no report of resolved data found ({own_report}): "
            f"all {missing} papers use the list's data only; {resolve} looks them up"
        )
    else:
        say(
            f"warning: {missing} of {papers} papers are not in {prior.report_file} (new or changed in the list) "
            f"and use the list's data only; {resolve} looks them up"
        )
        from ..maintainers.staleness import new_list_only

        for key in new_list_only(result):
            say(f"  new or changed, list data only: {key}")


def _check(out: Path, result, show_diff: bool) -> int:
    """Exit 1 when ``out`` is missing, unreadable or stale; the generated header alone is no staleness."""
    from ..maintainers.staleness import is_stale, show_changes

    if not out.is_file():
        say(f"{out} is missing: run 'sysml-bib build --out {out}' to write it")
        return EXIT_FAILED
    try:
        current = out.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        say(f"{out} is unreadable ({error}): run 'sysml-bib build --out {out}' to write it again")
        return EXIT_FAILED
    if is_stale(current, result.text):
        say(f"{out} is stale: run 'sysml-bib build --out {out}' and commit the result")
        if show_diff:
            show_changes(out, current, result)
        return EXIT_FAILED
    say(f"{out} is up to date")
    return EXIT_OK
