"""resolve for books, talks, posts, courses and sites through --web-url: a replay of pages,
oEmbed and Open Library the project has never seen, and faults on every web host."""

import json

import pytest

from sysml_bib import bibtex
from sysml_bib.replay import Corpus, Fault, ReplayServers

from conftest import run_cli

LIST = """## Talks
- Scaling Things Up. Ada Lovelace [[YouTube]](https://www.youtube.com/watch?v=abcDEF12345&t=5s)
- Systems at Scale [[Video]](https://conf.example.org/2019/talks/systems-at-scale)
## Blogs
- Shipping Models Quickly [[Blog]](https://blog.example.org/2020/01/02/shipping-models/)
- A Report on Pipelines [[Blog]](https://reports.example.edu/pipelines)
- Notes on Caching [[Blog]](https://dc.example.net/notes/caching)
## Books
- Designing Data Systems (a classic) [[Book]](https://books.example.com/view/designing-data-systems/9781617293726/)
- Practical Queueing [[Book]](https://books.example.com/practical-queueing)
"""


def page(head: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body><p>text</p></body></html>"


PAGES = {
    "https://www.youtube.com/watch?v=abcDEF12345": page(
        "<meta property='og:title' content='Scaling Things Up'><meta property='og:type' content='video.other'></head><body>"
        "<div itemscope itemtype='http://schema.org/VideoObject'><span itemprop='author' itemscope itemtype='http://schema.org/Person'>"
        "<link itemprop='name' content='Example Channel'></span><meta itemprop='uploadDate' content='2019-03-04'></div>"),
    "https://conf.example.org/2019/talks/systems-at-scale": page(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Event", "name": "Systems at Scale",'
        ' "startDate": "2019-06-10", "performer": {"@type": "Person", "name": "Grace Hopper"},'
        ' "superEvent": {"@type": "Event", "name": "Example Conf 2019"}}</script>'),
    "https://blog.example.org/2020/01/02/shipping-models/": page(
        "<meta property='og:title' content='Shipping Models Quickly'><meta property='og:site_name' content='Example Blog'>"
        "<meta property='article:published_time' content='2020-01-05T08:00:00Z'><meta name='author' content='Jane Roe'>"),
    "https://reports.example.edu/pipelines": page(
        "<meta name='citation_title' content='A Report on Pipelines'><meta name='citation_author' content='Hopper, Grace'>"
        "<meta name='citation_author' content='Lovelace, Ada'><meta name='citation_date' content='2016/11/18'>"),
    "https://dc.example.net/notes/caching": page(
        "<meta name='DC.title' content='Notes on Caching'><meta name='DC.creator' content='Alan Turing'><meta name='DC.date' content='2015-07-01'>"),
}
OPEN_LIBRARY = [
    {"kind": "edition", "isbn": ["9781617293726"], "title": "Designing Data Systems", "subtitle": "Principles", "authors": ["Ann Author"],
     "publishers": ["Example Press"], "publish_date": "March 2017"},
    {"kind": "work", "title": "Practical Queueing", "author_name": ["Bob Writer"], "first_publish_year": 2011,
     "publisher": ["Queue House", "Other House"], "isbn": ["9780262033848"]},
    {"kind": "edition", "isbn": ["9780262033848"], "title": "Practical Queueing", "authors": ["Bob Writer"],
     "publishers": ["Queue House"], "publish_date": "2012"},
]
OEMBED = [{"url": "https://www.youtube.com/watch?v=abcDEF12345", "title": "Scaling Things Up", "author_name": "Example Channel",
           "author_url": "https://www.youtube.com/@example"}]


@pytest.fixture
def corpus(tmp_path):
    from urllib.parse import urlsplit

    root = tmp_path / "corpus"
    pages = root / "web" / "pages"
    for n, (url, html) in enumerate(PAGES.items()):
        folder = pages / urlsplit(url).netloc
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"p{n}.html").write_text(html, encoding="utf-8")
        (folder / f"p{n}.html.source.json").write_text(json.dumps({"url": url, "body": f"p{n}.html"}), encoding="utf-8")
    (root / "web" / "openlibrary.jsonl").write_text("".join(json.dumps(r) + "\n" for r in OPEN_LIBRARY), encoding="utf-8")
    (root / "web" / "youtube-oembed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in OEMBED), encoding="utf-8")
    return Corpus.load(root)


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "1")


def resolve(servers, tmp_path, text=LIST):
    (tmp_path / "list.md").write_text(text, encoding="utf-8")
    run = run_cli("resolve", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"), "--no-progress",
                  "--cache-dir", str(tmp_path / "cache"), "--web-url", servers.hosts["web"].url, *servers.args()[:6])
    report = json.loads((tmp_path / "refs-report.json").read_text()) if (tmp_path / "refs-report.json").exists() else None
    records = {r.title: r for r in bibtex.read_bibliography(str(tmp_path / "refs.bib")).records} if run.code == 0 else {}
    return run, report, records


def people(record):
    return [(p.family, p.given) for p in record.authors]


def test_an_unseen_replay_of_every_vocabulary_gets_authors_dates_and_publishers(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report, got = resolve(servers, tmp_path)
        requested = list(servers.hosts["web"].requests)
    assert run.code == 0, run.err
    robots = [r for r in requested if r.endswith("/robots.txt")]
    assert len(robots) == len(set(robots)) == 6  # once per host (openlibrary.org is an API, asked no robots.txt)
    talk = got["Scaling Things Up"]
    assert people(talk) == [("Lovelace", "Ada")] and talk.year == "2019" and talk.fields["month"] == "mar"  # microdata uploadDate
    assert talk.fields["organization"] == "Example Channel"  # oEmbed/uploader: the channel, not the speaker
    event = got["Systems at Scale"]
    assert event.year == "2019" and event.fields["month"] == "jun"  # JSON-LD Event startDate
    assert event.fields["eventtitle"] == "Example Conf 2019"  # the event the talk was part of: its venue
    assert people(event) == [("Hopper", "Grace")]  # an Event's performer is the speaker
    post = got["Shipping Models Quickly"]
    assert (people(post), post.year, post.fields["month"], post.fields["organization"]) == ([("Roe", "Jane")], "2020", "jan", "Example Blog")
    highwire = got["A Report on Pipelines"]
    assert people(highwire) == [("Hopper", "Grace"), ("Lovelace", "Ada")] and highwire.year == "2016"
    dublin = got["Notes on Caching"]
    assert people(dublin) == [("Turing", "Alan")] and dublin.year == "2015"
    book = got["Designing Data Systems: Principles"]
    assert (book.entry_type, people(book), book.fields["publisher"], book.year) == ("book", [("Author", "Ann")], "Example Press", "2017")
    assert book.fields["annote"] == "a classic"
    searched = got["Practical Queueing"]
    assert (searched.entry_type, searched.fields["publisher"], searched.year) == ("book", "Queue House", "2012")  # the edition's, not the work's
    web = report["summary"]["web"]
    assert web["works"] == 7 and web["with_year"] == 7 and web["undated"] == {}
    notes = report["web_works"]
    post_key = next(k for k, w in notes.items() if w["title"] == "Shipping Models Quickly")
    assert any("URL path says 2020" in n or "page says" in n for n in notes[post_key]["notes"]) or notes[post_key]["fields"]["year"] == "web"


def test_biblatex_types_of_the_resolved_works(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, _, _ = resolve(servers, tmp_path)
    assert run.code == 0
    exported = run_cli("export", "--bib", str(tmp_path / "refs.bib"), "--format", "biblatex").out
    assert "@book{" in exported and "@online{" in exported
    talk = exported[exported.index("Scaling Things Up") - 200:]
    assert talk.lstrip().startswith("@misc") or "@misc{" in exported[: exported.index("Scaling Things Up")]
    assert "eventtitle" not in exported and "howpublished = {\\url" not in exported


def works_by_title(report):
    return {w["title"]: w for w in report["web_works"].values()}


@pytest.mark.parametrize("fault, reason", [
    (Fault("bot-check", path="blog.example.org"), "bot check"),
    (Fault("cookie-wall", path="blog.example.org"), "cookie wall"),
    (Fault("status:429", path="blog.example.org", retry_after="3600"), "HTTP 429"),
    (Fault("timeout", path="blog.example.org", seconds=2.5), "Timeout"),
    (Fault("status:503", path="blog.example.org"), "HTTP 503"),
])
def test_a_failing_page_leaves_the_list_s_data_and_the_report_says_why(corpus, tmp_path, fault, reason):
    with ReplayServers(corpus, {"web": [fault]}) as servers:
        run, report, got = resolve(servers, tmp_path)
    assert run.code == 0, run.err
    assert len(got) == 7  # every item still has its record
    post = works_by_title(report)["Shipping Models Quickly"]
    assert post["status"] == "list-only" and reason in post["unresolved"]["web"], post["unresolved"]
    assert got["Shipping Models Quickly"].year == "2020" and got["Shipping Models Quickly"].fields["month"] == "jan"  # the URL's date
    assert post["fields"]["year"] == "url"
    assert got["Notes on Caching"].year == "2015"  # the other hosts are unaffected


def test_429_with_a_short_retry_after_is_retried(corpus, tmp_path):
    with ReplayServers(corpus, {"web": [Fault("status:429", path="blog.example.org/2020", first=1, retry_after="0")]}) as servers:
        run, report, got = resolve(servers, tmp_path)
    assert run.code == 0
    assert works_by_title(report)["Shipping Models Quickly"]["status"] == "resolved"


def test_a_page_naming_another_work_is_rejected_and_reported(corpus, tmp_path):
    with ReplayServers(corpus, {"web": [Fault("other-work", path="dc.example.net")]}) as servers:
        run, report, got = resolve(servers, tmp_path)
    assert run.code == 0
    work = works_by_title(report)["Notes on Caching"]
    assert work["status"] == "list-only" and work["rejected"] and "names another work" in work["rejected"][0]["reason"]
    assert not got["Notes on Caching"].year and not got["Notes on Caching"].authors
    assert "names another work" in report["summary"]["web"]["undated"][next(k for k, w in report["web_works"].items() if w["title"] == "Notes on Caching")]


def test_robots_txt_is_obeyed_and_only_html_is_read(corpus, tmp_path):
    corpus.web.pages["dc.example.net/robots.txt"] = [({}, b"User-agent: *\nDisallow: /notes/\n", "text/plain")]
    corpus.web.pages["reports.example.edu/pipelines"] = [({}, b"%PDF-1.5 not a page", "application/pdf")]
    with ReplayServers(corpus) as servers:
        run, report, got = resolve(servers, tmp_path)
        requested = servers.hosts["web"].requests
    assert run.code == 0
    works = works_by_title(report)
    assert works["Notes on Caching"]["unresolved"]["web"] == "robots.txt disallows this page"
    assert not any(r.startswith("/dc.example.net/notes") for r in requested)
    assert "expected an HTML page" in works["A Report on Pipelines"]["unresolved"]["web"]


def test_one_request_at_a_time_per_host_a_second_apart(corpus, tmp_path, monkeypatch):
    """Without the test override the web hosts get the 1 s default interval."""
    from sysml_bib.http import PoliteAdapter

    waits = []
    monkeypatch.delenv("SYSML_BIB_MIN_INTERVAL")
    original = PoliteAdapter.__init__

    def recording(self, policies, default, sleep=None, **options):
        original(self, policies, default, sleep=lambda s: waits.append(s), **options)
        assert default.interval == 1.0

    monkeypatch.setattr(PoliteAdapter, "__init__", recording)
    with ReplayServers(corpus) as servers:
        run, _, _ = resolve(servers, tmp_path, "## Blogs\n- Shipping Models Quickly [[Blog]](https://blog.example.org/2020/01/02/shipping-models/)\n"
                                             "- Notes on Caching [[Blog]](https://dc.example.net/notes/caching)\n")
    assert run.code == 0
    assert waits and all(0 < w <= 1.0 for w in waits)  # robots.txt then page on one host: spaced


def test_build_reproduces_the_web_works_without_the_network(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, _, _ = resolve(servers, tmp_path)
    assert run.code == 0
    first = (tmp_path / "refs.bib").read_text()
    assert run_cli("build", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"), "--check").code == 0
    assert (tmp_path / "refs.bib").read_text() == first


def test_bad_web_url_is_a_usage_error(tmp_path):
    (tmp_path / "list.md").write_text(LIST)
    run = run_cli("resolve", "--list", str(tmp_path / "list.md"), "--out", str(tmp_path / "refs.bib"), "--web-url", "ftp://x")
    assert run.code == 2 and "--web-url" in run.err and "Traceback" not in run.err
