"""The recorded web corpus (data/recorded/web/) is what tools/make_web_corpus.py makes of
data/public-records/web/, every value names its page, and the pages read back to the values."""

import importlib.util
import json

from conftest import REPO

from sysml_bib.sources import web

PUBLIC = REPO / "data" / "public-records" / "web"
RECORDED = REPO / "data" / "recorded" / "web"


def _tool():
    spec = importlib.util.spec_from_file_location("make_web_corpus", REPO / "tools" / "make_web_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _records():
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(PUBLIC.glob("*.json"))}


def test_every_recorded_value_names_the_page_it_was_read_on():
    for name, record in _records().items():
        assert record["kind"] in ("page", "edition", "work", "video"), name
        for field, value in record["fields"].items():
            assert value["value"] not in ("", [], None) and value["source"].strip(), (name, field)
        if record["kind"] == "page":
            assert record.get("markup_note"), name  # the markup is a reconstruction: each page says so


def test_the_recorded_pages_are_the_public_records_rendered():
    tool = _tool()
    pages = [r for r in _records().values() if r["kind"] == "page"]
    assert len(pages) == len(list((RECORDED / "pages").rglob("*.html")))
    for record in pages:
        name = str(tool.page_name(record["url"]))
        path = RECORDED / "pages" / (name if name.endswith(".html") else name + ".html")
        assert path.read_text(encoding="utf-8") == tool.render_page(record), f"{path} is stale: run tools/make_web_corpus.py"


def test_the_pages_read_back_to_their_values_with_the_kind_of_date_they_carry():
    tool = _tool()
    for name, record in _records().items():
        if record["kind"] != "page":
            continue
        value = lambda field: tool.value(record, field)  # noqa: E731
        meta = web.read_metadata(tool.render_page(record), record["url"])
        candidate = web.candidate(meta)
        assert meta.title == value("title"), name
        if value("event_date"):
            assert (candidate.fields["year"], candidate.fields["datekind"]) == (value("event_date")[:4], "event"), name
            assert meta.speakers == (value("speakers") or []), name
        elif value("term_date"):
            assert (candidate.fields["year"], candidate.fields["note"]) == (value("term_date")[:4], value("term")), name
        elif value("date"):
            kind = "upload" if record.get("schema_type") == "video" else "page"
            assert (candidate.fields["year"], candidate.fields["datekind"]) == (value("date")[:4], kind), name
        else:
            assert "year" not in candidate.fields, name  # no date seen, none served
        if value("channel"):
            assert candidate.fields["organization"] == value("channel"), name
