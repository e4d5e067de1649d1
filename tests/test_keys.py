import json
import re

from sysml_bib import bibtex
from sysml_bib.build import build_bibliography, write_keymap
from sysml_bib.keys import candidate_keys
from sysml_bib.normalize import identities, record_from_item, records_from_items
from sysml_bib.parse import parse_files, parse_text
from sysml_bib.resources import bundled_list

from sysml_bib.resolve import Store

from conftest import REFERENCES, REPO


def published():
    return bibtex.read_bibliography(str(REFERENCES)).records


def build(text, old, recorded_lookups=False):
    """Build offline; with ``recorded_lookups``, as `sysml-bib build` does beside references.bib."""
    parsed = parse_text(text, "list.md")
    store = Store.load(REPO / "references-report.json") if recorded_lookups else None
    return build_bibliography(parsed, old, ["list.md"], store)


def test_key_shape():
    parsed = parse_text(
        "## S\n"
        "- Clipper [[Paper]](https://www.usenix.org/system/files/conference/nsdi17/nsdi17-crankshaw.pdf)\n"
        "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
        "- Infrastructure for Usable ML\n  - Ré, Christopher, and Søren Ørsted (*CIDR 2017*)\n"
        "- Horovod: training [[GitHub]](https://github.com/uber/horovod)\n"
        "- Streaming Systems [[Book]](https://www.oreilly.com/library/view/streaming-systems/9781491983867/)\n",
        "l.md",
    )
    result = build_bibliography(parsed, [], ["l.md"])
    assert [r.key for r in result.records] == ["crankshaw2017clipper", "re2017infrastructure", "uberhorovod", "oreillystreaming"]
    assert all(re.fullmatch(r"[a-z0-9]+", r.key) for r in result.records)


def test_reordering_colliding_newcomers_and_changed_years_keep_every_published_key():
    old = published()
    old_keys = {r.key for r in old}
    text = bundled_list().read_text(encoding="utf-8")
    head, *sections = re.split(r"\n(?=## )", text)
    changed = head + "\n" + "\n".join(reversed(sections))  # sections in the opposite order
    changed = changed.replace("Xiao, Wencong, et al. (*OSDI 2018*)", "Xiao, Wencong, et al. (*OSDI 2019*)")
    changed += (
        "\n## New\n"
        "- Clipper: Another Prediction Serving Study [[Paper]](https://example.org/c2.pdf)\n"
        "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
        "- Clipper: Another Prediction Serving Study Again [[Paper]](https://example.org/c3.pdf)\n"
        "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
        "- Clipper [[Paper]](https://example.org/c4.pdf)\n"
        "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    )
    result = build(changed, old, recorded_lookups=True)
    # every published work keeps its key: match old and new records by identity (DOI, arXiv id, URL, title)
    for before in old:
        after = [r for r in result.records if identities(r) & identities(before)]
        assert [r.key for r in after] == [before.key], before.key
    gandiva = next(r for r in result.records if r.key == "xiao2018gandiva")
    assert gandiva.year == "2018"  # the list now says 2019; the recorded USENIX lookup keeps the venue year
    new_by_title = {r.title: r.key for r in result.records}
    assert new_by_title["Clipper: Another Prediction Serving Study"] == "crankshaw2017clipperanother"
    # one more title word would pass 30 characters: a letter instead
    assert new_by_title["Clipper: Another Prediction Serving Study Again"] == "crankshaw2017clippera"
    assert new_by_title["Clipper"] == "crankshaw2017clipperb"
    assert result.keys.renames == {} and result.keys.dropped == [] and result.keys.provisional == {}
    assert set(result.keys.new) == {"crankshaw2017clipperanother", "crankshaw2017clippera", "crankshaw2017clipperb"}
    assert old_keys <= {r.key for r in result.records}


def test_keys_are_unique_case_insensitively_and_dead_keys_are_not_reused():
    old = published()
    text = "## S\n- Clipper: A Low-Latency Online Prediction Serving System, revisited [[Paper]](https://e.org/x.pdf)\n  - Crankshaw, Daniel (*NSDI 2017*)\n"
    result = build(text, old)
    assert result.records[0].key not in {r.key for r in old}
    assert result.keys.dropped and "crankshaw2017clipper" in result.keys.dropped


def test_two_published_keys_of_one_work_merge_and_the_map_is_written(tmp_path):
    text = (
        "## A\n- Paper One [[Paper]](https://arxiv.org/abs/1811.06965)\n  - Huang, Yanping (*NeurIPS 2019*)\n"
        "## B\n- Paper One, Extended Title [[Paper]](https://example.org/p.pdf)\n  - Huang, Yanping (*NeurIPS 2019*)\n"
    )
    first = build(text, [])
    assert [r.key for r in first.records] == ["huang2019paper", "huang2019paperone"]
    old = bibtex.parse_bibliography(first.text).records
    # the list now links the second item to the same arXiv paper: one work
    merged = build(text.replace("https://example.org/p.pdf", "https://arxiv.org/pdf/1811.06965.pdf"), old)
    assert [r.key for r in merged.records] == ["huang2019paper"]
    assert merged.records[0].sections == [("A",), ("B",)]
    assert merged.keys.renames == {"huang2019paperone": "huang2019paper"}
    out = tmp_path / "references.bib"
    path = write_keymap(out, merged.keys.renames)
    assert path.name == "references-keymap.json"
    assert '"huang2019paperone": "huang2019paper"' in path.read_text()


def test_duplicate_listing_is_one_record_with_both_sections():
    parsed = parse_files([bundled_list()])
    records = records_from_items(parsed.items)
    deepcpu = [r for r in records if "deepcpu" in r.title.lower()]
    assert len(deepcpu) == 1
    assert deepcpu[0].sections == [("Model Serving",), ("Machine Learning System Papers (Inference)",)]
    assert deepcpu[0].title == "DeepCPU: Serving RNN-based Deep Learning Models 10x Faster"
    assert [p.given for p in deepcpu[0].authors] == ["Minjia", "Samyam", "Wenhan", "Yuxiong"]
    assert len(deepcpu[0].items) == 2


def test_candidate_keys_extend_with_title_words():
    parsed = parse_text("- The Clipper of Serving Systems [[P]](https://e.org/a.pdf)\n  - Crankshaw, D. (*NSDI 2017*)\n", "x")
    # a third word would make 34 characters: keys stay within 30
    assert candidate_keys(record_from_item(parsed.items[0])) == ["crankshaw2017clipper", "crankshaw2017clipperserving"]


# ----------------------------------------------------------------------------- provisional keys

AUTHORLESS = (
    "## Serving\n"
    "- Nexus is a scalable and efficient serving system [[Paper]](https://www.semanticscholar.org/paper/Nexus/abc123.pdf)\n"
    "- The End-to-End Arguments in System Design [[Paper]](https://web.mit.edu/Saltzer/www/publications/endtoend/endtoend.pdf)\n"
    "  - Saltzer, Jerome H., et al.\n"
    "- Efficient Memory Management for Serving [[Paper]](https://arxiv.org/abs/2309.06180)\n"
    "- Clipper: A Low-Latency Online Prediction Serving System [[Paper]](https://e.org/clipper.pdf)\n"
    "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    "- Horovod [[GitHub]](https://github.com/uber/horovod)\n"
)
KNOWN = (
    AUTHORLESS.replace("abc123.pdf)\n", "abc123.pdf)\n  - Shen, Haichen, et al. (*SOSP 2019*)\n")
    .replace("Saltzer, Jerome H., et al.\n", "Saltzer, Jerome H., et al. (*ACM TOCS 1984*)\n")
    .replace("2309.06180)\n", "2309.06180)\n  - Kwon, Woosuk, et al. (*SOSP 2023*)\n")
    .replace("Crankshaw, Daniel, et al. (*NSDI 2017*)", "Smith, Jane, et al. (*NSDI 2018*)")
)


def test_provisional_keys_are_renamed_once_with_an_alias_and_author_year_keys_never(tmp_path):
    first = build(AUTHORLESS, [])
    assert [r.key for r in first.records] == ["semanticscholarnexus", "saltzerend", "arxiv2023efficient", "crankshaw2017clipper", "uberhorovod"]
    old = bibtex.parse_bibliography(first.text).records
    second = build(KNOWN, old)
    assert [r.key for r in second.records] == ["shen2019nexus", "saltzer1984end", "kwon2023efficient", "crankshaw2017clipper", "uberhorovod"]
    assert second.keys.provisional == {"semanticscholarnexus": "shen2019nexus", "saltzerend": "saltzer1984end", "arxiv2023efficient": "kwon2023efficient"}
    assert second.keys.new == [] and second.keys.dropped == [] and second.keys.renames == {}
    # the old key stays citable: biblatex `ids` in both dialects
    assert "  ids           = {semanticscholarnexus},\n" in second.text
    assert "ids           = {saltzerend}" in bibtex.format_bibliography(second.records, "biblatex")
    # once: the next run keeps the author-year key and its alias, whatever the metadata does
    again = build(KNOWN.replace("Shen, Haichen", "Other, Person").replace("SOSP 2019", "SOSP 2020"), bibtex.parse_bibliography(second.text).records)
    nexus = next(r for r in again.records if "Nexus" in r.title)
    assert nexus.key == "shen2019nexus" and nexus.fields["ids"] == "semanticscholarnexus"
    assert again.keys.provisional == {} and again.keys.new == []


def test_a_provisional_key_stays_until_both_author_and_year_are_known():
    old = bibtex.parse_bibliography(build(AUTHORLESS, []).text).records
    only_year = AUTHORLESS.replace("abc123.pdf)\n", "abc123.pdf)\n  - (*SOSP 2019*)\n")
    result = build(only_year, old)
    assert result.keys.provisional == {} and "semanticscholarnexus" in {r.key for r in result.records}


def test_the_key_map_and_the_report_keep_the_alias(cli, tmp_path, monkeypatch):
    listing, out = tmp_path / "list.md", tmp_path / "refs.bib"
    listing.write_text(AUTHORLESS, encoding="utf-8")
    assert cli("build", "--list", str(listing), "--out", str(out)).code == 0
    listing.write_text(KNOWN, encoding="utf-8")
    for name in ("ARXIV", "DBLP", "USENIX"):
        monkeypatch.setenv(f"SYSML_BIB_{name}_URL", "http://127.0.0.1:9")
    run = cli("resolve", "--offline", "--no-progress", "--list", str(listing), "--out", str(out), "--cache-dir", str(tmp_path / "c"))
    assert run.code == 0, run.err
    assert "key semanticscholarnexus was provisional (made without a person author or a year): now shen2019nexus" in run.err
    keymap = json.loads((tmp_path / "refs-keymap.json").read_text())
    assert keymap == {"arxiv2023efficient": "kwon2023efficient", "saltzerend": "saltzer1984end", "semanticscholarnexus": "shen2019nexus"}
    report = json.loads((tmp_path / "refs-report.json").read_text())
    assert report["works"]["shen2019nexus"]["aliases"] == ["semanticscholarnexus"]
    # a later run changes nothing more
    again = cli("build", "--list", str(listing), "--out", str(out))
    assert again.code == 0 and "provisional" not in again.err and cli("build", "--check", "--list", str(listing), "--out", str(out)).code == 0


def test_keys_stay_within_30_characters():
    parsed = parse_text(
        "- Hyperparameteroptimizationframeworkarchitectures [[P]](https://e.org/a.pdf)\n  - Vanderwaalsschmidt, A. (*OSDI 2019*)\n"
        "- Hyperparameteroptimizationframeworkarchitectures, again [[P]](https://e.org/b.pdf)\n  - Vanderwaalsschmidt, A. (*OSDI 2019*)\n"
        "- Awesome production machine learning [[GitHub]](https://github.com/EthicalML/awesome-production-machine-learning)\n",
        "l.md",
    )
    keys = [r.key for r in build_bibliography(parsed, [], ["l.md"]).records]
    assert keys == ["vanderwaalsschmidt2019hyperpar", "vanderwaalsschmidt2019hyperpara", "ethicalmlawesomeproductionmach"]
    assert all(len(k) <= 31 for k in keys)


def test_a_repositorys_citation_of_itself_once_written_as_a_paper_gives_the_software_its_key():
    """README `@misc{..., howpublished = {\\url{https://github.com/videoflow/videoflow}}}` was read as a
    paper (`armas2019videoflow`) beside the software (`videoflowvideoflow`); read as the software's own
    citation, the one work keeps the author-year key and the provisional one as an alias."""
    from sysml_bib.keys import assign_keys
    from sysml_bib.model import Person, Record

    def software(key, authors, year):
        record = Record(key=key, entry_type="misc", kind="software", authors=authors)
        record.set("title", "Videoflow", "test")
        record.set("url", "https://github.com/videoflow/videoflow", "test")
        if year:
            record.set("year", year, "test")
        return record

    listed = software("videoflowvideoflow", [Person("videoflow", literal=True)], "")
    paper = Record(key="armas2019videoflow", entry_type="misc", kind="paper", authors=[Person("de Armas", "Jadiel")])
    paper.set("title", "Videoflow", "test")
    paper.set("year", "2019", "test")
    paper.set("related", "videoflowvideoflow", "test")
    now = software("", [Person("de Armas", "Jadiel")], "2026")
    result = assign_keys([now], [listed, paper])
    assert now.key == "armas2019videoflow" and now.fields["ids"] == "videoflowvideoflow"
    assert result.provisional == {"videoflowvideoflow": "armas2019videoflow"} and result.dropped == []
    # a paper of another title is another work: the software gets a fresh key, the paper's key is dropped
    other = Record(key="armas2019flows", entry_type="misc", kind="paper", authors=[Person("de Armas", "Jadiel")])
    other.set("title", "Flows", "test")
    other.set("related", "videoflowvideoflow", "test")
    again = software("", [Person("de Armas", "Jadiel")], "2026")
    result = assign_keys([again], [listed, other])
    assert again.key == "armas2026videoflow" and result.dropped == ["armas2019flows"]
