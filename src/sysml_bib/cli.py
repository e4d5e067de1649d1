"""``sysml-bib``: the command line.

Data goes to stdout, messages to stderr. Exit 0 on success, 1 when the work failed
(bad file content, stale output, failed write), 2 on bad usage (unknown option,
section or file). Heavy modules are imported inside the commands that need them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class Failure(Exception):
    pass


def say(message: str) -> None:
    print(message, file=sys.stderr)


def _list_paths(args) -> list[Path]:
    from .resources import bundled_list

    paths = [Path(p) for p in args.list] if args.list else [bundled_list()]
    for path in paths:
        if str(path) != "-" and not path.is_file():
            raise UsageError(f"list file not found: {path} (give --list a markdown file, or '-' for stdin)")
    return paths


def _parse_lists(paths: list[Path]):
    from .parse import ParsedList, parse_files, parse_text

    if [str(p) for p in paths] == ["-"]:
        data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        return parse_text(data, "<stdin>", ParsedList())
    if any(str(p) == "-" for p in paths):
        raise UsageError("'-' (stdin) cannot be combined with other list files")
    return parse_files(paths)


# ------------------------------------------------------------------------------ commands

def cmd_parse(args) -> int:
    import json

    from . import listreport
    from .normalize import works_from_items

    parsed = _parse_lists(_list_paths(args))
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


def cmd_sections(args) -> int:
    from .normalize import records_from_items
    from .select import section_paths

    parsed = _parse_lists(_list_paths(args))
    records = records_from_items(parsed.items)
    counts: dict[tuple[str, ...], int] = {}
    for record in records:
        prefixes = {path[:d] for path in record.sections for d in range(1, len(path) + 1)}
        for prefix in prefixes:
            counts[prefix] = counts.get(prefix, 0) + 1
    reverse_aliases: dict[tuple[str, ...], list[str]] = {}
    for alias, target in parsed.aliases.items():
        reverse_aliases.setdefault(tuple(target), []).append(alias)
    top = sum(1 for record in records if not any(record.sections))
    if top:
        print(f"(top of the list)  [{top}]")
    for path in section_paths(records):
        aka = reverse_aliases.get(path)
        note = f"  (alias: {', '.join(sorted(aka))})" if aka else ""
        print(f"{'  ' * (len(path) - 1)}{path[-1]}  [{counts.get(path, 0)}]{note}")
    return EXIT_OK


def _select_from_bib(args, full: bool = True):
    """(bib path, all records, chosen section paths or None, selected records) for
    --bib/--section/--kind, shared by export and render (``full``: decode every field)."""
    from . import bibtex
    from .resources import bundled_references
    from .select import closest_sections, resolve_section, section_paths, select

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


def cmd_export(args) -> int:
    from . import bibtex

    bib_path, records, _, selected = _select_from_bib(args, full=args.format != "bibtex")
    if args.format == "bibtex":
        # references.bib is already BibTeX in our canonical form: entries pass through as written.
        sys.stdout.write("\n".join(record.raw + "\n" for record in selected))
    elif args.format == "biblatex":
        sys.stdout.write(bibtex.format_bibliography(selected, args.format))
    elif args.format == "csl-json":
        from . import csl

        sys.stdout.write(csl.dumps(csl.csl_items(selected, strict=args.csl_strict)))
    say(f"{len(selected)} of {len(records)} entries exported from {bib_path.name}")
    return EXIT_OK


def cmd_render(args) -> int:
    from . import render

    _, records, chosen, selected = _select_from_bib(args)
    try:
        text = render.render(selected, args.style, args.format, args.group_by_section, chosen)
    except render.StyleNotFound as error:
        raise UsageError(f"{error} (BibTeX styles: {', '.join(render.BIBTEX_STYLES)}; or a path to a .csl file)") from None
    except render.RenderError as error:
        raise Failure(str(error)) from None
    sys.stdout.write(text)
    say(f"{len(selected)} entries rendered in style {args.style}")
    return EXIT_OK


def cmd_build(args) -> int:
    from . import bibtex
    from .build import run_build

    out = Path(args.out)
    paths = _list_paths(args)
    if not out.parent.exists():
        raise Failure(f"cannot write {out}: folder {out.parent} does not exist")
    try:
        result = run_build(paths, out)
    except bibtex.BibError as error:
        raise Failure(f"{error} (the existing output is read to keep its citation keys)") from None
    counts = result.parsed.counts()
    say(
        f"{counts['items']} list items -> {len(result.records)} records "
        f"({result.merged_items} duplicate items merged), {len(result.keys.new)} new keys"
    )
    from . import listreport

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
    _write_outputs(out, result)
    return EXIT_OK


def _write_outputs(out: Path, result, report_file: Path | None = None) -> None:
    """references.bib, then the report and the key map: each atomically, errors as Failure."""
    from .build import write_keymap, write_report
    from .files import write_atomic

    try:
        write_atomic(out, result.text)
        if report_file is not None:
            write_report(report_file, result.report)
        if result.keys.renames:
            say(f"key map written to {write_keymap(out, result.keys.renames)}")
    except OSError as error:
        raise Failure(f"cannot write {out}: {error.strerror or error}") from None
    say(f"wrote {out}" + (f" and {report_file}" if report_file else ""))


def _http_settings(args, bases):
    import os

    from .http import HttpSettings, netloc

    intervals = {netloc(bases.arxiv): 3.0, netloc(bases.dblp): 1.0, netloc(bases.usenix): 1.0}
    backoff = 1.0
    override = os.environ.get("SYSML_BIB_MIN_INTERVAL")
    if override:
        try:
            value = float(override)
        except ValueError:
            raise UsageError(f"SYSML_BIB_MIN_INTERVAL must be a number of seconds, not {override!r}") from None
        intervals = {host: value for host in intervals}
        backoff = value
    timeout = args.timeout or float(os.environ.get("SYSML_BIB_TIMEOUT") or 30)
    cache_dir = Path(args.cache_dir) if args.cache_dir else None
    if cache_dir is None:
        from .http import default_cache_dir

        cache_dir = default_cache_dir()
    return HttpSettings(cache_dir=cache_dir, offline=args.offline, intervals=intervals, backoff=backoff, timeout=timeout)


def _bases(args):
    import os

    from .resolve import Bases

    from .http import origin

    defaults = Bases()
    chosen = {}
    for name in ("arxiv", "dblp", "usenix"):
        value = getattr(args, f"{name}_url") or os.environ.get(f"SYSML_BIB_{name.upper()}_URL") or getattr(defaults, name)
        try:
            chosen[name] = origin(value)
        except ValueError as error:
            raise UsageError(f"--{name}-url: {error}") from None
    return Bases(**chosen)


def _progress(enabled: bool, title_search: bool):
    """A progress callback: a rich bar on a terminal, plain lines otherwise."""
    steps = ["arXiv", "dblp", "USENIX"] + (["arXiv title search"] if title_search else [])
    if not enabled:
        return (lambda step: say(f"  {step}: done")), (lambda: None)
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("looking up papers", total=len(steps))
    progress.start()

    def advance(step):
        progress.update(task, advance=1, description=f"{step} done")

    return advance, progress.stop


def cmd_resolve(args) -> int:
    import json
    import sys as _sys

    from . import bibtex
    from .build import report_path, run_build
    from .http import Http
    from .resolve import Online
    from .sources import arxiv as arxiv_source
    from .sources import dblp as dblp_source
    from .sources import usenix as usenix_source

    out = Path(args.out)
    paths = _list_paths(args)
    if not out.parent.exists():
        raise Failure(f"cannot write {out}: folder {out.parent} does not exist")
    bases = _bases(args)
    validators = {
        arxiv_source.PATH: arxiv_source.validate,
        dblp_source.PATH: dblp_source.validate,
        usenix_source.EXPORT_PATH: usenix_source.validate_bibtex,
    }
    http = Http(_http_settings(args, bases), validators)
    advance, stop = _progress(not args.no_progress and _sys.stderr.isatty(), args.arxiv_title_search)
    try:
        online = Online(http, bases, refresh=args.refresh, title_search=args.arxiv_title_search, progress=advance)
        result = run_build(paths, out, online)
    except bibtex.BibError as error:
        raise Failure(f"{error} (the existing output is read to keep its citation keys)") from None
    except ValueError as error:
        raise Failure(str(error)) from None
    finally:
        stop()
        http.close()
    summary = result.report["summary"]
    say(
        f"{summary['papers']} papers: {summary['resolved']} resolved "
        f"({', '.join(f'{s} {n}' for s, n in summary['by_source'].items()) or 'no source'}), "
        f"{summary['list_only']} from the list only, {summary['rejected_candidates']} candidates rejected; "
        f"looked up {summary['looked_up']}; calls: {json.dumps(summary['calls'])}"
        + (" (arXiv title search on)" if summary["arxiv_title_search"] else "")
    )
    for key, work in result.report["works"].items():
        if work["status"] == "list-only":
            reasons = "; ".join(f"{s}: {why}" for s, why in work["unresolved"].items()) or "no candidate matched"
            say(f"  list only: {key} ({reasons})")
    if args.dry_run:
        say("dry run: nothing written")
        return EXIT_OK
    _write_outputs(out, result, Path(args.report) if args.report else report_path(out))
    return EXIT_OK


# ------------------------------------------------------------------------------ parser

KIND_CHOICES = ("paper", "software", "talk", "blog", "book", "course", "website", "dataset")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sysml-bib",
        description="Citation toolkit for the Awesome System for Machine Learning list.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add_list(sub):
        sub.add_argument(
            "--list", nargs="+", metavar="FILE",
            help="markdown list file(s), or '-' for stdin (default: the bundled list)",
        )

    sub = commands.add_parser("parse", help="parse the list into items")
    add_list(sub)
    sub.add_argument("--json", action="store_true", help="print one JSON document (items, bullet roles, counts)")
    sub.set_defaults(run=cmd_parse)

    sub = commands.add_parser("sections", help="show the section tree with item counts")
    add_list(sub)
    sub.set_defaults(run=cmd_sections)

    sub = commands.add_parser("export", help="print entries of references.bib, filtered")
    sub.add_argument("--section", action="append", metavar="NAME", help="a heading or TOC name (repeatable)")
    sub.add_argument("--kind", action="append", choices=KIND_CHOICES, help="only this kind (repeatable)")
    sub.add_argument("--format", choices=("bibtex", "biblatex", "csl-json"), default="bibtex")
    sub.add_argument(
        "--csl-strict", action="store_true",
        help="csl-json: write software as type 'software' (Zotero then refuses the file; default: book + version)",
    )
    sub.add_argument("--bib", metavar="FILE", help="bibliography to read (default: the bundled references.bib)")
    sub.set_defaults(run=cmd_export)

    sub = commands.add_parser("render", help="format entries of references.bib in a citation style")
    sub.add_argument("--section", action="append", metavar="NAME", help="a heading or TOC name (repeatable)")
    sub.add_argument("--kind", action="append", choices=KIND_CHOICES, help="only this kind (repeatable)")
    sub.add_argument("--bib", metavar="FILE", help="bibliography to read (default: the bundled references.bib)")
    sub.add_argument(
        "--style", required=True,
        help="plain, unsrt, alpha, unsrtalpha (pybtex), a CSL style name (apa, ieee, ...) or a .csl file",
    )
    sub.add_argument("--format", choices=("text", "html", "markdown", "latex"), default="text")
    sub.add_argument("--group-by-section", action="store_true", help="entries under the list's section headings")
    sub.set_defaults(run=cmd_render)

    sub = commands.add_parser("build", help="build references.bib from the list (no network)")
    add_list(sub)
    sub.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    sub.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is stale")
    sub.set_defaults(run=cmd_build)

    sub = commands.add_parser("resolve", help="look papers up in arXiv, dblp and USENIX, then build")
    add_list(sub)
    sub.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    sub.add_argument("--report", metavar="FILE", help="JSON report (default: <out>-report.json beside the output)")
    sub.add_argument("--cache-dir", metavar="DIR", help="HTTP cache folder (default: the user cache dir)")
    sub.add_argument("--offline", action="store_true", help="answer from the cache only")
    sub.add_argument("--refresh", action="store_true", help="look every paper up again, not only new or changed ones")
    sub.add_argument("--dry-run", action="store_true", help="look up and report, write nothing")
    sub.add_argument("--timeout", type=float, metavar="SECONDS", help="per request (default 30; env SYSML_BIB_TIMEOUT)")
    sub.add_argument("--no-progress", action="store_true", help="no progress bar")
    sub.add_argument(
        "--arxiv-title-search", action="store_true",
        help="also search arXiv by title for papers with no arXiv link that dblp and USENIX do not know "
        "(costs ceil(papers/40) arXiv calls beyond the id batches)",
    )
    for name in ("arxiv", "dblp", "usenix"):
        sub.add_argument(
            f"--{name}-url", metavar="URL",
            help=f"scheme://host:port replacing {name}'s (a mirror or replay server; env SYSML_BIB_{name.upper()}_URL)",
        )
    sub.set_defaults(run=cmd_resolve)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        say(f"sysml-bib {args.command}: error: {error}")
        return EXIT_USAGE
    except Failure as error:
        say(f"sysml-bib {args.command}: error: {error}")
        return EXIT_FAILED
    except BrokenPipeError:  # `sysml-bib export | head`
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
