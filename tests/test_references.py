"""references.bib is what the code builds from the bundled list, and loses no item."""

from sysml_bib import bibtex
from sysml_bib.build import build_bibliography
from sysml_bib.parse import parse_files
from sysml_bib.resolve import Store
from sysml_bib.resources import bundled_list

from conftest import REFERENCES, REPO

REPORT = REPO / "references-report.json"


def test_references_bib_is_up_to_date():
    published = bibtex.read_bibliography(str(REFERENCES)).records
    result = build_bibliography(parse_files([bundled_list()]), published, [bundled_list().name], Store.load(REPORT))
    assert result.text == REFERENCES.read_text(encoding="utf-8"), "run: make references"
    assert result.keys.new == [] and result.keys.renames == {} and result.keys.dropped == []


def test_every_list_item_is_in_exactly_one_record():
    parsed = parse_files([bundled_list()])
    records = bibtex.read_bibliography(str(REFERENCES)).records
    result = build_bibliography(parsed, records, [bundled_list().name], Store.load(REPORT))
    places = [place for record in result.records for place in record.items]
    assert sorted(places) == sorted((item.file, item.line) for item in parsed.items)
    assert len(places) == 203  # line 131 names two blog posts ("[[Part1]] ... [[Part2]]"): two items, one line
    # DeepCPU and one blog post are listed twice; 13 papers are asked for by repositories (no list item)
    assert len(result.records) == len(records) == 214
    assert sum(1 for r in result.records if not r.items) == 13


def test_every_entry_can_be_sorted_and_titled():
    text = REFERENCES.read_text(encoding="utf-8")
    import bibtexparser

    for entry in bibtexparser.parse_string(text).entries:
        fields = entry.fields_dict
        assert "title" in fields, entry.key
        assert "author" in fields or "key" in fields, entry.key
        if entry.entry_type in ("inproceedings", "article"):
            assert "year" in fields, entry.key


def test_papers_on_list_only_data_are_counted_and_explained_in_readme():
    import json
    import re

    report = json.loads(REPORT.read_text(encoding="utf-8"))
    listed = {k: w for k, w in report["works"].items() if w["kind"] == "paper" and "origin" not in w}
    list_only = sorted(k for k, w in listed.items() if w["status"] == "list-only")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*(\d+) papers rely on list-only data\*\*", readme)
    assert stated and int(stated.group(1)) == len(list_only)
    for key in list_only:
        assert f"| `{key}` |" in readme, key
    # The papers repositories ask for: counted, each named with how far it resolved.
    asked = {k: w for k, w in report["works"].items() if w.get("origin")}
    stated = re.search(r"\*\*(\d+) papers are asked for by the repositories\*\*", readme)
    assert stated and int(stated.group(1)) == len(asked)
    for key in asked:
        assert f"| `{key}` |" in readme, key
    # each is resolved from a source, with its complete authors (checked below), year and venue or eprint
    unresolved = sorted(k for k, w in asked.items() if w["status"] != "resolved")
    stated = re.search(r"(\d+) of them are resolved", readme)
    assert stated and int(stated.group(1)) == len(asked) - len(unresolved)
    # every other paper has complete authors (no "et al."), a title, a year and a venue or eprint
    records = {r.key: r for r in bibtex.read_bibliography(str(REFERENCES)).records}
    for key, work in report["works"].items():
        if work["status"] == "resolved" and work["kind"] == "paper":
            record = records[key]
            assert record.authors and not record.authors_truncated, key
            where = ("booktitle", "journal", "eprint", "school", "institution")  # theses and reports name their place
            assert record.year and any(record.fields.get(name) for name in where), key


def test_software_without_version_or_named_authors_is_counted_and_named_in_readme():
    import json
    import re

    report = json.loads(REPORT.read_text(encoding="utf-8"))
    records = {r.key: r for r in bibtex.read_bibliography(str(REFERENCES)).records}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    software = {k: w for k, w in report["works"].items() if w["kind"] == "software"}
    resolved = {k: w for k, w in software.items() if w["status"] == "resolved"}
    assert len(software) == 84 and len(resolved) == 82
    for key, work in resolved.items():
        record = records[key]
        assert record.title and record.year and record.fields["date"].startswith(record.year), key
        assert record.fields.get("abstract") != record.title  # the list's description is not the title
    unversioned = sorted(k for k in resolved if "version" not in records[k].fields)
    for key in unversioned:  # no version only where the repository has no version tag
        assert "no version tag" in resolved[key]["extra"]["version_from"], key
    login = sorted(k for k, w in resolved.items() if w["accepted"][0]["fields"]["author_from"].startswith("owner login"))
    for label, keys in (("No version", unversioned), ("The owner's login as author", login)):
        stated = re.search(r"\*\*" + label + r"\*\* \((\d+)", readme)
        assert stated and int(stated.group(1)) == len(keys), label
        for key in keys:
            assert f"`{key}`" in readme, key
    for key in sorted(set(software) - set(resolved)):
        assert f"`{key}`" in readme, key


def test_undated_books_talks_posts_and_sites_are_counted_and_named_in_readme():
    import json
    import re

    report = json.loads(REPORT.read_text(encoding="utf-8"))
    web = report["summary"]["web"]
    records = {r.key: r for r in bibtex.read_bibliography(str(REFERENCES)).records}
    kinds = {"talk", "blog", "book", "course", "website"}
    undated = sorted(k for k, r in records.items() if r.kind in kinds and not r.year)
    assert undated == sorted(web["undated"]) and web["works"] == sum(r.kind in kinds for r in records.values())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Books, talks, posts, courses and sites in references.bib"):readme.index("## Using references.bib")]
    stated = re.search(r"These (\d+) have no date", section)
    assert stated and int(stated.group(1)) == len(undated)
    for key in undated:
        assert f"`{key}`" in section, key
    counts = re.search(r"(\d+) have authors and (\d+) a year", section)
    assert counts and (int(counts.group(1)), int(counts.group(2))) == (web["with_author"], web["with_year"])


def test_every_book_found_in_a_catalogue_is_a_complete_book_entry():
    import json
    import re

    report = json.loads(REPORT.read_text(encoding="utf-8"))
    records = {r.key: r for r in bibtex.read_bibliography(str(REFERENCES)).records}
    for key, work in report["web_works"].items():
        record = records[key]
        if record.kind == "book":
            assert record.authors and "openlibrary" in work["sources"], key  # every book has its authors
            if record.year:
                assert record.entry_type == "book" and record.fields.get("publisher"), key
        aside = re.search(r"\(([^()]+)\)\s*$", record.title)
        assert not (aside and any(w.islower() and len(w) > 1 for w in aside.group(1).split())), key  # no aside left in a title
