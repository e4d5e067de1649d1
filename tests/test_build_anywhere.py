"""`build` gives the same references.bib from any working directory and any --out, and
never falls back to list-only data without saying so."""

import os
import shutil
import subprocess
import sys

from conftest import REFERENCES, run_cli

SMALL_LIST = (
    "## Serving\n"
    "- Clipper [[Paper]](https://www.usenix.org/conference/nsdi17/technical-sessions/presentation/crankshaw)\n"
    "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    "- Horovod [[GitHub]](https://github.com/uber/horovod)\n"
)


def test_the_bundled_list_built_from_another_directory_into_another_folder_is_the_committed_file(tmp_path):
    elsewhere, out_dir = tmp_path / "somewhere", tmp_path / "other"
    elsewhere.mkdir()
    out_dir.mkdir()
    done = subprocess.run([sys.executable, "-m", "sysml_bib", "build", "--out", str(out_dir / "r.bib")],
                          capture_output=True, text=True, cwd=elsewhere, env=dict(os.environ), timeout=120)
    assert done.returncode == 0, done.stderr
    assert (out_dir / "r.bib").read_text(encoding="utf-8") == REFERENCES.read_text(encoding="utf-8")
    assert "resolved data replayed from the bundled report" in done.stderr
    assert "warning" not in done.stderr and "key dropped" not in done.stderr
    assert sorted(p.name for p in out_dir.iterdir()) == ["r.bib"]  # nothing else written beside it


def test_a_copy_of_references_bib_without_its_report_keeps_every_key_and_drops_none(cli, tmp_path):
    shutil.copy(REFERENCES, tmp_path / "references.bib")
    run = cli("build", cwd=tmp_path)
    assert run.code == 0, run.err
    assert "key dropped" not in run.err and "0 new keys" in run.err
    assert (tmp_path / "references.bib").read_text(encoding="utf-8") == REFERENCES.read_text(encoding="utf-8")
    assert cli("build", "--check", cwd=tmp_path).code == 0


def test_a_list_without_a_report_says_its_papers_are_list_only_and_what_fills_them(cli, tmp_path):
    (tmp_path / "my.md").write_text(SMALL_LIST, encoding="utf-8")
    run = cli("build", "--list", str(tmp_path / "my.md"), "--out", str(tmp_path / "my.bib"))
    assert run.code == 0
    warning = next(line for line in run.err.splitlines() if line.startswith("warning:"))
    assert "no report of resolved data found" in warning and str(tmp_path / "my-report.json") in warning
    assert "all 1 papers use the list's data only" in warning and f"sysml-bib resolve --out {tmp_path / 'my.bib'}" in warning


def test_a_report_that_lacks_some_papers_says_how_many(cli, tmp_path):
    (tmp_path / "my.md").write_text(SMALL_LIST, encoding="utf-8")
    (tmp_path / "my-report.json").write_text('{"version": 1, "works": {}}', encoding="utf-8")
    run = cli("build", "--list", str(tmp_path / "my.md"), "--out", str(tmp_path / "my.bib"))
    assert run.code == 0 and f"1 of 1 papers are not in {tmp_path / 'my-report.json'}" in run.err


def test_check_of_a_missing_file_says_missing_not_stale(cli, tmp_path):
    run = cli("build", "--check", cwd=tmp_path)
    assert run.code == 1
    assert "references.bib is missing" in run.err and "stale" not in run.err
    assert not (tmp_path / "references.bib").exists()
