import io
import os
import shutil
import sys
from dataclasses import dataclass
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
