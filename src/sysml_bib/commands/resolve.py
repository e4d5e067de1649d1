"""``sysml-bib resolve``: look the list's software up in GitHub, its papers in arXiv, dblp, USENIX
and the venues' own records, and its books, talks, posts, courses and sites on the web (pages,
YouTube oEmbed, Open Library): the sources of ``sources/registry.py``; then build."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .common import (
    EXIT_FAILED, EXIT_OK, Failure, UsageError, add_list_argument, check_out_folder, prior_state, read_lists, say,
    say_key_changes, write_outputs,
)

def add_arguments(parser) -> None:
    add_list_argument(parser)
    parser.add_argument("--out", default="references.bib", metavar="FILE", help="output file (default: references.bib)")
    parser.add_argument("--report", metavar="FILE", help="JSON report (default: <out>-report.json beside the output)")
    parser.add_argument("--refresh", action="store_true", help="look every record up again, not only new or changed ones")
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
    parser.add_argument(
        "--link-evidence", action="append", default=[], metavar="FILE",
        help="a JSON file of recorded evidence that a listed link is a known work (its URL, the work's arXiv id or "
        "DOI, and the public pages naming both); added to the bundled records, repeatable",
    )
    add_network_arguments(parser)


def add_network_arguments(parser) -> None:
    """Cache, timeout and base-URL options: shared by every command that reaches the sources (resolve, add)."""
    from ..sources.registry import hosts

    parser.add_argument("--cache-dir", metavar="DIR", help="HTTP cache folder (default: the user cache dir)")
    parser.add_argument("--offline", action="store_true", help="answer from the cache only")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="per request (default 30; env SYSML_BIB_TIMEOUT)")
    for host in hosts():  # every source's hosts: --arxiv-url ... --github-url, --github-raw-url, --web-url
        if host.prefix:
            text = (f"prefix for {host.description or host.name}: https://host/path?q is fetched as BASE/host/path?q "
                    f"(a replay server or local mirror; env {host.env}; default: the real URL)")
        else:
            text = f"scheme://host:port replacing {host.description or host.name} (a mirror or replay server; env {host.env})"
        parser.add_argument(f"--{host.name}-url", metavar="BASE" if host.prefix else "URL", help=text)


def open_http(args):
    """(Http, bases) for the network options: politeness, cache, timeout, and each answer checked before caching."""
    from ..http import Http
    from ..sources.registry import validators

    bases = _bases(args)
    settings = _http_settings(args, bases)
    try:
        return Http(settings, validators()), bases
    except OSError as error:
        raise Failure(f"cannot use the cache folder {settings.cache_dir}: {error.strerror or error} (try --cache-dir DIR)") from None


def _http_settings(args, bases: dict[str, str]):
    """Per-host politeness, quota and token settings from the sources' ``Host`` declarations."""
    from ..http import HttpSettings, default_cache_dir, netloc
    from ..sources.registry import hosts

    known = hosts()
    intervals = {netloc(bases[h.name]): h.interval for h in known if bases[h.name]}
    default_interval = max((h.interval for h in known if h.prefix), default=1.0)  # every page host a prefix source reaches
    backoff = 1.0
    override = os.environ.get("SYSML_BIB_MIN_INTERVAL")
    if override:
        value = _seconds("SYSML_BIB_MIN_INTERVAL", override)
        intervals = {host: value for host in intervals}
        backoff = default_interval = value
    timeout = args.timeout if args.timeout is not None else _seconds("SYSML_BIB_TIMEOUT", os.environ.get("SYSML_BIB_TIMEOUT") or "30")
    if not 0 < timeout < float("inf"):
        raise UsageError(f"--timeout must be a positive number of seconds, not {timeout}")
    cache_dir = Path(args.cache_dir) if args.cache_dir else default_cache_dir()
    metered = {netloc(bases[h.name]) for h in known if h.metered and bases[h.name]}
    # A token goes only to its own host (a --github-url mirror gets it: it stands in for GitHub).
    tokens = {netloc(bases[h.name]): os.environ[h.token_env].strip() for h in known
              if bases[h.name] and h.token_env and os.environ.get(h.token_env, "").strip()}
    return HttpSettings(cache_dir=cache_dir, offline=args.offline, intervals=intervals, default_interval=default_interval,
                        backoff=backoff, timeout=timeout, metered=metered, revalidated=metered, tokens=tokens, uncached=("/rate_limit",))


def _seconds(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name} must be a number of seconds, not {text!r}") from None
    if not 0 <= value < float("inf"):
        raise UsageError(f"{name} must be a number of seconds, not {text!r}")
    return value


def _bases(args) -> dict[str, str]:
    from ..http import origin
    from ..sources.registry import hosts

    chosen = {}
    for host in hosts():
        value = getattr(args, host.name.replace("-", "_") + "_url", None) or os.environ.get(host.env) or host.default_base
        try:
            if host.prefix:  # a prefix keeps its path; "" fetches the real URLs
                parts = urlsplit(value)
                if value and (parts.scheme not in ("http", "https") or not parts.netloc):
                    raise ValueError(f"not an http(s) base URL: {value!r} (expected e.g. http://127.0.0.1:8004)")
                chosen[host.name] = value.rstrip("/")
            else:
                chosen[host.name] = origin(value)
        except ValueError as error:
            raise UsageError(f"--{host.name}-url: {error}") from None
    return chosen


def _link_evidence(paths: list[str]) -> tuple[str, ...]:
    """The --link-evidence files, checked before any lookup: a malformed record is a usage error."""
    from ..sources.link_evidence import EvidenceError, table

    try:
        table(tuple(paths))
    except EvidenceError as error:
        raise UsageError(f"{error}; see README, 'Links recorded as known works'") from None
    return tuple(paths)


def _progress(enabled: bool, title_search: bool):
    """A progress callback: a rich bar on a terminal, plain lines otherwise."""
    from ..sources.registry import instances

    steps = [s.label for s in instances() if s.name != "arxiv" or s.phase == 1 or title_search]
    if not enabled:
        return (lambda step: say(f"  {step}: done")), (lambda: None)
    from rich.console import Console
    from rich.progress import Progress

    progress = Progress(console=Console(stderr=True), transient=True)
    task = progress.add_task("looking up software and papers", total=len(steps))
    progress.start()

    def advance(step):
        progress.update(task, advance=1, description=f"{step} done")

    return advance, progress.stop


def run(args) -> int:
    import json

    from ..build import report_path, run_build
    from ..maintainers.staleness import new_list_only
    from ..resolve import Online

    out = Path(args.out)
    parsed, names, bundled = read_lists(args)
    check_out_folder(out)
    prior = prior_state(out, bundled, replay_bundled_lookups=False)
    evidence = _link_evidence(args.link_evidence)
    http, bases = open_http(args)
    advance, stop = _progress(not args.no_progress and sys.stderr.isatty(), args.arxiv_title_search)
    try:
        online = Online(http, bases, refresh=args.refresh, title_search=args.arxiv_title_search, progress=advance,
                        link_evidence=evidence)
        result = run_build(parsed, names, prior, online)
    finally:
        stop()
        http.close()
    summary = result.report["summary"]
    fresh = set(new_list_only(result, looked_up_only=True))
    for key, work in result.report["works"].items():
        if work["status"] == "list-only":
            reasons = "; ".join(f"{s}: {why}" for s, why in work["unresolved"].items()) or "no candidate matched"
            say(f"  list only{' (new or changed in this run)' if key in fresh else ''}: {key} ({reasons})")
    waiting = summary.get("waiting", [])
    if waiting:
        work = result.report["works"][waiting[0]]
        reason = next((why for why in work["unresolved"].values() if "quota" in why), "GitHub quota")
        say(f"  {len(waiting)} works wait ({reason}): run resolve again after that; only these are asked again")
    say_key_changes(result.keys)
    failures = result.report["failed_requests"]
    if args.strict:
        for failure in failures:
            say(f"  failed: {failure['source']}: {failure['reason']} ({failure['url']})")
    if not args.dry_run:
        write_outputs(out, result, Path(args.report) if args.report else report_path(out))
    else:
        say("dry run: nothing written")
    web = summary.get("web")
    if web:
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
    software = summary.get("software")
    if software:
        say(
            f"{software['software']} software: {software['resolved']} resolved, {software['list_only']} from the list only, "
            f"{software['waiting']} waiting for the GitHub quota; {software['cited_papers']} ask for a paper"
            + (f"; answered 304 (no quota spent): {json.dumps(summary['not_modified'])}" if summary.get("not_modified") else "")
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
