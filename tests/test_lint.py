"""``sysml-bib lint``: the bundled list's real defects, each check, the formats, --changed-since."""

import json
import shutil
import subprocess

import pytest

from sysml_bib.resources import bundled_list

from conftest import require_tool, run_cli

# The bundled list's findings today (line, level, code): its real defects. Errors: the blog
# post "Deploying a Machine Learning Model as a REST API" listed twice in Blog (120, 141) and
# NestDNN's empty [[Paper]]() link (405). Warnings: papers without an author or venue line
# (the template's "  - Author (*conference year*)"), "(*Preprint*)"/"(*On going*)" without a
# year, Ray's [[GitHub]] link to its USENIX page (345) and a [[GitHub]] link to a project
# page (424). Note: DeepCPU listed under Model Serving and Inference (293).
BUNDLED_FINDINGS = [
    (12, "warning", "no-authors"), (12, "warning", "no-venue"),
    (57, "warning", "no-authors"), (57, "warning", "no-venue"),
    (61, "warning", "no-venue"),
    (72, "warning", "no-venue"),
    (74, "warning", "no-authors"), (74, "warning", "no-venue"),
    (78, "warning", "no-authors"), (78, "warning", "no-venue"),
    (141, "error", "duplicate"),
    (236, "warning", "no-venue"),
    (242, "warning", "no-authors"), (242, "warning", "no-venue"),
    (255, "warning", "no-venue"),
    (263, "warning", "venue-no-year"),
    (266, "warning", "venue-no-year"),
    (268, "warning", "no-venue"),
    (272, "warning", "no-authors"), (272, "warning", "no-venue"),
    (289, "warning", "venue-no-year"),
    (293, "note", "listed-twice"),
    (323, "warning", "no-venue"),
    (329, "warning", "no-authors"), (329, "warning", "no-venue"),
    (330, "warning", "no-authors"), (330, "warning", "no-venue"),
    (345, "warning", "label-mismatch"),
    (405, "error", "empty-link"),
    (424, "warning", "label-mismatch"),
]


def lint_json(*args, **kwargs):
    run = run_cli("lint", "--format", "json", *args, **kwargs)
    return run, json.loads(run.out)


def test_bundled_list_findings_are_its_real_defects_and_errors_fail_the_run():
    run, findings = lint_json()
    assert run.code == 1  # two errors
    assert [(f["line"], f["level"], f["code"]) for f in findings] == BUNDLED_FINDINGS
    assert all(f["file"] == str(bundled_list()) for f in findings)
    by_line = {(f["line"], f["code"]): f["message"] for f in findings}
    assert "line 120" in by_line[(141, "duplicate")]
    assert "usenix.org/conference/osdi18/presentation/moritz" in by_line[(345, "label-mismatch")]
    assert "2 errors, 27 warnings, 1 note" in run.err


def test_text_and_github_formats_name_file_line_level_and_code():
    text = run_cli("lint").out.splitlines()
    assert f"{bundled_list()}:405: error: [Paper] has an empty URL: '[Paper]()' [empty-link]" in text
    github = run_cli("lint", "--format", "github").out.splitlines()
    assert len(github) == len(BUNDLED_FINDINGS)
    line = next(l for l in github if "line=405" in l)
    assert line.startswith(f"::error file={bundled_list()},line=405,title=sysml-bib empty-link::")
    assert any(l.startswith("::notice ") and "line=293" in l for l in github)  # a note is a notice
    assert any(l.startswith("::warning ") and "line=345" in l for l in github)


def test_github_annotations_escape_what_the_command_syntax_reserves():
    from sysml_bib.maintainers.lint import Finding, format_github

    out = format_github([Finding("a,b:c.md", 3, "warning", "x", "50% done\nnext")])
    assert out == "::warning file=a%2Cb%3Ac.md,line=3,title=sysml-bib x::50%25 done%0Anext\n"


LIST = """# A list

## Table of Contents
- [Serving](#serving)
- [Training](#training)

## Serving

- Clipper: A Low-Latency Online Prediction Serving System [[Paper]](https://www.usenix.org/system/files/conference/nsdi17/nsdi17-crankshaw.pdf) [[GitHub]](https://github.com/ucbrise/clipper)
  - Crankshaw, Daniel, et al. (*NSDI 2017*)
  - Summary: adaptive batching

## Training

- Gandiva: Introspective cluster scheduling for deep learning. [[Paper]](https://www.usenix.org/system/files/osdi18-xiao.pdf)
  - Xiao, Wencong, et al. (*OSDI 2018*)
"""


NEXT = LIST.count("\n") + 1  # the first line added after LIST


def lint_text(tmp_path, text, *args):
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    run, findings = lint_json("--list", str(path), *args)
    return run, [(f["line"], f["level"], f["code"]) for f in findings], findings


def test_a_clean_list_has_no_finding(tmp_path):
    run, found, _ = lint_text(tmp_path, LIST)
    assert (run.code, found) == (0, [])


@pytest.mark.parametrize("link, code", [
    ("[[Paper]]()", "empty-link"),
    ("[[Paper]](papers/x.pdf)", "relative-link"),
    ("[[Paper]](ftp://example.org/x.pdf)", "non-http-link"),
    ("[[Paper]](https://arxiv.org/abs/1913.01234)", "arxiv-id"),  # month 13
    ("[[Paper]](https://arxiv.org/pdf/1412.12345.pdf)", "arxiv-id"),  # 5 digits before 2015
    ("[[Paper]](https://arxiv.org/abs/not-an-id)", "arxiv-id"),
])
def test_broken_links_are_errors_on_their_line(tmp_path, link, code):
    text = LIST + f"- PipeDream: generalized pipeline parallelism {link}\n  - Narayanan, Deepak, et al. (*SOSP 2019*)\n"
    run, found, _ = lint_text(tmp_path, text)
    assert run.code == 1
    assert found == [(NEXT, "error", code)]


def test_label_mismatches_are_warnings_and_never_fail(tmp_path):
    text = LIST + (
        "- Ray: A Distributed Framework for Emerging AI Applications [[GitHub]](https://www.usenix.org/conference/osdi18/presentation/moritz)\n"
        "  - Moritz, Philipp, et al. (*OSDI 2018*)\n"
        "- Horovod: fast distributed training [[Paper]](https://github.com/uber/horovod)\n"
    )
    run, found, findings = lint_text(tmp_path, text)
    assert run.code == 0
    assert found == [(NEXT, "warning", "label-mismatch"), (NEXT + 2, "warning", "label-mismatch")]
    assert "should link to a GitHub repository" in findings[0]["message"]


def test_template_lines_are_read_as_parse_reads_them(tmp_path):
    text = LIST + (
        "- A paper without its lines [[Paper]](https://example.org/a.pdf)\n"
        "- A paper with a venue but no year [[Paper]](https://example.org/b.pdf)\n"
        "  - Smith, John, et al. (*Preprint*)\n"
        "- Harvard-style author line gives the year [[Paper]](https://example.org/c.pdf)\n"
        "  - Sparks, E.R., Talwalkar, A. and Kraska, T., 2015, August.\n"
        "  - In Proceedings of the Sixth ACM Symposium on Cloud Computing (pp. 368-380). ACM.\n"
    )
    _, found, _ = lint_text(tmp_path, text)
    assert found == [(NEXT, "warning", "no-authors"), (NEXT, "warning", "no-venue"), (NEXT + 2, "warning", "venue-no-year")]


def test_the_same_work_twice_in_a_section_is_an_error_in_two_sections_a_note(tmp_path):
    again_here = "- Clipper: a low-latency online prediction serving system [[Paper]](https://arxiv.org/abs/1612.03079)\n  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    text = LIST.replace("## Training\n", again_here + "\n## Training\n") + (
        "- Gandiva (the OSDI paper again) [[Paper]](https://www.usenix.org/system/files/osdi18-xiao.pdf)\n"
        "  - Xiao, Wencong, et al. (*OSDI 2018*)\n"
    )
    run, found, findings = lint_text(tmp_path, text)
    assert run.code == 1
    # by title; then one PDF under an unrelated title, which identity keeps apart: a reused link
    assert found == [(13, "error", "duplicate"), (NEXT + 3, "error", "reused-link")]
    assert "(same title)" in findings[0]["message"]
    assert findings[1]["message"].startswith("has the paper link usenix.org/system/files/osdi18-xiao.pdf of line 18 ('Gandiva")
    text = LIST + again_here
    run, found, findings = lint_text(tmp_path, text)
    assert (run.code, found) == (0, [(NEXT, "note", "listed-twice")])
    assert findings[0]["message"] == "the same work is also listed at line 9 (same title), under Serving"


def test_one_repository_as_two_items_is_a_warning(tmp_path):
    text = LIST + "- clipper: the serving system's code [[GitHub]](https://github.com/ucbrise/clipper)\n"
    _, found, findings = lint_text(tmp_path, text)
    assert found == [(NEXT, "warning", "same-repository")]
    assert "ucbrise/clipper" in findings[0]["message"] and "line 9" in findings[0]["message"]


def test_table_of_contents_links_and_sections(tmp_path):
    text = LIST.replace("- [Training](#training)", "- [Training](#training)\n- [Compilers](#compilers)") + (
        "\n## Video Systems\n\n- Scanner: Efficient Video Analysis at Scale [[Paper]](https://example.org/scanner.pdf)\n"
        "  - Poms, Alex, et al. (*SIGGRAPH 2018*)\n"
    )
    run, found, findings = lint_text(tmp_path, text)
    assert run.code == 1
    assert found == [(6, "error", "toc-anchor"), (NEXT + 2, "warning", "section-not-in-toc")]
    assert "#video-systems" in findings[1]["message"]


# ----------------------------------------------------------------------------- --changed-since

def git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    require_tool("git")
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    git(folder, "config", "user.email", "t@example.org")
    git(folder, "config", "user.name", "t")
    shutil.copy(bundled_list(), folder / "README.md")
    git(folder, "add", "README.md")
    git(folder, "commit", "-q", "-m", "the list")
    return folder


def insert_after(path, marker, lines):
    text = path.read_text(encoding="utf-8")
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + "".join(l + "\n" for l in lines) + text[at:], encoding="utf-8")
    before = text[:at].count("\n") + 1
    return before  # the first inserted line


GANDIVA = "- Gandiva: Introspective cluster scheduling for deep learning. [[Paper]](https://www.usenix.org/system/files/osdi18-xiao.pdf)\n  - Xiao, Wencong, et al. (*OSDI 2018*)\n  - Summary: Improvet the efficency of hyper-parameter in cluster. Aware of hardware utilization.\n"


def test_changed_since_reports_nothing_for_a_correct_addition(repo):
    readme = repo / "README.md"
    insert_after(readme, GANDIVA, [
        "- PipeDream: generalized pipeline parallelism for DNN training [[Paper]](https://dl.acm.org/doi/10.1145/3341301.3359646) [[GitHub]](https://github.com/msr-fiddle/pipedream)",
        "  - Narayanan, Deepak, et al. (*SOSP 2019*)",
        "  - Summary: pipeline parallelism",
    ])  # uncommitted: the working tree is what is judged
    run, findings = lint_json("--list", str(readme), "--changed-since", "HEAD")
    assert (run.code, findings) == (0, [])
    assert "entries changed since HEAD" in run.err
    git(repo, "commit", "-q", "-am", "add PipeDream")
    run, findings = lint_json("--list", str(readme), "--changed-since", "HEAD~1")
    assert (run.code, findings) == (0, [])


def test_changed_since_reports_each_malformed_addition_with_its_line(repo):
    readme = repo / "README.md"
    first = insert_after(readme, GANDIVA, [
        "- PipeDream: generalized pipeline parallelism [[Paper]]()",  # empty link
        "  - Narayanan, Deepak, et al. (*SOSP 2019*)",
        "- Optimus: an efficient dynamic resource scheduler for deep learning clusters [[Paper]](https://i.cs.hku.hk/~cwu/papers/yhpeng-eurosys18.pdf)",
        "  - Peng, Yanghua, et al. (*EuroSys 2018*)",  # a duplicate, two lines below the original
        "- Tiresias: a GPU cluster manager [[Paper]](https://arxiv.org/abs/1913.00001)",  # bad arXiv id
        "  - Gu, Juncheng, et al. (*NSDI 2019*)",
    ])
    insert_after(readme, "- Slurm: A Highly Scalable Workload Manager [[GitHub]](https://github.com/SchedMD/slurm)\n", [
        "", "## Federated Learning", "",  # a section the table of contents does not have
        "- Towards federated learning at scale: system design [[Paper]](https://arxiv.org/abs/1902.01046)",
        "  - Bonawitz, Keith, et al. (*SysML 2019*)",
    ])
    run, findings = lint_json("--list", str(readme), "--changed-since", "HEAD")
    assert run.code == 1
    found = [(f["line"], f["level"], f["code"]) for f in findings]
    heading = readme.read_text(encoding="utf-8").splitlines().index("## Federated Learning") + 1
    assert found == [
        (first, "error", "empty-link"),
        (first + 2, "error", "duplicate"),
        (first + 4, "error", "arxiv-id"),
        (heading, "warning", "section-not-in-toc"),
    ]
    # The list's own old defects are not the pull request's: none is reported.
    assert not any(f["code"] == "label-mismatch" for f in findings)


def test_changed_since_with_an_unknown_revision_or_outside_git_is_bad_usage(repo, tmp_path):
    run = run_cli("lint", "--list", str(repo / "README.md"), "--changed-since", "no-such-branch")
    assert run.code == 2 and "unknown git revision 'no-such-branch'" in run.err
    outside = tmp_path / "outside.md"
    outside.write_text(LIST, encoding="utf-8")
    run = run_cli("lint", "--list", str(outside), "--changed-since", "HEAD")
    assert run.code == 2 and "not in a git repository" in run.err


def test_a_file_new_since_the_revision_is_judged_whole(repo):
    new = repo / "more.md"
    new.write_text(LIST + "- X [[Paper]]()\n", encoding="utf-8")
    run, findings = lint_json("--list", str(new), "--changed-since", "HEAD")
    assert run.code == 1 and [f["code"] for f in findings] == ["empty-link"]


def test_another_real_list_gets_its_real_errors():
    """A list in another style (CC0, tests/data/SOURCE.md: lists/): links copied from the neighbouring
    entry under another title, and links nested inside links."""
    from conftest import REPO

    path = REPO / "tests" / "data" / "lists" / "awesome-machine-learning-in-compilers" / "README.md"
    run, findings = lint_json("--list", str(path))
    assert run.code == 1
    errors = [(f["line"], f["code"]) for f in findings if f["level"] == "error"]
    # 304: PACT listed with CGO's page (dl.acm.org/conference/cgo, line 303): a page is a
    # work's identity since books, talks and sites are looked up by it (issue 15).
    assert errors == [(51, "reused-link"), (129, "reused-link"), (203, "reused-link"), (304, "reused-link")]
    messages = {f["line"]: f["message"] for f in findings if f["level"] == "error"}
    assert messages[51].startswith("has the arXiv id 1809.04676 of line 49 ")


def test_a_heading_inside_a_list_item_is_a_table_of_contents_target(tmp_path):
    text = LIST.replace("- [Training](#training)", "- [Training](#training)\n  - [Expand Reduce](#expand-reduce)") + "+ #### Expand Reduce\n"
    _, found, _ = lint_text(tmp_path, text)
    assert not any(code == "toc-anchor" for _, _, code in found)
