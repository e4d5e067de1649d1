import re
from pathlib import Path

from sysml_bib.parse import ROLES, ROW_ROLES, parse_files, parse_text
from sysml_bib.resources import bundled_list


def bundled():
    return parse_files([bundled_list()])


def items_by_title(parsed):
    return {item.title: item for item in parsed.items}


def test_every_bullet_of_the_bundled_list_is_accounted_for():
    text = bundled_list().read_text(encoding="utf-8")
    bullet_lines = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*[-*+] ", line)]
    parsed = bundled()
    assert [b.line for b in parsed.bullets] == bullet_lines
    counts = parsed.counts()
    roles = {role: counts[role] for role in ROLES}
    assert roles == {
        "item": 201, "continuation": 95, "toc": 21, "template": 3, "heading": 0, "hidden": 0, "untitled": 0,
        "prose": 0, "empty": 0,
    }
    # 203 items: the "[[Part1]] ... [[Part2]]" bullet names two blog posts; one item comes from a heading
    assert (counts["bullets"], counts["items"], counts["heading_items"], counts["tables"]) == (320, 203, 1, 0)
    assert sum(counts[role] for role in ROLES) == len(bullet_lines)
    # every continuation line names the item it belongs to
    assert all(b.item is not None for b in parsed.bullets if b.role in ("item", "continuation"))


def test_sections_aliases_and_template():
    parsed = bundled()
    assert parsed.aliases["Distributed Training"] == ("Machine Learning System Papers (Training)",)
    assert parsed.aliases["Tool"] == ("Userful Tools",)
    titles = {item.title for item in parsed.items}
    assert not any("Title" == t or t.startswith("Title ") for t in titles)  # the PR template is no item
    training = [i for i in parsed.items if "Training" in " ".join(i.sections)]
    assert len(training) == 15
    assert ("Machine Learning System Papers (Training)", "Training(Parallelism)") in {i.sections for i in training}


def test_links_are_classified_by_url_not_label():
    items = items_by_title(bundled())
    ray = items["Ray: A Distributed Framework for Emerging AI Applications"]
    assert ray.links[0].label == "GitHub" and ray.links[0].type == "usenix-page"
    assert ray.keep_case == ("AI",)
    gpipe = items["GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism"]
    assert [(l.type, l.arxiv_id) for l in gpipe.links][:2] == [("arxiv", "1811.06965"), ("github", None)]
    assert gpipe.links[1].repo == "tensorflow/lingvo"
    nestdnn = next(i for i in items.values() if i.title.startswith("NestDNN"))
    assert nestdnn.links[0].type == "invalid" and nestdnn.kind == "paper"


def test_link_on_the_next_line_belongs_to_the_item():
    items = items_by_title(bundled())
    horovod = next(i for t, i in items.items() if t.startswith("Horovod"))
    assert [l.repo for l in horovod.links] == ["uber/horovod"]
    clipper = items["Clipper: A Low-Latency Online Prediction Serving System"]
    assert [l.type for l in clipper.links] == ["usenix-pdf", "github"]


def test_nested_paper_is_an_item_with_its_own_author_line():
    parsed = bundled()
    tvm = [i for i in parsed.items if i.title.startswith("TVM: An Automated")]
    assert [i.kind for i in tvm] == ["website", "paper"]
    assert tvm[1].parent == tvm[0].index
    assert tvm[1].author_lines == ["Chen, Tianqi, et al."] and tvm[1].venue_lines == ["OSDI 2018"]
    assert tvm[1].keep_case == ("TVM",)


def test_author_venue_summary_and_note_lines():
    items = items_by_title(bundled())
    gandiva = items["Gandiva: Introspective cluster scheduling for deep learning"]
    assert gandiva.author_lines == ["Xiao, Wencong, et al."]
    assert gandiva.venue_lines == ["OSDI 2018"]
    assert gandiva.summary.startswith("Improvet the efficency")
    sparks = items["Automating model search for large scale machine learning"]
    assert sparks.venue_lines == ["In Proceedings of the Sixth ACM Symposium on Cloud Computing (pp. 368-380). ACM."]
    infoq = items["InfoQ: AI, ML and Data Engineering"]
    assert infoq.notes == ["Start to watch."] and infoq.kind == "talk"
    course = items["CS294: AI For Systems and Systems For AI"]
    assert course.notes == ["(Strong Recommendation)"] and course.kind == "course"


def test_kinds():
    kinds = {}
    for item in bundled().items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    assert kinds == {"paper": 66, "software": 84, "talk": 15, "blog": 20, "book": 4, "course": 6, "website": 8}
    items = items_by_title(bundled())
    assert items["Streaming Systems"].kind == "book"
    assert items["Kubernetes CheatSheets In A4"].kind == "software"


def test_split_list_sections_nest_under_each_file(tmp_path):
    (tmp_path / "training.md").write_text("## Parallelism\n- GPipe [[Paper]](https://arxiv.org/abs/1811.06965)\n")
    (tmp_path / "serving.md").write_text("# Model Serving\n\n## Systems\n- Clipper [[Paper]](https://example.org/c.pdf)\n")
    parsed = parse_files([tmp_path / "training.md", tmp_path / "serving.md"])
    assert [i.sections for i in parsed.items] == [("training", "Parallelism"), ("Model Serving", "Systems")]
    assert [i.file for i in parsed.items] == [str(tmp_path / "training.md"), str(tmp_path / "serving.md")]


MALFORMED = [
    "- Unclosed [[Paper](http://x.org/a.pdf\n- [broken]( no close\n- ]]][[[(((\n",
    "- NestDNN [[Paper]]()\n  - Fang, Biyi (*MobiCom 2018*)\n",
    "<table><tr><td>- not a bullet</td></tr></table>\n<div>\n- html bullet <b>bold</b> [x](https://e.org)\n</div>\n",
    "| a | b |\n|---|---|\n| - x | [y](https://y.org) |\n",
    "- 🚀 Rocket 😀 [[GitHub]](https://github.com/a/b) ✨\n  - 😀, 🚀\n",
    "\ufeff## Head\r\n- CRLF item [[Paper]](https://arxiv.org/abs/1234.56789)\r\n  - Doe, John (*OSDI 2018*)\r\n",
    "- \n-\n  -\n* * *\n---\n1. numbered [a](https://a.org)\n```\n- fenced\n",
    "#\n##\n- [](#)\n- [x](javascript:alert(1))\n- [y](ftp://files)\n- ![img](https://i.png)\n",
    "\x00\x01 - \u202e RTL \u200f text [l](https://l.org)\n- (((*)))[[]]\\\\**__``\n",
]


def test_malformed_input_never_raises_and_loses_no_bullet():
    for text in MALFORMED:
        parsed = parse_text(text, "bad.md")
        counts = parsed.counts()
        assert sum(counts[r] for r in ROLES) == counts["bullets"]
        assert sum(counts[f"row_{r}"] for r in ROW_ROLES) == counts["table_rows"]


def test_invalid_and_non_http_links_are_never_fetchable():
    parsed = parse_text("- a [x](javascript:alert(1)) [y](ftp://f) [z]()\n", "x.md")
    assert [l.type for l in parsed.items[0].links] == ["invalid", "invalid", "invalid"]


def test_five_megabyte_file(tmp_path):
    block = "## Section {n}\n- Paper {n} [[Paper]](https://arxiv.org/abs/1811.{n:05d})\n  - Doe, Jane, et al. (*OSDI 2018*)\n  - Summary: {pad}\n"
    text = "".join(block.format(n=n, pad="x" * 60) for n in range(30000))
    assert len(text.encode()) > 5_000_000
    path = tmp_path / "big.md"
    path.write_text(text)
    parsed = parse_files([path])
    assert parsed.counts()["item"] == 30000 and parsed.counts()["continuation"] == 60000


SPLIT = [Path(__file__).parent / "data" / "split-list" / name for name in ("README.md", "inference.md", "training.md")]


def test_a_later_split_copy_of_the_list_is_read_item_by_item():
    parsed = parse_files(SPLIT)
    counts = parsed.counts()
    assert counts["bullets"] == 28 and counts["toc"] == 2 and counts["item"] == 13 and counts["continuation"] == 13
    assert parsed.aliases["Inference"] == ("Inference System",)  # the index links to the file, not a heading
    items = items_by_title(parsed)

    # A Google Scholar reference: authors, title and venue come apart.
    mlperf = items["Mlperf inference benchmark"]
    assert mlperf.author_lines == ["Reddi, Vijay Janapa, et al."]
    assert mlperf.venue_lines == ["arXiv preprint arXiv:1911.02549 (2019)"]
    # A reading badge is not part of the title; a venue in parentheses after it is a venue.
    atc = items["Serving Heterogeneous Machine Learning Models on Multi-GPU Servers with Spatio-Temporal Sharing"]
    assert atc.venue_lines == ["ATC'22"] and atc.summary == "spatio-temporal GPU sharing"
    assert "SHEPHERD: Serving DNNs in the Wild" in items
    # Bare venue lines are venues, not authors ("INFOCOM'22 DEMO" once became "Demo, Infocom'22").
    trueno = items["Trueno: A Cross-Platform Machine Learning Model Serving Framework in Heterogeneous Edge Systems"]
    assert trueno.venue_lines == ["INFOCOM'22 DEMO"] and len(trueno.author_lines) == 1
    better = items["Better Together: Jointly Optimizing ML Collective Scheduling and Execution Planning using SYNDICATE"]
    assert better.kind == "paper" and better.venue_lines == ["NSDI’23"] and better.notes == ["compare with Nexus"]
    assert items["Parity Models: Erasure-Coded Resilience for Prediction Serving Systems"].venue_lines == ["SOSP2019"]
    assert items["Publishing and Serving Machine Learning Models with DLHub"].kind == "paper"  # an ACM DOI page
    assert items["Announcing RedisAI 1.0: AI Serving Engine for Real-Time Applications"].kind == "blog"
