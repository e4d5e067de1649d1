"""What each command imports: ``export`` nothing new, ``lint`` and ``diff`` no network stack.

Start-up time itself is measured in ``benchmarks/run.py``; this checks the cause.
"""

import subprocess
import sys

import pytest

from conftest import REFERENCES, REPO

CODE = (
    "import sys, io, contextlib\n"
    "from sysml_bib.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()): main(sys.argv[1:])\n"
    "print(' '.join(sorted(m for m in sys.modules if m.startswith('sysml_bib') or '.' not in m)))\n"
)


def imported(*args):
    result = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True, cwd=REPO, check=True)
    return set(result.stdout.split())


# The benchmark's baseline (with the harness's own io and contextlib): what export loads beyond it is its own cost.
BARE_PARSE = (
    "import sys, io, contextlib, bibtexparser\n"
    "bibtexparser.parse_file(sys.argv[1])\n"
    "print(' '.join(sorted(m for m in sys.modules if '.' not in m)))\n"
)
# argparse and what the gettext look-ups it makes for every parser import: a command line's cost.
ARGPARSE = {"argparse", "gettext", "locale", "_locale", "errno"}


def test_export_imports_only_what_it_uses():
    modules = {m for m in imported("export", "--section", "Training") if m.startswith("sysml_bib")}
    assert modules == {
        "sysml_bib", "sysml_bib.cli", "sysml_bib.commands", "sysml_bib.commands.common", "sysml_bib.commands.export",
        "sysml_bib.bibtex", "sysml_bib.latex", "sysml_bib.record", "sysml_bib.resources", "sysml_bib.select",
    }


def test_export_loads_no_library_a_bare_bibtexparser_parse_does_not_beyond_argparse():
    """Each would slow its start: pathlib (with urllib.parse and ipaddress; the bundled files are
    found with os.path), shutil (with zlib, bz2 and lzma; argparse's formatter is told the terminal
    width), the writer's and the pipeline's modules. Modules the interpreter's start-up already
    loaded (a site-packages .pth may import pathlib) are in the baseline too, so they never count."""
    bare = subprocess.run([sys.executable, "-c", BARE_PARSE, str(REFERENCES)], capture_output=True, text=True, check=True)
    baseline = set(bare.stdout.split())
    for args in (["export", "--section", "Training"], ["export", "--bib", str(REFERENCES), "--kind", "software"]):
        extra = {m for m in imported(*args) - baseline if not m.startswith("sysml_bib")}
        assert extra <= ARGPARSE, f"export {' '.join(args)} loads {sorted(extra - ARGPARSE)}"


@pytest.mark.parametrize("args", [["lint"], ["diff", str(REFERENCES), str(REFERENCES)]])
def test_lint_and_diff_do_not_load_the_network_stack(args):
    modules = imported(*args)
    assert not modules & {"requests", "requests_cache", "arxiv", "rich", "lxml", "urllib3"}
    assert not any(m.startswith(("sysml_bib.sources", "sysml_bib.resolve", "sysml_bib.http")) for m in modules)


def test_diff_finds_the_key_map_where_build_writes_it(tmp_path):
    from sysml_bib.build import keymap_path
    from sysml_bib.maintainers.diff import keymap_file

    assert keymap_file(tmp_path / "references.bib") == keymap_path(tmp_path / "references.bib")
