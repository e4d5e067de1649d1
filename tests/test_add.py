"""``sysml-bib add URL``: resolved against replay servers on 127.0.0.1, written in the list's template."""

import difflib

import pytest

from sysml_bib import names, venues
from sysml_bib.maintainers import entry as entrymod
from sysml_bib.model import Person
from sysml_bib.parse import parse_text
from sysml_bib.replay import Corpus, Fault, ReplayServers

from conftest import REPO, run_cli

CORPUS = REPO / "data" / "recorded"
DBLP_RECORDS = REPO / "tests" / "data" / "dblp-records"

LIST = """# A list

## Table of Contents
- [Serving](#serving)
- [Edge](#edge)

## Serving

- Clipper: A Low-Latency Online Prediction Serving System [[Paper]](https://www.usenix.org/system/files/conference/nsdi17/nsdi17-crankshaw.pdf) [[GitHub]](https://github.com/ucbrise/clipper)
  - Crankshaw, Daniel, Xin Wang, Giulio Zhou, Michael J. Franklin, Joseph E. Gonzalez, and Ion Stoica. (*NSDI 2017*)
  - Summary: adaptive batching

### Tools

- Orkhon: ML Inference Framework and Server Runtime [[GitHub]](https://github.com/vertexclique/orkhon)

## Edge

- Neurosurgeon: Collaborative intelligence between the cloud and mobile edge. [[Paper]](http://web.eecs.umich.edu/~jahausw/publications/kang2017neurosurgeon.pdf)
  - Kang, Yiping, et al. (*ASPLOS 2017*)
"""


@pytest.fixture(autouse=True)
def fast_politeness(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")


@pytest.fixture(scope="module")
def corpus():
    return Corpus.load(CORPUS)


@pytest.fixture
def list_file(tmp_path):
    path = tmp_path / "list.md"
    path.write_bytes(LIST.encode("utf-8"))
    return path


def add(servers, tmp_path, list_file, *args):
    return run_cli("add", *args, "--list", str(list_file), "--cache-dir", str(tmp_path / "cache"), *servers.args())


def read_back(out: str):
    items = parse_text(out, "<out>").items
    assert len(items) == 1, out
    item = items[0]
    authors = names.parse_authors(item.author_lines[0]).people if item.author_lines else []
    venue = venues.parse_venue(item.venue_lines[0]) if item.venue_lines else None
    return item, authors, venue


def test_an_arxiv_preprint_gets_its_published_venue_and_parses_back(corpus, tmp_path, list_file):
    with ReplayServers(corpus) as servers:
        run = add(servers, tmp_path, list_file, "https://arxiv.org/abs/1810.10090", "--section", "Serving")
        calls = servers.calls()
    assert run.code == 0, run.err
    assert run.out == (
        "- NestDNN: Resource-Aware Multi-Tenant On-Device Deep Learning for Continuous Mobile Vision [[Paper]](https://arxiv.org/abs/1810.10090)\n"
        "  - Fang, Biyi, Xiao Zeng, and Mi Zhang. (*MobiCom 2018*)\n"
        "  - Summary:\n"
    )
    item, authors, venue = read_back(run.out)
    assert item.title == "NestDNN: Resource-Aware Multi-Tenant On-Device Deep Learning for Continuous Mobile Vision"
    assert authors == [Person("Fang", "Biyi"), Person("Zeng", "Xiao"), Person("Zhang", "Mi")]
    assert (venue.short, venue.year) == ("MobiCom", "2018")
    assert [(l.label, l.url, l.arxiv_id) for l in item.links] == [("Paper", "https://arxiv.org/abs/1810.10090", "1810.10090")]
    assert calls["arxiv"] == 1  # the id once (the resolve step reads it from the cache)
    assert run.err.startswith("from arxiv, ") and "dblp" in run.err


def test_a_usenix_presentation_page_parses_back(corpus, tmp_path, list_file):
    with ReplayServers(corpus) as servers:
        run = add(servers, tmp_path, list_file, "https://www.usenix.org/conference/osdi18/presentation/maricq",
                  "--section", "Serving", "--github", "https://github.com/example/confirm")
    assert run.code == 0, run.err
    item, authors, venue = read_back(run.out)
    assert item.title == "Taming Performance Variability"
    assert [p.family for p in authors] == ["Maricq", "Duplyakin", "Jimenez", "Maltzahn", "Stutsman", "Ricci"]
    assert authors[0] == Person("Maricq", "Aleksander")
    assert (venue.short, venue.year) == ("OSDI", "2018")
    assert [(l.label, l.type) for l in item.links] == [("Paper", "usenix-page"), ("GitHub", "github")]


def test_a_github_repository_parses_back_as_software(corpus, tmp_path, list_file):
    with ReplayServers(corpus) as servers:
        run = add(servers, tmp_path, list_file, "https://github.com/msr-fiddle/pipedream", "--section", "Tools")
        calls = servers.calls()
    assert run.code == 0, run.err
    item, authors, venue = read_back(run.out)
    assert item.kind == "software" and not item.author_lines and not item.venue_lines
    assert [(l.label, l.url, l.repo) for l in item.links] == [("GitHub", "https://github.com/msr-fiddle/pipedream", "msr-fiddle/pipedream")]
    assert item.title.startswith("pipedream")
    assert set(calls.values()) == {0}


def test_a_dblp_record_url_is_read_from_dblps_record_export(tmp_path, list_file):
    with ReplayServers(Corpus.load(DBLP_RECORDS)) as servers:
        run = add(servers, tmp_path, list_file, "https://dblp.org/rec/conf/spire/BastMW06.html", "--section", "Serving")
        corr = add(servers, tmp_path, list_file, "https://dblp.org/rec/journals/corr/abs-2401-06112")
        requests = servers.hosts["dblp"].requests
    assert run.code == 0, run.err
    item, authors, venue = read_back(run.out)
    assert item.title == "Output-Sensitive Autocompletion Search"
    assert authors == [Person("Bast", "H."), Person("Mortensen", "Christian Worm"), Person("Weber", "Ingmar")]
    assert (venue.name or venue.short, venue.year) == ("SPIRE", "2006")
    assert item.links[0].url == "https://doi.org/10.1007/11880561_13"  # dblp's \_ unescaped
    assert "/rec/conf/spire/BastMW06.bib?param=1" in requests
    item, _, venue = read_back(corr.out)  # a CoRR record: the paper is the arXiv preprint
    assert item.links[0].url == "https://arxiv.org/abs/2401.06112"
    assert venue.type == "preprint" and venue.year == "2024"


def test_write_inserts_at_the_end_of_the_section_and_changes_nothing_else(corpus, tmp_path, list_file):
    # CRLF line ends and a byte that is not UTF-8 elsewhere in the file must survive untouched.
    original = LIST.replace("\n", "\r\n").encode("utf-8").replace(b"adaptive batching", b"adaptive \xff batching")
    list_file.write_bytes(original)
    with ReplayServers(corpus) as servers:
        run = add(servers, tmp_path, list_file, "https://arxiv.org/abs/1810.10090", "--section", "Serving", "--write")
    assert run.code == 0, run.err
    after = list_file.read_bytes()
    before_lines, after_lines = original.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = [op for op in difflib.SequenceMatcher(None, before_lines, after_lines, autojunk=False).get_opcodes() if op[0] != "equal"]
    assert ops == [("insert", 11, 11, 11, 14)]  # after the Clipper entry's last line, before "### Tools"
    assert after_lines[11:14] == [line.encode() + b"\r\n" for line in run.out.splitlines()]
    assert "wrote" in run.err and "after line 11" in run.err


def test_write_into_a_section_that_has_only_a_heading(corpus, tmp_path, list_file):
    list_file.write_text(LIST + "\n## Empty\n", encoding="utf-8")
    with ReplayServers(corpus) as servers:
        run = add(servers, tmp_path, list_file, "https://github.com/msr-fiddle/pipedream", "--section", "Empty", "--write")
    assert run.code == 0, run.err
    text = list_file.read_text(encoding="utf-8")
    assert text == LIST + "\n## Empty\n\n" + run.out


def test_the_author_line_follows_the_sections_style(corpus, tmp_path, list_file):
    with ReplayServers(corpus) as servers:
        run = add(servers, tmp_path, list_file, "https://arxiv.org/abs/1810.10090", "--section", "Edge")
    assert run.code == 0, run.err
    assert "  - Fang, Biyi, et al. (*MobiCom 2018*)\n" in run.out  # Edge writes "Kang, Yiping, et al."
    assert "et-al style of Edge" in run.err


def test_an_entry_already_listed_is_refused_with_its_line(corpus, tmp_path, list_file):
    before = list_file.read_bytes()
    with ReplayServers(corpus) as servers:
        # The same repository (also when it is the code link of a paper): refused before any request.
        run = add(servers, tmp_path, list_file, "https://github.com/ucbrise/clipper")
        assert run.code == 1 and f"already in the list: {list_file}:9 (Clipper" in run.err
        run = add(servers, tmp_path, list_file, "https://github.com/vertexclique/orkhon/", "--section", "Tools", "--write")
        assert (run.code, run.out) == (1, "")
        assert f"already in the list: {list_file}:15 (Orkhon" in run.err
        assert set(servers.calls().values()) == {0}
        # Clipper's arXiv preprint: the same work as the NSDI entry (by title, once resolved).
        run = add(servers, tmp_path, list_file, "https://arxiv.org/abs/1612.03079", "--section", "Serving", "--write")
    assert run.code == 1
    assert f"already in the list: {list_file}:9 (Clipper" in run.err
    assert list_file.read_bytes() == before


def test_a_source_failure_adds_nothing(corpus, tmp_path, list_file):
    before = list_file.read_bytes()
    with ReplayServers(corpus, faults={"arxiv": [Fault("status:503")]}) as servers:
        run = add(servers, tmp_path, list_file, "https://arxiv.org/abs/1810.10090", "--section", "Serving", "--write")
    assert run.code == 1
    # (the replay server's own threads may log a reset connection on stderr too)
    assert run.err.splitlines()[-1] == "sysml-bib add: error: arXiv: HTTP 503 (nothing was added)"
    assert list_file.read_bytes() == before


@pytest.mark.parametrize("args, message", [
    (["https://example.org/paper.pdf"], "cannot resolve https://example.org/paper.pdf"),
    (["https://www.usenix.org/system/files/osdi18-xiao.pdf"], "give its presentation page"),
    (["https://arxiv.org/abs/1810.10090", "--section", "Nowhere"], "no section matches 'Nowhere'"),
    (["https://arxiv.org/abs/1810.10090", "--write"], "--write needs --section"),
    (["https://arxiv.org/abs/1810.10090", "--github", "https://example.org/x"], "--github takes a GitHub repository"),
    (["https://arxiv.org/abs/1810.10090", "--section", "Serving", "--write", "--no-list"], "--write needs --list FILE"),
])
def test_bad_usage_exits_2_before_any_request(tmp_path, list_file, args, message):
    listing = [] if "--no-list" in args else ["--list", str(list_file)]
    args = [a for a in args if a != "--no-list"]
    run = run_cli("add", *args, *listing, "--arxiv-url", "http://127.0.0.1:9", "--offline", "--cache-dir", str(tmp_path / "cache"))
    assert run.code == 2 and message in run.err


# ----------------------------------------------------------------------------- the template, pure

@pytest.mark.parametrize("line, style", [
    ("Zhihao Jia, Sina Lin, Charles R. Qi, and Alex Aiken.", "natural"),
    ("Jia, Zhihao, Matei Zaharia, and Alex Aiken.", "chicago"),
    ("Crankshaw, Daniel, et al.", "et-al"),
    ("Lee, Y., Scolari, A., Chun, B.G. and Interlandi, M., 2018.", "initials"),
    ("Lerer, Adam and Wu, Ledell and Shen, Jiajun", "bibtex"),
])
def test_each_author_style_is_recognised_and_parse_reads_it_back(line, style):
    assert entrymod.line_style(line) == style
    people = [Person("Jia", "Zhihao"), Person("Lin", "Sina"), Person("Qi", "Charles R."), Person("Aiken", "Alex")]
    written = entrymod.format_authors(people, False, style)
    assert entrymod.line_style(written) == style
    parsed = names.parse_authors(written)
    if style == "et-al":
        assert parsed.people == people[:1] and parsed.truncated
    elif style == "initials":
        assert [p.family for p in parsed.people] == ["Jia", "Lin", "Qi", "Aiken"]
    else:
        assert parsed.people == people and not parsed.truncated


def test_titles_and_urls_that_markdown_would_misread_are_escaped():
    lines = entrymod.Entry("A [draft] title", [("Paper", "https://example.org/a (1).pdf")], "Ann Lee.", "OSDI 2020").lines()
    assert lines[0] == "- A \\[draft\\] title [[Paper]](https://example.org/a%20%281%29.pdf)"
    item = parse_text("\n".join(lines) + "\n").items[0]
    assert item.title == "A [draft] title"
    assert item.links[0].url == "https://example.org/a%20%281%29.pdf"


@pytest.mark.parametrize("text, after, expected", [
    ("- a\n- b\n", 1, "- a\n- new\n- b\n"),
    ("- a\r\n- b", 2, "- a\r\n- b\r\n- new\r\n"),  # a last line without its line end gets one
    ("## S\n\n## T\n", 1, "## S\n\n- new\n\n## T\n"),  # below a heading: a blank line first, as the list writes
    ("- a\r- b\r", 2, "- a\r- b\r- new\r"),
])
def test_insert_keeps_every_other_character(text, after, expected):
    assert entrymod.insert(text, after, ["- new"]) == expected


def test_add_answers_from_the_same_cache_as_resolve_offline(corpus, tmp_path, list_file):
    with ReplayServers(corpus) as servers:
        first = add(servers, tmp_path, list_file, "https://arxiv.org/abs/1810.10090", "--section", "Serving")
        replay_args = servers.args()
    assert first.code == 0, first.err
    # The servers are gone: --offline answers from the cache the first run filled.
    again = run_cli("add", "https://arxiv.org/abs/1810.10090", "--section", "Serving", "--list", str(list_file),
                    "--cache-dir", str(tmp_path / "cache"), "--offline", *replay_args)
    assert (again.code, again.out) == (0, first.out), again.err


def test_a_presentation_page_the_export_lacks_is_read_for_its_bibtex_block(corpus, tmp_path, list_file):
    # The BibTeX block of https://www.usenix.org/conference/usenixsecurity24/presentation/ali as that page
    # shows it (/work/shared/reference/samples/usenix-usenixsecurity24-ali.bib), in the page's block markup.
    block = (
        "@inproceedings {298014,<br> author = {Mir Masood Ali and Mohammad Ghasemisharif and Chris Kanich and Jason Polakis},<br>"
        " title = {Rise of Inspectron: Automated Black-box Auditing of Cross-platform Electron Apps},<br>"
        " booktitle = {33rd USENIX Security Symposium (USENIX Security 24)},<br> year = {2024},<br>"
        " isbn = {978-1-939133-44-1},<br> address = {Philadelphia, PA},<br> pages = {775--792},<br>"
        " url = {https://www.usenix.org/conference/usenixsecurity24/presentation/ali},<br>"
        " publisher = {USENIX Association},<br> month = aug<br> }"
    )
    page = f'<html><body><div class="bibtex-text-entry bibtex-accordion-text-entry">{block}</div></body></html>'.encode()
    local = Corpus(arxiv=corpus.arxiv, dblp=[], usenix_export=corpus.usenix_export,
                   usenix_pages={"/conference/usenixsecurity24/presentation/ali": page})
    with ReplayServers(local) as servers:
        run = add(servers, tmp_path, list_file, "https://www.usenix.org/conference/usenixsecurity24/presentation/ali", "--section", "Serving")
        requests = servers.hosts["usenix"].requests
    assert run.code == 0, run.err
    item, authors, venue = read_back(run.out)
    assert item.title == "Rise of Inspectron: Automated Black-box Auditing of Cross-platform Electron Apps"
    assert [p.family for p in authors] == ["Ali", "Ghasemisharif", "Kanich", "Polakis"]
    assert "(*USENIX Security 2024*)" in run.out  # the venue USENIX names in parentheses
    assert (venue.name, venue.year) == ("USENIX Security", "2024")
    assert requests[:2] == ["/biblio/export/bibtex", "/conference/usenixsecurity24/presentation/ali"]
