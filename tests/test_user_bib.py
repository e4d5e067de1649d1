"""A user's own .bib with --bib: kinds from entry types, BibTeX <-> biblatex conversion,
and a clear error for a malformed or non-BibTeX file."""

import bibtexparser

USER_BIB = r"""% my bibliography, written by hand
@inproceedings{doe2018gpu,
  author = {D{\"o}e, Jane and Smith, John},
  title = {A {GPU} Scheduler},
  booktitle = {OSDI},
  year = 2018,
  month = may,
}

@article{re2018software,
  author = {Ré, Christopher},
  title = {Software 2.0},
  journaltitle = {CIDR},
  date = {2018-01-07},
  eprinttype = {arxiv},
  eprint = {1711.10160},
  eprintclass = {cs.LG},
}

@online{blog2020,
  author = {Müller, Jörg},
  title = {Über Serving},
  date = {2020-05},
  url = {https://example.org/post},
}

@software{jax,
  author = {{Google}},
  title = {JAX},
  url = {https://github.com/google/jax},
}

@book{kleppmann2017designing,
  author = {Kleppmann, Martin},
  title = {Designing Data-Intensive Applications},
  publisher = {O'Reilly},
  year = {2017},
}
"""


def entries(text):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    return {e.key: e for e in library.entries}


def fields(entry):
    return {k.lower(): f.value for k, f in entry.fields_dict.items()}


def user_bib(tmp_path, text=USER_BIB):
    path = tmp_path / "mine.bib"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_kind_comes_from_the_entry_type_when_there_is_no_kind_field(cli, tmp_path):
    bib = user_bib(tmp_path)
    kinds = {kind: set(entries(cli("export", "--bib", bib, "--kind", kind).out)) for kind in ("paper", "website", "software", "book")}
    assert kinds == {"paper": {"doe2018gpu", "re2018software"}, "website": {"blog2020"}, "software": {"jax"},
                     "book": {"kleppmann2017designing"}}


def test_format_bibtex_converts_biblatex_input_and_passes_plain_bibtex_through(cli, tmp_path):
    run = cli("export", "--bib", user_bib(tmp_path))
    assert run.code == 0, run.err
    got = entries(run.out)
    assert run.out.isascii()  # UTF-8 became LaTeX escapes
    # plain BibTeX: exactly as the user wrote it
    assert "@inproceedings{doe2018gpu,\n  author = {D{\\\"o}e, Jane and Smith, John}," in run.out
    software = fields(got["re2018software"])
    assert got["re2018software"].entry_type == "article"
    assert software["journal"] == "CIDR" and software["year"] == "2018" and software["month"] == "jan"
    assert software["archiveprefix"] == "arXiv" and software["primaryclass"] == "cs.LG" and software["author"] == "R{\\'e}, Christopher"
    assert not {"journaltitle", "date", "eprinttype", "eprintclass"} & set(software)
    blog = got["blog2020"]
    assert blog.entry_type == "misc" and fields(blog)["year"] == "2020" and fields(blog)["month"] == "may"
    assert fields(blog)["title"] == '{\\"U}ber Serving' and fields(blog)["kind"] == "website"
    assert got["jax"].entry_type == "misc" and fields(got["jax"])["kind"] == "software"


def test_format_biblatex_converts_bibtex_input(cli, tmp_path):
    run = cli("export", "--bib", user_bib(tmp_path), "--format", "biblatex")
    assert run.code == 0, run.err
    got = entries(run.out)
    doe = fields(got["doe2018gpu"])
    assert doe["author"] == "Döe, Jane and Smith, John" and doe["month"] == "5" and doe["entrysubtype"] == "paper"
    re_ = fields(got["re2018software"])
    assert re_["journaltitle"] == "CIDR" and re_["eprinttype"] == "arxiv" and re_["eprintclass"] == "cs.LG"
    assert got["blog2020"].entry_type == "online" and got["jax"].entry_type == "software"


def test_a_malformed_file_names_its_first_bad_line_and_nothing_of_the_parser(cli, tmp_path):
    bad = USER_BIB.replace("  title = {Software 2.0},\n", "  title = {Software 2.0,\n")
    run = cli("export", "--bib", user_bib(tmp_path, bad))
    assert run.code == 1 and run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and "mine.bib:10: cannot read this entry" in lines[0] and "fix or remove it" in lines[0]
    assert "bibtexparser" not in run.err and "Block" not in run.err


def test_a_file_that_is_not_bibtex_is_an_error_not_zero_entries(cli, tmp_path):
    for text in ("# My notes\n\nnot bibtex at all\n", "\n\n  plain words\n"):
        run = cli("export", "--bib", user_bib(tmp_path, text), "--format", "csl-json")
        assert run.code == 1 and run.out == ""
        assert "not a BibTeX file" in run.err and "0 of 0" not in run.err
    assert "mine.bib:3:" in run.err  # the first line with content
    run = cli("export", "--bib", user_bib(tmp_path, "@misc{a, title={x}}\n@misc{a, title={y}}\n"))
    assert run.code == 1 and "mine.bib:2: cannot read this entry (Duplicate entry key 'a')" in run.err


def test_an_empty_file_or_one_with_strings_only_is_an_empty_bibliography(cli, tmp_path):
    for text in ("", '@string{osdi = "OSDI"}\n'):
        run = cli("export", "--bib", user_bib(tmp_path, text))
        assert run.code == 0 and "0 of 0 entries" in run.err
