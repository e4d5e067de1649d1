"""Entry types of books, theses, reports, talks, posts and collections in each dialect
(worktypes.py) and in CSL-JSON; biber's data model accepts them without a warning."""

import re
import subprocess

from sysml_bib import bibtex, csl
from sysml_bib.model import Person, Record

from conftest import require_tool


def record(key, entry_type, kind, authors=(), **fields):
    r = Record(key=key, entry_type=entry_type, kind=kind, authors=[Person(*a) for a in authors])
    for name, value in fields.items():
        r.set(name, value, "test")
    return r


BOOK = record("akidau2018streaming", "book", "book", [("Akidau", "Tyler")], title="Streaming Systems", year="2018",
              publisher="O'Reilly Media", isbn="9781491983874", url="https://example.org/b")
BOOK_UNKNOWN = record("bookunknown", "book", "book", title="A Book Nobody Found", isbn="9781617293726", url="https://example.org/c")
THESIS = record("thesislist", "phdthesis", "paper", title="A Thesis", type="PhD thesis", url="https://example.org/t.pdf")
THESIS_FULL = record("venkataraman2017system", "phdthesis", "paper", [("Venkataraman", "Shivaram")], title="System Design",
                     year="2017", school="University of California, Berkeley", type="PhD thesis")
REPORT = record("jeon2018multi", "techreport", "paper", [("Jeon", "Myeongjae")], title="Multi-tenant GPU clusters", year="2018",
                number="MSR-TR-2018-13", institution="Microsoft Research")
TALK = record("jordan2018perspectives", "misc", "talk", [("Jordan", "Michael")], title="Perspectives and Challenges", year="2018",
              eventtitle="SysML 2018", organization="SysML", url="https://www.youtube.com/watch?v=4inIBmY8dQI")
PLAYLIST = record("youtubescaledml", "misc", "talk", title="ScaledML 2019", year="2019", type="YouTube playlist",
                  url="https://www.youtube.com/playlist?list=x")
POST = record("sato2019continuous", "misc", "blog", [("Sato", "Danilo")], title="Continuous Delivery for Machine Learning",
              year="2019", month="sep", organization="martinfowler.com", url="https://martinfowler.com/articles/cd4ml.html")
ALL = [BOOK, BOOK_UNKNOWN, THESIS, THESIS_FULL, REPORT, TALK, PLAYLIST, POST]


def types(mode):
    return {r.key: bibtex.entry_fields(r, mode)[0] for r in ALL}


def test_types_per_dialect():
    assert types("bibtex") == {"akidau2018streaming": "book", "bookunknown": "misc", "thesislist": "misc",
                               "venkataraman2017system": "phdthesis", "jeon2018multi": "techreport",
                               "jordan2018perspectives": "misc", "youtubescaledml": "misc", "sato2019continuous": "misc"}
    assert types("biblatex") == {"akidau2018streaming": "book", "bookunknown": "misc", "thesislist": "misc",
                                 "venkataraman2017system": "phdthesis", "jeon2018multi": "report",
                                 "jordan2018perspectives": "misc", "youtubescaledml": "misc", "sato2019continuous": "online"}


def test_talk_event_is_a_note_and_survives_a_round_trip():
    text = bibtex.format_entry(TALK, "bibtex")
    assert "eventtitle    = {SysML 2018}" in text and "note          = {SysML 2018}" in text
    (back,) = bibtex.parse_bibliography(text).records
    assert bibtex.format_entry(back, "bibtex") == text  # the note is not doubled
    assert "eventtitle" not in bibtex.format_entry(back, "biblatex")


def test_csl_types_and_containers():
    items = {i["id"]: i for i in csl.csl_items(ALL)}
    assert items["sato2019continuous"]["type"] == "post-weblog" and items["sato2019continuous"]["container-title"] == "martinfowler.com"
    assert "publisher" not in items["sato2019continuous"]
    assert items["jordan2018perspectives"]["type"] == "speech" and items["jordan2018perspectives"]["event-title"] == "SysML 2018"
    assert items["youtubescaledml"]["type"] == "webpage" and items["youtubescaledml"]["genre"] == "YouTube playlist"
    assert items["akidau2018streaming"]["type"] == "book" and items["akidau2018streaming"]["ISBN"] == "9781491983874"
    assert items["jeon2018multi"]["type"] == "report" and items["jeon2018multi"]["number"] == "MSR-TR-2018-13"
    misc_thesis = csl.csl_item(bibtex.parse_bibliography(bibtex.format_entry(THESIS, "bibtex")).records[0])
    assert misc_thesis["type"] == "thesis" and misc_thesis["genre"] == "PhD thesis"  # @misc in the .bib, a thesis in CSL


def test_biber_accepts_every_type_and_warns_only_missing_dates(tmp_path):
    require_tool("biber")
    (tmp_path / "w.bib").write_text("\n".join(bibtex.format_entry(r, "biblatex") for r in ALL), encoding="utf-8")
    result = subprocess.run(["biber", "--tool", "--validate-datamodel", "w.bib"], capture_output=True, text=True,
                            timeout=120, check=False, cwd=tmp_path)
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if re.search(r"\bWARN\b", line) and "WARNINGS" not in line]
    undated = {r.key for r in ALL if not r.year}
    assert all("one of 'date, year'" in w for w in warnings), warnings
    assert {re.search(r"Entry '([^']+)'", w).group(1) for w in warnings} == undated


def test_bibtex_accepts_every_type_without_warning(tmp_path):
    require_tool("bibtex")
    dated = [r for r in ALL if r.year]
    (tmp_path / "w.bib").write_text("\n".join(bibtex.format_entry(r, "bibtex") for r in dated), encoding="utf-8")
    (tmp_path / "w.aux").write_text("\\relax\n" + "".join(f"\\citation{{{r.key}}}\n" for r in dated) + "\\bibstyle{plain}\n\\bibdata{w}\n")
    subprocess.run(["bibtex", "w"], capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path)
    log = (tmp_path / "w.blg").read_text()
    assert "Warning--" not in log and "error message" not in log, log
