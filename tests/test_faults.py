"""Bad input and broken environments: clear errors, old files intact, nothing lost."""

import pytest

from sysml_bib import files
from sysml_bib.normalize import records_from_items
from sysml_bib.parse import parse_text
from sysml_bib.replay import Fault, ReplayServers

from conftest import REFERENCES, run_cli, run_resolve

LIST = "## S\n- Mesh-TensorFlow: Deep Learning for Supercomputers [[Paper]](https://arxiv.org/pdf/1811.02084.pdf)\n  - Shazeer, Noam, et al. (*NIPS 2018*)\n"


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "5")


def resolve(servers, tmp_path, *extra):
    return run_resolve(servers, tmp_path, *extra, list_text=LIST)


def test_corrupt_cache_database_is_rebuilt_with_a_warning(corpus, tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "http-cache.sqlite").write_bytes(b"this is not a database" * 100)
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path)
    assert run.code == 0
    assert "is unreadable" in run.err and "starting a new one" in run.err
    assert report["works"]["shazeer2018mesh"]["sources"] == ["arxiv", "dblp"]


@pytest.mark.parametrize("kind", ["billion-laughs", "oversized"])
def test_hostile_xml_answers_are_refused(corpus, tmp_path, kind):
    with ReplayServers(corpus, {"arxiv": [Fault(kind)]}) as servers:
        run, report = resolve(servers, tmp_path)
    assert run.code == 0
    why = report["works"]["shazeer2018mesh"]["unresolved"]["arxiv"]
    assert ("entity" in why) if kind == "billion-laughs" else ("too large" in why)
    assert report["works"]["shazeer2018mesh"]["sources"] == ["dblp"]


def test_non_http_links_are_never_fetched(corpus, tmp_path):
    text = ("- Ray [[Page]](ftp://www.usenix.org/conference/osdi18/presentation/moritz) [[x]](file:///etc/passwd) "
            "[[y]](javascript:alert(1))\n  - Moritz, Philipp, et al. (*OSDI 2018*)\n")
    (tmp_path / "list.md").write_text(text)
    with ReplayServers(corpus) as servers:
        run = run_cli("resolve", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"),
                      "--cache-dir", str(tmp_path / "cache"), "--no-progress", *servers.args())
        requested = [r for host in servers.hosts.values() for r in host.requests]
    assert run.code == 0
    assert requested and all("/conference/" not in r and "passwd" not in r and "javascript" not in r for r in requested)


def test_missing_output_folder_is_a_clear_error(tmp_path):
    run = run_cli("build", "--out", str(tmp_path / "nowhere" / "refs.bib"))
    assert run.code == 1 and "folder" in run.err and "does not exist" in run.err and "Traceback" not in run.err


def test_unwritable_output_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "refs.bib"
    old = "@misc{old, title = {old contents}}\n"  # a .bib: anything else at --out is refused before writing
    out.write_text(old)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    run = run_cli("build", "--out", str(out))
    assert run.code == 1 and "cannot write" in run.err and "Permission denied" in run.err
    assert out.read_text() == old


def test_crash_during_write_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    out = tmp_path / "refs.bib"
    out.write_text("old contents\n")

    def crash(fd):
        raise KeyboardInterrupt  # the process dies between writing and renaming

    monkeypatch.setattr(files.os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(out, "new contents\n" * 1000)
    assert out.read_text() == "old contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_a_thousand_copies_of_one_paper_are_one_record(tmp_path):
    entry = "- Clipper: A Low-Latency Online Prediction Serving System [[Paper]](https://www.usenix.org/system/files/conference/nsdi17/nsdi17-crankshaw.pdf)\n  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    text = "".join(f"## Section {i}\n{entry}" for i in range(1000))
    parsed = parse_text(text, "copies.md")
    records = records_from_items(parsed.items)
    assert len(parsed.items) == 1000 and len(records) == 1
    assert len(records[0].sections) == 1000 and len(records[0].items) == 1000
    (tmp_path / "copies.md").write_text(text)
    run = run_cli("build", "--list", str(tmp_path / "copies.md"), "--out", str(tmp_path / "refs.bib"))
    assert run.code == 0 and "1000 list items -> 1 records" in run.err
    assert (tmp_path / "refs.bib").read_text().count("\n@") == 1


def test_malformed_references_bib_names_the_line(tmp_path):
    text = REFERENCES.read_text()
    start = text.index("@inproceedings{crankshaw2017clipper")
    end = text.index("\n}\n", start)
    broken = text[:end] + text[end + 2 :]  # the Clipper entry loses its closing brace
    (tmp_path / "bad.bib").write_text(broken)
    line = broken[:start].count("\n") + 1
    run = run_cli("export", "--bib", str(tmp_path / "bad.bib"))
    assert run.code == 1 and run.out == "" and "Traceback" not in run.err
    assert f"bad.bib:{line}: cannot read this entry" in run.err, (line, run.err)


def test_non_utf8_bib_is_a_clear_error(tmp_path):
    (tmp_path / "latin1.bib").write_bytes("@misc{a, title = {caf\xe9}}\n".encode("latin-1"))
    run = run_cli("export", "--bib", str(tmp_path / "latin1.bib"))
    assert run.code == 1 and "not UTF-8" in run.err
