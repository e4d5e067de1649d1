"""`sysml-bib render`: every verified style in every format, escaping, links, errors."""

import re
from html.parser import HTMLParser

import pytest

from conftest import REFERENCES, run_cli
from sysml_bib.bibtex import read_bibliography
from sysml_bib.render import BIBTEX_STYLES, FORMATS, VERIFIED_CSL_STYLES, render

RECORDS = read_bibliography(str(REFERENCES)).records
RAW_LATEX = re.compile(r"\\[a-zA-Z]+|[{}]")
VOID = {"meta", "br", "hr", "img", "link"}


def entry_count(output: str, fmt: str) -> int:
    lines = output.splitlines()
    if fmt == "text":
        return sum(1 for line in lines if line.strip())
    if fmt == "html":
        return output.count("<li ")
    if fmt == "markdown":
        return sum(1 for line in lines if line.startswith("- "))
    return sum(1 for line in lines if line.startswith("\\item "))


class TagChecker(HTMLParser):
    """Fails on unbalanced tags; collects text and hrefs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.hrefs = [], [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def check_html(output: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(output)
    checker.close()
    assert checker.errors == [] and checker.stack == [], (checker.errors, checker.stack)
    return checker


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("style", BIBTEX_STYLES + VERIFIED_CSL_STYLES)
def test_every_verified_style_and_format_has_one_entry_per_record_and_no_raw_latex(style, fmt):
    output = render(RECORDS, style, fmt)
    assert entry_count(output, fmt) == len(RECORDS) == 214
    if fmt != "latex":
        assert RAW_LATEX.findall(output) == []
    if fmt == "html":
        keys = re.findall(r'<li data-key="([^"]+)"', output)
        assert sorted(keys) == sorted(r.key for r in RECORDS)
        check_html(output)
    if fmt == "latex":
        assert sorted(re.findall(r" % (\S+)$", output, re.M)) == sorted(r.key for r in RECORDS)
    assert "Citation Key" not in output


@pytest.fixture
def hostile_bib(tmp_path):
    path = tmp_path / "hostile.bib"
    path.write_text(
        "@misc{evil2020script,\n"
        "  author = {Ré, José and {ACME \\& Co.}},\n"
        "  title = {Breaking <script>alert(1)</script> {\\&} \"quotes\" 100{\\%}},\n"
        "  year = {2020},\n"
        "  url = {https://example.org/a_b?x=1&y=\"2\"},\n"
        "  kind = {website},\n"
        "}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("style", ["plain", "apa"])
def test_html_escapes_script_and_quotes(hostile_bib, style):
    result = run_cli("render", "--bib", str(hostile_bib), "--style", style, "--format", "html")
    assert result.code == 0, result.err
    assert "<script>" not in result.out and "&lt;script&gt;" in result.out
    checker = check_html(result.out)
    text = "".join(checker.text)
    assert "<script>alert(1)</script>" in text and "Ré" in text and "100%" in text
    assert any(href.startswith("https://example.org/a_b?x=1&y=") for href in checker.hrefs)


@pytest.mark.parametrize("style", ["plain", "apa"])
def test_markdown_links_are_clickable_and_text_has_no_latex(hostile_bib, style):
    result = run_cli("render", "--bib", str(hostile_bib), "--style", style, "--format", "markdown")
    assert result.code == 0, result.err
    urls = re.findall(r"\]\((https?://[^)\s]+)\)|<(https?://[^>\s]+)>", result.out)
    assert any(a.startswith("https://example.org/a_b?x=1") or b.startswith("https://example.org/a_b?x=1") for a, b in urls)
    assert not RAW_LATEX.search(result.out)
    text = run_cli("render", "--bib", str(hostile_bib), "--style", style, "--format", "text").out
    assert "Ré" in text and "&" in text and not RAW_LATEX.search(text)


def test_latex_output_escapes_specials(hostile_bib):
    out = run_cli("render", "--bib", str(hostile_bib), "--style", "apa", "--format", "latex").out
    assert "100{\\%}" in out and "{\\&} ACME {\\&} Co." in out
    # A URL with & cannot go into \url inside a macro argument: it is escaped text instead.
    assert "https://example.org/a{\\_}b?x=1{\\&}y=" in out
    training = run_cli("render", "--section", "Training", "--style", "apa", "--format", "latex").out
    assert "\\url{http://proceedings.mlr.press/v80/jia18a.html}" in training
    assert out.count("\\begin{list}") == out.count("\\end{list}") == 1


def test_group_by_section_puts_entries_under_headings():
    result = run_cli("render", "--section", "Training", "--style", "apa", "--format", "markdown", "--group-by-section")
    assert result.code == 0, result.err
    headings = [line for line in result.out.splitlines() if line.startswith("#")]
    assert headings[0] == "## Machine Learning System Papers \\(Training\\)".replace("\\(", "(").replace("\\)", ")")
    assert any(h.startswith("### ") for h in headings)
    plain = run_cli("render", "--section", "Training", "--style", "apa", "--format", "markdown")
    assert entry_count(result.out, "markdown") >= entry_count(plain.out, "markdown") == 17


def test_group_by_section_lists_a_record_under_each_of_its_sections():
    deepcpu = [r for r in RECORDS if len(r.sections) > 1][0]
    result = run_cli("render", "--style", "plain", "--format", "html", "--group-by-section")
    assert result.out.count(f'data-key="{deepcpu.key}"') == len(deepcpu.sections)
    check_html(result.out)


def test_unknown_style_exits_2_with_closest_names():
    result = run_cli("render", "--style", "ieeee")
    assert result.code == 2
    assert "unknown style 'ieeee'" in result.err and "ieee" in result.err
    assert result.out == ""


def test_engine_crash_exits_1_naming_the_style(tmp_path):
    broken = tmp_path / "broken.csl"
    broken.write_text('<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><bibliography>', encoding="utf-8")
    result = run_cli("render", "--section", "Training", "--style", str(broken))
    assert result.code == 1
    assert f"cannot render style '{broken}'" in result.err
    assert result.out == ""


def test_note_style_without_bibliography_is_a_clear_failure(tmp_path):
    style = tmp_path / "notes-only.csl"
    style.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">'
        "<info><title>t</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>"
        '<citation><layout><text variable="title"/></layout></citation></style>',
        encoding="utf-8",
    )
    result = run_cli("render", "--section", "Training", "--style", str(style))
    assert result.code == 1 and "defines no bibliography" in result.err


def test_render_is_deterministic():
    args = ("render", "--section", "Training", "--style", "ieee", "--format", "text")
    assert run_cli(*args).out == run_cli(*args).out
