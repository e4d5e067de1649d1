"""The real ``resolve`` command against replay servers on 127.0.0.1 serving recorded data.

Each test starts its own servers (one port per host) and a cold cache, and drives the
CLI with the base-URL flags, exactly as production would run but for the addresses.
The tests of a plain cold resolve of the whole bundled list share one (``bundled_resolve``
in conftest.py) and run again on copies of its cache.
"""

import math
import time

import pytest

from sysml_bib import bibtex
from sysml_bib.parse import parse_files
from sysml_bib.replay import Corpus, Fault, ReplayServers
from sysml_bib.resources import bundled_list

from conftest import run_cli, run_resolve

resolve = run_resolve  # the bundled list unless list_text= is given

@pytest.fixture(autouse=True)
def fast_politeness(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")
    # GitHub in one run (the quota without a token, and its waiting, is tested in test_github.py).
    monkeypatch.setenv("GITHUB_TOKEN", "replay-token")


def records(tmp_path):
    return {r.key: r for r in bibtex.read_bibliography(str(tmp_path / "refs.bib")).records}


def arxiv_ids_of_bundled_list():
    return {l.arxiv_id for item in parse_files([bundled_list()]).items for l in item.links if l.arxiv_id}


def test_cold_resolve_of_the_bundled_list_is_minimal_and_a_second_run_makes_no_call(bundled_resolve, tmp_path):
    run, report, cold = bundled_resolve.run, bundled_resolve.report, bundled_resolve.calls
    assert run.code == 0, run.err
    ids = arxiv_ids_of_bundled_list()
    assert cold["arxiv"] == math.ceil(len(ids) / 100)  # id_list batches only: no title search by default
    assert cold["usenix"] == 1  # the export (its cut holds OSDI 22 for the Walle paper MNN asks for: no page read)
    free = report["summary"].get("quota_checks", {})  # GitHub's /rate_limit: asked, but free
    assert {h: n + free.get(h, 0) for h, n in report["summary"]["calls"].items()} == cold
    assert report["summary"]["arxiv_title_search"] is False
    assert "arXiv title search on" not in run.err
    first = (bundled_resolve.folder / "refs.bib").read_text()
    bundled_resolve.copy_to(tmp_path)
    servers = bundled_resolve.servers
    before = servers.calls()
    run, report = resolve(servers, tmp_path)  # same cache, same output
    assert run.code == 0
    assert servers.calls() == before, "the second run must be answered from the cache and the report"
    assert report["summary"]["looked_up"] == 0
    assert (tmp_path / "refs.bib").read_text() == first


def test_arxiv_title_search_is_one_batched_call_and_finds_papers_dblp_does_not_know(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, "--arxiv-title-search")
        calls = servers.calls()
    assert run.code == 0, run.err
    # Every paper the list gives no arXiv id for is searched: the unknown ones, and the
    # published ones for the eprint of their arXiv version.
    searched = [w for w in report["works"].values()
                if w["kind"] == "paper" and not any(c["matched_by"] == "arxiv-id" for c in w["accepted"])]
    assert calls["arxiv"] == math.ceil(len(arxiv_ids_of_bundled_list()) / 100) + math.ceil(len(searched) / 40)
    assert report["summary"]["arxiv_title_search"] is True and "arXiv title search on" in run.err
    found = {k: c["id"] for k, w in report["works"].items() for c in w["accepted"] if c["source"] == "arxiv" and c["matched_by"] == "title"}
    assert {"bailis2017infrastructure": "1705.07538", "jain2018dynamic": "1901.00041"}.items() <= found.items()
    # published papers keep their arXiv version's id (the list linked the venue, not arXiv)
    assert {"crankshaw2017clipper": "1612.03079", "lee2018pretzel": "1810.06115", "chen2018tvm": "1802.04799",
            "tian2017elf": "1707.01067", "schaarschmidt2019rlgraph": "1810.09028", "poms2018scanner": "1805.07339",
            "fang2018nestdnn": "1810.10090", "amos2018differentiable": "1810.13400", "wang2018rafiki": "1804.06087",
            "jia2018exploring": "1802.04924"}.items() <= found.items()
    jain = records(tmp_path)["jain2018dynamic"]
    assert len(jain.authors) == 8 and jain.fields["eprint"] == "1901.00041"


def test_without_title_search_a_paper_only_arxiv_knows_falls_back_to_the_list_and_says_why(bundled_resolve, tmp_path):
    run, report = bundled_resolve.run, bundled_resolve.report
    dawn = report["works"]["bailis2017infrastructure"]
    assert dawn["status"] == "list-only"
    assert "--arxiv-title-search" in dawn["unresolved"]["arxiv"]
    assert "bailis2017infrastructure" in run.err  # named in the summary of list-only papers
    waited = {k for k, w in report["works"].items() if "--arxiv-title-search" in w["unresolved"].get("arxiv", "")}
    bundled_resolve.copy_to(tmp_path)
    servers = bundled_resolve.servers
    before = servers.calls()
    # Turning the search on later looks those papers up again (no --refresh needed); the
    # other hosts answer from the cache, so the only new call is the title search.
    run, report = resolve(servers, tmp_path, "--arxiv-title-search")
    after = servers.calls()
    assert run.code == 0, run.err
    assert report["works"]["bailis2017infrastructure"]["status"] == "resolved"
    assert {k for k, w in report["works"].items() if w["looked_up"]} == waited  # only those, and only by arXiv
    assert after == {**before, "arxiv": before["arxiv"] + 1}


def test_report_says_which_source_gave_which_field(bundled_resolve):
    report = bundled_resolve.report
    assert bundled_resolve.run.code == 0, bundled_resolve.run.err
    clipper = report["works"]["crankshaw2017clipper"]
    assert clipper["sources"] == ["dblp", "usenix"]
    assert clipper["fields"]["title"] == "usenix" and clipper["fields"]["author"] == "usenix"
    assert clipper["fields"]["pages"] == "usenix" and clipper["fields"]["dblp"] == "dblp"
    assert clipper["fields"]["annote"] == "list"
    gpipe = report["works"]["huang2019gpipe"]
    assert gpipe["fields"]["eprint"] == "arxiv" and gpipe["fields"]["booktitle"] == "dblp+venue-table" and gpipe["fields"]["year"] == "dblp"
    assert any("was published" in note for note in gpipe["notes"])
    survey = report["works"]["elshawi2019automated"]
    assert any("differs from the official title" in note for note in survey["notes"])
    borg = report["works"]["verma2015large"]
    assert any("'ECCS'" in note for note in borg["notes"])
    for work in report["works"].values():
        assert work["status"] in ("resolved", "list-only")
        assert work["status"] == "resolved" or work["unresolved"], work


def test_every_third_response_failing_still_gives_every_item_a_record(corpus, tmp_path):
    faults = {
        "arxiv": [Fault("truncate", every=3)],
        "dblp": [Fault("invalid-json", every=3)],
        "usenix": [Fault("html200", every=3)],
    }
    with ReplayServers(corpus, faults) as servers:
        run, report = resolve(servers, tmp_path)
    assert run.code == 0, run.err
    got = records(tmp_path)
    parsed = parse_files([bundled_list()])
    listed = [key for key in got if "origin" not in report["works"].get(key, {})]  # not a paper a repository asked for
    assert len(listed) == 201  # every one of the 203 items, two listed twice
    assert all(key in got for key in report["works"])
    fell_back = {k: w for k, w in report["works"].items() if any("invalid JSON" in v or "malformed XML" in v for v in w["unresolved"].values())}
    assert len(fell_back) >= 10, "every third dblp answer was broken"
    list_only = [k for k, w in report["works"].items() if w["status"] == "list-only" and "origin" not in w]
    for key in list_only:
        assert report["works"][key]["fields"].get("title") == "list"
        assert got[key].title  # the list's data is the record
    assert len(parsed.items) == 203


LIST = """## Papers
- Clipper: A Low-Latency Online Prediction Serving System [[Paper]](https://www.usenix.org/system/files/conference/nsdi17/nsdi17-crankshaw.pdf)
  - Crankshaw, Daniel, et al. (*NSDI 2017*)
- Mesh-TensorFlow: Deep Learning for Supercomputers [[Paper]](https://arxiv.org/pdf/1811.02084.pdf)
  - Shazeer, Noam, et al. (*NIPS 2018*)
- GPipe [[Paper]](https://arxiv.org/pdf/1811.06965.pdf)
  - Huang, Yanping, et al.
- Ghost paper [[Paper]](https://arxiv.org/abs/1901.99999)
  - Nobody, Anne (*preprint 2019*)
"""


def test_timeout_then_fallback_to_list_data(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "0.3")
    with ReplayServers(corpus, {"arxiv": [Fault("timeout", seconds=1.0)]}) as servers:
        run, report = resolve(servers, tmp_path, list_text=LIST)
    assert run.code == 0
    mesh = report["works"]["shazeer2018mesh"]
    assert mesh["unresolved"]["arxiv"].startswith("ReadTimeout after")
    assert mesh["sources"] == ["dblp"]  # dblp still answered
    assert servers.calls()["arxiv"] == 4  # the first try and three retries


def test_http_500_then_success_is_retried(corpus, tmp_path):
    with ReplayServers(corpus, {"dblp": [Fault("status:500", first=1)], "usenix": [Fault("status:503", first=2)]}) as servers:
        run, report = resolve(servers, tmp_path, list_text=LIST)
    assert run.code == 0
    assert report["works"]["crankshaw2017clipper"]["sources"] == ["dblp", "usenix"]
    assert servers.calls()["usenix"] == 3


def test_429_with_retry_after_is_honoured(corpus, tmp_path):
    with ReplayServers(corpus, {"usenix": [Fault("status:429", first=1, retry_after="1")]}) as servers:
        started = time.monotonic()
        run, report = resolve(servers, tmp_path, list_text=LIST)
        elapsed = time.monotonic() - started
    assert run.code == 0 and report["works"]["crankshaw2017clipper"]["sources"] == ["dblp", "usenix"]
    assert elapsed >= 1.0
    assert servers.calls()["usenix"] == 2


def test_retry_after_beyond_the_limit_gives_up_cleanly(corpus, tmp_path):
    with ReplayServers(corpus, {"usenix": [Fault("status:429", retry_after="3600")]}) as servers:
        run, report = resolve(servers, tmp_path, list_text=LIST)
    assert run.code == 0
    assert report["works"]["crankshaw2017clipper"]["unresolved"]["usenix"] == "export download failed: HTTP 429"


def test_unknown_arxiv_id_and_a_batch_the_server_rejects(corpus, tmp_path):
    # The server refuses any batch holding 1811.06965 (as arXiv does for a malformed id):
    # the batch is split until that id stands alone, the others still resolve.
    with ReplayServers(corpus, {"arxiv": [Fault("status:400", path="1811.06965")]}) as servers:
        run, report = resolve(servers, tmp_path, list_text=LIST)
    works = report["works"]
    assert works["nobody2019ghost"]["unresolved"]["arxiv"] == "not found on arXiv"
    assert works["shazeer2018mesh"]["sources"] == ["arxiv", "dblp"]
    gpipe = next(w for k, w in works.items() if k.startswith("huang"))
    assert gpipe["unresolved"]["arxiv"] == "rejected by arXiv (HTTP 400)"
    requests = servers.hosts["arxiv"].requests
    # the batch of three, its halves (1 id, 2 ids), the refused half's halves (1, 1)
    assert len(requests) == 5
    assert "id_list=1811.02084%2C1811.06965%2C1901.99999&" in requests[0] and "max_results=3" in requests[0]
    assert sum("id_list=1811.06965&" in r for r in requests) == 1


def test_malformed_arxiv_id_is_never_sent(corpus, tmp_path):
    text = "- Bad id [[Paper]](https://arxiv.org/abs/1811.0696)\n  - Doe, Jane (*preprint 2018*)\n"
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
    assert run.code == 0
    assert servers.calls()["arxiv"] <= 1 and all("1811.0696" not in r for r in servers.hosts["arxiv"].requests)


def test_wrong_paper_hit_is_rejected_and_reported(corpus, tmp_path):
    with ReplayServers(corpus, {"dblp": [Fault("wrong-paper")]}) as servers:
        run, report = resolve(servers, tmp_path, list_text=LIST)
    mesh = report["works"]["shazeer2018mesh"]
    assert "dblp" not in mesh["sources"]
    assert mesh["rejected"] and mesh["rejected"][0]["source"] == "dblp"
    assert mesh["rejected"][0]["reason"].startswith("title differs")
    entry = records(tmp_path)["shazeer2018mesh"]
    assert entry.title == "Mesh-TensorFlow: Deep Learning for Supercomputers"


def test_empty_results_and_html_instead_of_json(corpus, tmp_path):
    text = "- A paper nobody has heard of [[Paper]](https://example.org/p.pdf)\n  - Doe, Jane (*OSDI 2018*)\n"
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
    work = next(iter(report["works"].values()))
    assert work["status"] == "list-only" and work["unresolved"]["dblp"] == "no record with this title"
    with ReplayServers(corpus, {"dblp": [Fault("html200")]}) as servers:
        (tmp_path / "second").mkdir()
        run, report = resolve(servers, tmp_path / "second", list_text=LIST)
    assert report["works"]["crankshaw2017clipper"]["unresolved"]["dblp"].startswith("expected JSON, got text/html")
    assert report["works"]["crankshaw2017clipper"]["sources"] == ["usenix"]


def test_offline_uses_the_cache_only(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        resolve(servers, tmp_path, list_text=LIST)
        calls = servers.calls()
        run, report = resolve(servers, tmp_path, "--offline", "--refresh", list_text=LIST)
        assert servers.calls() == calls
    assert run.code == 0 and report["works"]["crankshaw2017clipper"]["sources"] == ["dblp", "usenix"]


def test_dry_run_writes_nothing_and_bad_base_url_is_usage_error(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, "--dry-run", list_text=LIST)
    assert run.code == 0 and "dry run" in run.err and not (tmp_path / "refs.bib").exists()
    bad = run_cli("resolve", "--dblp-url", "ftp://x", "--out", str(tmp_path / "r.bib"))
    assert bad.code == 2 and "--dblp-url" in bad.err


def test_build_reproduces_resolved_data_without_network(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        resolve(servers, tmp_path, list_text=LIST)
    resolved = (tmp_path / "refs.bib").read_text()
    run = run_cli("build", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"), "--check")
    assert run.code == 0, run.err
    assert "Crankshaw, Daniel and Wang, Xin" in resolved


def test_one_request_at_a_time_per_host_and_spacing(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0.2")
    stamps = []
    with ReplayServers(corpus) as servers:
        original = servers.hosts["dblp"].answer

        def timed(path, headers=None):
            stamps.append(time.monotonic())
            return original(path, headers)

        servers.hosts["dblp"].answer = timed
        resolve(servers, tmp_path, list_text=LIST)
    # The client spaces the starts of its requests 0.2 s apart; the server sees their arrivals,
    # each late by however long its thread waited for the CPU (tens of ms on a loaded machine).
    # Unspaced or concurrent requests would arrive ~0 s apart.
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    jitter = 0.05
    assert len(stamps) >= 3 and min(gaps) >= 0.2 - jitter, gaps
    assert stamps[-1] - stamps[0] >= 0.2 * len(gaps) - jitter, gaps


def test_presentation_page_bibtex_block_when_the_export_lacks_the_paper(corpus, tmp_path):
    page = (
        b"<html><body><h1 id='page-title'>Ray</h1><div class=\"bibtex-text-entry bibtex-accordion-text-entry\">"
        b"@inproceedings {999001,<br>author = {Philipp Moritz and Robert Nishihara},<br>"
        b"title = {Ray: A Distributed Framework for Emerging {AI} Applications},<br>"
        b"booktitle = {13th USENIX Symposium on Operating Systems Design and Implementation (OSDI 18)},<br>"
        b"year = {2018},<br>pages = {561--577},<br>"
        b"url = {https://www.usenix.org/conference/osdi18/presentation/moritz-test},<br>month = oct<br>}</div></body></html>"
    )
    local = Corpus(arxiv=corpus.arxiv, dblp=[], usenix_export=corpus.usenix_export,
                   usenix_pages={"/conference/osdi18/presentation/moritz-test": page})
    text = "- Ray [[GitHub]](https://www.usenix.org/conference/osdi18/presentation/moritz-test)\n  - Moritz, Philipp, et al. (*OSDI 2018*)\n"
    with ReplayServers(local) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
    (work,) = report["works"].values()
    assert work["sources"] == ["usenix"] and work["accepted"][0]["id"] == "999001"
    assert servers.hosts["usenix"].requests[-1] == "/conference/osdi18/presentation/moritz-test"
    assert "Nishihara, Robert" in (tmp_path / "refs.bib").read_text()


@pytest.mark.parametrize("second_id", [" [[arXiv]](https://arxiv.org/abs/1712.01208)", ""])
def test_a_work_sharing_a_reused_link_never_takes_anothers_stored_lookups(corpus, tmp_path, second_id):
    """The list reuses Clipper's PDF under another paper (with an arXiv id of its own, or with
    an unrelated title only): identity keeps the two apart, and so must the stored lookups."""
    pdf = "https://www.usenix.org/system/files/conference/nsdi17/nsdi17-crankshaw.pdf"
    clipper = f"- Clipper: A Low-Latency Online Prediction Serving System [[Paper]]({pdf}) [[arXiv]](https://arxiv.org/abs/1612.03079)\n"
    with ReplayServers(corpus) as servers:
        run, _ = resolve(servers, tmp_path, list_text=clipper)
    assert run.code == 0, run.err
    (tmp_path / "list.md").write_text(clipper + f"- The Case for Learned Index Structures [[Paper]]({pdf}){second_id}\n", encoding="utf-8")
    run = run_cli("build", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"))
    assert run.code == 0, run.err
    by_title = {r.title: r for r in records(tmp_path).values()}
    assert by_title["Clipper: A Low-Latency Online Prediction Serving System"].authors[0].family == "Crankshaw"
    other = by_title["The Case for Learned Index Structures"]
    assert other.authors == [] and other.entry_type == "misc" and not {"dblp", "booktitle", "pages"} & set(other.fields)
    assert other.fields.get("eprint", "1712.01208") == "1712.01208"


def test_a_venue_year_of_more_than_1000_papers_is_read_page_by_page_not_paper_by_paper(corpus, tmp_path):
    """dblp answers at most 1,000 hits: NeurIPS 2019 (1,427 recorded papers) takes two ``toc:``
    pages, the second only because a listed paper is not on the first; no title query."""
    text = ("- Qsparse-local-SGD: Distributed SGD with Quantization, Sparsification and Local Computations [[Paper]](https://x.org/q.pdf)\n"
            "  - Basu, Debraj, et al. (*NeurIPS 2019*)\n"
            "- Few-shot Video-to-Video Synthesis [[Paper]](https://x.org/f.pdf)\n  - Wang, Ting-Chun, et al. (*NeurIPS 2019*)\n")
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
        queries = list(servers.hosts["dblp"].requests)
    assert run.code == 0, run.err
    assert len(queries) == 2 and all("toc" in q for q in queries) and "f=1000" in queries[1]
    assert sorted(w["accepted"][0]["id"] for w in report["works"].values()) == ["conf/nips/0001DKD19", "conf/nips/Wang0TLCK19"]
