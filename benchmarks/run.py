"""sysml-bib benchmarks: every number is a ratio against a baseline measured in the same run.

    python benchmarks/run.py            # all six groups, writes BENCHMARKS.md
    python benchmarks/run.py export     # one group (export, lint, scale, styles, resolve, resolve-scale)

- export: ``sysml-bib export --section Training`` against
  ``python -c "import bibtexparser; bibtexparser.parse_file('references.bib')"``, whole
  process wall time, median of alternating runs. Goal <= 1.25x. And which of sysml-bib's
  modules it imports (goal: only its own; another command's would slow its start).
- lint: ``sysml-bib lint`` of the bundled list, whole process; goal under a second (shown
  against a bare ``python -c pass`` of the same run).
- scale: ``build`` and ``export`` on synthetic lists of 1k, 10k and 100k items; time and
  peak memory per item from 1k to 100k (goal: flat), export throughput against
  bibtexparser v2's own parse + write of the same file (goal <= 1.5x).
- styles: ``build`` on a 2,000-entry list written in every entry style the readers know,
  time per entry against ``build`` of the bundled list (whole process, median of runs).
- resolve: the bundled list against the replay server with the real politeness
  intervals and 50 ms added per response; calls per host and wall time against the
  politeness floor (``politeness_floor``: resolve's phases run one after another, so phase by
  phase the busiest host's spaced calls, summed; goal <= 1.2x); a warm
  re-run (goal: 0 calls). The GitHub phase (which runs first, with a token so that one run
  does everything) is timed apart: API and raw calls per repository (goal <= 4 API calls,
  so that 60 an hour resolve 15 repositories), and its wall time against its own floor
  (the larger of the API calls' 0.1 s spacing and the raw files' 1 s: each host's spacing
  runs while the other host is asked). The recorded snapshots hold no GitHub releases, so the phase is run
  again, cold and alone, with the replay serving each snapshot's newest final version tag as
  its latest release (a marked stand-in): what a list of projects that publish releases costs.
- resolve-scale: a cold ``resolve`` of a 2,300-entry list in the ``styles`` group's entry
  styles whose papers are real records of the recorded corpus (every third paper of each
  dblp venue-year, the arXiv entries) plus 40 papers it does not know, every host spaced
  0.1 s (the real intervals would take 20 minutes: the venue-record hosts are asked once per
  paper) and 50 ms per response. dblp calls against one ``toc:`` page per venue-year plus
  one query per leftover paper (a "Name: ..." paper a venue retitled is found by that same
  query: no retry), arXiv calls against ceil(ids/100), wall time against the floor of the
  same intervals (goal <= 1.2x).
"""

from __future__ import annotations

import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "references.bib"
PYTHON = sys.executable
EXPORT_RUNS = 21
INTERVALS = {"arxiv": 3.0, "dblp": 1.0, "usenix": 1.0, "crossref": 1.0, "pmlr": 1.0, "neurips": 1.0, "github": 0.1, "github-raw": 1.0, "web": 1.0}  # web: every page host behind one --web-url replay
PAPER_HOSTS = ("arxiv", "dblp", "usenix", "crossref", "pmlr", "neurips")


def politeness_floor(calls: dict[str, int], intervals: dict[str, float]) -> tuple[float, dict[int, str]]:
    """The least time the phases after GitHub's can take, and each phase's busiest host.

    ``resolve`` runs its source phases one after another, the sources of one phase at once
    (``resolve._run_phase``), and spaces the starts of each host's calls by its interval (n
    calls: n - 1 intervals): so the floor is, phase by phase, the busiest host's, summed. Phase 1 is arXiv, dblp,
    USENIX and the web pages (all of whose hosts share one replay server here, so its calls
    are spaced as one host's); phase 2 the venue records (Crossref, PMLR, NeurIPS), which
    need dblp's DOIs and landing pages. A host in two phases (arXiv's title search) counts
    in its first.
    """
    sys.path.insert(0, str(ROOT / "src"))
    from sysml_bib.sources import registry

    phase_of: dict[str, int] = {}
    for source in registry.instances():
        for host in source.hosts:
            if source.phase > 0:  # phase 0 is GitHub's, timed apart
                phase_of[host.name] = min(source.phase, phase_of.get(host.name, source.phase))
    busiest: dict[int, tuple[float, str]] = {}
    for host, phase in phase_of.items():
        cost = max(calls.get(host, 0) - 1, 0) * intervals[host]
        if cost > busiest.get(phase, (-1.0, ""))[0]:
            busiest[phase] = (cost, host)
    return sum(cost for cost, _ in busiest.values()), {phase: host for phase, (_, host) in sorted(busiest.items())}


# Installed packages run from compiled bytecode; a development shell may forbid writing it,
# which would time the compiler instead of the code.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(cmd: list[str], **kwargs) -> float:
    kwargs.setdefault("env", CHILD_ENV)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def run_measured(cmd: list[str], **kwargs) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one child process."""
    kwargs.setdefault("env", CHILD_ENV)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss


def sysml_bib(*args: str) -> list[str]:
    return [PYTHON, "-m", "sysml_bib", *args]


# ----------------------------------------------------------------------------- export

def bench_export() -> dict:
    ours = sysml_bib("export", "--section", "Training", "--bib", str(REFERENCES))
    base = [PYTHON, "-c", f"import bibtexparser; bibtexparser.parse_file({str(REFERENCES)!r})"]
    run(ours), run(base)  # warm the OS file cache and .pyc files
    ours_t, base_t = [], []
    for _ in range(EXPORT_RUNS):  # alternate, so drift hits both alike
        ours_t.append(run(ours))
        base_t.append(run(base))
    ratio = statistics.median(ours_t) / statistics.median(base_t)
    return {"runs": EXPORT_RUNS, "export_median_s": statistics.median(ours_t), "baseline_median_s": statistics.median(base_t),
            "ratio": ratio, "goal": 1.25, "met": ratio <= 1.25, "imports": bench_export_imports()}


IMPORT_CHECK = (
    "import sys, io, contextlib\n"
    "from sysml_bib.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()): main(sys.argv[1:])\n"
    "print(' '.join(sorted(m for m in sys.modules if m.startswith('sysml_bib') or '.' not in m)))\n"
)
# What export needs; any other sysml_bib module (another command's, the pipeline's) slows its start.
EXPORT_MODULES = {"sysml_bib", "sysml_bib.cli", "sysml_bib.commands", "sysml_bib.commands.common", "sysml_bib.commands.export",
                  "sysml_bib.bibtex", "sysml_bib.latex", "sysml_bib.record", "sysml_bib.resources", "sysml_bib.select"}


def imported_by(*args: str) -> set[str]:
    out = subprocess.run([PYTHON, "-c", IMPORT_CHECK, *args], check=True, capture_output=True, text=True, env=CHILD_ENV)
    return set(out.stdout.split())


def bench_export_imports() -> dict:
    modules = {m for m in imported_by("export", "--section", "Training", "--bib", str(REFERENCES)) if m.startswith("sysml_bib")}
    return {"sysml_bib_modules": sorted(modules), "unexpected": sorted(modules - EXPORT_MODULES), "met": modules <= EXPORT_MODULES}


# ----------------------------------------------------------------------------- lint

LINT_RUNS = 11


def bench_lint() -> dict:
    """``lint`` of the bundled list, whole process (goal: under a second), against a bare interpreter's start."""
    ours = sysml_bib("lint")
    base = [PYTHON, "-c", "pass"]
    kwargs = {"env": CHILD_ENV}
    for cmd in (ours, base):  # warm up; lint exits 1 on the list's real errors, which is not a failure here
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    ours_t, base_t = [], []
    for _ in range(LINT_RUNS):
        start = time.perf_counter()
        subprocess.run(ours, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
        ours_t.append(time.perf_counter() - start)
        base_t.append(run(base))
    median = statistics.median(ours_t)
    return {"runs": LINT_RUNS, "lint_median_s": median, "python_startup_median_s": statistics.median(base_t),
            "vs_python_startup": median / statistics.median(base_t), "goal_s": 1.0, "met": median < 1.0}


# ----------------------------------------------------------------------------- scale

VENUES = ["OSDI", "NSDI", "SOSP", "ICML", "NeurIPS", "SIGMOD", "EuroSys", "KDD", "MLSys", "ATC"]
FIRST = ["Ana", "Bo", "Chloé", "Dmitri", "Émile", "Fatima", "Grzegorz", "Hiroshi", "Ines", "Jürgen", "Kai", "Łukasz", "Mei", "Nuño", "Olúwadámilọ́lá"]
LAST = ["Smith", "Ré", "Müller", "Zhang", "Øster", "van der Berg", "O'Neil", "Nakamura", "Kowalski", "Dubois", "García", "Şahin", "Ng", "Patel", "Ivanova"]
WORDS = "scalable efficient distributed learning inference serving training graph neural GPU cluster scheduling compiler video analytics edge caching sparse pipeline tensor".split()


def synthetic_list(n: int, seed: int = 7) -> str:
    """A list in the awesome style: sections, papers with author and venue lines, software, duplicates."""
    rng = random.Random(seed)
    lines = ["# Synthetic list", ""]
    papers: list[list[str]] = []  # the lines of earlier papers, to list some of them again
    for i in range(n):
        if i % 50 == 0:
            lines += ["", f"## Section {i // 50} — {rng.choice(WORDS).title()}", ""]
        if i % 97 == 5 and papers:  # the same work listed again in another section
            lines += rng.choice(papers)
            continue
        words = " ".join(rng.sample(WORDS, 5))
        if i % 3 == 0:
            lines.append(f"- tool{i}: a {words} library 🚀 [[GitHub]](https://github.com/org{i % 40}/tool{i})")
            continue
        authors = ", ".join(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 5)))
        arxiv = f" [[arXiv]](https://arxiv.org/abs/{rng.randint(15, 22)}{rng.randint(1, 12):02d}.{i % 100000:05d})" if i % 4 == 1 else ""
        item = [f"- System{i}: {words} & {{GPU}} “systems” [[Paper]](https://example.org/papers/{i}.pdf){arxiv}",
                f"  - {authors} (*{rng.choice(VENUES)} {rng.randint(2012, 2024)}*)"]
        if i % 5 == 0:
            item.append(f"  - Summary: {words} with 100% of the {{braces}} and \\backslashes")
        lines += item
        if len(papers) < 1000:
            papers.append(item)
    return "\n".join(lines) + "\n"


def bench_scale(sizes=(1_000, 10_000, 100_000)) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            src = tmp / f"list{n}.md"
            src.write_text(synthetic_list(n), encoding="utf-8")
            out = tmp / f"refs{n}.bib"
            build_t, build_mem = run_measured(sysml_bib("build", "--list", str(src), "--out", str(out)))
            export_t, export_mem = run_measured(sysml_bib("export", "--bib", str(out)))
            base_t, base_mem = run_measured([PYTHON, "-c", (
                "import bibtexparser, sys; lib = bibtexparser.parse_file(sys.argv[1]); "
                "sys.stdout.write(bibtexparser.write_string(lib))"), str(out)])
            entries = out.read_text(encoding="utf-8").count("\n@")
            results[n] = {
                "entries": entries,
                "build_s": build_t, "build_us_per_item": build_t / n * 1e6, "build_peak_kib_per_item": build_mem / n,
                "export_s": export_t, "export_us_per_entry": export_t / entries * 1e6,
                "bibtexparser_parse_write_s": base_t, "export_vs_bibtexparser": export_t / base_t,
            }
    small, large = results[sizes[0]], results[sizes[-1]]
    # The interpreter and libraries weigh ~40 MB whatever the size; per-item memory that
    # stays flat is the growth from the smallest to each larger list.
    for n in sizes[1:]:
        grown = results[n]["build_peak_kib_per_item"] * n - small["build_peak_kib_per_item"] * sizes[0]
        results[n]["build_marginal_kib_per_item"] = grown / (n - sizes[0])
    marginal = [results[n]["build_marginal_kib_per_item"] for n in sizes[1:]]
    return {
        "sizes": results,
        "build_marginal_memory_ratio": marginal[-1] / marginal[0] if len(marginal) > 1 else 1.0,
        "build_time_per_item_ratio": large["build_us_per_item"] / small["build_us_per_item"],
        "build_memory_per_item_ratio": large["build_peak_kib_per_item"] / small["build_peak_kib_per_item"],
        "export_vs_bibtexparser_at_largest": large["export_vs_bibtexparser"],
        "goals": {"per_item_ratio_flat": "<= 1.5 (from the smallest to the largest list)", "export_vs_bibtexparser": 1.5},
    }


# ----------------------------------------------------------------------------- styles

def mixed_list(n: int, seed: int = 11) -> str:
    """A list of every entry style the readers know, n entries in all: tables, pipe-field
    bullets, badge bullets, venue tags, bold titles, labelled links, numbered entries."""
    rng = random.Random(seed)
    lines = ["# Mixed list", ""]
    i = 0
    while i < n:
        lines += ["", f"## Topic {i // 100} {rng.choice(WORDS).title()}", "", f"### {rng.randint(2015, 2024)}", ""]
        if (i // 100) % 3 == 0:  # a table of 100 rows
            lines += ["| Year | Title | Authors | Venue | Paper | Code |", "|:---:|---|---|---|---|---|"]
            for _ in range(100):
                words = " ".join(rng.sample(WORDS, 5)).title()
                lines.append(f"| {rng.randint(2015, 2024)} | {words} {i} | {rng.choice(FIRST)} {rng.choice(LAST)}, et al. | "
                             f"{rng.choice(VENUES)} | [PDF](https://arxiv.org/abs/{rng.randint(15, 22)}{rng.randint(1, 12):02d}.{i:05d}) | "
                             f"[![stars](https://img.shields.io/b/{i}.svg)](https://github.com/o{i % 50}/r{i}) |")
                i += 1
            continue
        for _ in range(100):
            words = " ".join(rng.sample(WORDS, 5)).title()
            who = ", ".join(f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 4)))
            venue, year, url = rng.choice(VENUES), rng.randint(2015, 2024), f"https://example.org/p/{i}.pdf"
            lines.append(rng.choice([
                f"+ {year} | {words} {i} | {who} | {venue} | [`PDF`]({url})",
                f'- <img src="https://img.shields.io/badge/{i}-pages-green.svg"> [{words} {i}]({url}) - {who}. {venue} {year}.',
                f"- [{venue}'{year % 100:02d}] [{words} {i}]({url})",
                f"- **{words} {i}**. {who}. {venue} {year}. [[pdf]]({url})",
                f"- {words} {i} [[Paper]]({url})\n  - {who} (*{venue} {year}*)",
                f"{i % 9 + 1}. [**{words} {i}.**]({url}) _{who}._ {venue} {year}.",
            ]))
            i += 1
    return "\n".join(lines) + "\n"


def bench_styles(n: int = 2_000, runs: int = 5) -> dict:
    """build on a 2,000-entry list in every style, per entry, against the bundled list."""
    sys.path.insert(0, str(ROOT / "src"))
    from sysml_bib.parse import parse_files
    from sysml_bib.resources import bundled_list

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big = tmp / "mixed.md"
        big.write_text(mixed_list(n), encoding="utf-8")
        bundled = bundled_list()
        entries = {"mixed": len(parse_files([big]).items), "bundled": len(parse_files([bundled]).items)}
        ours = sysml_bib("build", "--list", str(big), "--out", str(tmp / "mixed.bib"))
        base = sysml_bib("build", "--list", str(bundled), "--out", str(tmp / "bundled.bib"))
        run(ours), run(base)
        big_t, base_t = [], []
        for _ in range(runs):
            big_t.append(run(ours))
            base_t.append(run(base))
    big_s, base_s = statistics.median(big_t), statistics.median(base_t)
    ratio = (big_s / entries["mixed"]) / (base_s / entries["bundled"])
    return {"entries": entries, "build_s": big_s, "bundled_build_s": base_s,
            "per_entry_ratio": ratio, "goal": "builds in seconds; per entry <= the bundled list's",
            "met": big_s < 10 and ratio <= 1.0}


# ----------------------------------------------------------------------------- resolve

def _timed_run(cmd: list[str], env: dict, marker: str, stop_at_marker: bool = False) -> tuple[float, float | None]:
    """Wall time of a child process, and when a line containing ``marker`` reached its stderr
    (``stop_at_marker``: the child is stopped there, when only what comes before is measured)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    seen = None
    for line in proc.stderr:
        if seen is None and marker in line:
            seen = time.perf_counter() - start
            if stop_at_marker:
                proc.terminate()
                proc.wait()
                return seen, seen
    if proc.wait() != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, seen


GITHUB_CALL_KINDS = [  # (pattern of the request path, what the call is for), first match wins
    (r"^/rate_limit", "rate_limit (free)"),
    (r"^/repositories/\d+", "repository after a 301"),
    (r"^/users/[^/]+$", "owner (users)"),
    (r"^/repos/[^/]+/[^/]+/contents/?$", "root listing"),
    (r"^/repos/[^/]+/[^/]+/tags\?(?!.*[?&]page=(?!1\b))", "first page of tags"),
    (r"^/repos/[^/]+/[^/]+/tags\?", "further page of tags"),
    (r"^/repos/[^/]+/[^/]+/releases/latest$", "latest release"),
    (r"^/repos/[^/]+/[^/]+/commits/", "tag's commit"),
    (r"^/repos/[^/]+/[^/]+$", "repository"),
]


def github_call_kinds(paths: list[str]) -> dict[str, int]:
    """How many GitHub API requests of each kind a run sent (what each call per repository is)."""
    import re

    counts: dict[str, int] = {}
    for path in paths:
        kind = next((name for pattern, name in GITHUB_CALL_KINDS if re.search(pattern, path)), "other")
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def bench_resolve(latency: float = 0.05) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from sysml_bib.replay import Corpus, ReplayServers

    corpus = Corpus.load(ROOT / "data" / "recorded")
    with ReplayServers(corpus, latency=latency) as servers, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in CHILD_ENV.items() if k != "SYSML_BIB_MIN_INTERVAL"}
        env.update(servers.env())
        env["GITHUB_TOKEN"] = "benchmark"  # the replay grants any token 5,000 an hour: one run does all
        common = ["--no-progress", "--out", f"{tmp}/refs.bib", "--cache-dir", f"{tmp}/cache"]
        cold_t, github_t = _timed_run(sysml_bib("resolve", "--refresh", *common), env, "GitHub: done")
        cold = servers.calls()
        github_kinds = github_call_kinds(servers.hosts["github"].requests)
        github_paths = [p.lower() for p in servers.hosts["github"].requests]  # logins and names compare case-insensitively
        report = json.loads(Path(f"{tmp}/refs-report.json").read_text())  # the cold run's (the warm one rewrites it)
        warm_t = run(sysml_bib("resolve", *common), env=env)  # only new or changed records are looked up
        warm = {role: n - cold[role] for role, n in servers.calls().items()}
    with_releases = _github_phase_with_releases(corpus, latency)
    paper_floor, busiest = politeness_floor(cold, INTERVALS)
    from sysml_bib.parse import parse_files
    from sysml_bib.resources import bundled_list

    ids = {link.arxiv_id for item in parse_files([bundled_list()]).items for link in item.links if link.arxiv_id}
    batches = -(-len(ids) // 100)
    minimal = cold["arxiv"] <= batches and cold["usenix"] <= 2
    repos = sum(1 for w in report["works"].values() if "github" in w.get("sources", []) or "repository" in w.get("extra", {}))
    software = report["summary"]["software"]["software"]
    api = report["summary"]["calls"]["github"]  # quota-costing calls (the free /rate_limit apart)
    raw = cold["github-raw"]
    github_floor = github_politeness_floor(api, raw)
    papers_t = cold_t - (github_t or 0.0)
    return {
        "arxiv_ids": len(ids), "arxiv_id_batches": batches,
        "latency_per_response_s": latency, "intervals_s": INTERVALS,
        "cold_calls": cold, "cold_wall_s": cold_t, "papers_wall_s": papers_t, "politeness_floor_s": paper_floor,
        "floor_busiest_host_per_phase": busiest,
        "calls_at_minimum": minimal,
        "cold_vs_floor": papers_t / paper_floor, "goal": 1.2, "met": papers_t / paper_floor <= 1.2 and minimal,
        "warm_calls": warm, "warm_wall_s": warm_t,
        "github": {
            "repositories": repos, "software_records": software, "api_calls": api, "raw_calls": raw,
            "api_per_repository": api / repos, "raw_per_repository": raw / repos, "goal_api_per_repository": 4,
            "met": api / repos <= 4, "api_calls_by_kind": github_kinds,
            "repeated_api_requests": len(github_paths) - len(set(github_paths)),  # 0: nothing asked twice
            "unauthenticated_repositories_per_hour": 60 / (api / repos),
            "wall_s": github_t, "floor_s": github_floor, "wall_vs_floor": (github_t or 0.0) / github_floor,
            "warm_quota_calls": warm.get("github", 0),
            "with_releases": {**with_releases, "api_per_repository": with_releases["api_calls"] / repos,
                              "met": with_releases["api_calls"] / repos <= 4,
                              "unauthenticated_repositories_per_hour": 60 / (with_releases["api_calls"] / repos)},
        },
    }


def github_politeness_floor(api: int, raw: int) -> float:
    """The GitHub phase's floor: the API's and the raw host's spacing run at once, so the slower (n calls: n - 1 intervals)."""
    return max(max(api - 1, 0) * INTERVALS["github"], max(raw - 1, 0) * INTERVALS["github-raw"])


def _github_phase_with_releases(corpus, latency: float) -> dict:
    """The GitHub phase again, cold, with the replay serving each snapshot's newest version tag
    as its latest release (its marked stand-in: no snapshot records GitHub's releases). What a
    list of projects that publish releases costs; the paper phases after it are not run."""
    from sysml_bib.replay import ReplayServers

    with ReplayServers(corpus, latency=latency, github_releases_from_tags=True) as servers, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in CHILD_ENV.items() if k != "SYSML_BIB_MIN_INTERVAL"}
        env.update(servers.env())
        env["GITHUB_TOKEN"] = "benchmark"
        cmd = sysml_bib("resolve", "--refresh", "--no-progress", "--out", f"{tmp}/refs.bib", "--cache-dir", f"{tmp}/cache")
        wall, _ = _timed_run(cmd, env, "GitHub: done", stop_at_marker=True)
        paths = [p for p in servers.hosts["github"].requests if not p.startswith("/rate_limit")]
        return {"api_calls": len(paths), "api_calls_by_kind": github_call_kinds(paths), "raw_calls": servers.calls()["github-raw"],
                "releases_served": servers.github.stand_in_releases,
                "wall_s": wall}


# ----------------------------------------------------------------------------- resolve-scale

# dblp's volume files of the recorded corpus (every paper of the venue-year) and how a list names the venue.
SCALE_VENUES = {"atc": "USENIX ATC", "eurosys": "EuroSys", "nsdi": "NSDI", "osdi": "OSDI", "sigcomm": "SIGCOMM", "sigmod": "SIGMOD",
                "sosp": "SOSP", "icml": "ICML", "kdd": "KDD", "mlsys": "SysML", "neurips": "NeurIPS"}
TOC_PAGE = 1000  # dblp answers at most 1,000 hits a request: a bigger venue-year takes more than one


def _scale_papers(recorded: Path, every: int) -> tuple[list[dict], dict[tuple[str, str], int]]:
    """Every ``every``-th paper of each recorded venue-year (real dblp records), and each venue-year's size."""
    papers, sizes = [], {}
    for path in sorted((recorded / "dblp").glob("*.jsonl")):
        found = re.match(r"^[a-z]+-([a-z]+)(\d{4})$", path.stem)
        if not found or found.group(1) not in SCALE_VENUES:
            continue  # PVLDB is filed by volume, not venue-year; public-records.jsonl is no volume
        venue, year = SCALE_VENUES[found.group(1)], found.group(2)
        if venue == "NeurIPS" and year < "2018":
            venue = "NIPS"  # as lists of the time wrote it
        rows = [json.loads(line)["info"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        sizes[(venue, year)] = len(rows)
        for info in rows[::every]:
            title = info.get("title", "").rstrip(".")
            if re.search(r"[\[\]|*_<>`$\\]", title):
                continue  # markup a list would have to escape: this benchmark is about resolving
            ee = info.get("ee")
            ee = ee if isinstance(ee, str) else (ee or [""])[0]
            authors = [re.sub(r"\s+\d{4}$", "", a["text"] if isinstance(a, dict) else a) for a in info.get("authors", [])]
            papers.append({"title": title, "authors": authors, "venue": venue, "year": year,
                           "url": ee or f"https://dblp.org/rec/{info['key']}"})
    return papers, sizes


def _arxiv_papers(recorded: Path) -> list[dict]:
    """The recorded arXiv entries, listed as preprints with their abstract page."""
    from xml.etree import ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    papers = []
    for path in sorted((recorded / "arxiv").glob("*.xml")):
        for entry in ET.fromstring(path.read_bytes()).iter(f"{atom}entry"):
            arxiv_id = entry.findtext(f"{atom}id", "").split("/abs/")[-1].split("v")[0]
            title = " ".join(entry.findtext(f"{atom}title", "").split())
            authors = [a.findtext(f"{atom}name", "") for a in entry.iter(f"{atom}author")]
            papers.append({"title": title, "authors": authors, "venue": "", "year": "", "url": f"https://arxiv.org/abs/{arxiv_id}"})
    return papers


def _leftovers(n: int, venue_years: list[tuple[str, str]], seed: int = 5) -> list[dict]:
    """Papers the corpus does not know: some in a venue-year it has, some at venues without a volume query."""
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        words = " ".join(rng.sample(WORDS, 6)).title()
        title = f"Quokka{i}: {words}" if i % 2 else f"{words} Revisited {i}"
        venue, year = venue_years[i % len(venue_years)] if i % 3 else ("Workshop on Unrecorded Systems", "2020")
        papers.append({"title": title, "authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST)} {rng.choice(LAST)}"],
                       "venue": venue, "year": year, "url": f"https://example.org/unrecorded/{i}.pdf"})
    return papers


def _in_styles(papers: list[dict], seed: int = 13) -> str:
    """The papers written in the entry styles of the ``styles`` group, a table every few hundred."""
    rng = random.Random(seed)
    lines = ["# A list of recorded papers", ""]
    for start in range(0, len(papers), 100):
        chunk = papers[start : start + 100]
        lines += ["", f"## Part {start // 100}", ""]
        if (start // 100) % 4 == 0:
            lines += ["| Year | Title | Authors | Venue | Paper |", "|:---:|---|---|---|---|"]
            for p in chunk:
                lines.append(f"| {p['year']} | {p['title']} | {', '.join(p['authors'][:3])} | {p['venue']} | [PDF]({p['url']}) |")
            continue
        for n, p in enumerate(chunk):
            who = ", ".join(p["authors"][:4]) + (", et al." if len(p["authors"]) > 4 else "")
            where = f"{p['venue']} {p['year']}".strip() or "arXiv"
            if not p["venue"]:  # a preprint: its arXiv link says enough
                lines.append(f"- {p['title']} [[Paper]]({p['url']})\n  - {who}")
                continue
            yy = p["year"][2:]
            lines.append(rng.choice([
                f"+ {p['year']} | {p['title']} | {who} | {p['venue']} | [`PDF`]({p['url']})",
                f'- <img src="https://img.shields.io/badge/{p["venue"].replace(" ", "")}-{p["year"]}-blue.svg"> [{p["title"]}]({p["url"]}) - {who}. {where}.',
                f"- [{p['venue'].split()[-1]}'{yy}] [{p['title']}]({p['url']})",
                f"- **{p['title']}**. {who}. {where}. [[pdf]]({p['url']})",
                f"- {p['title']} [[Paper]]({p['url']})\n  - {who} (*{where}*)",
                f"{n % 9 + 1}. [**{p['title']}.**]({p['url']}) _{who}._ {where}.",
            ]))
    return "\n".join(lines) + "\n"


def scale_list(every: int = 3, leftovers: int = 40) -> tuple[str, dict]:
    """A 2,000+-entry list of real recorded papers (and some the corpus lacks), and what a
    minimal resolve of it costs: one dblp ``toc:`` page per venue-year, one query per other paper
    (a paper a venue retitled is found by that one query too: ``dblp.title_query``)."""
    recorded = ROOT / "data" / "recorded"
    papers, sizes = _scale_papers(recorded, every)
    venue_years = sorted({(p["venue"], p["year"]) for p in papers})
    unknown = _leftovers(leftovers, venue_years)
    arxiv = _arxiv_papers(recorded)
    everything = papers + unknown + arxiv
    random.Random(17).shuffle(everything)
    pages = sum(-(-sizes[vy] // TOC_PAGE) for vy in venue_years)
    ids = {p["url"].rsplit("/", 1)[-1] for p in arxiv}

    def plain(title: str) -> str:
        return "".join(c for c in title.lower() if c.isalnum())

    # A preprint whose paper is also listed from its venue is one work, found by that venue-year's query.
    published = {plain(p["title"]) for p in papers}
    preprints_alone = [p for p in arxiv if plain(p["title"]) not in published]
    leftovers = unknown + preprints_alone
    return _in_styles(everything), {
        "entries": len(everything), "recorded_papers": len(papers), "venue_years": len(venue_years), "toc_pages": pages,
        "unknown_papers": len(unknown), "arxiv_preprints": len(arxiv), "preprints_also_listed_published": len(arxiv) - len(preprints_alone),
        "leftovers": len(leftovers), "arxiv_ids": len(ids), "arxiv_batches": -(-len(ids) // 100),
        "dblp_minimum": pages + len(leftovers),
    }


def bench_resolve_scale(interval: float = 0.1, latency: float = 0.05) -> dict:
    """A cold ``resolve`` of the 2,000+-entry list of recorded papers against the replay server.

    Every host is spaced ``interval`` seconds (``SYSML_BIB_MIN_INTERVAL``; the real 1 s and
    arXiv's 3 s would make the venue-record hosts' one call per paper take a quarter of an
    hour), and the floor is computed with that same interval.
    """
    sys.path.insert(0, str(ROOT / "src"))
    from sysml_bib.replay import Corpus, ReplayServers

    text, expected = scale_list()
    corpus = Corpus.load(ROOT / "data" / "recorded")
    with ReplayServers(corpus, latency=latency) as servers, tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp) / "recorded-papers.md"
        listed.write_text(text, encoding="utf-8")
        env = {**CHILD_ENV, **servers.env(), "SYSML_BIB_MIN_INTERVAL": str(interval)}
        cmd = sysml_bib("resolve", "--list", str(listed), "--refresh", "--no-progress", "--out", f"{tmp}/refs.bib", "--cache-dir", f"{tmp}/cache")
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - start
        calls = servers.calls()
        dblp_queries = [q for q in servers.hosts["dblp"].requests]
        summary = json.loads(Path(f"{tmp}/refs-report.json").read_text())["summary"]
    toc = sum(1 for q in dblp_queries if "q=toc%3A" in q or "q=toc:" in q)
    floor, busiest = politeness_floor(calls, {role: interval for role in calls})
    calls_met = calls["dblp"] <= expected["dblp_minimum"] and calls["arxiv"] <= expected["arxiv_batches"]
    ratio = wall / floor if floor else float("inf")
    return {"list": expected, "interval_s": interval, "latency_per_response_s": latency, "calls": calls,
            "dblp_toc_queries": toc, "dblp_title_queries": calls["dblp"] - toc,
            "papers": summary["papers"], "resolved": summary["resolved"], "by_source": summary["by_source"],
            "wall_s": wall, "politeness_floor_s": floor, "floor_busiest_host_per_phase": busiest, "wall_vs_floor": ratio, "goal": 1.2,
            "calls_at_minimum": calls_met, "met": calls_met and ratio <= 1.2}


# ----------------------------------------------------------------------------- report

def _busiest(r: dict) -> str:
    return ", then ".join(f"{host} (phase {phase})" for phase, host in sorted((int(k), v) for k, v in r.get("floor_busiest_host_per_phase", {}).items()))


def markdown(results: dict) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {results['date']} on {results['machine']} by `python benchmarks/run.py`.",
        "Every figure is a ratio against a baseline measured in the same run.",
        "",
    ]
    if "export" in results:
        e = results["export"]
        lines += ["## export", "", "| | median wall time |", "| --- | --- |",
                  f"| `sysml-bib export --section Training` | {e['export_median_s'] * 1000:.0f} ms |",
                  f"| baseline: `bibtexparser.parse_file('references.bib')` | {e['baseline_median_s'] * 1000:.0f} ms |",
                  "", f"**Ratio {e['ratio']:.2f}x** (goal <= {e['goal']}x, {'met' if e['met'] else 'NOT met'}; median of {e['runs']} alternating runs).", "",
                  f"Modules of sysml-bib that export imports: {len(e['imports']['sysml_bib_modules'])}, "
                  + ("none beyond what it uses (met)." if e["imports"]["met"] else f"unexpected: {', '.join(e['imports']['unexpected'])} (NOT met)."), ""]
    if "lint" in results:
        li = results["lint"]
        lines += ["## lint", "", f"`sysml-bib lint` of the bundled list: **{li['lint_median_s'] * 1000:.0f} ms** median of {li['runs']} runs "
                  f"(goal < {li['goal_s']:.0f} s, {'met' if li['met'] else 'NOT met'}); {li['vs_python_startup']:.1f}x a bare "
                  f"`python -c pass` ({li['python_startup_median_s'] * 1000:.0f} ms).", ""]
    if "scale" in results:
        s = results["scale"]
        lines += ["## scale", "", "| items | entries | build | build µs/item | build peak KiB/item | export | bibtexparser parse+write | export / bibtexparser |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for n, r in s["sizes"].items():
            lines.append(f"| {int(n):,} | {r['entries']:,} | {r['build_s']:.2f} s | {r['build_us_per_item']:.0f} | {r['build_peak_kib_per_item']:.2f} | "
                         f"{r['export_s']:.2f} s | {r['bibtexparser_parse_write_s']:.2f} s | {r['export_vs_bibtexparser']:.2f}x |")
        lines += ["", f"Per item from smallest to largest: build time **{s['build_time_per_item_ratio']:.2f}x**, peak memory "
                  f"**{s['build_memory_per_item_ratio']:.2f}x** (the interpreter's fixed ~40 MB spread thinner), memory growth per "
                  f"added item from 10k to 100k **{s['build_marginal_memory_ratio']:.2f}x** (flat = 1.0); export against "
                  f"bibtexparser's own parse+write at the largest size **{s['export_vs_bibtexparser_at_largest']:.2f}x** (goal <= 1.5x).", ""]
    if "styles" in results:
        s = results["styles"]
        lines += ["## styles", "", "| list | entries | `build` wall time | per entry |", "| --- | ---: | ---: | ---: |",
                  f"| mixed styles (tables, pipe fields, badges, venue tags, bold titles, numbered) | {s['entries']['mixed']:,} | "
                  f"{s['build_s']:.2f} s | {s['build_s'] / s['entries']['mixed'] * 1000:.2f} ms |",
                  f"| baseline: the bundled list | {s['entries']['bundled']} | {s['bundled_build_s']:.2f} s | "
                  f"{s['bundled_build_s'] / s['entries']['bundled'] * 1000:.2f} ms |",
                  "", f"Per entry **{s['per_entry_ratio']:.2f}x** the bundled list's (goal: {s['goal']}; "
                  f"{'met' if s['met'] else 'NOT met'}; whole-process, median of alternating runs).", ""]
    if "resolve" in results:
        r = results["resolve"]
        lines += ["## resolve", "", f"Bundled list, replay server with the real intervals {r['intervals_s']} and "
                  f"{r['latency_per_response_s'] * 1000:.0f} ms added per response.", "",
                  "| | arXiv | dblp | USENIX | GitHub API | GitHub raw | wall |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
                  f"| cold | {r['cold_calls']['arxiv']} | {r['cold_calls']['dblp']} | {r['cold_calls']['usenix']} | {r['cold_calls']['github']} | {r['cold_calls']['github-raw']} | {r['cold_wall_s']:.1f} s |",
                  f"| warm re-run | {r['warm_calls']['arxiv']} | {r['warm_calls']['dblp']} | {r['warm_calls']['usenix']} | {r['warm_calls']['github']} | {r['warm_calls']['github-raw']} | {r['warm_wall_s']:.1f} s |",
                  "", f"arXiv: {r['cold_calls']['arxiv']} call(s) for the list's {r['arxiv_ids']} distinct ids, at most "
                  f"ceil(ids/100) = {r['arxiv_id_batches']} ({'met' if r['calls_at_minimum'] else 'NOT met'}; title search is "
                  "off by default); USENIX: the one export download; dblp: one query per shared venue-year plus one per "
                  "remaining paper.",
                  "", f"Politeness floor of the phases after GitHub's (phase by phase, the busiest host's spaced calls, summed; "
                  f"busiest: {_busiest(r)}): {r['politeness_floor_s']:.1f} s; "
                  f"their phase of the cold run ({r['papers_wall_s']:.1f} s) is **{r['cold_vs_floor']:.2f}x** the floor "
                  f"(goal <= {r['goal']}x, {'met' if r['met'] else 'NOT met'}).", ""]
        g, w = r["github"], r["github"]["with_releases"]
        w_floor = github_politeness_floor(w["api_calls"], w["raw_calls"])
        lines += ["### GitHub", "", "| repositories | releases | API calls | per repository | raw calls | per repository | wall | floor | wall / floor | warm re-run API calls |",
                  "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                  f"| {g['repositories']} | none (as recorded) | {g['api_calls']} | **{g['api_per_repository']:.2f}** | {g['raw_calls']} | "
                  f"{g['raw_per_repository']:.2f} | {g['wall_s']:.1f} s | {g['floor_s']:.1f} s | {g['wall_vs_floor']:.2f}x | {g['warm_quota_calls']} |",
                  f"| {g['repositories']} | {w['releases_served']} (stand-in) | {w['api_calls']} | **{w['api_per_repository']:.2f}** | {w['raw_calls']} | "
                  f"{w['raw_calls'] / g['repositories']:.2f} | {w['wall_s']:.1f} s | {w_floor:.1f} s | {w['wall_s'] / w_floor:.2f}x | |",
                  "", "API calls by kind, as recorded: " + "; ".join(f"{kind} {n}" for kind, n in g["api_calls_by_kind"].items())
                  + f". Requests asked twice: {g['repeated_api_requests']}. With releases: "
                  + "; ".join(f"{kind} {n}" for kind, n in w["api_calls_by_kind"].items()) + ".",
                  "", "The recorded snapshots hold no GitHub releases (git has tags, not releases), so as recorded every software "
                  "repository pays the latest release's 404, then its tags, and a tag's commit for its date. The second row is the "
                  "same cold GitHub phase with the replay serving each snapshot's newest final version tag as its latest release "
                  "(a stand-in `data/recorded/SOURCE.md` allows, marked in every such answer, never used for `references.bib`): "
                  "what a list of projects that publish releases costs.",
                  "", f"Goal <= {g['goal_api_per_repository']} API calls per repository: with releases {w['api_per_repository']:.2f} "
                  f"({'met' if w['met'] else 'NOT met'}; without a token 60 an hour resolve about "
                  f"{w['unauthenticated_repositories_per_hour']:.0f} repositories); as recorded, with none, {g['api_per_repository']:.2f} "
                  f"({'met' if g['met'] else 'NOT met'}; about {g['unauthenticated_repositories_per_hour']:.0f} an hour). With a token "
                  f"the whole list in one run. The floor is the larger of the API calls' spacing (0.1 s) and the raw files' (1 s). "
                  f"{g['repositories']} repositories: {g['software_records']} software records and the code links of papers.", ""]
    if "resolve-scale" in results:
        r = results["resolve-scale"]
        li, c = r["list"], r["calls"]
        lines += ["## resolve-scale", "",
                  f"A cold `resolve` of {li['entries']:,} entries (tables, pipe fields, badges, venue tags, bold titles, numbered): "
                  f"{li['recorded_papers']:,} real dblp records of {li['venue_years']} recorded venue-years, {li['arxiv_preprints']} recorded "
                  f"arXiv entries ({li['preprints_also_listed_published']} also listed from their venue), {li['unknown_papers']} papers the "
                  f"corpus does not know; every host spaced {r['interval_s']} s, {r['latency_per_response_s'] * 1000:.0f} ms per response.", "",
                  "| | dblp | arXiv | USENIX | Crossref | PMLR | NeurIPS | wall |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                  f"| cold | {c['dblp']} ({r['dblp_toc_queries']} `toc:`, {r['dblp_title_queries']} one per other paper) | {c['arxiv']} | {c['usenix']} | "
                  f"{c['crossref']} | {c['pmlr']} | {c['neurips']} | {r['wall_s']:.1f} s |",
                  f"| minimum | {li['dblp_minimum']} | {li['arxiv_batches']} | 1 | | | | {r['politeness_floor_s']:.1f} s (floor) |", "",
                  f"dblp: {li['toc_pages']} `toc:` pages for the {li['venue_years']} venue-years (a page holds 1,000 hits) + one query per "
                  f"leftover paper ({li['leftovers']}, each asked once, a retitled one too) = {li['dblp_minimum']}; arXiv: ceil({li['arxiv_ids']} ids / 100) = "
                  f"{li['arxiv_batches']}. Calls at that count: {'met' if r['calls_at_minimum'] else 'NOT met'} (dblp {c['dblp']}, arXiv "
                  f"{c['arxiv']}). {r['resolved']:,} of {r['papers']:,} papers resolved.", "",
                  f"Wall time **{r['wall_vs_floor']:.2f}x** the politeness floor (phase by phase, the busiest host's calls at the same "
                  f"interval, summed; busiest: {_busiest(r)}; goal <= {r['goal']}x, {'met' if r['wall_vs_floor'] <= r['goal'] else 'NOT met'}). The group is met only "
                  f"when the calls and the wall time both are: {'met' if r['met'] else 'NOT met'}.", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    groups = argv or ["export", "lint", "scale", "styles", "resolve", "resolve-scale"]
    results = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
               "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"}
    for group in groups:
        print(f"running {group} ...", file=sys.stderr)
        results[group] = {"export": bench_export, "lint": bench_lint, "scale": bench_scale, "styles": bench_styles,
                          "resolve": bench_resolve, "resolve-scale": bench_resolve_scale}[group]()
        print(json.dumps(results[group], indent=1, default=str))
    if set(groups) == {"export", "lint", "scale", "styles", "resolve", "resolve-scale"}:
        (ROOT / "BENCHMARKS.md").write_text(markdown(results), encoding="utf-8")
        print("wrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
