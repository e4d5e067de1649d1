"""URL hygiene (urlclean.py): tracking and personal parameters, landing pages, the report."""

import pytest

from sysml_bib.model import Record
from sysml_bib.urlclean import clean_url, landing_page, tidy


@pytest.mark.parametrize("url, expected", [
    ("https://www.youtube.com/watch?v=Jnunp-EymJQ&list=WL&index=12", "https://www.youtube.com/watch?v=Jnunp-EymJQ"),
    ("https://www.youtube.com/watch?v=HgtRAbE1nBM&list=WL&index=17&t=0s", "https://www.youtube.com/watch?v=HgtRAbE1nBM"),
    ("https://youtu.be/abc?si=XyZ123", "https://youtu.be/abc"),
    ("https://www.infoq.com/presentations/x?utm_source=youtube&utm_medium=link&utm_campaign=qcontalks", "https://www.infoq.com/presentations/x"),
    ("https://a.org/p?id=7&fbclid=IwAR0&gclid=Cj0", "https://a.org/p?id=7"),
    ("https://mp.weixin.qq.com/s?__biz=MzA&mid=2&idx=1&sn=f3&from=timeline&isappinstalled=0", "https://mp.weixin.qq.com/s?__biz=MzA&mid=2&idx=1&sn=f3"),
    # a real playlist is the work itself; other sites' list/index/t parameters are theirs
    ("https://www.youtube.com/playlist?list=PLndbWGuLoHeYsZk6VpCEj_SSd9IFgjJ-2", "https://www.youtube.com/playlist?list=PLndbWGuLoHeYsZk6VpCEj_SSd9IFgjJ-2"),
    ("https://a.org/search?list=WL&index=3&t=9", "https://a.org/search?list=WL&index=3&t=9"),
    ("https://github.com/Microsoft/pai#resources", "https://github.com/Microsoft/pai#resources"),
])
def test_clean_url(url, expected):
    assert clean_url(url) == expected


def test_landing_page_over_a_pdf_copy():
    assert landing_page("https://arxiv.org/pdf/1705.07538v2.pdf", []) == "https://arxiv.org/abs/1705.07538v2"
    pdf = "https://www.usenix.org/system/files/conference/osdi18/osdi18-chen.pdf"
    page = "https://www.usenix.org/conference/osdi18/presentation/chen"
    assert landing_page(pdf, [pdf, page]) == page
    assert landing_page("https://proceedings.mlsys.org/book/282.pdf", ["https://arxiv.org/abs/1903.12287"]) == (
        "https://proceedings.mlsys.org/book/282.pdf"  # the preprint's page is another publication
    )
    assert landing_page("https://a.org/x.pdf", ["https://dl.acm.org/doi/10.1145/3037697.3037698"]) == "https://dl.acm.org/doi/10.1145/3037697.3037698"


def test_tidy_keeps_the_listed_url_for_the_report():
    record = Record(key="", entry_type="misc", kind="talk")
    record.fields["url"] = "https://www.youtube.com/watch?v=uyc_pDBJotI&t=767s"
    change = tidy(record)
    assert record.fields["url"] == "https://www.youtube.com/watch?v=uyc_pDBJotI"
    assert change.as_json() == {"listed": "https://www.youtube.com/watch?v=uyc_pDBJotI&t=767s", "written": record.fields["url"], "why": "tracking or personal parameters removed"}
    assert tidy(record) is None  # clean already


def test_report_of_references_bib_lists_the_cleaned_urls():
    import json

    from conftest import REPO

    urls = json.loads((REPO / "references-report.json").read_text(encoding="utf-8"))["urls"]
    assert urls["dean2019flexible"]["listed"].endswith("&list=WL&index=12")
    assert "list=WL" not in (REPO / "references.bib").read_text(encoding="utf-8")
