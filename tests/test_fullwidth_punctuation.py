"""A fullwidth colon after Latin text garbled the text layer of the whole plain-style PDF
(every entry's title "printed 0 times" for the style checker): it becomes ASCII; CJK
titles keep their own punctuation."""

from sysml_bib.normalize import latin_punctuation


def test_fullwidth_punctuation_after_latin_text_is_ascii():
    assert latin_punctuation("PyTorch/glow：Compiler for Neural Network hardware accelerators") == \
        "PyTorch/glow: Compiler for Neural Network hardware accelerators"
    assert latin_punctuation("Glow （a compiler）") == "Glow (a compiler)"


def test_cjk_titles_keep_their_punctuation():
    for title in ("继Spark之后，UC Berkeley 推出新一代AI计算引擎——Ray", "了解/从事机器学习/深度学习系统相关的研究需要什么样的知识结构？"):
        assert latin_punctuation(title) == title


def test_a_list_line_with_a_fullwidth_colon_gives_an_ascii_title():
    from sysml_bib.normalize import works_from_items
    from sysml_bib.parse import parse_text

    text = "## Software\n- PyTorch/glow：Compiler for neural networks [[GitHub]](https://github.com/pytorch/glow)\n"
    records, _ = works_from_items(parse_text(text, "l.md").items)
    assert records and all("：" not in r.title for r in records), [r.title for r in records]
