"""Every command and option the help offers, on good, missing, empty, binary, non-UTF-8,
malformed and hostile input: an exit status of README (0, 1, 2) and a short message,
never a traceback, an "internal error" or a parser's internals on stderr.

The options are read from the real argument parser, so a command or option added later
is exercised without editing this file. Nothing reaches the network: every source URL
points at a closed port on 127.0.0.1, and ``resolve`` runs in an empty cache.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from sysml_bib.cli import COMMANDS, make_parser
from sysml_bib.resources import bundled_list, bundled_references, bundled_report
from sysml_bib.sources.registry import hosts

from conftest import run_cli

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused at once
FORBIDDEN_ON_STDERR = ("Traceback", "internal error", "bibtexparser", "ParsingFailedBlock", "Unknown block type")

GOOD_LIST = (
    "# A list\n\n## Training\n"
    "- Clipper [[Paper]](https://www.usenix.org/conference/nsdi17/technical-sessions/presentation/crankshaw)\n"
    "  - Crankshaw, Daniel, et al. (*NSDI 2017*)\n"
    "- GPipe [[Paper]](https://arxiv.org/abs/1811.06965)\n  - Huang, Yanping, et al. (*NeurIPS 2019*)\n"
    "- Horovod [[GitHub]](https://github.com/uber/horovod)\n"
    "## Blog\n- A post [[Blog]](https://medium.com/x/a-post-1234)\n"
)
MALFORMED_LIST = "## [unclosed\n- [[Paper]](\n  - ((*OSDI 20\n- [x](http://[::1\n```\n- inside an unclosed fence\n"
HOSTILE_LIST = (
    "#" * 500 + " deep\n" + "- " + "[" * 5000 + "x" + "](" * 2000 + "\n" + "- " + "[" * 3000 + "x" + "](u)" * 3000 + "\n"
    + "- " + "a" * 200_000 + "\n" + "- \x00\x1b[31mred\x1b[0m \u202e\ufeff [[P]](javascript:alert(1))\n"
    + "  " * 3000 + "- nested\n"
)
GOOD_BIB = "@inproceedings{doe2018x,\n  author = {Doe, Jane},\n  title = {A {GPU} Paper},\n  booktitle = {OSDI},\n  year = {2018},\n}\n"
MALFORMED_BIB = "@misc{a, title={fine}}\n@misc{b, title = {unclosed\n"
HOSTILE_BIB = (
    "@misc{deep, title={" + "{" * 3000 + "x" + "}" * 3000 + "}, author={" + " and ".join(["X"] * 3000) + "}}\n"
    "@misc{\\input{/etc/passwd}, title={\\input{/etc/passwd} \\def\\x{\\x}\\x}}\n"
    "@string{s = \"" + "s" * 100_000 + "\"}\n"
)
MALFORMED_CSL = "<?xml version='1.0'?><style xmlns='http://purl.org/net/xbiblio/csl'><citation>"


def _inputs(tmp):
    """Input kind -> path, for every file-valued option (the same kinds for lists, .bib and styles)."""
    files = {
        "good-list": ("list.md", GOOD_LIST.encode()),
        "good-bib": ("good.bib", GOOD_BIB.encode()),
        "empty": ("empty.txt", b""),
        "binary": ("binary.bin", bytes(range(256)) * 64),
        "non-utf8": ("latin1.txt", "## Caf\xe9\n- R\xe9sum\xe9 [[P]](https://e.org/a.pdf)\n@misc{a, title={\xe9}}\n".encode("latin-1")),
        "malformed-list": ("malformed.md", MALFORMED_LIST.encode()),
        "malformed-bib": ("malformed.bib", MALFORMED_BIB.encode()),
        "malformed-csl": ("malformed.csl", MALFORMED_CSL.encode()),
        "hostile-list": ("hostile.md", HOSTILE_LIST.encode("utf-8", "surrogatepass")),
        "hostile-bib": ("hostile.bib", HOSTILE_BIB.encode()),
        "not-bibtex": ("prose.bib", b"not bibtex at all\njust words\n"),
    }
    paths = {}
    for kind, (name, data) in files.items():
        (tmp / name).write_bytes(data)
        paths[kind] = str(tmp / name)
    paths["missing"] = str(tmp / "no-such-file")
    paths["folder"] = str(tmp)
    paths["in-missing-folder"] = str(tmp / "no" / "such" / "dir" / "x")
    return paths


def _options(command: str) -> list[argparse.Action]:
    parser = make_parser(command)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    return [a for a in sub._actions if a.option_strings and not isinstance(a, argparse._HelpAction)]


def _is_flag(action: argparse.Action) -> bool:
    return action.nargs == 0


def _values(action: argparse.Action, inputs: dict[str, str]) -> list[list[str]]:
    """The values to try for one option: every choice, every input kind for a file, odd text for the rest."""
    if action.choices:
        return [[str(c)] for c in action.choices] + [["no-such-choice"]]
    name = action.dest
    odd = ["", "-", " ", "\x1b[2J", "../" * 20 + "etc/passwd", "x" * 5000]
    if name in ("out", "report"):
        return [[inputs["folder"] + "/out.bib"], [inputs["in-missing-folder"]], [inputs["folder"]], [inputs["binary"]]]
    if name == "cache_dir":
        return [[inputs["folder"] + "/cache"], [inputs["binary"]], [inputs["in-missing-folder"]]]
    if name.endswith("_url"):
        return [[CLOSED], ["ftp://127.0.0.1:9"], ["not a url"], [""]]
    if name == "timeout":
        return [["0.5"], ["0"], ["-1"], ["nan"], ["inf"], ["soon"]]
    if name == "style":
        return [["plain"], ["apa"], ["no-such-style"], [inputs["malformed-csl"]], [inputs["binary"]], [inputs["missing"]], *([o] for o in odd)]
    if name == "section":
        return [["Training"], ["NoSuchSection"], [">"], ["A > > B"], *([o] for o in odd)]
    file_kinds = [k for k in inputs]
    if action.nargs in ("+", "*"):
        return [[inputs[k]] for k in file_kinds] + [["-"], [inputs["good-list"], inputs["good-list"]], [inputs["good-list"], "-"]]
    if (action.metavar or "").upper() in ("FILE", "DIR") or name in ("bib", "list"):
        return [[inputs[k]] for k in file_kinds]
    return [[o] for o in odd]


def _base(command: str, tmp) -> list[str]:
    """What a command needs to run at all here: its required options, and outputs kept in ``tmp``."""
    names = {o for a in _options(command) for o in a.option_strings}
    base = []
    if "--style" in names:
        base += ["--style", "plain"]
    if "--cache-dir" in names:
        base += ["--cache-dir", str(tmp / "empty-cache")]
    if command == "add":  # a repository not in the lists: made without a request
        base += ["https://github.com/example/new-tool"]
    if command == "diff":
        base += [str(bundled_references()), str(bundled_references())]
    return base


def _check(run, argv):
    shown = " ".join(a if len(a) < 60 else a[:57] + "..." for a in argv)
    assert run.code in (0, 1, 2), f"sysml-bib {shown}: exit {run.code}\n{run.err[-2000:]}"
    for word in FORBIDDEN_ON_STDERR:
        assert word not in run.err, f"sysml-bib {shown}: {word!r} on stderr:\n{run.err[-2000:]}"
    if run.code:
        assert run.err.strip(), f"sysml-bib {shown}: exit {run.code} without a message"
        last = run.err.strip().splitlines()[-1]
        assert len(last) < 1000, f"sysml-bib {shown}: an error line of {len(last)} characters"


def closed_hosts() -> dict[str, str]:
    """Every source host (GitHub, Crossref, the web pages, ...) at the closed port: no request leaves loopback."""
    return {host.env: CLOSED for host in hosts()}


@pytest.fixture
def offline_world(monkeypatch, tmp_path):
    for variable, value in closed_hosts().items():
        monkeypatch.setenv(variable, value)
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")  # no politeness waits or backoff against a closed port
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "2")
    monkeypatch.delenv("SYSML_BIB_DEBUG", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    shipped = {path: path.read_bytes() for path in (bundled_list(), bundled_references(), bundled_report())}
    yield work, _inputs(tmp_path)
    for path, data in shipped.items():  # no command, whatever its options, writes into the package
        assert path.read_bytes() == data, f"{path} was changed"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_option_on_every_kind_of_input_gives_no_traceback(command, offline_world):
    work, inputs = offline_world
    base = _base(command, work)
    options = _options(command)
    runs = [[command, *base]]
    # the bundled list and bibliography are large: used in the run above and with all flags only
    names = {o for a in options for o in a.option_strings}
    small = [*(["--list", inputs["good-list"]] if "--list" in names else []), *(["--bib", inputs["good-bib"]] if "--bib" in names else [])]
    for action in options:
        flag = action.option_strings[-1]
        if _is_flag(action):
            runs.append([command, *base, *small, flag])
            continue
        for value in _values(action, inputs):
            extra = [w for pair in zip(small[::2], small[1::2]) if pair[0] != flag for w in pair]
            runs.append([command, *base, *extra, flag, *value])
    flags = [a.option_strings[-1] for a in options if _is_flag(a)]
    if flags:
        runs.append([command, *base, *small, *flags])
        runs.append([command, *base, *flags])
    for argv in runs:
        _check(run_cli(*argv, stdin=GOOD_LIST, cwd=work), argv)


@pytest.mark.parametrize("command", [c for c in COMMANDS if any("--list" in a.option_strings for a in _options(c))])
@pytest.mark.parametrize("stdin", ["good", "empty", "binary", "non-utf8", "hostile"])
def test_list_from_stdin_gives_no_traceback(command, stdin, offline_world):
    work, _ = offline_world
    data = {
        "good": GOOD_LIST.encode(), "empty": b"", "binary": bytes(range(256)) * 8,
        "non-utf8": "## Caf\xe9\n- R\xe9sum\xe9 [[P]](https://e.org/a.pdf)\n".encode("latin-1"),
        "hostile": HOSTILE_LIST.encode("utf-8", "surrogatepass"),
    }[stdin]
    argv = [command, *_base(command, work), "--list", "-"]
    run = run_cli(*argv, stdin=data, cwd=work)
    _check(run, argv)
    if stdin == "good":
        assert run.code == 0, run.err
    if stdin == "binary":
        assert run.code == 1 and "binary" in run.err


def test_the_bad_inputs_say_what_is_wrong(offline_world):
    work, inputs = offline_world
    expect = [
        (["export", "--bib", inputs["not-bibtex"]], 1, "prose.bib:1: not a BibTeX file"),
        (["export", "--bib", inputs["malformed-bib"]], 1, "malformed.bib:2: cannot read this entry"),
        (["export", "--bib", inputs["binary"]], 1, "a binary file, not BibTeX"),
        (["export", "--bib", inputs["non-utf8"]], 1, "not UTF-8 text"),
        (["export", "--bib", inputs["missing"]], 2, "bibliography not found"),
        (["export", "--bib", inputs["folder"]], 2, "is a folder"),
        (["build", "--list", inputs["binary"]], 1, "is a binary file, not a markdown list"),
        (["build", "--list", inputs["folder"]], 2, "is a folder"),
        (["parse", "--list", inputs["non-utf8"]], 0, "latin1.txt:1: not UTF-8 (byte 6); undecodable bytes read as U+FFFD"),
        (["build", "--list", inputs["good-list"], "--out", inputs["in-missing-folder"]], 1, "does not exist"),
        (["build", "--list", inputs["good-list"], "--out", inputs["binary"]], 1, "a binary file, not BibTeX"),
        (["resolve", "--list", inputs["good-list"], "--timeout", "-1"], 2, "--timeout must be a positive number"),
        (["resolve", "--list", inputs["good-list"], "--dblp-url", "ftp://x"], 2, "not an http(s) base URL"),
    ]
    for argv, code, message in expect:
        run = run_cli(*argv, cwd=work)
        assert run.code == code and message in run.err, (argv, run.code, run.err)


def _subprocess(argv, stdin: bytes, cwd):
    env = {**os.environ, **closed_hosts(), "SYSML_BIB_MIN_INTERVAL": "0"}
    env.pop("SYSML_BIB_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "sysml_bib", *argv], input=stdin, capture_output=True, cwd=cwd, env=env, timeout=120)


def test_the_installed_entry_point_reads_stdin_and_never_prints_a_traceback(tmp_path):
    """The real process, as a user runs it (``cat my.md | sysml-bib build --list -``)."""
    runs = [
        (["build", "--list", "-", "--out", str(tmp_path / "s.bib")], GOOD_LIST.encode(), 0),
        (["resolve", "--offline", "--list", "-", "--cache-dir", str(tmp_path / "c"), "--out", str(tmp_path / "r.bib")], GOOD_LIST.encode(), 0),
        (["parse", "--list", "-"], bytes(range(256)), 1),
        (["export", "--bib", str(tmp_path / "missing.bib")], b"", 2),
    ]
    for argv, stdin, code in runs:
        done = _subprocess(argv, stdin, tmp_path)
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == code, (argv, err)
        assert "Traceback" not in err, (argv, err)
    assert "@inproceedings{crankshaw2017clipper," in (tmp_path / "s.bib").read_text()
    # stdout closed early (`| head`): no BrokenPipeError traceback either
    head = subprocess.run(f"{sys.executable} -m sysml_bib export | head -c 10", shell=True, capture_output=True, cwd=tmp_path)
    assert b"Traceback" not in head.stderr and head.stdout.startswith(b"@")
