"""sources/web.py, oembed.py, openlibrary.py read real shapes; pure tests, no network."""

import json

from sysml_bib.http import prefixed
from sysml_bib.sources import web

HIGHWIRE = """<html><head><title>X | Site</title>
<meta name="citation_title" content="The Real Title">
<meta name="citation_author" content="Ada Lovelace"><meta name="citation_author" content="Grace Hopper">
<meta name="citation_publication_date" content="2017/05/04">
<meta property="og:title" content="An OpenGraph title that loses"></head><body></body></html>"""

JSON_LD_GRAPH = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "The Blog"},
 {"@type": "BlogPosting", "headline": "Posting Headline", "datePublished": "2019-04-06T10:00:00Z",
  "author": {"@type": "Person", "name": "Jane Roe"}, "publisher": {"@type": "Organization", "name": "The Blog"}}]}
</script><script type="application/ld+json">{ broken</script></head><body></body></html>"""

DUBLIN_CORE = """<html><head><meta name="DC.title" content="DC Title"><meta name="DC.creator" content="Roe, Jane">
<meta name="DC.date" content="2016-11-18"><meta name="DC.publisher" content="A University"></head></html>"""

OPENGRAPH = """<html><head><meta property="og:title" content="OG Title"><meta property="og:site_name" content="Medium">
<meta property="article:published_time" content="2018-12-18T06:30:01.123Z"><meta property="article:author" content="https://medium.com/@x">
<meta name="author" content="Shane Soh"></head></html>"""

YOUTUBE_WATCH = """<html><head><meta property="og:title" content="A Talk"><meta property="og:type" content="video.other"></head>
<body><div itemscope itemtype="http://schema.org/VideoObject"><meta itemprop="name" content="A Talk">
<span itemprop="author" itemscope itemtype="http://schema.org/Person"><link itemprop="name" content="Stanford Online"></span>
<meta itemprop="uploadDate" content="2018-02-16"><meta itemprop="datePublished" content="2018-02-16"></div></body></html>"""


def test_highwire_wins_over_opengraph_and_slashes_in_dates():
    meta = web.read_metadata(HIGHWIRE, "https://x.org/a")
    assert (meta.title, meta.authors, meta.date) == ("The Real Title", ["Ada Lovelace", "Grace Hopper"], "2017/05/04")
    assert meta.vocabularies == ["highwire", "opengraph"]
    candidate = web.candidate(meta)
    assert candidate.fields["year"] == "2017" and [p.family for p in candidate.authors] == ["Lovelace", "Hopper"]
    assert (candidate.fields["month"], candidate.fields["date"]) == ("may", "2017-05-04")  # the page's full date, kept


def test_json_ld_graph_blog_posting_and_a_broken_block_is_skipped():
    meta = web.read_metadata(JSON_LD_GRAPH, "https://x.org/b")
    assert (meta.title, meta.authors, meta.site, meta.schema_type) == ("Posting Headline", ["Jane Roe"], "The Blog", "BlogPosting")
    assert web.candidate(meta).fields["month"] == "apr"
    assert "date" not in web.candidate(web.PageMetadata(title="t", url="u", date="2019-04")).fields  # no day: none made up


def test_dublin_core_and_opengraph():
    dc = web.read_metadata(DUBLIN_CORE, "https://x.org/c")
    assert (dc.title, dc.authors, dc.date, dc.publisher) == ("DC Title", ["Roe, Jane"], "2016-11-18", "A University")
    assert web.candidate(dc).authors[0].family == "Roe"
    og = web.read_metadata(OPENGRAPH, "https://x.org/d")
    assert (og.title, og.authors, og.site) == ("OG Title", ["Shane Soh"], "Medium")  # a profile URL is no name
    assert web.candidate(og).fields["organization"] == "Medium"


def test_a_video_s_author_is_its_channel_not_the_speaker():
    meta = web.read_metadata(YOUTUBE_WATCH, "https://www.youtube.com/watch?v=x")
    assert meta.is_video and meta.date == "2018-02-16" and "microdata" in meta.vocabularies
    candidate = web.candidate(meta)
    assert candidate.authors == [] and candidate.fields["organization"] == "Stanford Online"


RECORDED_TALK = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "VideoObject", "name": "Rewriting Things",
 "author": {"@type": "Person", "name": "Conf Channel"}, "uploadDate": "2019-01-22",
 "recordedAt": {"@type": "Event", "name": "Example Conf 2018", "startDate": "2018-11-05",
                "performer": [{"@type": "Person", "name": "Bryan Roe"}, {"@type": "Person", "name": "Ada Lovelace"}]}}
</script></head><body></body></html>"""

COURSE_TERM = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Course", "name": "Intro to Things",
 "hasCourseInstance": [{"@type": "CourseInstance", "name": "Spring 2019", "startDate": "2019-01-22",
                        "instructor": [{"@type": "Person", "name": "Alex Smola"}, {"@type": "Person", "name": "Mu Li"}]},
                       {"@type": "CourseInstance", "name": "Fall 2020", "startDate": "2020-08-26"}]}
</script></head><body></body></html>"""


def test_a_recorded_talk_is_dated_by_its_event_and_its_performers_are_the_speakers():
    meta = web.read_metadata(RECORDED_TALK, "https://www.youtube.com/watch?v=y")
    assert (meta.event, meta.event_date, meta.delivery, meta.speakers) == ("Example Conf 2018", "2018-11-05", "event", ["Bryan Roe", "Ada Lovelace"])
    candidate = web.candidate(meta)
    assert (candidate.fields["year"], candidate.fields["month"], candidate.fields["datekind"]) == ("2018", "nov", "event")  # not the 2019 upload
    assert [p.family for p in candidate.authors] == ["Roe", "Lovelace"] and candidate.fields["organization"] == "Conf Channel"
    assert candidate.fields["eventtitle"] == "Example Conf 2018"


def test_a_video_without_an_event_is_dated_by_its_upload_and_says_so():
    candidate = web.candidate(web.read_metadata(YOUTUBE_WATCH, "https://www.youtube.com/watch?v=x"))
    assert (candidate.fields["year"], candidate.fields["datekind"]) == ("2018", "upload")


def test_a_course_is_dated_by_its_first_term_and_names_its_instructors():
    meta = web.read_metadata(COURSE_TERM, "https://x.edu/course/")
    assert (meta.schema_type, meta.term, meta.delivery, meta.authors) == ("Course", "Spring 2019", "term", ["Alex Smola", "Mu Li"])
    candidate = web.candidate(meta)
    assert (candidate.fields["year"], candidate.fields["note"], candidate.fields["datekind"]) == ("2019", "Spring 2019", "term")


def test_the_merge_says_which_kind_of_date_a_year_is():
    from sysml_bib.merge_web import merge
    from sysml_bib.model import Person, Record

    talk = Record(key="t", entry_type="misc", kind="talk", fields={"title": "Rewriting Things", "url": "https://www.youtube.com/watch?v=y"})
    merged, notes = merge(talk, [web.candidate(web.read_metadata(RECORDED_TALK, "https://www.youtube.com/watch?v=y"))])
    assert merged.year == "2018" and merged.fields["eventtitle"] == "Example Conf 2018"
    assert any("date the talk was given (Example Conf 2018)" in n for n in notes)
    spoken = Record(key="s", entry_type="misc", kind="talk", authors=[Person("Dean", "Jeff")], fields={"title": "A Talk"}, provenance={"author": "list"})
    merged, notes = merge(spoken, [web.candidate(web.read_metadata(YOUTUBE_WATCH, "https://www.youtube.com/watch?v=x"))])
    assert [p.family for p in merged.authors] == ["Dean"] and any("upload date" in n for n in notes)  # the list's speaker stays
    course = Record(key="c", entry_type="misc", kind="course", fields={"title": "Intro to Things"})
    merged, notes = merge(course, [web.candidate(web.read_metadata(COURSE_TERM, "https://x.edu/course/"))])
    assert (merged.year, merged.fields["note"]) == ("2019", "Spring 2019") and any("course's term (Spring 2019)" in n for n in notes)


def test_bot_checks_and_cookie_walls_are_recognised():
    from sysml_bib.replay_web import BOT_CHECK_PAGE, COOKIE_WALL_PAGE

    assert web.blocked(BOT_CHECK_PAGE) == "bot check page instead of the page"
    assert web.blocked(COOKIE_WALL_PAGE) == "cookie wall instead of the page"
    assert web.blocked("<html><head><title>Attention Required! | Cloudflare</title></head></html>")
    assert web.blocked(OPENGRAPH) is None


def test_names_are_split_only_when_each_part_is_a_name():
    assert web.split_names("Danilo Sato, Arif Wider and Christoph Windheuser") == ["Danilo Sato", "Arif Wider", "Christoph Windheuser"]
    assert web.split_names("Roe, Jane") == ["Roe, Jane"]
    assert web.split_names("by Tyler Akidau") == ["Tyler Akidau"]


def test_web_url_prefix_keeps_host_path_and_query():
    assert prefixed("https://www.youtube.com/oembed?url=x&format=json", "http://127.0.0.1:9/mirror/") == \
        "http://127.0.0.1:9/mirror/www.youtube.com/oembed?url=x&format=json"
    assert prefixed("https://martinfowler.com", "http://m") == "http://m/martinfowler.com/"
    assert prefixed("https://a.org/x", "") == "https://a.org/x"


def test_canonical_youtube_url_drops_playlist_index_and_time():
    assert web.canonical_url("https://www.youtube.com/watch?v=Jnunp-EymJQ&list=WL&index=12") == "https://www.youtube.com/watch?v=Jnunp-EymJQ"
    assert web.canonical_url("https://youtu.be/abc") == "https://www.youtube.com/watch?v=abc"


def test_open_library_shapes_are_read(tmp_path):
    from sysml_bib.replay_web import WebCorpus, openlibrary_books, openlibrary_search

    corpus = WebCorpus(editions=[{"kind": "edition", "isbn": ["9781617293726"], "title": "Kubernetes in Action", "authors": ["Marko Lukša"],
                                  "publishers": ["Manning"], "publish_date": "2017"}],
                       works=[{"kind": "work", "title": "Kubernetes in Action", "author_name": ["Marko Lukša"], "first_publish_year": 2017}])
    books = json.loads(openlibrary_books(corpus, {"bibkeys": ["ISBN:9781617293726"]}).body)
    assert books["ISBN:9781617293726"]["authors"] == [{"name": "Marko Lukša"}]
    assert json.loads(openlibrary_books(corpus, {"bibkeys": ["ISBN:9780000000002"]}).body) == {}
    assert json.loads(openlibrary_search(corpus, {"title": ["kubernetes action"], "author": ["luksa"]}).body)["numFound"] == 1


def test_replay_matches_a_page_recorded_with_more_or_fewer_parameters():
    from sysml_bib.replay_web import WebCorpus, web_site

    corpus = WebCorpus(pages={"www.youtube.com/watch": [({"v": ["X"], "list": ["WL"]}, b"<html></html>", "text/html")]})
    assert web_site(corpus, "/www.youtube.com/watch", {"v": ["X"]}).status == 200
    assert web_site(corpus, "/www.youtube.com/watch", {"v": ["X"], "list": ["WL"], "t": ["5s"]}).status == 200
    assert web_site(corpus, "/www.youtube.com/watch", {"v": ["Y"]}).status == 404
    assert web_site(corpus, "/www.youtube.com/watch", {"v": ["X"], "t": ["5s"]}).status == 404  # neither holds the other
