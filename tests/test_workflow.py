"""docs/sysml-bib-pull-request.yml: valid against GitHub's workflow schema, and its shell steps work.

The workflow cannot run here (no GitHub), so its own ``run:`` scripts are executed as
GitHub would (``bash -eo pipefail``), in a git repository laid out like a list's pull
request, with ``sysml-bib`` on PATH and the sources replayed on 127.0.0.1.
"""

import os
import shutil
import subprocess
import sys

import pytest

from sysml_bib.replay import Corpus, ReplayServers
from sysml_bib.resources import bundled_list

from conftest import REFERENCES, REPO, require_tool

WORKFLOW = REPO / "docs" / "sysml-bib-pull-request.yml"


def validate(path):
    tool = require_tool("check-jsonschema")  # vendors the GitHub workflow schema (SchemaStore's)
    return subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(path)], capture_output=True, text=True)


def test_the_workflow_validates_against_the_github_workflow_schema(tmp_path):
    done = validate(WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "broken.yml"  # the validator does reject a job without runs-on
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("    runs-on: ubuntu-latest\n", ""), encoding="utf-8")
    assert validate(broken).returncode != 0


def steps():
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["bibliography"]
    return workflow, {step["id"]: step for step in job["steps"] if "id" in step}


def test_the_workflow_runs_lint_on_the_base_then_diff_as_markdown():
    workflow, by_id = steps()
    assert list(workflow[True if True in workflow else "on"]) == ["pull_request"]  # PyYAML reads `on` as True
    assert "--changed-since \"origin/$GITHUB_BASE_REF\" --format github" in by_id["lint"]["run"]
    assert "sysml-bib resolve --list \"$LIST_FILE\"" in by_id["bibliography"]["run"]
    assert "--format markdown" in by_id["diff"]["run"]


TRIBUTARY = (
    "- Tributary: spot-dancing for elastic services with latency SLOs [[Paper]](https://www.usenix.org/conference/atc18/presentation/harlap)\n"
    "  - Harlap, Aaron, et al. (*ATC 2018*)\n"
    "  - Summary: spot instances for services\n"
)
ANCHOR = "- Slurm: A Highly Scalable Workload Manager [[GitHub]](https://github.com/SchedMD/slurm)\n"


def git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def make_repository(tmp_path, with_bibliography: bool):
    require_tool("git")
    repo = tmp_path / "list"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "t")
    shutil.copy(bundled_list(), repo / "README.md")
    if with_bibliography:
        shutil.copy(REFERENCES, repo / "references.bib")
        shutil.copy(REPO / "references-report.json", repo / "references-report.json")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "the list")
    git(repo, "update-ref", "refs/remotes/origin/main", "main")  # what actions/checkout fetches
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


@pytest.fixture
def pull_request(tmp_path):
    """A list repository (references.bib and its report committed) and a pull request adding one paper."""
    return make_repository(tmp_path, with_bibliography=True)


def run_step(step, repo, tmp_path, servers):
    script = step["run"]
    assert "${{" not in script  # everything it needs comes from the environment
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "sysml-bib"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sysml_bib "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (tmp_path / "runner").mkdir(exist_ok=True)
    env = {
        **os.environ, **servers.env(),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
        "SYSML_BIB_MIN_INTERVAL": "0",
        "GITHUB_BASE_REF": "main", "RUNNER_TEMP": str(tmp_path / "runner"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "LIST_FILE": "README.md",
    }
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_workflow_steps_lint_rebuild_and_describe_a_pull_request(pull_request, tmp_path):
    readme = pull_request / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + TRIBUTARY), encoding="utf-8")
    git(pull_request, "commit", "-q", "-am", "add Tributary")
    _, by_id = steps()
    with ReplayServers(Corpus.load(REPO / "data" / "recorded")) as servers:
        lint = run_step(by_id["lint"], pull_request, tmp_path, servers)
        assert (lint.returncode, lint.stdout) == (0, ""), lint.stderr  # a correct addition: no annotation
        built = run_step(by_id["bibliography"], pull_request, tmp_path, servers)
        assert built.returncode == 0, built.stderr
        assert "looked up 1" in built.stderr  # only the new paper
        described = run_step(by_id["diff"], pull_request, tmp_path, servers)
    assert described.returncode == 0, described.stderr
    comment = (tmp_path / "runner" / "sysml-bib-comment.md").read_text(encoding="utf-8")
    assert "**1 added, 0 removed, 0 changed, 0 renamed**" in comment
    assert "- `harlap2018tributary`: Tributary: spot-dancing for elastic services with latency SLOs" in comment
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == comment


def test_the_lint_step_fails_a_pull_request_with_a_broken_entry(pull_request, tmp_path):
    readme = pull_request / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + "- Tributary [[Paper]]()\n"), encoding="utf-8")
    git(pull_request, "commit", "-q", "-am", "add a broken entry")
    _, by_id = steps()
    with ReplayServers(Corpus.load(REPO / "data" / "recorded")) as servers:
        lint = run_step(by_id["lint"], pull_request, tmp_path, servers)
    assert lint.returncode == 1
    line = readme.read_text(encoding="utf-8").splitlines().index("- Tributary [[Paper]]()") + 1
    assert lint.stdout.startswith(f"::error file=README.md,line={line},title=sysml-bib empty-link::")


def test_without_a_committed_bibliography_the_base_list_is_resolved_first(tmp_path):
    repo = make_repository(tmp_path, with_bibliography=False)
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR + TRIBUTARY), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "add Tributary")
    _, by_id = steps()
    with ReplayServers(Corpus.load(REPO / "data" / "recorded")) as servers:
        built = run_step(by_id["bibliography"], repo, tmp_path, servers)
        assert built.returncode == 0, built.stderr
        calls = servers.calls()
        described = run_step(by_id["diff"], repo, tmp_path, servers)
    assert calls["dblp"] > 1  # the base list was looked up ...
    assert built.stderr.count("looked up 1;") == 1  # ... and then only the new paper
    comment = (tmp_path / "runner" / "sysml-bib-comment.md").read_text(encoding="utf-8")
    assert described.returncode == 0 and "**1 added, 0 removed, 0 changed, 0 renamed**" in comment
