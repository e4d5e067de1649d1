import io
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REFERENCES = REPO / "references.bib"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None) -> Run:
    """Run the real CLI entry point in-process, capturing stdout/stderr (``stdin``: text or raw bytes)."""
    from sysml_bib.cli import main

    old = sys.stdin, sys.stdout, sys.stderr, os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = out, err
    if stdin is not None:
        data = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8")
        sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        if cwd:
            os.chdir(cwd)
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse usage errors
            code = exit_.code
    finally:
        sys.stdin, sys.stdout, sys.stderr = old[:3]
        os.chdir(old[3])
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def require_tool(name: str) -> str:
    """Path of a real client; a missing one fails under CI and skips elsewhere."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, but CI is set: .ci/run must install it")
    pytest.skip(f"{name} not installed")


# A token that looks real, so a leak of it is noticed (tests/test_github.py looks for it).
BUNDLED_RESOLVE_TOKEN = "ghp_replaySecret1234567890"


@dataclass
class BundledResolve:
    """One cold ``resolve`` of the bundled list (with a GitHub token) against replay servers.

    A full resolve is the suite's costliest step: the tests that only read its outputs, or
    run again on top of it, share this one. Their later runs go to ``servers`` (still up)
    with a copy of ``folder`` (``copy_to``), and count their calls as the difference of
    ``servers.calls()`` before and after, since the servers' counts include this run.
    """

    folder: Path  # refs.bib, refs-report.json, cache/
    run: Run
    report: dict
    calls: dict[str, int]  # each host's requests during the cold run
    servers: object  # sysml_bib.replay.ReplayServers
    tokens_seen: set[str] = field(default_factory=set)  # Authorization tokens GitHub's replay received
    github_refused: int = 0  # requests the GitHub replay refused (over quota)

    def copy_to(self, folder: Path) -> None:
        """The run's outputs and cache in ``folder``: as if the cold run had been made there."""
        shutil.copytree(self.folder, folder, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def bundled_resolve(tmp_path_factory):
    from sysml_bib.replay import Corpus, ReplayServers

    folder = tmp_path_factory.mktemp("bundled-resolve")
    with ReplayServers(Corpus.load(REPO / "data" / "recorded")) as servers:
        with pytest.MonkeyPatch.context() as env:  # only for this run: every test sets its own
            env.setenv("SYSML_BIB_MIN_INTERVAL", "0")
            env.setenv("SYSML_BIB_TIMEOUT", "5")
            env.setenv("GITHUB_TOKEN", BUNDLED_RESOLVE_TOKEN)
            run = run_cli("resolve", "--out", str(folder / "refs.bib"), "--no-progress", "--cache-dir", str(folder / "cache"),
                          *servers.args())
        report_file = folder / "refs-report.json"
        report = json.loads(report_file.read_text()) if report_file.exists() else {}
        yield BundledResolve(folder, run, report, servers.calls(), servers, set(servers.github.tokens_seen), servers.github.refused)
