"""resolve never hides a failed lookup: the summary's last line counts them, ``--strict``
exits 1 and names them, ``--offline`` misses are "not in the cache", and the next run
looks the failed papers up again."""

import json

import pytest

from sysml_bib.replay import Fault, ReplayServers

from conftest import run_cli, run_resolve

LIST = (
    "## Serving\n"
    "- Clipper [[Paper]](https://www.usenix.org/conference/nsdi17/technical-sessions/presentation/crankshaw)\n"
    "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    "- GPipe [[Paper]](https://arxiv.org/abs/1811.06965)\n  - Huang, Yanping, et al. (*NeurIPS 2019*)\n"
)


@pytest.fixture(autouse=True)
def fast_politeness(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")


def resolve(servers, tmp_path, *extra):
    return run_resolve(servers, tmp_path, *extra, list_text=LIST)


REFUSE_ALL = {role: [Fault("refuse")] for role in ("arxiv", "dblp", "usenix")}


def test_strict_exits_1_and_names_every_failed_lookup_when_every_connection_is_refused(corpus, tmp_path):
    with ReplayServers(corpus, REFUSE_ALL) as servers:
        run, report = resolve(servers, tmp_path, "--strict")
    assert run.code == 1
    failed = [line for line in run.err.splitlines() if line.startswith("  failed: ")]
    assert {line.split(":")[1].strip() for line in failed} == {"arxiv", "dblp", "usenix"}
    assert all("ConnectionError" in line for line in failed)
    assert run.err.strip().splitlines()[-1].startswith(f"--strict: {len(failed)} lookups failed")
    # the bibliography is still written, from the list's data, and the report says what failed
    assert report["summary"]["failed_lookups"] == len(failed) == len(report["failed_requests"])
    assert {w["status"] for w in report["works"].values()} == {"list-only"}
    assert all(w["failed"] for w in report["works"].values())
    assert (tmp_path / "refs.bib").read_text().count("@inproceedings{") == 2


def test_without_strict_the_last_line_counts_the_failures_and_exit_is_0(corpus, tmp_path):
    with ReplayServers(corpus, REFUSE_ALL) as servers:
        run, report = resolve(servers, tmp_path)
    assert run.code == 0
    last = run.err.strip().splitlines()[-1]
    n = report["summary"]["failed_lookups"]
    assert n >= 3 and f"; {n} lookups failed (" in last and "ConnectionError" in last
    assert "  failed: " not in run.err  # the list is for --strict; the count is always there


def test_a_failed_lookup_is_retried_by_the_next_run_without_refresh(corpus, tmp_path):
    with ReplayServers(corpus, {"dblp": [Fault("status:503")]}) as servers:
        run, report = resolve(servers, tmp_path)
    assert run.code == 0 and report["works"]["crankshaw2017clipper"]["failed"] == ["dblp"]
    build = run_cli("build", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"))
    assert build.code == 0 and "warning: the last resolve could not look up 2 papers" in build.err
    with ReplayServers(corpus) as servers:  # dblp is back
        run, report = resolve(servers, tmp_path, "--strict")
    assert run.code == 0, run.err
    assert run.err.strip().splitlines()[-1].endswith("; no lookup failed")
    assert report["summary"]["looked_up"] == 2 and "failed" not in report["works"]["crankshaw2017clipper"]
    assert "HTTP 503" not in json.dumps(report["works"]) and report["summary"]["resolved"] == 2


def test_offline_with_an_empty_cache_is_not_in_the_cache_not_a_crash(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, "--offline")
        assert set(servers.calls().values()) == {0}  # offline: no request at all, to any host
        strict, _ = resolve(servers, tmp_path, "--offline", "--strict")
    assert run.code == 0 and "Traceback" not in run.err
    clipper = report["works"]["crankshaw2017clipper"]
    assert clipper["status"] == "list-only"
    assert clipper["unresolved"]["dblp"] == "not in the cache (--offline)"
    assert clipper["unresolved"]["usenix"] == "export download failed: not in the cache (--offline)"
    assert "not in the cache (--offline)" in run.err.strip().splitlines()[-1]
    assert strict.code == 1 and "not in the cache" in strict.err


def test_offline_answers_from_a_warm_cache(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        warm, _ = resolve(servers, tmp_path)
        run, report = resolve(servers, tmp_path, "--offline", "--refresh", "--strict")
    assert warm.code == 0 and run.code == 0, run.err
    assert report["summary"]["failed_lookups"] == 0 and report["summary"]["resolved"] == 2
