"""``sysml-bib diff`` and ``build --check --diff``: what a change does to the bibliography."""

import json
import shutil

import pytest

from sysml_bib.resources import bundled_list

from conftest import REFERENCES, REPO, run_cli

PIPEDREAM = (
    "- PipeDream: generalized pipeline parallelism for DNN training [[Paper]](https://dl.acm.org/doi/10.1145/3341301.3359646)\n"
    "  - Narayanan, Deepak, et al. (*SOSP 2019*)\n"
)
SLURM = "- Slurm: A Highly Scalable Workload Manager [[GitHub]](https://github.com/SchedMD/slurm)\n"
GANDIVA_SUMMARY = "  - Summary: Improvet the efficency of hyper-parameter in cluster. Aware of hardware utilization.\n"


@pytest.fixture
def changed_build(tmp_path):
    """references.bib rebuilt (offline, from the committed report) from a list with one entry added,
    one removed and one summary changed."""
    text = bundled_list().read_text(encoding="utf-8")
    assert SLURM in text and GANDIVA_SUMMARY in text
    text = text.replace(SLURM, PIPEDREAM).replace(GANDIVA_SUMMARY, "  - Summary: Introspective scheduling.\n")
    listed = tmp_path / "changed-list.md"
    listed.write_text(text, encoding="utf-8")
    out = tmp_path / "refs.bib"
    shutil.copy(REFERENCES, out)
    shutil.copy(REPO / "references-report.json", tmp_path / "refs-report.json")
    return listed, out


def test_a_file_against_itself_has_no_change():
    run = run_cli("diff", str(REFERENCES), str(REFERENCES))
    assert (run.code, run.out) == (0, "references.bib -> references.bib: no change\n")
    run = run_cli("diff", str(REFERENCES), str(REFERENCES), "--format", "markdown")
    assert run.code == 0 and "No change against `references.bib`." in run.out


def test_diff_against_a_build_of_a_changed_list_shows_exactly_the_changes(changed_build, tmp_path):
    listed, out = changed_build
    assert run_cli("build", "--list", str(listed), "--out", str(out)).code == 0
    run = run_cli("diff", str(REFERENCES), str(out))
    assert run.code == 0
    assert run.out.splitlines() == [
        "references.bib -> refs.bib: 1 added, 1 removed, 1 changed, 0 renamed",
        "added: narayanan2019pipedream (PipeDream: generalized pipeline parallelism for DNN training)",
        "removed: schedmdslurm (Slurm Workload Manager)",
        "changed: xiao2018gandiva (Gandiva: Introspective Cluster Scheduling for Deep Learning)",
        "  annote: Improvet the efficency of hyper-parameter in cluster. Aware of hardware utilization. -> Introspective scheduling.",
    ]
    markdown = run_cli("diff", str(REFERENCES), str(out), "--format", "markdown").out
    assert "**1 added, 1 removed, 1 changed, 0 renamed**" in markdown
    assert "- `narayanan2019pipedream`: PipeDream: generalized pipeline parallelism for DNN training" in markdown
    assert "  - `annote`: `Improvet the efficency of hyper-parameter in cluster. Aware of hardware utilization.` → `Introspective scheduling.`" in markdown


def test_renamed_keys_come_from_the_key_map_with_their_field_changes(tmp_path):
    old = tmp_path / "old.bib"
    new = tmp_path / "new.bib"
    old.write_text("@misc{zhang2018deepcpu,\n  title = {Deepcpu},\n  year = {2018},\n}\n@misc{gone,\n  title = {Gone},\n}\n", encoding="utf-8")
    new.write_text("@inproceedings{zhang2018deepcpux,\n  title = {{DeepCPU}},\n  year = {2018},\n}\n", encoding="utf-8")
    (tmp_path / "new-keymap.json").write_text(json.dumps({"zhang2018deepcpu": "zhang2018deepcpux"}), encoding="utf-8")
    run = run_cli("diff", str(old), str(new))
    assert run.out.splitlines() == [
        "old.bib -> new.bib: 0 added, 1 removed, 0 changed, 1 renamed",
        "removed: gone (Gone)",
        "renamed: zhang2018deepcpu -> zhang2018deepcpux (DeepCPU)",
        "  (entry type): misc -> inproceedings",
        "  title: Deepcpu -> {DeepCPU}",
    ]
    markdown = run_cli("diff", str(old), str(new), "--format", "markdown").out
    assert "- `zhang2018deepcpu` → `zhang2018deepcpux`: DeepCPU" in markdown


def test_diff_errors_are_usage_or_failure_never_a_traceback(tmp_path):
    run = run_cli("diff", str(tmp_path / "nope.bib"), str(REFERENCES))
    assert run.code == 2 and "bibliography not found" in run.err
    broken = tmp_path / "broken.bib"
    broken.write_text("@misc{a,\n  title = {unclosed\n", encoding="utf-8")
    run = run_cli("diff", str(broken), str(REFERENCES))
    assert run.code == 1 and "cannot read this entry" in run.err


def test_build_check_diff_names_changed_keys_and_fields(changed_build):
    listed, out = changed_build
    run = run_cli("build", "--list", str(listed), "--out", str(out), "--check", "--diff")
    assert run.code == 1
    assert "is stale" in run.err
    assert "added: narayanan2019pipedream" in run.out
    assert "removed: schedmdslurm" in run.out
    assert "  annote: Improvet the efficency" in run.out
    # The new paper has no resolved data yet: the summary says so by name.
    assert "warning: 1 of 79 papers are not in" in run.err
    assert "\n  new or changed, list data only: narayanan2019pipedream\n" in run.err


def test_a_header_difference_alone_is_not_staleness(tmp_path):
    listed = tmp_path / "README.md"  # the same list under another file name: only the @comment header differs
    shutil.copy(bundled_list(), listed)
    out = tmp_path / "refs.bib"
    shutil.copy(REFERENCES, out)
    shutil.copy(REPO / "references-report.json", tmp_path / "refs-report.json")
    run = run_cli("build", "--list", str(listed), "--out", str(out), "--check", "--diff")
    assert (run.code, run.out) == (0, "")
    assert "is up to date" in run.err
    assert "README.md" not in out.read_text(encoding="utf-8")


def test_diff_without_check_is_bad_usage(tmp_path):
    run = run_cli("build", "--out", str(tmp_path / "x.bib"), "--diff")
    assert run.code == 2 and "--diff goes with --check" in run.err


def test_a_markdown_diff_stays_under_githubs_comment_limit():
    from sysml_bib.maintainers import diff

    text = REFERENCES.read_text(encoding="utf-8")
    everything = diff.diff("", text)  # every entry added
    assert len(everything.added) == len(diff.read_entries(text)) > 150
    assert diff._within(["x" * 99] * 100, 2_000).endswith("*… 82 more lines: run `sysml-bib diff` to see them all.*\n")
    assert len(diff.format_markdown(everything, "a.bib", "b.bib")) <= diff.COMMENT_LIMIT


def test_resolve_names_the_new_papers_that_stayed_list_only(changed_build, monkeypatch):
    from sysml_bib.replay import Corpus, ReplayServers

    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    listed, out = changed_build
    unknown = "- A system no recorded source knows [[Paper]](https://example.org/unknown.pdf)\n  - Doe, Jane, et al. (*OSDI 2030*)\n"
    listed.write_text(listed.read_text(encoding="utf-8").replace(PIPEDREAM, PIPEDREAM + unknown), encoding="utf-8")
    with ReplayServers(Corpus.load(REPO / "data" / "recorded")) as servers:
        run = run_cli("resolve", "--list", str(listed), "--out", str(out), "--no-progress",
                      "--cache-dir", str(out.parent / "cache"), *servers.args())
    assert run.code == 0, run.err
    assert "looked up 2;" in run.err  # the two new papers (a changed summary is no reason to look again)
    assert "  list only (new or changed in this run): doe2030system (" in run.err
    assert "narayanan2019pipedream" not in run.err  # dblp knows PipeDream
    assert "  list only: weidynamic (" in run.err  # list-only before this run: not flagged
