"""Property tests (hypothesis, fixed seed and example budget): parser and writer on hostile input."""

import re
import subprocess

import bibtexparser
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from pybtex.plugin import find_plugin

from sysml_bib import bibtex
from sysml_bib.model import Person, Record
from sysml_bib.normalize import records_from_items
from sysml_bib.parse import ROLES, ROW_ROLES, parse_text

from conftest import require_tool

# What pybtex.database.parse_string(text, "bibtex") uses, looked up once: the lookup scans
# every installed package's entry points (two thirds of the writer test's time when done per example).
PYBTEX_BIBTEX_PARSER = find_plugin("pybtex.database.input", "bibtex")

FUZZ = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Markdown made of the pieces lists are made of, in any order and nesting.
PIECES = st.sampled_from([
    "- ", "  - ", "    - ", "* ", "1. ", "## ", "#### ", "```", "\n", "\n\n", "[", "]", "(", ")", "[[Paper]]",
    "(https://arxiv.org/abs/1811.06965)", "(https://github.com/a/b)", "(https://www.usenix.org/system/files/x.pdf)",
    "()", "(#anchor)", "(javascript:x)", "Chen, Tianqi, et al.", " (*OSDI 2018*)", "Summary: ", "{PRETZEL}",
    "<b>", "</b>", "|", "---", "**", "_", "`", "\\", "😀", "\u202e", "é", "\r\n", "\ufeff", "\t", "Title: words",
    "| Title | Year |\n", "|---|---|\n", "[VLDB'23] ", "<!--", "-->", "<details>", "<summary>S</summary>", "2019 | ",
])
MARKDOWN = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join)
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


@FUZZ
@seed(20261128)
@given(MARKDOWN)
def test_parser_never_raises_and_loses_no_bullet(text):
    parsed = parse_text(text, "fuzz.md")
    counts = parsed.counts()
    assert sum(counts[role] for role in ROLES) == counts["bullets"] == len(parsed.bullets)
    assert sum(counts[f"row_{role}"] for role in ROW_ROLES) == counts["table_rows"]  # every table row has a role too
    lines = [b.line for b in parsed.bullets]
    assert len(lines) == len(set(lines))
    for bullet in parsed.bullets:
        assert bullet.role in ROLES
        if bullet.role in ("item", "continuation"):
            assert bullet.item is not None
    # count in = count out: every item ends in exactly one record
    records = records_from_items(parsed.items)
    places = sorted(place for record in records for place in record.items)
    assert places == sorted((item.file, item.line) for item in parsed.items)


@FUZZ
@seed(20261128)
@given(st.text(max_size=400))
def test_parser_on_arbitrary_text(text):
    parsed = parse_text(text, "fuzz.md")
    body = text.lstrip("\ufeff").splitlines()
    in_fence, candidates = False, 0
    for line in body:
        if re.match(r"^ {0,3}(```|~~~)", line):
            in_fence = not in_fence
            continue
        if _BULLET.match(line) and not re.match(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$", line):
            candidates += 1
    assert parsed.counts()["bullets"] == candidates


# Field values: anything printable, with the characters that break BibTeX over-represented.
HOSTILE = st.sampled_from(list("{}\\%#&$_~^\"'@,=") + ["\u0301", "\u05d0\u05d1", "\u202e", "😀", "继", "ß", "ø", " and ", "--"])
VALUE = st.lists(st.one_of(HOSTILE, st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=6)),
                 min_size=1, max_size=12).map(lambda parts: " ".join("".join(parts).split()))
NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), blacklist_characters=",{}\\"), min_size=1, max_size=10)


def record(title: str, note: str, family: str, given: str, key: str = "fuzz2020x") -> Record:
    rec = Record(key=key, entry_type="misc", kind="paper", authors=[Person(family, given)])
    rec.fields.update({"title": title, "note": note, "year": "2020"})
    rec.sections = [("Fuzz", note[:10] or "x")]
    return rec


@FUZZ
@seed(20261128)
@given(VALUE, VALUE, NAME, NAME)
def test_writer_output_reads_back_to_the_same_values(title, note, family, given):
    for mode in bibtex.MODES:
        text = bibtex.format_entry(record(title, note, family, given), mode)
        library = bibtexparser.parse_string(text)
        assert library.failed_blocks == [], text
        back = bibtex.parse_bibliography(text).records[0]
        assert back.title == title and back.fields["note"] == note
        assert (back.authors[0].family, back.authors[0].given) == (family, given)
        PYBTEX_BIBTEX_PARSER().parse_string(text)  # raises on anything it cannot read


@settings(max_examples=4, deadline=None, derandomize=True)
@seed(20261128)
@given(st.lists(st.tuples(VALUE, VALUE, NAME, NAME), min_size=40, max_size=40))
def test_bibtex_accepts_hostile_entries(tmp_path_factory, batch):
    require_tool("bibtex")
    folder = tmp_path_factory.mktemp("bibtex")
    records = [record(t, n, f, g, key=f"fuzz{i}") for i, (t, n, f, g) in enumerate(batch)]
    (folder / "fuzz.bib").write_text(bibtex.format_bibliography(records, "bibtex"), encoding="utf-8")
    (folder / "doc.aux").write_text("\\citation{*}\n\\bibstyle{plain}\n\\bibdata{fuzz}\n", encoding="utf-8")
    result = subprocess.run(["bibtex", "doc"], cwd=folder, capture_output=True, text=True, timeout=60, check=False)
    log = (folder / "doc.blg").read_text(errors="replace")
    assert result.returncode == 0, log
    assert "error message" not in log and "Warning--" not in log, log
    assert (folder / "doc.bbl").read_text(errors="replace").count("\\bibitem") == 40
