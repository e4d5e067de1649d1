"""Source parsers against real response shapes (../shared/reference/samples, copied facts)."""

import json

import pytest

from sysml_bib.links import is_valid_arxiv_id
from sysml_bib.match import authors_agree, rejection, title_hints
from sysml_bib.model import Candidate, Person, Record
from sysml_bib.sources import dblp, usenix
from sysml_bib.sources.xmlcheck import check_xml

# The shape of a real dblp answer (query "test*", one hit), trimmed to what we read.
DBLP_ONE_HIT = {"result": {"query": "test*", "status": {"@code": "200", "text": "OK"}, "hits": {
    "@total": "99047", "@computed": "100", "@sent": "1", "@first": "1",
    "hit": [{"@score": "5", "@id": "6425006", "info": {
        "authors": {"author": [{"@pid": "28/2391", "text": "Tsuyoshi Shinogi"}, {"@pid": "91/2238", "text": "Hiroyuki Yamada"}]},
        "title": "A Test Cost Reduction Method by Test Response and Test Vector Overlapping for Full-Scan Test Architecture.",
        "venue": "Asian Test Symposium", "pages": "366-371", "year": "2005", "type": "Conference and Workshop Papers",
        "access": "closed", "key": "conf/ats/ShinogiYHTY05", "doi": "10.1109/ATS.2005.17",
        "ee": "https://doi.org/10.1109/ATS.2005.17", "url": "https://dblp.org/rec/conf/ats/ShinogiYHTY05"}}]}}}


def test_dblp_hit_mapping():
    (info,) = dblp.hits(DBLP_ONE_HIT)
    cand = dblp.candidate(info)
    assert cand.title.endswith("Full-Scan Test Architecture")  # the trailing "." is dropped
    assert [(p.given, p.family) for p in cand.authors] == [("Tsuyoshi", "Shinogi"), ("Hiroyuki", "Yamada")]
    assert cand.fields["pages"] == "366--371" and cand.fields["doi"] == "10.1109/ATS.2005.17"
    assert cand.fields["dblp"] == "conf/ats/ShinogiYHTY05" and cand.entry_type == "inproceedings" and cand.published


def test_dblp_quirks():
    assert dblp.hits({"result": {"hits": {"@total": "0"}}}) == []  # no "hit" key when empty
    info = {"authors": {"author": {"text": "Wei Wang 0001"}}, "title": "X?", "venue": ["CoRR", "Other"],
            "type": "Informal and Other Publications", "volume": "abs/1811.06965", "year": "2018",
            "key": "journals/corr/abs-1811-06965", "doi": "10.48550/ARXIV.1811.06965",
            "ee": ["https://doi.org/10.48550/arXiv.1811.06965", "https://arxiv.org/abs/1811.06965"]}
    cand = dblp.candidate(info)
    assert [(p.given, p.family) for p in cand.authors] == [("Wei", "Wang")]  # one author object, homonym number gone
    assert cand.title == "X?" and not cand.published and cand.venue_type == "preprint"
    assert cand.fields["eprint"] == "1811.06965" and "doi" not in cand.fields
    journal = dblp.candidate({"title": "T.", "venue": "Proc. VLDB Endow.", "type": "Journal Articles", "year": "2017",
                              "volume": "10", "number": "11", "doi": "10.14778/3137628.3137664",
                              "ee": "https://doi.org/10.14778/3137628.3137664", "authors": {"author": []}})
    assert journal.entry_type == "article" and journal.fields["journal"] == "Proc. VLDB Endow."
    assert journal.fields["volume"] == "10" and journal.fields["number"] == "11"
    upper = dblp.candidate({"title": "T", "venue": "KDD", "doi": "10.1145/ABC", "ee": "https://doi.org/10.1145/abc", "year": "2017"})
    assert upper.fields["doi"] == "10.1145/abc" and upper.fields["booktitle"].startswith("ACM SIGKDD")


class Response:
    def __init__(self, body: bytes, kind: str):
        self.content, self.headers = body, {"Content-Type": kind}


def test_validators_refuse_html_and_broken_bodies():
    assert dblp.validate(Response(b"<html>429 Too Many Requests</html>", "text/html")).startswith("expected JSON")
    assert dblp.validate(Response(b'{"result": {"hits": [', "application/json")).startswith("invalid JSON")
    assert dblp.validate(Response(json.dumps(DBLP_ONE_HIT).encode(), "application/json")) is None
    assert usenix.validate_bibtex(Response(b"<!DOCTYPE html><html>", "text/html")) is not None
    assert usenix.validate_bibtex(Response(b"@inproceedings {1,\n}", "text/plain")) is None
    assert check_xml(b"<feed><entry>") .startswith("malformed XML")
    bomb = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><feed>&b;</feed>'
    assert "entity" in check_xml(bomb)


@pytest.mark.parametrize("arxiv_id, ok", [
    ("1811.06965", True), ("1811.06965v5", True), ("0704.0001", True), ("1412.1234", True),
    ("1811.0696", False), ("1234.12345", False), ("1413.12345", False), ("abc", False),
    ("astro-ph/0601001", True), ("quant-ph/0201082v1", True), ("math.GT/0309136", True), ("0112019", False),
])
def test_arxiv_id_validation(arxiv_id, ok):
    assert is_valid_arxiv_id(arxiv_id) is ok


def test_usenix_export_index_and_page_block():
    export = (
        "@inproceedings {222605,\n\tauthor = {Philipp Moritz and Robert Nishihara and Ion Stoica},\n"
        "\ttitle = {Ray: A Distributed Framework for Emerging {AI} Applications},\n"
        "\tbooktitle = {13th USENIX Symposium on Operating Systems Design and Implementation (OSDI 18)},\n"
        "\tyear = {2018},\n\tisbn = {978-1-939133-08-3},\n\taddress = {Carlsbad, CA},\n\tpages = {561--577},\n"
        "\turl = {https://www.usenix.org/conference/osdi18/presentation/moritz},\n\tpublisher = {USENIX Association},\n\tmonth = oct\n}\n"
    )
    index = usenix.parse_export(export)
    by_page = index.find_page("http://usenix.org/conference/osdi18/technical-sessions/presentation/moritz/")
    assert by_page and by_page.matched_by == "usenix-url" and by_page.keep_case == ("AI",)
    assert by_page.fields["month"] == "oct" and by_page.fields["pages"] == "561--577"
    assert by_page.title == "Ray: A Distributed Framework for Emerging AI Applications"
    (by_title,) = index.find_title("Ray: a distributed framework for emerging AI applications.")
    assert by_title.id == "222605"


def test_matching_guards():
    listed = Record(key="", entry_type="misc", kind="paper", authors=[Person("Quanming", "Y.")])
    listed.fields["title"] = "Taking human out of learning applications: A survey on automated machine learning"
    found = Candidate("dblp", "k", "Taking Human out of Learning Applications: A Survey on Automated Machine Learning",
                      [Person("Yao", "Quanming")], "misc")
    assert authors_agree(listed.authors, found.authors) is True  # inverted names still agree
    assert rejection(listed, found, title_hints(listed, []), "") is None
    stranger = Candidate("dblp", "k", found.title, [Person("Nobody", "Else")], "misc")
    assert rejection(listed, stranger, title_hints(listed, []), "") == "no author in common with the list"
    by_id = Candidate("arxiv", "1906.02287", "Automated Machine Learning: State-of-The-Art", [], "misc", matched_by="arxiv-id")
    assert rejection(Record(key="", entry_type="misc", kind="paper", fields={"title": "Survey on End-To-End ML"}), by_id, ["Survey on End-To-End ML"], "") is None
    workshop = Candidate("dblp", "k", found.title, found.authors, "inproceedings", published=True, venue_type="conference")
    assert "workshop" in rejection(listed, workshop, title_hints(listed, []), "workshop")
    hints = title_hints(listed, ["https://papers.nips.cc/paper/5872-efficient-and-robust-automated-machine-learning.pdf"])
    assert hints[-1] == "efficient and robust automated machine learning"
