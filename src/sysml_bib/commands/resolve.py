"""``sysml-bib resolve``: look the list's papers up in arXiv, dblp, USENIX and the venues' own
records, and its books, talks, posts, courses and sites on the web (pages, YouTube oEmbed,
Open Library), then build."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .common import (
    EXIT_FAILED, EXIT_OK, Failure, UsageError, add_list_argument, check_out_folder, prior_state, read_lists, say,
    say_key_changes, write_outputs,
)

SOURCE_NAMES = ("arxiv", "dblp", "usenix", "crossref", "pmlr", "neurips")  # each has --<name>-url


def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    parser.add_argument("--report", metavar="FILE", help="JSON report (default: <out>-report.json beside the output)")
    parser.add_argument("--refresh", action="store_true", help="look every paper up again, not only new or changed ones")
    parser.add_argument("--dry-run", action="store_true", help="look up and report, write nothing")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument(
        "--strict", action="store_true",
        help="exit 1 when a lookup failed for a reason other than 'not found' (network, quota, malformed answer, "
        "not in the cache with --offline)",
    )
    parser.add_argument(
        "--arxiv-title-search", action="store_true",
        help="also search arXiv by title for papers with no arXiv link (the unknown ones, and published ones for "
        "their eprint; costs ceil(papers/40) arXiv calls beyond the id batches)",
    )
    add_network_arguments(parser)


def add_network_arguments(parser) -> None:
    """Cache, timeout and base-URL options: shared by every command that reaches the sources (resolve, add)."""
    parser.add_argument("--cache-dir", metavar="DIR", help="HTTP cache folder (default: the user cache dir)")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="per request (default 30; env SYSML_BIB_TIMEOUT)")
    for name in SOURCE_NAMES:
        parser.add_argument(
            f"--{name}-url", metavar="URL",
            help=f"scheme://host:port replacing {name}'s (a mirror or replay server; env SYSML_BIB_{name.upper()}_URL)",
        )
    parser.add_argument(
        "--web-url", metavar="BASE",
        help="prefix for web pages, YouTube oEmbed and Open Library: https://host/path?q is fetched as "
        "BASE/host/path?q (a replay server or local mirror; env SYSML_BIB_WEB_URL; default: the real URL)",
    )


def open_http(args):
    """(Http, Bases) for the network options: politeness, cache, timeout, and each answer checked before caching."""
    from ..http import Http
    from ..sources import arxiv as arxiv_source
    from ..sources import crossref as crossref_source
    from ..sources import dblp as dblp_source
    from ..sources import dblp_record
    from ..sources import neurips as neurips_source
    from ..sources import pmlr as pmlr_source
    from ..sources import usenix as usenix_source

    bases = _bases(args)
    validators = {
        arxiv_source.PATH: arxiv_source.validate,
        dblp_source.PATH: dblp_source.validate,
        dblp_record.PATH: dblp_record.validate,
        usenix_source.EXPORT_PATH: usenix_source.validate_bibtex,
        crossref_source.PATH: crossref_source.validate,
        neurips_source.PATH: neurips_source.validate,
        pmlr_source.PATH: pmlr_source.validate,
    }
    settings = _http_settings(args, bases)
    try:
        return Http(settings, validators), bases
    except OSError as error:
        raise Failure(f"cannot use the cache folder {settings.cache_dir}: {error.strerror or error} (try --cache-dir DIR)") from None


def _http_settings(args, bases):
    from ..http import HttpSettings, default_cache_dir, netloc

    intervals = {netloc(getattr(bases, name)): 3.0 if name == "arxiv" else 1.0 for name in SOURCE_NAMES}
    backoff = default_interval = 1.0  # every web host: one request a second
    override = os.environ.get("SYSML_BIB_MIN_INTERVAL")
    if override:
        value = _seconds("SYSML_BIB_MIN_INTERVAL", override)
        intervals = {host: value for host in intervals}
        backoff = default_interval = value
    timeout = args.timeout if args.timeout is not None else _seconds("SYSML_BIB_TIMEOUT", os.environ.get("SYSML_BIB_TIMEOUT") or "30")
    if not 0 < timeout < float("inf"):
        raise UsageError(f"--timeout must be a positive number of seconds, not {timeout}")
    cache_dir = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    return HttpSettings(cache_dir=cache_dir, offline=args.offline, intervals=intervals, default_interval=default_interval, backoff=backoff, timeout=timeout)


def _seconds(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {text!r}") from None
    if not 0 <= value < float("inf"):
        raise UsageError(f"{name} must be a number of seconds, not {text!r}")
    return value


def _bases(args):
    from ..http import origin
    from ..resolve import Bases

    defaults = Bases()
    chosen = {}
    for name in SOURCE_NAMES:
        value = getattr(args, f"{name}_url") or os.environ.get(f"SYSML_BIB_{name.upper()}_URL") or getattr(defaults, name)
        try:
            chosen[name] = origin(value)
        except ValueError as error:
            raise UsageError(f"--{name}-url: {error}") from None
    web = args.web_url or os.environ.get("SYSML_BIB_WEB_URL") or ""
    if web and (urlsplit(web).scheme not in ("http", "https") or not urlsplit(web).netloc):
        raise UsageError(f"--web-url: not an http(s) base URL: {web!r} (expected e.g. http://127.0.0.1:8004)")
    return Bases(**chosen, web=web.rstrip("/"))


def _progress(enabled: bool, title_search: bool):
    """A progress callback: a rich bar on a terminal, plain lines otherwise."""
    steps = ["arXiv", "dblp", "USENIX", "venue records"] + (["arXiv title search"] if title_search else []) + ["web"]
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


def run(args) -> int:
    import json

    from ..build import report_path, run_build
    from ..resolve import Online

    out = Path(args.out)
    parsed, names, bundled = read_lists(args)
    check_out_folder(out)
    prior = prior_state(out, bundled, replay_bundled_lookups=False)
    http, bases = open_http(args)
    advance, stop = _progress(not args.no_progress and sys.stderr.isatty(), args.arxiv_title_search)
    try:
        online = Online(http, bases, refresh=args.refresh, title_search=args.arxiv_title_search, progress=advance)
        result = run_build(parsed, names, prior, online)
    finally:
        stop()
        http.close()
    from ..maintainers.staleness import new_list_only

    summary = result.report["summary"]
    fresh = set(new_list_only(result, looked_up_only=True))
    for key, work in result.report["works"].items():
        if work["status"] == "list-only":
            reasons = "; ".join(f"{s}: {why}" for s, why in work["unresolved"].items()) or "no candidate matched"
            say(f"  list only{' (new or changed in this run)' if key in fresh else ''}: {key} ({reasons})")
    say_key_changes(result.keys)
    failures = result.report["failed_requests"]
    if args.strict:
        for failure in failures:
            say(f"  failed: {failure['source']}: {failure['reason']} ({failure['url']})")
    if not args.dry_run:
        write_outputs(out, result, Path(args.report) if args.report else report_path(out))
    else:
        say("dry run: nothing written")
    web = summary["web"]
    say(f"{web['works']} books, talks, posts, courses and sites: {web['resolved']} resolved "
        f"({', '.join(f'{s} {n}' for s, n in web['by_source'].items()) or 'no source'}), "
        f"{web['with_author']} with authors, {web['with_year']} with a year; undated: {len(web['undated'])} (see the report)")
    say(
        f"{summary['papers']} papers: {summary['resolved']} resolved "
        f"({', '.join(f'{s} {n}' for s, n in summary['by_source'].items()) or 'no source'}), "
        f"{summary['list_only']} from the list only, {summary['rejected_candidates']} candidates rejected; "
        f"looked up {summary['looked_up']}; calls: {json.dumps(summary['calls'])}"
        + (" (arXiv title search on)" if summary["arxiv_title_search"] else "")
        + f"; {_failure_summary(failures)}"
    )
    if args.strict and failures:
        say(f"--strict: {len(failures)} lookups failed (listed above); the papers concerned keep the list's data")
        return EXIT_FAILED
    return EXIT_OK


def _failure_summary(failures: list[dict]) -> str:
    """The last words of the summary: how many lookups failed and why, so no failure goes unseen."""
    if not failures:
        return "no lookup failed"
    why: dict[str, int] = {}
    for failure in failures:
        label = f"{failure['source']} {failure['reason']}"
        why[label] = why.get(label, 0) + 1
    return f"{len(failures)} lookups failed ({', '.join(f'{n}x {label}' for label, n in sorted(why.items()))})"
