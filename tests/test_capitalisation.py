"""Title protection by rule (capitalisation.py), the examples of issue 12 both ways."""

import pytest

from sysml_bib.capitalisation import keep_listed_spelling, organisation_for_host, proper_nouns, title_segments
from sysml_bib.csl import rich_title


def braced(title, keep_case=(), names=()):
    return "".join("{" + text + "}" if keep else text for text, keep in title_segments(title, keep_case, names))


@pytest.mark.parametrize("title, expected", [
    # ordinary hyphenated words are never protected, even where a source braced them
    ("Clipper: A Low-Latency Online Prediction Serving System", "{Clipper}: A Low-Latency Online Prediction Serving System"),
    ("Google Vizier: A Service for Black-Box Optimization", "{Google} Vizier: A Service for Black-Box Optimization"),
    ("TVM: An Automated End-to-End Optimizing Compiler", "{TVM}: An Automated End-to-End Optimizing Compiler"),
    ("Building Robust Production-Ready Deep Learning Vision Models", "Building Robust Production-Ready Deep Learning Vision Models"),
    # acronyms and inner capitals, also inside hyphenated words and with digits
    ("PyTorch-BigGraph: A Large Scale Graph Embedding System", "{PyTorch-BigGraph}: A Large Scale Graph Embedding System"),
    ("RNN-based serving on GPU clusters", "{RNN-based} serving on {GPU} clusters"),
    ("Kubernetes CheatSheets In A4", "{Kubernetes} {CheatSheets} In {A4}"),
    # proper nouns of a sentence-case title
    ("Large-scale cluster management at Google with Borg", "Large-scale cluster management at {Google} with {Borg}"),
    ("Multi-tenant GPU clusters for deep learning workloads: Analysis and implications",
     "Multi-tenant {GPU} clusters for deep learning workloads: {Analysis} and implications"),
    # names from the data table in title-case titles
    ("The Stanford DAWN Project", "The {Stanford} {DAWN} Project"),
    ("A Berkeley View of Systems Challenges for AI", "A {Berkeley} View of Systems Challenges for {AI}"),
    ("Horovod: Distributed training framework for TensorFlow, Keras, and PyTorch",
     "{Horovod}: Distributed training framework for {TensorFlow}, {Keras}, and {PyTorch}"),
    ("Learning from companies in Silicon Valley", "Learning from companies in {Silicon} {Valley}"),
    # the system name before the colon, and the same name later
    ("Nexus: Nexus is a scalable serving system", "{Nexus}: {Nexus} is a scalable serving system"),
    # CJK runs are wrapped, whatever surrounds them
    ("TensorFlow Serving + Tornado机器学习模型", "{TensorFlow} Serving + {Tornado机器学习模型}"),
])
def test_protection_rule(title, expected):
    assert braced(title, keep_case=("Low-Latency", "Black-Box", "End-to-End", "Production-Ready")) == expected


def test_names_the_record_identifies():
    # the repository's name where it names the work, not as an ordinary word elsewhere
    assert braced("PyTorch/cpuinfo: cpuinfo is a library", names=("pytorch/cpuinfo", "cpuinfo")) == "{PyTorch/cpuinfo}: {cpuinfo} is a library"
    assert braced("gpushare-scheduler-extender", names=("AliyunContainerService/gpushare-scheduler-extender", "gpushare-scheduler-extender")) == "{gpushare-scheduler-extender}"
    assert braced("MLPerf Benchmark Suite/Inference: Reference implementations of inference benchmarks", names=("mlperf/inference", "inference")) == (
        "{MLPerf} Benchmark Suite/Inference: Reference implementations of inference benchmarks"
    )


def test_list_braces_are_kept_but_not_for_ordinary_hyphenated_words():
    assert braced("The pretzel system", keep_case=("pretzel",)) == "The {pretzel} system"
    assert braced("A state-of-the-art system", keep_case=("state-of-the-art",)) == "A state-of-the-art system"


def test_csl_nocase_spans_follow_the_same_rule():
    assert rich_title("A Berkeley View of Low-Latency AI", ("Low-Latency",)) == (
        'A <span class="nocase">Berkeley</span> View of Low-Latency <span class="nocase">AI</span>'
    )


def test_the_list_spelling_survives_a_source_that_changed_only_case():
    assert keep_listed_spelling("Pytorch-BigGraph: A Large Scale Graph Embedding System", "PyTorch-BigGraph: A Large Scale Graph Embedding System") == (
        "PyTorch-BigGraph: A Large Scale Graph Embedding System"
    )
    # the source's words that differ in more than case, and its capitals the list lacks, stay
    assert keep_listed_spelling("Mesh-TensorFlow: Deep Learning", "mesh-tensorflow: deep learning") == "Mesh-TensorFlow: Deep Learning"


def test_data_table_has_a_source_for_every_name():
    table = proper_nouns()
    assert len(table) > 20
    assert all(row["source"].startswith("https://") and row["kind"] for row in table.values())
    assert organisation_for_host("docs.nvidia.com") == "NVIDIA"
    assert organisation_for_host("dlsys.cs.washington.edu") == "University of Washington"
    assert organisation_for_host("medium.com") is None
