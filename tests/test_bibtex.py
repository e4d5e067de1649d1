import bibtexparser
import pybtex.database
import pytest

from sysml_bib import bibtex
from sysml_bib.model import Person, Record

from conftest import REFERENCES


def record(**fields):
    rec = Record(key="doe2020title", entry_type="inproceedings", kind="paper",
                 authors=[Person("Doe", "Jane"), Person("Ré", "Christopher"), Person("van der Berg", "Jan")])
    rec.fields.update({"title": "A Title", "booktitle": "Proc. of X", "year": "2020"})
    rec.fields.update(fields)
    rec.sections = [("Model Serving",), ("Video System", "Papers")]
    return rec


def roundtrip(rec, mode="bibtex"):
    text = bibtex.format_entry(rec, mode)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    return text, bibtex.parse_bibliography(text).records[0]


@pytest.mark.parametrize("title", [
    "50% of C# & R_1 {x} ~ ^ \\ $5",
    "Frédo Durand’s “Halide” — über-fast 😀 继Spark之后",
    "Naïve Bayes: {A} look", "Back\\slash }{ unbalanced {",
])
def test_specials_and_unicode_round_trip(title):
    rec = record(title=title, note="100% {sure} #1 & _x_")
    for mode in bibtex.MODES:
        text, back = roundtrip(rec, mode)
        assert back.title == title
        assert back.fields["note"] == rec.fields["note"]
        assert text.count("{") == text.count("}")  # BibTeX counts escaped braces too


def test_bibtex_mode_writes_latex_and_biblatex_mode_utf8():
    rec = record(title="Frédo and the GPU")
    plain = bibtex.format_entry(rec, "bibtex")
    assert "R{\\'e}, Christopher" in plain and "Fr{\\'e}do" in plain
    assert plain.isascii()
    utf8 = bibtex.format_entry(rec, "biblatex")
    assert "Ré, Christopher" in utf8 and "Frédo" in utf8


def test_case_protection_pages_month_and_field_order():
    rec = record(title="PyTorch-BigGraph: A Large-scale GPU System for DNNs", pages="368-380", month="aug")
    rec.keep_case = ("Large-scale",)
    text = bibtex.format_entry(rec, "bibtex")
    # "Large-scale" was braced by the source, but is an ordinary hyphenated word.
    assert "{PyTorch-BigGraph}: A Large-scale {GPU} System for {DNNs}" in text
    assert "pages         = {368--380}" in text
    assert "month         = aug," in text
    names = [line.split("=")[0].strip() for line in text.splitlines()[1:-1]]
    assert names == ["author", "title", "booktitle", "year", "month", "pages", "keywords", "kind"]
    assert "keywords      = {Model Serving, Video System, Video System > Papers}" in text
    assert "author        = {Doe, Jane and R{\\'e}, Christopher and van der Berg, Jan}" in text
    assert bibtex.format_entry(rec, "biblatex").count("month         = {8},") == 1


def test_same_records_same_bytes():
    rec = record()
    assert bibtex.format_bibliography([rec, rec], "bibtex") == bibtex.format_bibliography([rec, rec], "bibtex")


def test_software_and_web_pages_in_both_dialects():
    rec = Record(key="uberhorovod", entry_type="misc", kind="software", authors=[Person("uber", literal=True)])
    rec.fields.update({"title": "Horovod", "url": "https://github.com/uber/horovod"})
    text = bibtex.format_entry(rec, "bibtex")
    assert text.startswith("@misc{uberhorovod,") and "howpublished" not in text  # the URL once, in url
    assert "url           = {https://github.com/uber/horovod}" in text
    assert "author        = {{uber}}" in text
    plain = bibtex.format_entry(rec, "bibtex", family="plain")  # plain/unsrt/alpha print no url field
    assert "howpublished  = {\\url{https://github.com/uber/horovod}}" in plain
    text = bibtex.format_entry(rec, "biblatex")
    assert text.startswith("@software{uberhorovod,") and "howpublished" not in text
    web = Record(key="x", entry_type="misc", kind="blog")
    web.fields.update({"title": "T", "url": "https://a.org/p?x=1&y=2#z"})
    text = bibtex.format_entry(web, "bibtex")
    assert "howpublished" not in text and "url           = {https://a.org/p?x=1&y=2#z}" in text
    # No author: the site is the sort key (printed by plainnat and ACM in the author's place), never the title.
    assert "key           = {a.org}" in text
    plain = bibtex.format_entry(web, "bibtex", family="plain")
    assert "howpublished  = {\\url{https://a.org/p?x=1&y=2#z}}" in plain  # top-level \url{} takes # and &
    assert "key           = {T}" in plain  # plain never prints the key, it only sorts by it
    _, back = roundtrip(web)
    assert back.fields == {"title": "T", "url": "https://a.org/p?x=1&y=2#z"}
    assert bibtex.format_entry(web, "biblatex").startswith("@misc{x,")  # undated


def test_arxiv_id_printed_once_per_family():
    rec = Record(key="p", entry_type="misc", kind="paper")
    rec.fields.update({"title": "T", "year": "2017", "howpublished": "arXiv preprint arXiv:1705.07538", "eprint": "1705.07538", "archiveprefix": "arXiv"})
    assert "howpublished  = {arXiv preprint}," in bibtex.format_entry(rec, "bibtex")  # ACM, biblatex print eprint
    assert "howpublished  = {arXiv preprint arXiv:1705.07538}" in bibtex.format_entry(rec, "bibtex", family="plain")
    assert "howpublished" not in bibtex.format_entry(rec, "biblatex")
    with pytest.raises(ValueError, match="style family"):
        bibtex.format_entry(rec, "bibtex", family="acm")


def test_cjk_runs_and_symbols_in_titles():
    rec = Record(key="z", entry_type="misc", kind="blog")
    rec.fields.update({"title": "TensorFlow Serving + Docker + Tornado机器学习模型 部署", "year": "2019"})
    text = bibtex.format_entry(rec, "biblatex")
    assert "{TensorFlow} Serving + {Docker} + {Tornado机器学习模型} {部署}" in text  # every CJK run braced
    rec.fields["title"] = "Intel® VTune™ Amplifier"
    assert "Intel{\\textregistered} {VTune{\\texttrademark}} Amplifier" in bibtex.format_entry(rec, "biblatex")
    _, back = roundtrip(rec)
    assert back.title == "Intel® VTune™ Amplifier"


def test_undated_web_pages_are_misc_in_biblatex():
    rec = Record(key="w", entry_type="misc", kind="website")
    rec.fields.update({"title": "T", "url": "https://a.org/"})
    assert bibtex.format_entry(rec, "biblatex").startswith("@misc{w,")  # biblatex-ieee prints "()" for an undated @online
    rec.fields["year"] = "2020"
    assert bibtex.format_entry(rec, "biblatex").startswith("@online{w,")


def test_arxiv_fields_per_dialect():
    rec = record(eprint="1811.06965", archiveprefix="arXiv", primaryclass="cs.CV")
    assert "archivePrefix = {arXiv}" in bibtex.format_entry(rec, "bibtex")
    text = bibtex.format_entry(rec, "biblatex")
    assert "eprinttype    = {arxiv}" in text and "eprintclass   = {cs.CV}" in text and "archivePrefix" not in text


def test_references_bib_reads_cleanly_in_bibtexparser_and_pybtex():
    text = REFERENCES.read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len({k.lower() for k in keys}) == 214
    data = pybtex.database.parse_string(text, "bibtex")
    assert sorted(data.entries.keys()) == sorted(keys)
    for entry in library.entries:
        for field in entry.fields:
            assert field.value.count("{") == field.value.count("}"), (entry.key, field.key)


def test_references_bib_round_trips_byte_for_byte():
    text = REFERENCES.read_text(encoding="utf-8")
    parsed = bibtex.parse_bibliography(text, "references.bib")
    entries = text[text.index("\n@", text.index("aliases")) + 1 :]
    assert bibtex.format_bibliography(parsed.records, "bibtex") == entries
    assert parsed.aliases["Distributed Training"] == ("Machine Learning System Papers (Training)",)


def test_malformed_bib_names_file_and_line():
    bad = "@misc{ok, title = {fine}}\n\n@misc{broken, title = {never closed\n"
    with pytest.raises(bibtex.BibError, match=r"^x\.bib:3: cannot read this entry"):
        bibtex.parse_bibliography(bad, "x.bib")


def test_the_decoders_shortcut_for_braced_escapes_agrees_with_pylatexenc():
    """``latex.decode`` skips pylatexenc for values whose only commands are the braced escapes
    ``encode`` writes; on every such value (each escape, mixes, and references.bib's) both agree,
    and anything else (accents, math, other macros) is left to pylatexenc."""
    from sysml_bib import latex

    def by_pylatexenc(value):
        return " ".join(latex._decoder().latex_to_text(value).split())

    values = {f"a {{\\{name}}} b" for name in latex._BRACED_ESCAPES}
    values |= {"{\\textquotedblleft}x{\\textquotedblright} {\\&} {GPU}~{TPU}", "{{\\&} inner {\\%}}", "{\\textbackslash}n 50{\\%}",
               "{\\textbraceleft}{\\textbraceright} a{\\_}b {\\#}1 {\\$}5", "{\\textquoteleft}q{\\textquoteright}"}
    for entry in bibtexparser.parse_file(str(REFERENCES)).entries:
        values |= {str(f.value) for f in entry.fields if "\\" in str(f.value)}
    shortcut = {v: latex._simple_escapes(v) for v in values}
    assert sum(1 for out in shortcut.values() if out is not None) >= len(latex._BRACED_ESCAPES) + 5
    for value, out in shortcut.items():
        if out is not None:
            assert out == by_pylatexenc(value), value
    for other in ("{\\'e}t{\\'e}", "$x^2$ {\\&}", "\\emph{a} {\\&}", "{\\unknownmacro}", "a \\& b"):
        assert latex._simple_escapes(other) is None, other
        assert latex.decode(other) == by_pylatexenc(other)
