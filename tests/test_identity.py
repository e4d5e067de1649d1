"""Identity before titles: which list entries are one work (identity.py)."""

from sysml_bib.build import build_bibliography
from sysml_bib.normalize import works_from_items
from sysml_bib.parse import parse_text


def works(text: str):
    return works_from_items(parse_text(text, "l.md").items)


def test_same_title_different_arxiv_ids_are_two_works():
    records, report = works(
        "## A\n- Scaling Laws [[Paper]](https://arxiv.org/abs/2001.08361)\n"
        "## B\n- Scaling Laws [[Paper]](https://arxiv.org/abs/2203.15556)\n")
    assert [r.fields["eprint"] for r in records] == ["2001.08361", "2203.15556"]
    assert report.merged == [] and len(report.refused) == 1
    assert report.refused[0]["items"] == ["l.md:2", "l.md:4"] and "arXiv ids" in report.refused[0]["reason"]


def test_same_title_different_paper_urls_are_two_works():
    records, report = works("- Introduction [[PDF]](https://a.org/one.pdf)\n- Introduction [[PDF]](https://b.org/two.pdf)\n")
    assert len(records) == 2 and "paper URLs" in report.refused[0]["reason"]


def test_the_same_venue_tag_is_no_title_and_merges_nothing():
    records, _ = works("- [VLDB'23] [Learned Indexes Revisited](https://a.org/1.pdf)\n"
                       "- [VLDB'23] [Cardinality Estimation Done Right](https://a.org/2.pdf)\n"
                       "- [VLDB'23] [[PDF]](https://a.org/3.pdf)\n- [VLDB'23] [[PDF]](https://a.org/4.pdf)\n")
    assert [r.title for r in records] == ["Learned Indexes Revisited", "Cardinality Estimation Done Right"]
    assert all(r.year == "2023" and r.fields["booktitle"].startswith("International Conference on Very Large") for r in records)


def test_a_title_alone_merges_only_when_nothing_conflicts():
    records, report = works(
        "## A\n- Paper One\n  - Doe, Jane (*OSDI 2018*)\n"
        "## B\n- Paper One\n  - Roe, Rick (*OSDI 2018*)\n"  # another first author
        "## C\n- Paper One\n  - Doe, Jane (*OSDI 2019*)\n"  # another year
        "## D\n- Paper One [[Paper]](https://arxiv.org/abs/1811.06965)\n")  # no author, no year of its own: joins the first
    assert len(records) == 3
    assert records[0].sections == [("A",), ("D",)] and records[0].fields["eprint"] == "1811.06965"
    reasons = sorted(r["reason"].split(":")[0] for r in report.refused)
    assert reasons == ["different first authors", "different years"]


def test_a_merge_keeps_what_every_copy_knows():
    records, report = works(
        "## Bare\n- MLPerf Inference Benchmark [[Paper]](https://arxiv.org/abs/1911.02549)\n"
        '## Scholar\n- Reddi, Vijay Janapa, et al. "MLPerf Inference Benchmark." ISCA 2020.\n  - Summary: the benchmark\n')
    (record,) = records
    assert record.authors[0].family == "Reddi" and record.authors_truncated
    assert record.fields["eprint"] == "1911.02549" and record.year == "2020"
    assert record.fields["annote"] == "the benchmark" and record.sections == [("Bare",), ("Scholar",)]
    assert report.merged[0]["items"] == ["l.md:2", "l.md:4"]


def test_one_link_under_two_unrelated_titles_is_a_reused_link_not_one_work():
    records, report = works(
        "- Improved Basic Block Reordering [[Paper]](https://arxiv.org/pdf/1809.04676.pdf)\n"
        "- Autotuning Search Space for Loop Transformations [[Paper]](https://arxiv.org/pdf/1809.04676.pdf)\n"
        "- Improved basic block reordering. [[Paper]](https://arxiv.org/abs/1809.04676)\n")
    assert [r.title for r in records] == ["Improved Basic Block Reordering", "Autotuning Search Space for Loop Transformations"]
    assert "reuses a link" in report.refused[0]["reason"]


def test_colliding_titles_get_the_newcomer_key_rule_and_the_build_says_so():
    parsed = parse_text("- Introduction [[Paper]](https://arxiv.org/abs/2001.08361)\n  - Doe, Jane (*OSDI 2020*)\n"
                        "- Introduction [[Paper]](https://arxiv.org/abs/2002.08361)\n  - Doe, Jane (*OSDI 2020*)\n", "l.md")
    result = build_bibliography(parsed, [], ["l.md"])
    assert [r.key for r in result.records] == ["doe2020introduction", "doe2020introductiona"]
    assert len(result.merges.refused) == 1


def test_build_summary_reports_refused_merges(cli, tmp_path):
    (tmp_path / "l.md").write_text("- Scaling Laws [[Paper]](https://arxiv.org/abs/2001.08361)\n"
                                   "- Scaling Laws [[Paper]](https://arxiv.org/abs/2203.15556)\n", encoding="utf-8")
    run = cli("build", "--list", str(tmp_path / "l.md"), "--out", str(tmp_path / "refs.bib"))
    assert run.code == 0
    assert "merges: 0 made, 1 refused" in run.err and "kept apart: l.md:1 and l.md:2" in run.err
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8").count("@misc") == 2
