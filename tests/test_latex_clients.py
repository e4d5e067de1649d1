"""The real consumers of references.bib: pdflatex + bibtex, and pdflatex + biber/biblatex.

A document cites every key; both runs must end with no error and no warning.
The document is set up the way a user citing Chinese titles with pdflatex would:
CJKutf8 with the gbsn font (italic mapped to upright, as gbsn has none).
"""

import re
import shutil
import subprocess

import bibtexparser
import pytest

from conftest import REFERENCES, require_tool

PREAMBLE = r"""\documentclass{article}
\usepackage[utf8]{inputenc}
\usepackage{url}
\usepackage{CJKutf8}
\makeatletter\input{c70gbsn.fd}\makeatother
\DeclareFontShape{C70}{gbsn}{m}{it}{<->ssub*gbsn/m/n}{}
"""


def keys():
    return [e.key for e in bibtexparser.parse_string(REFERENCES.read_text(encoding="utf-8")).entries]


def document(bib_setup: str, bibliography: str) -> str:
    cites = "\n".join(f"\\cite{{{k}}}" for k in keys())
    return f"{PREAMBLE}{bib_setup}\\begin{{document}}\n\\begin{{CJK*}}{{UTF8}}{{gbsn}}\n{cites}\n{bibliography}\n\\end{{CJK*}}\n\\end{{document}}\n"


def run(cmd, cwd):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    return result


def latex_problems(log: str) -> list[str]:
    return [line for line in log.splitlines() if re.search(r"Warning|^!|Error", line) and "infwarerr" not in line]


@pytest.fixture
def workdir(tmp_path):
    for tool in ("pdflatex", "kpsewhich"):
        require_tool(tool)
    if not run(["kpsewhich", "CJKutf8.sty"], tmp_path).stdout.strip():
        pytest.fail("CJKutf8.sty is missing: install latex-cjk-chinese and latex-cjk-chinese-arphic-gbsn00lp")
    shutil.copy(REFERENCES, tmp_path / "references.bib")
    return tmp_path


def test_pdflatex_bibtex_plain_cites_every_key_cleanly(workdir):
    require_tool("bibtex")
    (workdir / "doc.tex").write_text(document("", "\\bibliographystyle{plain}\n\\bibliography{references}"))
    first = run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], workdir)
    assert first.returncode == 0, first.stdout[-3000:]
    bib = run(["bibtex", "doc"], workdir)
    blg = (workdir / "doc.blg").read_text()
    assert bib.returncode == 0, blg
    assert "Warning--" not in blg and "error message" not in blg, blg
    for _ in range(2):
        final = run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], workdir)
    assert final.returncode == 0
    assert latex_problems((workdir / "doc.log").read_text(errors="replace")) == []
    bbl = (workdir / "doc.bbl").read_text()
    assert bbl.count("\\bibitem") == len(keys()) == 214


def test_pdflatex_biber_biblatex_cites_every_key_cleanly(workdir):
    require_tool("biber")
    setup = "\\usepackage[backend=biber,style=numeric]{biblatex}\n\\addbibresource{references.bib}\n"
    (workdir / "doc.tex").write_text(document(setup, "\\printbibliography"))
    first = run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], workdir)
    assert first.returncode == 0, first.stdout[-3000:]
    biber = run(["biber", "doc"], workdir)
    blg = (workdir / "doc.blg").read_text()
    assert biber.returncode == 0, blg
    assert not re.search(r"\b(WARN|ERROR)\b", blg), blg
    for _ in range(2):
        final = run(["pdflatex", "-interaction=nonstopmode", "doc.tex"], workdir)
    assert final.returncode == 0
    assert latex_problems((workdir / "doc.log").read_text(errors="replace")) == []
    bbl = (workdir / "doc.bbl").read_text()
    # biber adds a data-only clone per `related` key (a software item and the paper it asks for)
    assert sum(f"\\entry{{{key}}}" in bbl for key in keys()) == len(keys()) == 214
