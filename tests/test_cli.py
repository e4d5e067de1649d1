import json
import os
import subprocess
import sys

import bibtexparser

from sysml_bib import bibtex

from conftest import REFERENCES

TRAINING = "Machine Learning System Papers (Training)"


def entries(text):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return library.entries


def test_export_training_gives_exactly_the_training_sections(cli):
    run = cli("export", "--section", "Training")
    assert run.code == 0
    got = entries(run.out)
    assert len(got) == 17  # 15 list items and the 2 papers Horovod's and Lingvo's READMEs ask for
    assert run.out.startswith("@") and run.out.endswith("}\n")
    # exactly the records of references.bib filed under the Training heading
    expected = [r.key for r in bibtex.read_bibliography(str(REFERENCES)).records
                if any(path[0] == TRAINING for path in r.sections)]
    assert [e.key for e in got] == expected
    assert "xiao2018gandiva" in expected and "uberhorovod" in expected and "sergeev2018horovod" in expected
    assert "17 of 214 entries" in run.err


def test_export_from_the_installed_console_script_keeps_stdout_pure(tmp_path):
    env = {k: v for k, v in os.environ.items()}
    result = subprocess.run(
        [sys.executable, "-m", "sysml_bib", "export", "--section", "Distributed Training"],
        capture_output=True, text=True, cwd=tmp_path, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(entries(result.stdout)) == 17
    assert result.stderr.strip() == "17 of 214 entries exported from references.bib"


def test_section_matching_rules(cli):
    assert len(entries(cli("export", "--section", "survey").out)) == 12 + 2  # both "Survey" headings
    assert len(entries(cli("export", "--section", "AutoML System > Survey").out)) == 2
    assert len(entries(cli("export", "--section", "Training(Parallelism)").out)) == 11
    both = cli("export", "--section", "Book", "--section", "Course")
    assert len(entries(both.out)) == 10
    edge = cli("export", "--section", "Edge AI")  # a table-of-contents alias
    assert len(entries(edge.out)) == 11  # with the papers the MNN and mobile-vision READMEs ask for


def test_unknown_section_is_a_usage_error_naming_the_closest(cli):
    run = cli("export", "--section", "Trainng")
    assert run.code == 2 and run.out == ""
    assert "no section matches 'Trainng'" in run.err and "closest:" in run.err and "Training" in run.err


def test_kind_filter_and_biblatex_format(cli):
    software = entries(cli("export", "--kind", "software").out)
    assert len(software) == 84 and {e.entry_type for e in software} == {"misc"}
    run = cli("export", "--section", "Survey", "--kind", "paper", "--format", "biblatex")
    assert run.code == 0
    assert "Ré, Christopher" in run.out and "archivePrefix" not in run.out and "eprinttype    = {arxiv}" in run.out
    assert "@software" in cli("export", "--kind", "software", "--format", "biblatex").out


def test_bad_usage_exits_2(cli):
    assert cli("export", "--kind", "poem").code == 2
    assert cli("frobnicate").code == 2
    run = cli("export", "--bib", "/nonexistent.bib")
    assert run.code == 2 and "bibliography not found" in run.err
    run = cli("parse", "--list", "/nonexistent.md")
    assert run.code == 2 and "list file not found: /nonexistent.md" in run.err


def test_malformed_bib_exits_1_naming_the_line(cli, tmp_path):
    bad = tmp_path / "bad.bib"
    bad.write_text("@misc{a, title={x}}\n@misc{b, title = {unclosed\n")
    run = cli("export", "--bib", str(bad))
    assert run.code == 1 and run.out == ""
    assert f"{bad}:2: cannot read this entry" in run.err
    assert "Traceback" not in run.err


def test_build_check_and_atomic_write(cli, tmp_path):
    assert cli("build", "--check", "--out", str(REFERENCES)).code == 0
    out = tmp_path / "refs.bib"
    # build reads the lookups recorded in the report beside its output, and keeps the keys
    # already published in it (a work whose year or authors the sources corrected keeps its key)
    (tmp_path / "refs-report.json").write_bytes((REFERENCES.parent / "references-report.json").read_bytes())
    # The published file's keys are pinned (a fresh file would key CITATION.cff software by its authors).
    out.write_text(REFERENCES.read_text().replace("Horovod", "Old title", 1))
    run = cli("build", "--out", str(out))
    assert run.code == 0 and run.out == "" and "203 list items -> 214 records" in run.err and "0 new keys" in run.err
    assert out.read_text() == REFERENCES.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["refs-report.json", "refs.bib"]  # no temporary file left
    # a hand-edited key is pinned (still up to date); an edited author is not
    out.write_text(out.read_text().replace("crankshaw2017clipper", "crankshaw2017clipperx", 1))
    assert cli("build", "--check", "--out", str(out)).code == 0
    out.write_text(out.read_text().replace("Crankshaw, Daniel", "Crankshaw, Dan", 1))
    stale = cli("build", "--check", "--out", str(out))
    assert stale.code == 1 and "is stale" in stale.err
    missing = cli("build", "--out", str(tmp_path / "no" / "dir" / "x.bib"))
    assert missing.code == 1 and "does not exist" in missing.err


def test_parse_json_accounts_for_every_bullet(cli):
    run = cli("parse", "--json")
    data = json.loads(run.out)
    counts = data["counts"]
    assert counts["bullets"] == len(data["bullets"]) == 320
    assert {b["role"] for b in data["bullets"]} <= {"item", "continuation", "toc", "template", "empty"}
    assert data["report"][0]["entries_by_style"] == {"heading": 1, "labelled_links": 202}
    assert data["report"][0]["untitled"] == [] and data["report"][0]["tables_skipped"] == []
    # DeepCPU (one USENIX PDF) and one blog post (one title) are each listed twice; nothing was kept apart
    # (the blog post by its page's URL, which identifies books, talks, posts, courses and sites too)
    assert [m["by"][0].split(":")[0] for m in data["merges"]["merged"]] == ["url", "url"]
    assert data["merges"]["refused"] == []
    assert "merges: 2 made, 0 refused" in run.err
    assert len(data["items"]) == counts["items"] == 203
    assert "320 bullets: 201 items" in run.err


def test_parse_from_stdin(cli):
    run = cli("parse", "--list", "-", stdin="## A\n- X [[Paper]](https://arxiv.org/abs/1811.06965)\n  - Doe, J. (*OSDI 2018*)\n")
    assert run.code == 0
    assert run.out.strip() == "<stdin>:2\tpaper\tA\tX"


def test_sections_tree(cli):
    run = cli("sections")
    lines = run.out.splitlines()
    assert f"{TRAINING}  [15]  (alias: Distributed Training)" in lines
    assert "  Training(Parallelism)  [9]" in lines
    assert "Model Serving  [18]" in lines
    assert "Blog  [24]" in lines  # 24 bullets naming 25 posts ("[[Part1]] ... [[Part2]]"), one listed twice
    assert "(top of the list)  [1]" in lines


def test_build_and_export_a_later_split_copy_of_the_list(cli, tmp_path):
    split = [str(REFERENCES.parent / "tests" / "data" / "split-list" / n) for n in ("README.md", "inference.md", "training.md")]
    out = tmp_path / "split.bib"
    assert cli("build", "--list", *split, "--out", str(out)).code == 0
    got = {e.key: e for e in entries(out.read_text(encoding="utf-8"))}
    assert len(got) == 13  # 13 items, the index's two file links are no items
    shepherd = got["zhang2023shepherd"]  # badge, affiliations and a typographic apostrophe year
    assert shepherd.fields_dict["author"].value == "Zhang, Hong and Tang, Yupeng and Khandelwal, Anurag and Stoica, Ion"
    assert shepherd.fields_dict["booktitle"].value.endswith("(NSDI)") and shepherd.fields_dict["year"].value == "2023"
    choi = got["choi2022serving"]
    assert choi.entry_type == "inproceedings" and "USENIX ATC" in choi.fields_dict["booktitle"].value
    assert choi.fields_dict["author"].value.endswith("Huh, Jaehyuk")
    ease = got["li2018ease"]  # "Proceedings of the VLDB Endowment 11.5 (2018): 607-620."
    assert ease.entry_type == "article"
    assert [ease.fields_dict[f].value for f in ("journal", "volume", "number", "pages")] == [
        "Proceedings of the VLDB Endowment", "11", "5", "607--620"]
    assert got["acmpublishing"].fields_dict["doi"].value == "10.1145/3332186.3332246"
    assert got["kumar2019accelerating"].fields_dict["booktitle"].value.endswith("(HotCloud)")
    run = cli("export", "--bib", str(out), "--section", "Inference")  # the index's name for inference.md
    assert run.code == 0 and len(entries(run.out)) == 9


def test_export_style_family_plain(cli):
    run = cli("export", "--style-family", "plain", "--kind", "talk")
    assert run.code == 0, run.err
    assert "howpublished  = {\\url{https://www.youtube.com/watch?v=1xo-0gCVhTU}}" in run.out  # plain prints no url field
    default = cli("export", "--kind", "talk").out
    assert "howpublished" not in default and "url           = {https://www.youtube.com/watch?v=1xo-0gCVhTU}" in default
    refused = cli("export", "--style-family", "plain", "--format", "biblatex")
    assert refused.code == 2 and "--style-family plain is for --format bibtex" in refused.err and refused.out == ""
