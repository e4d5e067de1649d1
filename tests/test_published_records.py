"""The published record with its eprint, the venue's own values, full venue names (issue 14).

The first group reads the committed ``references.bib`` and its report (made by the real
resolver against the recorded corpus, see README); the second exercises each rule on
small inputs so that it is not only true of this corpus.
"""

import json

import pytest

from sysml_bib import bibtex, venue_table
from sysml_bib.match import described_system, rejection
from sysml_bib.merge import merge
from sysml_bib.model import Candidate, Person, Record
from sysml_bib.sources import crossref, dblp, neurips, pmlr

from conftest import REFERENCES, REPO, run_cli

REPORT = REPO / "references-report.json"


@pytest.fixture(scope="module")
def bib():
    return {r.key: r for r in bibtex.read_bibliography(str(REFERENCES)).records}


@pytest.fixture(scope="module")
def report():
    return json.loads(REPORT.read_text(encoding="utf-8"))["works"]


# ----------------------------------------------------------------------------- the recorded corpus

def test_noscope_is_cited_with_its_pvldb_title_and_doi(bib, report):
    noscope = bib["kang2017noscope"]
    assert noscope.title == "NoScope: Optimizing Neural Network Queries over Video at Scale"
    assert noscope.fields["doi"] == "10.14778/3137628.3137664"
    assert (noscope.fields["journal"], noscope.fields["volume"], noscope.fields["number"], noscope.fields["pages"]) == (
        "Proceedings of the VLDB Endowment", "10", "11", "1586--1597")
    assert noscope.fields["eprint"] == "1703.02529"
    notes = " ".join(report["kang2017noscope"]["notes"])
    assert "dblp's title 'NoScope: Optimizing Deep CNN-Based Queries" in notes and "the venue's is cited" in notes


def test_trims_preprint_gives_way_to_its_cloud_2019_record(bib, report):
    trims = bib["dakkak2018trims"]  # the key stays pinned although the year is now 2019
    assert trims.entry_type == "inproceedings" and trims.year == "2019"
    assert trims.fields["booktitle"] == "2019 IEEE 12th International Conference on Cloud Computing (CLOUD)"
    assert trims.fields["doi"] == "10.1109/CLOUD.2019.00067"
    assert trims.title.endswith("Deep Learning Inference in Function-as-a-Service")
    assert trims.fields["eprint"] == "1811.09732"  # the list's arXiv link, kept
    assert any(n.startswith("retitled: the arXiv version is") for n in report["dakkak2018trims"]["notes"])


def test_clipper_keeps_its_eprint_on_the_nsdi_record(bib, report):
    clipper = bib["crankshaw2017clipper"]
    assert clipper.fields["booktitle"] == "14th USENIX Symposium on Networked Systems Design and Implementation (NSDI 17)"
    assert clipper.fields["eprint"] == "1612.03079" and clipper.fields["archiveprefix"] == "arXiv"
    assert "doi" not in clipper.fields  # no publisher DOI, and arXiv's would name the preprint
    assert report["crankshaw2017clipper"]["fields"]["booktitle"].startswith("usenix")


def test_journals_are_written_in_full_and_short_on_request(bib, tmp_path):
    assert bib["gandhi2012autoscale"].fields["journal"] == "ACM Transactions on Computer Systems"
    assert bib["saltzer1984end"].fields["journal"] == "ACM Transactions on Computer Systems"
    assert bib["poms2018scanner"].fields["journal"] == "ACM Transactions on Graphics"
    run = run_cli("export", "--venue-style", "short", "--section", "Traditional System Optimization Papers")
    assert run.code == 0, run.err
    assert "journal       = {TOCS}," in run.out and "Transactions on Computer Systems" not in run.out
    run = run_cli("export", "--venue-style", "short", "--kind", "paper", "--format", "csl-json")
    items = {i["id"]: i for i in json.loads(run.out)}
    assert items["gandhi2012autoscale"]["container-title"] == "TOCS"
    assert items["lee2018pretzel"]["container-title"] == "OSDI '18"
    assert items["tian2017elf"]["container-title"] == "NIPS '17" and items["amos2018differentiable"]["container-title"] == "NeurIPS '18"
    full = run_cli("export", "--kind", "paper").out
    assert full == run_cli("export", "--kind", "paper", "--venue-style", "full").out


def test_article_numbers_are_kept(bib):
    assert bib["verma2015large"].fields["pages"] == "18:1--18:17"
    assert bib["gandhi2012autoscale"].fields["pages"] == "14:1--14:26"
    assert bib["poms2018scanner"].fields["pages"] == "138:1--138:13"


def test_pmlr_and_neurips_records_win_over_the_stale_dblp_snapshot(bib, report):
    jia = bib["jia2018exploring"]
    assert jia.title == "Exploring Hidden Dimensions in Accelerating Convolutional Neural Networks"
    assert (jia.fields["pages"], jia.fields["volume"], jia.fields["series"]) == ("2274--2283", "80", "Proceedings of Machine Learning Research")
    assert jia.fields["booktitle"] == "Proceedings of the 35th International Conference on Machine Learning"
    assert bib["gao2018spotlight"].fields["pages"] == "1676--1684"
    assert bib["amos2018differentiable"].fields["pages"] == "8289--8300"
    notes = report["gao2018spotlight"]["notes"]
    assert "sources disagree on pages: pmlr '1676--1684', dblp '1662--1670'; pmlr is cited" in notes


def test_one_spelling_per_venue_and_year(bib):
    by_venue = {}
    for record in bib.values():
        venue = venue_table.find(record.fields)
        if venue and record.kind == "paper" and record.provenance.get("booktitle", "") != "list":
            by_venue.setdefault((venue.stream, record.year), set()).add(record.fields.get("booktitle") or record.fields.get("journal"))
    spelled_twice = {k: v for k, v in by_venue.items() if len(v) > 1}
    assert not spelled_twice
    assert by_venue[("conf/nips", "2017")] == {"Advances in Neural Information Processing Systems 30 (NIPS 2017)"}
    assert by_venue[("conf/nips", "2018")] == {"Advances in Neural Information Processing Systems 31 (NeurIPS 2018)"}


def test_former_list_only_papers_are_typed_as_published(bib, report):
    thesis = bib["venkataraman2017system"]
    assert thesis.entry_type == "phdthesis" and thesis.fields["school"] == "EECS Department, University of California, Berkeley"
    tr = bib["jeon2018multi"]
    assert tr.entry_type == "techreport" and tr.fields["institution"] == "Microsoft" and tr.fields["number"] == "MSR-TR-2018-13"
    workshop = bib["narayanan2018accelerating"]
    assert workshop.entry_type == "inproceedings" and workshop.fields["booktitle"] == "NeurIPS Workshop on Systems for Machine Learning"
    # described, not titled, by the list: matched by the system's name and the description's words
    assert bib["shen2019nexus"].fields["doi"] == "10.1145/3341301.3359658"
    assert bib["vartak2016modeldb"].fields["booktitle"] == "Proceedings of the Workshop on Human-In-the-Loop Data Analytics (HILDA '16)"
    assert any("differs from the official title" in n for n in report["shen2019nexus"]["notes"])


def test_preprints_carry_arxivs_datacite_doi_and_published_papers_do_not(bib, report):
    for key, work in report.items():
        doi = bib[key].fields.get("doi", "")
        published = any(c["published"] for c in work["accepted"])
        if doi.startswith("10.48550/"):
            assert doi == f"10.48550/arXiv.{bib[key].fields['eprint']}" and not published, key
        elif bib[key].fields.get("eprint") and not published:
            assert doi, key  # a preprint with an arXiv id always has a DOI
    assert bib["bailis2017infrastructure"].fields["doi"] == "10.48550/arXiv.1705.07538"


# ----------------------------------------------------------------------------- the rules

def person(name):
    given, _, family = name.rpartition(" ")
    return Person(family, given)


def listed(title, authors=(), **fields):
    record = Record(key="k", entry_type="misc", kind="paper", authors=[person(a) for a in authors])
    record.fields.update({"title": title, **fields})
    record.provenance.update({name: "list" for name in record.fields})
    return record


def test_venue_table_is_year_aware_and_keeps_workshops_apart():
    nips = {"dblp": "conf/nips/X17", "booktitle": "x"}
    assert venue_table.full_name({**nips, "year": "2017"}) == ("booktitle", "Advances in Neural Information Processing Systems 30 (NIPS 2017)")
    assert venue_table.short_name({**nips, "year": "2018"}) == ("booktitle", "NeurIPS '18")
    assert venue_table.short_name({"journal": "ACM Trans. Comput. Syst.", "year": "1984"}) == ("journal", "TOCS")
    # a workshop never maps to its host conference, only to a workshop entry
    assert venue_table.find({"booktitle": "NeurIPS Workshop on System for ML"}).stream == "workshops/nips-systems-for-ml"
    assert venue_table.find({"booktitle": "ICML Workshop on Systems for ML"}) is None  # the entry is NeurIPS's
    assert venue_table.find({"booktitle": "ICML 2019 Workshop on On-Device ML", "dblp": "conf/icml/X19"}) is None
    assert venue_table.full_name({"booktitle": "Proceedings of the 36th ICML", "year": "2019"}, specific=False) == (
        "booktitle", "International Conference on Machine Learning (ICML)")
    assert venue_table.ordinal(11) == "11th" and venue_table.ordinal(22) == "22nd" and venue_table.ordinal(103) == "103rd"


def test_venue_table_keys_name_where_dblp_shows_the_stream_and_a_shared_stream_needs_its_venue_named():
    table = venue_table.table()
    assert all(venue.data.get("stream") for venue in table.values())  # each key says where it was seen, or that it was not
    unconfirmed = sorted(s for s, v in table.items() if v.data["stream"].startswith("not confirmed"))
    assert unconfirmed == ["conf/edge", "conf/opml"]
    # dblp files HILDA under conf/sigmod: ModelDB's dblp key names SIGMOD's stream, its booktitle the workshop
    modeldb = {"dblp": "conf/sigmod/VartakSLVHMZ16", "year": "2016",
               "booktitle": "Proceedings of the Workshop on Human-In-the-Loop Data Analytics (HILDA '16)"}
    assert venue_table.find(modeldb).stream == "workshops/sigmod-hilda"
    assert venue_table.find({"booktitle": "HILDA@SIGMOD", "year": "2019"}).stream == "workshops/sigmod-hilda"
    assert venue_table.find({"dblp": "conf/sigmod/X19", "booktitle": "SIGMOD Conference"}).stream == "conf/sigmod"
    # conf/edge may be IEEE EDGE's stream: a conf/edge record is SEC only when its booktitle says so
    assert venue_table.find({"dblp": "conf/edge/X17", "booktitle": "Second ACM/IEEE Symposium on Edge Computing (SEC '17)"}).stream == "conf/edge"
    assert venue_table.find({"dblp": "conf/edge/X23", "booktitle": "EDGE"}) is None


def test_crossref_article_numbers_and_record():
    assert crossref.pages("1-17", "18") == "18:1--18:17"
    assert crossref.pages("1586-1597", "") == "1586--1597"
    hit = crossref.candidate({"DOI": "10.1/x", "type": "journal-article", "title": ["T"], "container-title": ["J"],
                              "author": [{"given": "A", "family": "B"}], "issue": "4", "volume": "30",
                              "page": "1-26", "article-number": "14", "issued": {"date-parts": [[2012, 11]]}})
    assert hit.entry_type == "article" and hit.fields == {"doi": "10.1/x", "year": "2012", "volume": "30", "number": "4",
                                                          "pages": "14:1--14:26", "journal": "J"}


def test_pmlr_front_matter_and_neurips_urls():
    text = "---\ntitle: 'Spotlight: Optimizing Device Placement'\nvolume: '80'\nfirstpage: 1676\nlastpage: 1684\nid: gao18a\nauthor:\n- given: Li\n  family: Chen\n---\n"
    hit = pmlr.candidate(pmlr.front_matter(text), "http://proceedings.mlr.press/v80/gao18a.html")
    assert hit.title == "Spotlight: Optimizing Device Placement" and hit.fields["pages"] == "1676--1684"
    assert hit.authors == [Person("Chen", "Li")] and hit.id == "v80/gao18a"
    assert pmlr.recognise("http://proceedings.mlr.press/v80/jia18a.html") == ("v80", "jia18a")
    assert pmlr.recognise("https://arxiv.org/abs/1802.04924") is None
    digest = "ba6d843eb4251a4526ce65d1807a9309"
    assert neurips.recognise(f"https://proceedings.neurips.cc/paper/2018/hash/{digest}-Abstract.html") == ("2018", digest)
    assert neurips.recognise(f"https://papers.nips.cc/paper_files/paper/2018/hash/{digest}-Abstract.html") == ("2018", digest)


def test_pmlr_newer_posts_folded_values_volume_booktitle_and_per_paper_pages():
    """PMLR v293's post format (mlresearch/v293 _posts/2025-11-11-olson25a.md): no booktitle or year
    in the post (the volume's _config.yml has them), values folded over lines, 'firstpage: 21/1'."""
    post = ("---\ntitle: 'Ax: A Platform for Adaptive Experimentation'\nabstract: Optimizing industry-scale machine learning systems involves\n"
            "  black-box optimization.\nseries: Proceedings of Machine Learning Research\nid: olson25a\nfirstpage: 21/1\nlastpage: 25\n"
            "page: 21/1-25\nauthor:\n- given: Miles\n  family: Olson\n- given: Louis C.\n  family: Tiao\ndate: 2025-11-11\n"
            "container-title: Proceedings of the Fourth International Conference on Automated Machine\n  Learning\nvolume: '293'\n"
            "issued:\n  date-parts:\n  - 2025\n  - 11\n---\n")
    config = "---\nbooktitle: Proceedings of the Fourth International Conference on Automated Machine\n  Learning\nshortname: AutoML\nyear: '2025'\npublished: 2025-11-11\n"
    hit = pmlr.candidate(pmlr.front_matter(post), "https://proceedings.mlr.press/v293/olson25a.html", pmlr.front_matter(config))
    assert hit.fields["booktitle"] == "Proceedings of the Fourth International Conference on Automated Machine Learning"
    assert hit.fields["year"] == "2025" and hit.fields["volume"] == "293" and hit.fields["pages"] == "21:1--21:25"
    assert hit.authors == [Person("Olson", "Miles"), Person("Tiao", "Louis C.")] and hit.id == "v293/olson25a"
    # without the volume's config the post's own container-title and date still give them
    alone = pmlr.candidate(pmlr.front_matter(post), "https://proceedings.mlr.press/v293/olson25a.html")
    assert alone.fields["booktitle"] == hit.fields["booktitle"] and alone.fields["year"] == "2025"


def test_corr_twin_needs_title_and_authors():
    published = Candidate("dblp", "conf/x/A18", "Same Title of a Paper", [person("Ann Lee"), person("Bo Chen")], "inproceedings", {}, published=True)
    twin = Candidate("dblp", "journals/corr/abs-1", "Same Title of a Paper", [person("Ann Lee"), person("Bo Chen")], "misc", {"eprint": "1801.00001"})
    stranger = Candidate("dblp", "journals/corr/abs-2", "Same Title of a Paper", [person("Carl Wu")], "misc", {"eprint": "1801.00002"})
    assert not dblp.attach_twin(published, stranger) and "eprint" not in published.fields
    assert dblp.attach_twin(published, twin) and published.fields["eprint"] == "1801.00001"


def test_merge_keeps_the_eprint_and_reports_disagreements():
    record = listed("Exploring Hidden Dimensions in Parallelizing CNNs", ["Zhihao Jia"])
    dblp_hit = Candidate("dblp", "conf/icml/J18", "Exploring Hidden Dimensions in Parallelizing CNNs", [person("Zhihao Jia")],
                         "inproceedings", {"booktitle": "International Conference on Machine Learning (ICML)", "year": "2018",
                                           "pages": "2279--2288", "dblp": "conf/icml/J18"}, published=True)
    venue = Candidate("pmlr", "v80/jia18a", "Exploring Hidden Dimensions in Accelerating CNNs", [person("Zhihao Jia")],
                      "inproceedings", {"pages": "2274--2283", "volume": "80", "year": "2018"}, published=True)
    preprint = Candidate("arxiv", "1802.04924", "Exploring Hidden Dimensions in Parallelizing CNNs", [person("Zhihao Jia")],
                         "misc", {"eprint": "1802.04924", "archiveprefix": "arXiv", "year": "2018"})
    merged = merge(record, [venue, dblp_hit, preprint])
    fields = merged.record.fields
    assert merged.record.title == "Exploring Hidden Dimensions in Accelerating CNNs"
    assert fields["pages"] == "2274--2283" and fields["eprint"] == "1802.04924" and "doi" not in fields
    assert fields["booktitle"] == "Proceedings of the 35th International Conference on Machine Learning"
    assert "sources disagree on pages: pmlr '2274--2283', dblp '2279--2288'; pmlr is cited" in merged.notes
    alone = merge(listed("A Preprint", ["Zhihao Jia"]), [preprint])
    assert alone.record.fields["doi"] == "10.48550/arXiv.1802.04924"


def test_a_described_system_matches_only_with_enough_shared_words():
    record = listed("Nexus: Nexus is a scalable and efficient serving system for DNN applications on GPU cluster")
    right = Candidate("dblp", "conf/sosp/S19", "Nexus: a GPU cluster engine for accelerating DNN-based video analysis", [person("Haichen Shen")], "inproceedings", published=True)
    other = Candidate("dblp", "conf/x/N20", "Nexus: a toolkit for federated genome analysis", [person("Ann Lee")], "inproceedings", published=True)
    assert described_system(record, right) and rejection(record, right, [record.title], "") is None
    assert not described_system(record, other) and rejection(record, other, [record.title], "")
    named = listed(record.title, ["Ann Lee"])  # a list that names authors is matched by them instead
    assert not described_system(named, right)


def test_a_retitled_preprint_is_confirmed_by_the_venue_its_comment_names():
    from sysml_bib.match import confirmed_retitling

    record = listed("PRETZEL: Opening the Black Box of ML Prediction Serving", ["Yunseong Lee"], year="2018")
    record.venue_short = "OSDI"
    preprint = Candidate("arxiv", "1810.06115", "PRETZEL: Opening the Black Box of Machine Learning Prediction Serving Systems",
                         [person("Yunseong Lee")], "misc", {"comment": "16 pages, 13th USENIX Symposium (OSDI 18)"})
    assert confirmed_retitling(record, preprint, 80)
    elsewhere = Candidate("arxiv", "1", preprint.title, preprint.authors, "misc", {"comment": "NSDI 2019"})
    assert not confirmed_retitling(record, elsewhere, 80)
    strangers = Candidate("arxiv", "2", preprint.title, [person("Carl Wu")], "misc", preprint.fields)
    assert not confirmed_retitling(record, strangers, 80)


def test_recorded_fields_agree_with_the_public_pages():
    """tools/check_fields.py: at least 99 % of the compared fields match the cited pages."""
    import runpy

    result = runpy.run_path(str(REPO / "tools" / "check_fields.py"))["check"]()
    assert result["compared"] >= 200
    assert result["agree"] / result["compared"] >= 0.99, result["disagreements"]


FAULT_LIST = """## Papers
- Exploring Hidden Dimensions in Parallelizing Convolutional Neural Networks. [[Paper]](http://proceedings.mlr.press/v80/jia18a/jia18a.pdf)
  - Zhihao Jia, Sina Lin, Charles R. Qi, and Alex Aiken. (*ICML 2018*)
- Large-scale cluster management at Google with Borg [[Paper]](https://storage.googleapis.com/pub-tools-public-publication-data/pdf/43438.pdf)
  - Verma, Abhishek, et al. (*ECCS2015*)
"""


def test_venue_record_failures_leave_dblps_values_and_say_why(tmp_path, monkeypatch):
    from sysml_bib.replay import Corpus, Fault, ReplayServers

    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")
    (tmp_path / "list.md").write_text(FAULT_LIST, encoding="utf-8")
    corpus = Corpus.load(REPO / "data" / "recorded")
    faults = {"crossref": [Fault("status:500")], "pmlr": [Fault("html200")]}
    with ReplayServers(corpus, faults) as servers:
        run = run_cli("resolve", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"), "--no-progress",
                      "--cache-dir", str(tmp_path / "cache"), *servers.args())
    assert run.code == 0, run.err
    works = json.loads((tmp_path / "refs-report.json").read_text())["works"]
    refs = {r.key: r for r in bibtex.read_bibliography(str(tmp_path / "refs.bib")).records}
    jia, borg = refs["jia2018exploring"], refs["verma2015large"]
    assert jia.fields["pages"] == "2279--2288" and jia.fields["booktitle"] == "Proceedings of the 35th International Conference on Machine Learning"
    assert works["jia2018exploring"]["unresolved"]["pmlr"].startswith("expected YAML front matter")
    assert borg.fields["pages"] == "18:1--18:17" and borg.fields["doi"] == "10.1145/2741948.2741964"  # dblp's
    assert works["verma2015large"]["unresolved"]["crossref"] == "HTTP 500"
