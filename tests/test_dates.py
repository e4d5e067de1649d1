"""A date the list gives an entry keeps its month and day, in every output; none is made up."""

import pytest

from sysml_bib import bibtex, csl
from sysml_bib.build import build_bibliography
from sysml_bib.merge import merge
from sysml_bib.model import Candidate
from sysml_bib.normalize import records_from_items
from sysml_bib.parse import parse_text


def record(text: str):
    (only,) = records_from_items(parse_text(text, "l.md").items)
    return only


@pytest.mark.parametrize("text, year, month, date", [
    ("- 2024.05 [Learned Caching at Scale](https://x.org/a.pdf)\n", "2024", "may", None),  # a bare date before the title
    ("- **[2026.05.13]** [Serving Giant Models Cheaply](https://x.org/b.pdf)\n", "2026", "may", "2026-05-13"),  # a bold tag
    ("- [2023-11-02] [Dashes As Separators](https://x.org/c.pdf)\n", "2023", "nov", "2023-11-02"),
    ("+ 2019.7 | Pipe Field Paper | Ana Smith | [`PDF`](https://x.org/d.pdf)\n", "2019", "jul", None),  # a pipe field
    ("| Date | Title | Link |\n|---|---|---|\n| 2023/02/07 | Table Paper Two | [pdf](https://x.org/e.pdf) |\n", "2023", "feb", "2023-02-07"),
    ("| Year | Title | Link |\n|---|---|---|\n| 2021 | Table Paper Three | [pdf](https://x.org/f.pdf) |\n", "2021", None, None),  # a year only
    ("| Date | Title | Link |\n|---|---|---|\n| Sept. 2021 | Table Paper Four | [pdf](https://x.org/g.pdf) |\n", "2021", "sep", None),
    ("| Date | Title | Link |\n|---|---|---|\n| Mayday 2021 | Table Paper Five | [pdf](https://x.org/h.pdf) |\n", "2021", None, None),
])
def test_each_date_form_keeps_its_month_and_day(text, year, month, date):
    found = record(text)
    assert (found.year, found.fields.get("month"), found.fields.get("date")) == (year, month, date)


def test_a_date_of_another_year_than_the_venue_says_nothing_of_the_paper():
    found = record("- **[2026.05.13]** [OSDI'22] [Orca A Distributed Serving System](https://x.org/orca.pdf)\n")
    assert found.year == "2022" and "month" not in found.fields and "date" not in found.fields


def test_bibtex_month_biblatex_date_and_csl_date_parts():
    parsed = parse_text("- **[2026.05.13]** [Serving Giant Models Cheaply](https://x.org/b.pdf)\n"
                        "- 2024.05 [Learned Caching at Scale](https://x.org/a.pdf)\n", "l.md")
    day, month = build_bibliography(parsed, [], ["l.md"]).records
    assert "month         = may," in bibtex.format_entry(day, "bibtex")
    biblatex = bibtex.format_entry(day, "biblatex")
    assert "date          = {2026-05-13}," in biblatex and "year " not in biblatex and "month " not in biblatex
    assert "month         = {5}," in bibtex.format_entry(month, "biblatex")  # biber reads year + month as 2024-05
    assert csl.csl_item(day)["issued"] == {"date-parts": [[2026, 5, 13]]}
    assert csl.csl_item(month)["issued"] == {"date-parts": [[2024, 5]]}


def test_a_source_of_another_year_drops_the_lists_month_and_day():
    listed = record("- **[2019.05.13]** [Serving Giant Models Cheaply](https://arxiv.org/abs/1905.01234)\n")
    assert listed.fields["date"] == "2019-05-13"
    published = Candidate("dblp", "conf/x/Y20", "Serving Giant Models Cheaply", [], "inproceedings",
                          {"year": "2020", "booktitle": "OSDI"}, published=True, venue_type="conference")
    merged = merge(listed, [published]).record
    assert merged.year == "2020" and "month" not in merged.fields and "date" not in merged.fields
    same_year = Candidate("dblp", "conf/x/Y19", "Serving Giant Models Cheaply", [], "inproceedings",
                          {"year": "2019", "month": "jul", "booktitle": "OSDI"}, published=True, venue_type="conference")
    merged = merge(listed, [same_year]).record
    assert merged.fields["month"] == "jul" and "date" not in merged.fields  # the venue's month, not a mixed date
