"""The list side of non-paper works (interpret.py): each rule on the bundled list's own lines."""

import pytest

from sysml_bib import interpret
from sysml_bib.normalize import records_from_items
from sysml_bib.parse import parse_files, parse_text
from sysml_bib.resources import bundled_list


@pytest.fixture(scope="module")
def bundled():
    records = records_from_items(parse_files([bundled_list()]).items)
    return {r.fields.get("url", ""): r for r in records}


def by_url(bundled, fragment):
    (record,) = [r for url, r in bundled.items() if fragment in url]
    return record


def one(text):
    (record,) = records_from_items(parse_text(text, "list.md").items)
    return record


def names(record):
    return [p.display() for p in record.authors]


def test_title_dot_speaker_gives_the_speaker_as_author(bundled):
    talk = by_url(bundled, "Jnunp-EymJQ")
    assert talk.title == "Flexible systems are the next frontier of machine learning"
    assert names(talk) == ["Jeff Dean"] and talk.provenance["author"] == "list"


def test_event_in_the_line_is_venue_and_year(bundled):
    talk = by_url(bundled, "4inIBmY8dQI")
    assert (talk.title, names(talk)) == ("Perspectives and Challenges", ["Michael Jordan"])
    assert talk.fields["eventtitle"] == "SysML 2018" and talk.year == "2018"
    keynote = by_url(bundled, "slideslive.com")
    assert keynote.fields["eventtitle"] == "ICML" and keynote.title.startswith("Keynote: Lessons Learned")
    assert not keynote.year  # the line names no year: none is made up
    ted = by_url(bundled, "_vS_b7cJn2A")
    assert (ted.title, ted.fields["eventtitle"]) == ("System thinking", "TED")


def test_parenthetical_asides_become_annotations_not_title(bundled):
    book = by_url(bundled, "kubernetes-in-action")
    assert book.title == "Kubernetes in Action" and book.fields["annote"] == "start to read"
    talk = by_url(bundled, "Rn1w4MRHIhc")
    assert (talk.title, names(talk), talk.fields["annote"]) == ("How to Have a Bad Career", ["David Patterson"], "I am a big fan")
    acronym = by_url(bundled, "putting-machinelearning-ml-models")
    assert "(ML)" in acronym.title  # an acronym in parentheses is part of the title


def test_speaker_colon_title(bundled):
    course = by_url(bundled, "berkeley-stat-157")
    assert (names(course), course.title, course.fields["annote"]) == (["Mu Li"], "Introduction to Deep Learning", "MxNet, Parameter Server")
    netflix = by_url(bundled, "netflix-ml-infrastructure")
    assert not netflix.authors and netflix.title.startswith("Netflix:")  # one word is an organisation, not a speaker


def test_quoted_title_by_speaker_and_year():
    record = one('## Talks\n- "Why Systems Matter" by Ada Lovelace, 2017 [[Video]](https://example.org/talks/why)\n')
    assert (record.kind, record.title, names(record), record.year) == ("talk", "Why Systems Matter", ["Ada Lovelace"], "2017")


def test_playlists_channels_and_blog_home_pages_are_collections(bundled):
    assert by_url(bundled, "PLndbWGuLoHeYsZk6VpCEj_SSd9IFgjJ-2").fields["type"] == "YouTube playlist"
    assert by_url(bundled, "channel/UChutDKIa").fields["type"] == "YouTube channel"
    assert by_url(bundled, "medium.com/@NetflixTechBlog").fields["type"] == "Blog"
    scaled = by_url(bundled, "PLRM2gQVaW_wWXoUnSfZTxpgDmNaAS1RtG")
    assert (scaled.title, scaled.year) == ("ScaledML 2019", "2019") and "eventtitle" not in scaled.fields  # the title is the event
    assert not scaled.authors and "David Patterson" in scaled.fields["annote"]  # some speakers, not authors
    video_in_a_list = by_url(bundled, "Jnunp-EymJQ&list=WL")
    assert "type" not in video_in_a_list.fields  # watch?v=...&list=WL is one video


def test_isbn_in_the_url_is_kept(bundled):
    assert by_url(bundled, "streaming-systems").fields["isbn"] == "9781491983867"
    assert by_url(bundled, "streaming-systems").entry_type == "book"
    assert interpret.isbn_in_url("https://example.org/books/9781491983868/") is None  # bad check digit


def test_thesis_label_makes_a_phd_thesis(bundled):
    thesis = by_url(bundled, "shivaram-dissertation.pdf")
    assert thesis.entry_type == "phdthesis" and thesis.fields["type"] == "PhD thesis"


def test_technical_report_number_makes_a_techreport():
    record = one("## P\n- Multi-tenant GPU clusters [[Paper]](https://example.org/tr.pdf)\n  - Jeon, Myeongjae, et al. (*MSR-TR-2018-13*)\n")
    assert record.entry_type == "techreport"
    assert (record.fields["number"], record.fields["institution"], record.year) == ("MSR-TR-2018-13", "Microsoft Research", "2018")


def test_dates_in_url_paths_are_kept_with_a_lower_rank(bundled):
    post = by_url(bundled, "jcf94.com/2018/10/04")
    assert (post.year, post.fields["month"], post.provenance["year"]) == ("2018", "oct", interpret.URL_DATE)
    paper = by_url(bundled, "uploads/prod/2018/05/gpu_sched_tr.pdf")
    assert (paper.year, paper.fields["month"], paper.provenance["year"]) == ("2018", "may", interpret.URL_DATE)
    dated = by_url(bundled, "hpca-2018-facebook.pdf")
    assert dated.provenance["year"] == "list"  # the venue's year wins over /2017/12/ in its URL


def test_courses_get_institution_and_term(bundled):
    umn = by_url(bundled, "Spring-2019/csci8980")
    assert (umn.fields["organization"], umn.fields["note"], umn.year) == ("University of Minnesota, Twin Cities", "Spring 2019", "2019")
    ucsd = by_url(bundled, "wi19/cse291-f")
    assert (ucsd.fields["organization"], ucsd.fields["note"]) == ("UCSD", "Winter 2019")
    assert ucsd.provenance["year"] == interpret.URL_DATE
    uw = by_url(bundled, "dlsys.cs.washington.edu")
    assert uw.fields["organization"] == "University of Washington" and not uw.authors  # "[[Chen Tianqi]]": name order unknown


def test_paper_titles_are_left_alone(bundled):
    papers = [r for r in bundled.values() if r.kind == "paper"]
    assert all("annote" not in r.fields or r.provenance["annote"] == "list" for r in papers)
    assert not any(r.fields.get("eventtitle") for r in papers)
