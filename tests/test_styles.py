"""The style matrix (tests/stylecheck.py): references.bib in the BibTeX styles plain,
plainnat, IEEEtran and ACM-Reference-Format, the biblatex export in biblatex numeric,
authoryear and ieee (biber), and references.bib and the CSL-JSON export through pandoc
--citeproc in CSL apa and ieee. Every entry must be printed once, with its URL at most once (exactly once
where the style prints URLs and the work has no DOI), its title once and after its
first author, its arXiv id at most once, its year where it has one, no "n.d." when
dated, no empty "()", no raw LaTeX, its CJK text, and no URL may overflow a line.

The styles are compiled two at a time (the machine's two cores) in one fixture, in one
pytest-xdist worker.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

import stylecheck
from conftest import REFERENCES, require_tool, run_cli
from sysml_bib.bibtex import parse_bibliography, read_bibliography

# One worker compiles the whole matrix once (pytest-xdist, --dist loadgroup), not each worker its share.
pytestmark = pytest.mark.xdist_group("style-matrix")

STYLES = stylecheck.BIBTEX_STYLES + (stylecheck.PLAIN_FAMILY,) + stylecheck.BIBLATEX_STYLES + stylecheck.PANDOC_STYLES


@pytest.fixture(scope="module")
def renderings(tmp_path_factory):
    for tool in ("pdflatex", "bibtex", "biber", "pandoc", "pdftotext"):
        require_tool(tool)
    workdir = tmp_path_factory.mktemp("styles")
    bib_text = REFERENCES.read_text(encoding="utf-8")
    exported = run_cli("export", "--format", "biblatex")
    assert exported.code == 0, exported.err
    plain_family = run_cli("export", "--style-family", "plain")
    assert plain_family.code == 0, plain_family.err
    csl_json = run_cli("export", "--format", "csl-json")
    assert csl_json.code == 0, csl_json.err
    records = {"bibtex": read_bibliography(str(REFERENCES)).records, "biber": parse_bibliography(exported.out).records}
    records["pandoc"] = records["bibtex"]

    def render(style):
        keys = {r.key for r in records[style.client]}
        if style.client == "bibtex":
            text = plain_family.out if style.family == "plain" else bib_text
            result = stylecheck.render_tex(style, text, workdir / f"{style.name.split()[0]}-{style.family}", keys)
        elif style.client == "biber":
            result = stylecheck.render_tex(style, exported.out, workdir / style.name, keys)
        elif style.family == "csl-json":
            path = workdir / "references.json"
            if not path.exists():
                path.write_text(csl_json.out, encoding="utf-8")
            result = stylecheck.render_pandoc(style, path, sorted(keys), workdir / style.name.replace(" ", ""))
        else:
            result = stylecheck.render_pandoc(style, REFERENCES, sorted(keys), workdir / style.name)
        return style.name, stylecheck.problems(result, records[style.client])

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(render, STYLES))


@pytest.mark.parametrize("style", [s.name for s in STYLES])
def test_every_entry_renders_right(renderings, style):
    problems = renderings[style]
    assert problems == [], f"{len(problems)} problems in {style}:\n" + "\n".join(problems[:40])


def _record(**fields):
    from sysml_bib.model import Person, Record

    authors = fields.pop("authors", [])
    record = Record(key=fields.pop("key"), entry_type="misc", kind=fields.pop("kind", "paper"), authors=authors)
    record.fields.update(fields)
    return record, Person


def test_the_checks_catch_what_the_issue_reported():
    """The checker itself: a URL twice, the title as author, the arXiv id twice, n.d., raw LaTeX."""
    record, Person = _record(key="x", title="Horovod: Distributed training", url="https://github.com/uber/horovod", year="2017", eprint="1802.05799")
    record.authors = [Person("Sergeev", "Alexander")]
    style = stylecheck.BIBTEX_STYLES[1]
    good = "A. Sergeev. Horovod: distributed training, 2017. arXiv:1802.05799. URL https://github.com/uber/horovod."
    assert stylecheck.entry_problems(record, [good], style) == []
    twice = good + " Available: https://github.com/uber/\nhorovod"
    assert any("URL printed 2 times" in p for p in stylecheck.entry_problems(record, [twice], style))
    as_author = "Horovod: distributed training. A. Sergeev. 2017. https://github.com/uber/horovod 1802.05799"
    assert any("author position" in p for p in stylecheck.entry_problems(record, [as_author], style))
    arxiv_twice = good + " arXiv: 1802.05799."
    assert any("arXiv id" in p for p in stylecheck.entry_problems(record, [arxiv_twice], style))
    undated = good.replace("2017", "[n. d.]")
    assert any("n.d." in p for p in stylecheck.entry_problems(record, [undated], style))
    raw = good.replace("Horovod", "{Horovod}")
    assert any("raw LaTeX" in p for p in stylecheck.entry_problems(record, [raw], style))
    assert any("printed 2 times" in p for p in stylecheck.entry_problems(record, [good, good], style))
