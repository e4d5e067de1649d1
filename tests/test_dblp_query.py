"""dblp is asked ONE search query per paper no venue-year query found (``dblp.title_query``),
and that query still finds a paper its venue retitled, a system the list only describes, and a
paper whose URL spells out the title the list does not give. Against the replay on 127.0.0.1."""

from urllib.parse import parse_qs, urlsplit

import pytest

from sysml_bib.model import Person, Record
from sysml_bib.replay import Corpus, ReplayServers
from sysml_bib.sources.dblp import NAME_SEARCH_SIZE, SEARCH_SIZE, title_query

from conftest import run_resolve


@pytest.fixture(autouse=True)
def fast_politeness(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")


def searches(servers) -> list[dict[str, str]]:
    """The search API requests dblp was sent, as {parameter: value}."""
    asked = [urlsplit(r) for r in servers.hosts["dblp"].requests]
    return [{k: v[0] for k, v in parse_qs(u.query).items()} for u in asked if u.path == "/search/publ/api"]


def resolve_one(corpus, tmp_path, text: str):
    with ReplayServers(corpus) as servers:
        run, report = run_resolve(servers, tmp_path, list_text=text)
        asked = searches(servers)
        calls = servers.calls()["dblp"]
    assert run.code == 0, run.err
    assert calls == len(asked), "only search requests: no record export"
    (work,) = report["works"].values()
    return asked, work


def accepted(work) -> list[str]:
    return [c["id"] for c in work["accepted"] if c["source"] == "dblp"]


def test_a_retitled_name_paper_is_found_by_its_one_query(corpus, tmp_path):
    """NoScope's PVLDB record carries another title than the list's: the one query (its name and
    first author) brings it, and the name and two shared authors accept it. The title query the
    old code sent first found nothing and cost a second request."""
    text = ("- NoScope: Optimizing Neural Network Queries over Video at Scale [[Paper]](https://example.org/noscope.pdf)\n"
            "  - Daniel Kang, John Emmons, Firas Abuzaid (*arXiv 2017*)\n")
    asked, work = resolve_one(corpus, tmp_path, text)
    assert [(q["q"], q["h"]) for q in asked] == [("noscope Kang", str(NAME_SEARCH_SIZE))]
    assert accepted(work) == ["journals/pvldb/KangEABZ17"]


def test_an_unknown_name_paper_costs_one_query(corpus, tmp_path):
    text = ("- Quokka: A System Nobody Recorded [[Paper]](https://example.org/quokka.pdf)\n"
            "  - Ada Lovelace, Charles Babbage (*Workshop on Unrecorded Systems 2020*)\n")
    asked, work = resolve_one(corpus, tmp_path, text)
    assert [q["q"] for q in asked] == ["quokka Lovelace"]
    assert accepted(work) == []


def test_a_name_paper_under_its_own_title_is_found_by_name_and_author(corpus, tmp_path):
    """The same one query finds the paper when dblp's title is the list's (dblp matches the name
    in the title and the family name among the authors)."""
    text = ("- Rafiki: machine learning as an analytics service system [[Paper]](http://www.vldb.org/pvldb/vol12/p128-wang.pdf)\n"
            "  - Wei Wang, Sheng Wang, Jinyang Gao (*VLDB 2018*)\n")
    asked, work = resolve_one(corpus, tmp_path, text)
    assert [q["q"] for q in asked] == ["rafiki Wang"]
    assert accepted(work) == ["journals/pvldb/WangWGZCNOS18"]


def test_a_system_the_list_only_describes_is_asked_by_its_name_alone(corpus, tmp_path):
    """No author listed, and a description for a title: the system's name is the one query."""
    text = ("- Nexus: Nexus is a scalable and efficient serving system for DNN applications on GPU cluster. "
            "[[Paper]](https://pdfs.semanticscholar.org/0c0f/353dbac84311ea4f1485d4a8ac0b0459be8c.pdf)\n")
    asked, work = resolve_one(corpus, tmp_path, text)
    assert [(q["q"], q["h"]) for q in asked] == [("nexus", str(NAME_SEARCH_SIZE))]
    assert accepted(work) == ["conf/sosp/ShenCJZKPKS19"]


def test_a_title_spelled_out_in_the_url_is_the_one_query_when_the_list_describes_the_paper(corpus, tmp_path):
    """The list's "Aut-sklearn: Automated Machine Learning with scikit-learn " is no title dblp has;
    the NeurIPS file name spells the paper's. Asked first, not after a title query that fails."""
    text = ("- Aut-sklearn: Automated Machine Learning with scikit-learn "
            "[[Paper]](https://papers.nips.cc/paper/5872-efficient-and-robust-automated-machine-learning.pdf)\n")
    asked, work = resolve_one(corpus, tmp_path, text)
    assert [(q["q"], q["h"]) for q in asked] == [("efficient and robust automated machine learning", str(SEARCH_SIZE))]
    assert accepted(work) == ["conf/nips/FeurerKESBH15"]


def test_a_common_name_with_a_prolific_author_still_finds_the_paper_in_one_query(corpus, tmp_path):
    """Forty other "Horizon" papers by a Wang come first in dblp's answer: the name query asks for
    up to 1,000 hits, so the paper is among them (30, dblp's default, would cut it off)."""
    others = [{"toc": "", "info": {"title": f"Horizon: Study Number {n} of Something Else", "authors": ["Wei Wang 0001", f"Other Person{n}"],
                                   "venue": "Some Workshop", "year": "2015", "type": "Conference and Workshop Papers",
                                   "key": f"conf/some/Wang{n}"}} for n in range(40)]
    paper = {"toc": "", "info": {"title": "Horizon: A Platform Named by a Common Word", "authors": ["Li Wang", "Ana Conti"],
                                 "venue": "Unrecorded Conference", "year": "2019", "type": "Conference and Workshop Papers",
                                 "key": "conf/unrec/WangC19"}}
    local = Corpus(arxiv=corpus.arxiv, dblp=others + [paper], usenix_export=corpus.usenix_export)
    text = "- Horizon: A Platform Named by a Common Word [[Paper]](https://example.org/h.pdf)\n  - Li Wang, Ana Conti (*arXiv 2019*)\n"
    asked, work = resolve_one(local, tmp_path, text)
    assert [q["q"] for q in asked] == ["horizon Wang"]
    assert accepted(work) == ["conf/unrec/WangC19"]



def test_a_misspelled_first_author_misses_the_paper_and_keeps_the_lists_data(corpus, tmp_path):
    """The trade made for one query: a first author's family name the list misspells finds
    nothing (a title query would have found NoScope's arXiv title, not its PVLDB record). The
    entry degrades to what the list says, never to another paper by a "Kangg"."""
    text = ("- NoScope: Optimizing Neural Network Queries over Video at Scale [[Paper]](https://example.org/noscope.pdf)\n"
            "  - Daniel Kangg, John Emmons, Firas Abuzaid (*arXiv 2017*)\n")
    asked, work = resolve_one(corpus, tmp_path, text)
    assert [q["q"] for q in asked] == ["noscope Kangg"]
    assert accepted(work) == [] and work["status"] == "list-only"

# ----------------------------------------------------------------------------- the rule itself

def record(title: str, authors=(), links=()) -> Record:
    return Record(key="", entry_type="misc", kind="paper", authors=list(authors), fields={"title": title}, links=list(links))


def test_the_name_query_drops_the_family_names_accents_not_its_letters():
    """dblp matches a word without diacritics diacritics-insensitively and a word with one exactly:
    "Muller" finds "Müller" and a transliterated "Muller" alike; "Ø" is a letter, not an accent."""
    assert title_query(record("Quokka: Fast Things", [Person("Müller", "Anna")])) == ("quokka Muller", NAME_SEARCH_SIZE)
    assert title_query(record("Quokka: Fast Things", [Person("Şahin", "Ali")])) == ("quokka Sahin", NAME_SEARCH_SIZE)
    assert title_query(record("Quokka: Fast Things", [Person("Øster", "Ida")])) == ("quokka Øster", NAME_SEARCH_SIZE)


def test_the_title_is_asked_inside_a_venue_year_read_whole_and_for_an_organisations_paper():
    named = record("Quokka: Fast Things", [Person("Kang", "Daniel")])
    assert title_query(named, venue_year_read=True) == ("Quokka: Fast Things", SEARCH_SIZE)  # a retitled paper was on the page
    assert title_query(record("Quokka: Fast Things", [Person("Google", literal=True)])) == ("Quokka: Fast Things", SEARCH_SIZE)
    assert title_query(record("Fast Things Without a Name", [Person("Kang", "Daniel")])) == ("Fast Things Without a Name", SEARCH_SIZE)


def test_a_url_title_is_asked_by_the_words_it_shares_with_the_list_when_they_overlap_enough():
    """Both spell the same paper with a difference: the shared words are in whichever is dblp's title."""
    listed = record("Efficient Robust Automated Machine Learning Pipelines", [Person("Feurer", "Matthias")],
                    ["https://papers.nips.cc/paper/5872-efficient-and-robust-automated-machine-learning.pdf"])
    assert title_query(listed) == ("efficient robust automated machine learning", SEARCH_SIZE)


def test_a_file_name_that_shares_no_word_with_the_list_is_not_a_title():
    listed = record("Quokka: Fast Things", [Person("Kang", "Daniel")], ["https://example.org/files/camera-ready-final-version.pdf"])
    assert title_query(listed) == ("quokka Kang", NAME_SEARCH_SIZE)
    plain = record("Fast Things at Scale", [Person("Kang", "Daniel")], ["https://example.org/files/camera-ready-final-version.pdf"])
    assert title_query(plain) == ("Fast Things at Scale", SEARCH_SIZE)


def test_a_url_spelling_the_lists_own_title_changes_nothing():
    """ELF's NeurIPS file name is its title: the name-and-author query stays (it finds a retitling too)."""
    listed = record("ELF: An Extensive, Lightweight and Flexible Research Platform for Real-time Strategy Games", [Person("Tian", "Yuandong")],
                    ["https://papers.nips.cc/paper/6859-elf-an-extensive-lightweight-and-flexible-research-platform-for-real-time-strategy-games.pdf"])
    assert title_query(listed) == ("elf Tian", NAME_SEARCH_SIZE)
