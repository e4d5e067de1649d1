"""Recorded URL -> work evidence (``sources/link_evidence.py``): a listed link that a recorded
page ties to an identifier gets that identifier, resolved by the identifier's own source."""

import json

import pytest

from sysml_bib import bibtex
from sysml_bib.replay import ReplayServers
from sysml_bib.sources import link_evidence

from conftest import REPO, run_cli, run_resolve

DATA = REPO / "tests" / "data" / "link-evidence"
LIST = """# Test list

## Papers

- The systems view [[Paper]](http://www.example.org/papers/systems-view.pdf)
- Another heading [[Paper]](https://example.org/papers/unrecorded.pdf)
- Video queries [[Paper]](https://example.org/papers/video-queries.pdf)
"""


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")


def resolve(servers, tmp_path, *extra):
    return run_resolve(servers, tmp_path, *extra, list_text=LIST)


def by_title(tmp_path):
    return {r.fields["title"]: r for r in bibtex.read_bibliography(str(tmp_path / "refs.bib")).records}


def test_a_link_a_recorded_page_ties_to_an_arxiv_id_is_resolved_by_arxiv_and_the_report_names_the_page(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, "--link-evidence", str(DATA / "handmade.json"))
        calls = servers.calls()
    assert run.code == 0, run.err
    assert calls["arxiv"] == 1  # the evidenced id goes in the normal id_list batch
    records = by_title(tmp_path)
    paper = records["A Berkeley View of Systems Challenges for AI"]  # arXiv's title replaces the list's heading
    assert paper.fields["eprint"] == "1712.05855" and paper.fields["year"] == "2017"
    assert paper.authors[0].family == "Stoica"
    work = next(w for w in report["works"].values() if w["title"] == "A Berkeley View of Systems Challenges for AI")
    assert work["status"] == "resolved" and work["sources"] == ["arxiv"]
    assert work["accepted"][0]["matched_by"] == "link-evidence"
    [used] = work["extra"]["link_evidence"]
    assert used["work"] == {"arxiv": "1712.05855"}
    assert used["url"] == "http://www.example.org/papers/systems-view.pdf"  # the list's spelling of the address
    assert used["pages"][0]["page"] == "https://example.org/papers/" and "1712.05855" in used["pages"][0]["names_work"]
    assert used["record"].endswith("handmade.json")
    # A DOI the evidence gives is resolved by the venue's own record (Crossref), like a listed DOI.
    noscope = next(r for t, r in records.items() if t.startswith("NoScope"))
    assert noscope.fields["doi"] == "10.14778/3137628.3137664"
    work = next(w for w in report["works"].values() if w["title"].startswith("NoScope"))
    assert [(c["source"], c["matched_by"]) for c in work["accepted"]] == [("crossref", "link-evidence")]
    assert work["extra"]["link_evidence"][0]["work"] == {"doi": "10.14778/3137628.3137664"}
    # An address no record names gets nothing: no guess.
    other = next(w for w in report["works"].values() if w["title"] == "Another heading")
    assert other["status"] == "list-only" and "extra" not in other
    assert "eprint" not in records["Another heading"].fields


def test_without_the_evidence_the_same_link_stays_list_only(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path)
        calls = servers.calls()
    assert run.code == 0, run.err
    assert calls.get("arxiv", 0) == 0
    assert {w["status"] for w in report["works"].values()} == {"list-only"}
    assert calls.get("crossref", 0) == 0
    assert "The systems view" in by_title(tmp_path)


def test_a_record_citing_no_page_naming_both_is_refused_as_bad_usage(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, _ = resolve(servers, tmp_path, "--link-evidence", str(DATA / "no-page.json"))
        calls = servers.calls()
        missing, _ = resolve(servers, tmp_path, "--link-evidence", str(tmp_path / "missing.json"))
    assert run.code == 2
    assert "no-page.json" in run.err and "cites no page" in run.err and "Traceback" not in run.err
    assert not any(calls.values())  # refused before any lookup
    assert missing.code == 2 and "cannot read it" in missing.err


def test_addresses_are_compared_without_scheme_www_case_or_trailing_slash():
    assert link_evidence.url_key("http://www.SysML.cc/doc/sysml-whitepaper.pdf") == \
        link_evidence.url_key("https://sysml.cc/doc/sysml-whitepaper.pdf/")
    assert link_evidence.url_key("https://sysml.cc/doc/a.pdf") != link_evidence.url_key("https://sysml.cc/doc/b.pdf")


def test_malformed_records_are_refused_with_the_file_and_the_reason():
    good = {"url": "https://example.org/a.pdf", "work": {"doi": "10.1145/3341301.3359658"},
            "pages": [{"page": "https://example.org/", "names_url": "a.pdf", "names_work": "doi 10.1145/3341301.3359658"}]}
    [record] = link_evidence.parse(json.dumps(good), "mine.json")
    assert record.work == (("doi", "10.1145/3341301.3359658"),)
    for broken, why in [({**good, "work": {"arxiv": "not-an-id"}}, "not a valid arxiv identifier"),
                        ({**good, "work": {"isbn": "123"}}, "unknown identifier kind"),
                        ({**good, "pages": [{"page": "https://example.org/"}]}, "names_url"),
                        ({k: v for k, v in good.items() if k != "url"}, "without a 'url'")]:
        with pytest.raises(link_evidence.EvidenceError, match=why):
            link_evidence.parse(json.dumps(broken), "mine.json")
    with pytest.raises(link_evidence.EvidenceError, match="mine.json: not valid JSON"):
        link_evidence.parse("{", "mine.json")


def test_the_bundled_table_is_built_from_the_public_records_and_valid():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, str(REPO / "tools" / "make_link_evidence.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for record in link_evidence.bundled():  # every bundled record names its public record, which exists
        assert (REPO / record.origin).exists()


def test_evidence_added_after_a_run_is_used_by_the_next_run_and_build_replays_it(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path)  # first run: no evidence, the heading stays list-only
        assert run.code == 0, run.err
        before = servers.calls()
        run, report = resolve(servers, tmp_path, "--link-evidence", str(DATA / "handmade.json"))  # no --refresh
        assert run.code == 0, run.err
        after = servers.calls()
        again, _ = resolve(servers, tmp_path, "--link-evidence", str(DATA / "handmade.json"))
        assert again.code == 0 and servers.calls() == after  # evidence unchanged: nothing asked again
    # only the two evidenced records, each by its identifier's source; the others' stored answers stand
    assert after["arxiv"] == before.get("arxiv", 0) + 1 and after["crossref"] == before.get("crossref", 0) + 1
    assert after.get("dblp", 0) == before.get("dblp", 0)
    assert report["summary"]["looked_up"] == 2
    assert "A Berkeley View of Systems Challenges for AI" in by_title(tmp_path)
    # The provisional key the heading had gains the author and year, the old key kept as an alias.
    paper = by_title(tmp_path)["A Berkeley View of Systems Challenges for AI"]
    assert paper.key == "stoica2017berkeley" and paper.fields["ids"] == "examplesystems"
    written = (tmp_path / "refs.bib").read_text()
    build = run_cli("build", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"))
    assert build.code == 0, build.err
    assert (tmp_path / "refs.bib").read_text() == written  # the stored lookup, no network


CHAIN = {"url": "https://example.org/doc/white-paper.pdf", "work": {"arxiv": "1712.05855"},
         "via": {"title": "A Berkeley View of Systems Challenges for AI", "first_author": "Ion Stoica", "year": "2017"},
         "pages": [{"page": "https://example.org/copies/white-paper", "names_url": "a copy named 'white-paper'",
                    "shows": "'A Berkeley View of Systems Challenges for AI', Ion Stoica, Dawn Song, ..., October 2017"},
                   {"page": "https://dblp.example/rec/abs-1712-05855", "names_work": "CoRR abs/1712.05855",
                    "shows": "title 'A  berkeley view of systems challenges for AI', authors Ion Stoica, ..., year 2017"}]}


def test_a_chain_of_pages_sharing_title_first_author_and_year_ties_the_address_to_the_identifier():
    [record] = link_evidence.parse(json.dumps(CHAIN), "chain.json")
    assert record.work == (("arxiv", "1712.05855"),)
    assert dict(record.via) == CHAIN["via"]  # compared without case or spacing, kept as written
    assert record.as_json(CHAIN["url"])["via"] == CHAIN["via"]  # the report says what the pages share
    direct = {**CHAIN, "pages": [{"page": "https://example.org/", "names_url": "white-paper.pdf", "names_work": "arXiv:1712.05855"}]}
    [record] = link_evidence.parse(json.dumps({k: v for k, v in direct.items() if k != "via"}), "direct.json")
    assert record.via == () and "via" not in record.as_json(CHAIN["url"])


def test_a_chain_without_shared_facts_both_ends_show_is_refused():
    address_page, work_page = CHAIN["pages"]
    for broken, why in [
        ({k: v for k, v in CHAIN.items() if k != "via"}, "no page names both the address and the identifier, and no 'via'"),
        ({**CHAIN, "via": {"title": CHAIN["via"]["title"]}}, "'via' lacks 'first_author'"),  # a title alone is no identity
        ({**CHAIN, "via": {**CHAIN["via"], "venue": "CoRR"}}, "unknown 'via' kind 'venue'"),
        ({**CHAIN, "via": {**CHAIN["via"], "year": "2018"}}, "no page naming the address shows every 'via' value"),
        ({**CHAIN, "pages": [address_page, {**work_page, "shows": "authors Ion Stoica, ..., 2017"}]},
         "no page naming the identifier shows every 'via' value"),
        ({**CHAIN, "pages": [address_page, {**address_page, "page": "https://example.org/other"}]}, "no page names the identifier"),
        ({**CHAIN, "pages": [address_page, {"page": "https://example.org/", "shows": "2017"}]}, "'names_url' and/or 'names_work'"),
    ]:
        with pytest.raises(link_evidence.EvidenceError, match=why):
            link_evidence.parse(json.dumps(broken), "chain.json")


def test_the_bundled_references_use_exactly_the_bundled_evidence():
    """Every paper of references.bib matched by link evidence names a bundled record, and every
    list link a bundled record names is resolved to that record's work; the SysML white paper's
    address (the heading `sysmlpath`) is arXiv:1904.03257 through the bundled chain of pages."""
    from sysml_bib.parse import parse_files
    from sysml_bib.resources import bundled_list

    report = json.loads((REPO / "references-report.json").read_text())
    known = {link_evidence.url_key(e.url): e for e in link_evidence.bundled()}
    for key, work in report["works"].items():
        by_evidence = [c for c in work["accepted"] if c["matched_by"] == "link-evidence"]
        used = work.get("extra", {}).get("link_evidence", [])
        assert bool(by_evidence) <= bool(used), key
        for entry in used:
            assert link_evidence.url_key(entry["url"]) in known, key
    listed = {link.url for item in parse_files([bundled_list()]).items for link in item.links}
    for url in listed:
        if link_evidence.url_key(url) in known:
            work = next(w for w in report["works"].values() if any(e["url"] == url for e in w.get("extra", {}).get("link_evidence", [])))
            assert work["status"] == "resolved"
    key = json.loads((REPO / "references-keymap.json").read_text())["sysmlpath"]  # a provisional key, renamed once
    sysml = report["works"][key]
    assert sysml["status"] == "resolved" and sysml["sources"] == ["arxiv"]
    assert [c["matched_by"] for c in sysml["accepted"]] == ["link-evidence"]
    [used] = sysml["extra"]["link_evidence"]
    assert used["work"] == {"arxiv": "1904.03257"} and used["record"] == "data/public-records/evidence/sysml-whitepaper.json"
    assert used["via"]["first_author"] == "Alexander Ratner" and used["via"]["year"] == "2019"
    entry = {r.key: r for r in bibtex.read_bibliography(str(REPO / "references.bib")).records}[key]
    assert entry.fields["eprint"] == "1904.03257" and entry.fields["year"] == "2019" and entry.fields["ids"] == "sysmlpath"
    assert entry.title == "MLSys: The New Frontier of Machine Learning Systems"  # the latest version's title
    assert entry.authors[0].family == "Ratner" and entry.authors[-1].family == "Talwalkar" and len(entry.authors) == 69


def test_a_users_list_linking_the_white_paper_gets_the_bundled_evidence(corpus, tmp_path):
    (tmp_path / "list.md").write_text("# Mine\n\n## Papers\n\n- Read this first [[PDF]](https://sysml.cc/doc/sysml-whitepaper.pdf)\n",
                                      encoding="utf-8")
    with ReplayServers(corpus) as servers:
        run = run_cli("resolve", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"), "--no-progress",
                      "--cache-dir", str(tmp_path / "cache"), *servers.args())
    assert run.code == 0, run.err
    [paper] = bibtex.read_bibliography(str(tmp_path / "refs.bib")).records
    assert paper.fields["eprint"] == "1904.03257" and paper.key == "ratner2019mlsys"
