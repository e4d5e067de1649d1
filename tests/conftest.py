import io
import ipaddress
import json
import os
import shutil
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RECORDED = REPO / "data" / "recorded"  # the recorded corpus the replay serves
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


def run_resolve(servers, tmp_path: Path, *extra: str, list_text: str | None = None) -> tuple[Run, dict | None]:
    """``sysml-bib resolve`` against the replay ``servers``, writing ``tmp_path/refs.bib`` with its
    cache in ``tmp_path/cache`` (the bundled list unless ``list_text`` is given): the run, and
    the report it wrote (None when it wrote none)."""
    args = ["resolve", "--out", str(tmp_path / "refs.bib"), "--no-progress", "--cache-dir", str(tmp_path / "cache")]
    if list_text is not None:
        (tmp_path / "list.md").write_text(list_text, encoding="utf-8")
        args += ["--list", str(tmp_path / "list.md")]
    run = run_cli(*args, *servers.args(), *extra)
    report_file = tmp_path / "refs-report.json"
    return run, (json.loads(report_file.read_text()) if report_file.exists() else None)


@pytest.fixture(scope="module")
def corpus():
    """The recorded corpus (data/recorded) the replay serves; a test module may override it."""
    from sysml_bib.replay import Corpus

    return Corpus.load(RECORDED)


@pytest.fixture
def cli():
    return run_cli


_OFF_LOOPBACK: list[str] = []  # hosts a test tried to reach beyond 127.0.0.1


def _loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a name: looking it up is already the network


def _loopback_only(real, host_of):
    def guarded(*args, **kwargs):
        host = host_of(*args)
        if not _loopback(host):
            _OFF_LOOPBACK.append(str(host))
            raise ConnectionRefusedError(f"tests never leave loopback: {host} refused (tests/conftest.py)")
        return real(*args, **kwargs)

    return guarded


def _peer(sock, address, *rest):
    return address[0] if isinstance(address, tuple) else None  # None: a Unix socket


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """In-process name lookups and connections beyond loopback are refused at once and fail
    the test: a source left at its real URL fails fast and loudly, not after timeouts."""
    guards = {(socket, "getaddrinfo"): lambda host, *rest, **kw: host, (socket.socket, "connect"): _peer, (socket.socket, "connect_ex"): _peer}
    originals = {target: getattr(*target) for target in guards}
    for (owner, name), host_of in guards.items():
        setattr(owner, name, _loopback_only(originals[(owner, name)], host_of))
    yield
    for (owner, name), original in originals.items():
        setattr(owner, name, original)


@pytest.fixture(autouse=True)
def _nothing_left_loopback():
    _OFF_LOOPBACK.clear()
    yield
    assert not _OFF_LOOPBACK, f"the test tried to reach {sorted(set(_OFF_LOOPBACK))}: point every source at a replay server"


def require_tool(name: str) -> str:
    """Path of a real client; a missing one fails under CI and skips elsewhere."""
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, but CI is set: .ci/run must install it")
    pytest.skip(f"{name} not installed")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (``-n``, with ``--dist loadgroup``), the tests sharing the bundled
    resolve run in one worker, so it is made once, not once per worker."""
    for item in items:
        if "bundled_resolve" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("bundled_resolve"))


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
    requests: dict[str, list[str]]  # ... and their paths, in order
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
    with ReplayServers(Corpus.load(RECORDED)) as servers:
        with pytest.MonkeyPatch.context() as env:  # only for this run: every test sets its own
            env.setenv("SYSML_BIB_MIN_INTERVAL", "0")
            env.setenv("SYSML_BIB_TIMEOUT", "5")
            env.setenv("GITHUB_TOKEN", BUNDLED_RESOLVE_TOKEN)
            run = run_cli("resolve", "--out", str(folder / "refs.bib"), "--no-progress", "--cache-dir", str(folder / "cache"),
                          *servers.args())
        report_file = folder / "refs-report.json"
        report = json.loads(report_file.read_text()) if report_file.exists() else {}
        requests = {role: list(host.requests) for role, host in servers.hosts.items()}
        yield BundledResolve(folder, run, report, servers.calls(), requests, servers, set(servers.github.tokens_seen),
                             servers.github.refused)
