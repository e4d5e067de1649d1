"""GitHub: software records, citation files, the quota. Against the replay server on 127.0.0.1.

The recorded corpus (``data/recorded/github``, real snapshots of the list's repositories)
and two fixtures (``tests/data/github-other``: repositories that are not in the list,
with other file layouts; ``tests/data/github-named``: owners with display names and
types, and GitHub releases, which no snapshot holds) are served in GitHub's real API shapes.
"""

import math

import pytest

from sysml_bib import bibtex
from sysml_bib.replay import Corpus, ReplayServers
from sysml_bib.sources import citations
from sysml_bib.sources.github import newest_version, version_of

from conftest import BUNDLED_RESOLVE_TOKEN, REPO, run_cli, run_resolve

resolve = run_resolve  # the bundled list unless list_text= is given

CORPUS = REPO / "data" / "recorded"
OTHER = REPO / "tests" / "data" / "github-other"
NAMED = REPO / "tests" / "data" / "github-named"


@pytest.fixture(scope="module")
def other():
    return Corpus.load(OTHER)


@pytest.fixture(autouse=True)
def fast(monkeypatch):
    monkeypatch.setenv("SYSML_BIB_MIN_INTERVAL", "0")
    monkeypatch.setenv("SYSML_BIB_TIMEOUT", "5")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def entries(tmp_path):
    return {r.key: r for r in bibtex.read_bibliography(str(tmp_path / "refs.bib")).records}


# ----------------------------------------------------------------------------- pure parts

@pytest.mark.parametrize("tag, repo, expected", [
    ("v1.2.3", "x", "1.2.3"), ("1.2.3", "x", "1.2.3"), ("jax-v0.4.34", "jax", "0.4.34"), ("v0.22.1", "horovod", "0.22.1"),
    ("release-2.1", "x", "2.1"), ("ciflow/rocm/6186", "pytorch", None), ("client-v0.18.2a0", "server", None),
    ("nightly", "x", None), ("v2", "x", None), ("2021.2.1", "x", "2021.2.1"), ("slurm-26-05-3-1", "slurm", "26-05-3-1"),
    ("other-26-05-3", "slurm", None),
])
def test_which_tags_are_versions(tag, repo, expected):
    parsed = version_of(tag, repo)
    assert (parsed[1] if parsed else None) == expected


def test_newest_version_is_the_highest_final_one_not_the_first_by_name():
    tags = [{"name": n, "commit": {"sha": n}} for n in ("v0.9.1", "v0.22.0", "v0.23.0rc1", "ciflow/x/1", "v0.10.0")]
    assert newest_version(tags, "x") == ("v0.22.0", "0.22.0", "v0.22.0")
    assert newest_version([{"name": "v1.0rc1", "commit": {"sha": "a"}}], "x")[1] == "1.0rc1"  # only a pre-release
    assert newest_version([{"name": "nightly", "commit": {"sha": "a"}}], "x") is None


def test_cff_is_read_safely_dates_stay_text_and_schema_failures_are_warnings():
    good = citations.read_cff("cff-version: 1.2.0\nmessage: m\ntitle: T\nversion: 1.0\ndate-released: 2021-05-14\n"
                              "authors:\n  - family-names: Doe\n    given-names: Jane\n  - name: ACME Lab\n")
    assert good.warnings == [] and good.error == ""
    assert good.date_released == "2021-05-14" and good.version == "1.0"
    assert [(p.family, p.given, p.literal) for p in good.authors] == [("Doe", "Jane", False), ("ACME Lab", "", True)]
    loose = citations.read_cff("title: T\nauthors:\n  - family-names: Doe\ncolor: red\n")  # no cff-version, unknown key
    assert loose.warnings and "does not validate against CFF 1.2.0" in loose.warnings[0]
    assert loose.title == "T" and loose.authors[0].family == "Doe"  # the valid fields are still used
    assert citations.read_cff("title: [unclosed\n").error.startswith("CITATION.cff is not valid YAML")
    assert citations.read_cff("just a sentence").error == "CITATION.cff is not a YAML mapping"
    assert citations.read_cff("!!python/object/apply:os.system ['true']\n").error  # safe loading: refused, not run


def test_readme_bibtex_under_citation_headings_in_fences_and_rst_literal_blocks():
    markdown = "# Tool\n\n## Usage\n```\n@decorator{not, a=citation}\n```\n## Citation\n```bibtex\n@inproceedings{a2020x,\n title={Paper {A}},\n author={Doe, Jane and Roe, Rob},\n booktitle={OSDI},\n year={2020}}\n```\n@misc{b, title={Second}, year={2021}}\n"
    found, problems = citations.readme_citations(markdown, "README.md")
    assert [c.title for c in found] == ["Paper A", "Second"] and problems == []
    assert found[0].entry_type == "inproceedings" and [p.family for p in found[0].authors] == ["Doe", "Roe"]
    rst = "Horovod\n=======\n\nCitation\n--------\nPlease cite:\n\n::\n\n    @article{s2018,\n      Title = {Fast {TensorFlow}},\n      Journal = {arXiv preprint arXiv:1802.05799},\n      Year = {2018}\n    }\n"
    found, _ = citations.readme_citations(rst, "README.rst")
    assert found[0].fields["eprint"] == "1802.05799" and found[0].keep_case == ("TensorFlow",)
    assert citations.readme_name(rst, "horovod") == "Horovod"
    assert citations.readme_name("# Why Ax?\n", "Ax") == ""  # a sentence is no name


def test_a_citation_of_the_software_itself_is_not_a_paper():
    found, _ = citations.bibtex_citations("@software{j, author={A B}, title={{JAX}}, url={http://github.com/jax-ml/jax}, year={2018}}", "CITATION.bib")
    assert found[0].is_software
    found, _ = citations.bibtex_citations("@misc{p, title={P}, url={https://github.com/o/p}, year={2018}}", "CITATION")
    assert found[0].is_software
    # howpublished = {\url{...}} is BibTeX's URL: the repository's (Videoflow) or its owner's page (GNES)
    for page in ("https://github.com/videoflow/videoflow", "https://github.com/gnes-ai"):
        found, _ = citations.bibtex_citations("@misc{v, author={Jadiel de Armas}, title={Videoflow}, howpublished={\\url{%s}}, year={2019}}" % page, "README.md")
        assert found[0].is_software and found[0].fields["url"] == page
    # a paper published elsewhere is still a paper; an owner's page makes only a @misc the software
    found, _ = citations.bibtex_citations("@misc{a, title={A}, howpublished={\\url{https://arxiv.org/abs/1802.05799}}, year={2018}}", "README.md")
    assert not found[0].is_software and found[0].fields["eprint"] == "1802.05799"
    found, _ = citations.bibtex_citations("@inproceedings{b, title={B}, booktitle={OSDI}, url={https://github.com/o}, year={2018}}", "README.md")
    assert not found[0].is_software


def test_a_workshop_paper_a_repository_asks_for_is_typed_as_a_workshop_paper():
    from sysml_bib.sources.github import Found, paper_records

    bib = "@inproceedings{o, title={CuPy}, author={Okuta, Ryosuke}, year={2017}, booktitle={Proceedings of Workshop on Machine Learning Systems (LearningSys) in The Thirty-first Annual Conference on Neural Information Processing Systems (NIPS)}}"
    asked, _ = citations.bibtex_citations(bib, "CITATION.bib")
    conference = bib.replace("Workshop on Machine Learning Systems (LearningSys) in The ", "")
    asked += citations.bibtex_citations(conference, "CITATION.bib")[0]
    result = Found(listed="cupy/cupy", full_name="cupy/cupy", asked=asked[:1])
    assert [r.venue_type for r in paper_records(result, None)] == ["workshop"]
    result.asked = asked[1:]
    assert [r.venue_type for r in paper_records(result, None)] == ["conference"]


# ----------------------------------------------------------------------------- the recorded corpus

def software_works(report):
    return {k: w for k, w in report["works"].items() if w["kind"] == "software"}


def test_with_a_token_one_run_resolves_every_repository_and_the_token_is_written_nowhere(bundled_resolve, corpus):
    token, tmp_path = BUNDLED_RESOLVE_TOKEN, bundled_resolve.folder  # the shared cold run, made with this token
    run, report = bundled_resolve.run, bundled_resolve.report
    assert bundled_resolve.tokens_seen == {token}  # sent, to the API host only
    assert bundled_resolve.github_refused == 0
    served = [p.lower() for p in bundled_resolve.requests["github"]]
    assert len(served) == len(set(served)), "an API request was sent twice (an owner, a repository, a page)"
    # The latest release is asked of every software repository, first; the recorded snapshots have
    # none (404), so each then reads its tags, and a tag's commit only where a tag is a version.
    software = {w["extra"]["repository"].lower() for w in software_works(report).values() if "repository" in w.get("extra", {})}
    asked = {p[len("/repos/"):-len("/releases/latest")] for p in served if p.endswith("/releases/latest")}
    assert software and asked == software
    for name in asked:
        assert served.index(f"/repos/{name}/releases/latest") < served.index(f"/repos/{name}/tags?per_page=100")
    committed = {p[len("/repos/"):p.index("/commits/")] for p in served if "/commits/" in p}
    versioned = {snap.full_name.lower() for snap in corpus.github.repos.values()
                 if newest_version([{"name": t["name"], "commit": {"sha": t["commit"]}} for t in snap.tags], snap.full_name.split("/")[1])}
    assert committed and committed <= versioned
    assert run.code == 0, run.err
    works = software_works(report)
    recorded = {p.name.replace("+", "/").lower() for p in (CORPUS / "github").iterdir() if (p / "meta.json").exists()}
    records = entries(tmp_path)
    missing = {}
    for key, work in works.items():
        record = records[key]
        listed = work["extra"].get("listed_as", work["extra"].get("repository", "")).lower() if "extra" in work else ""
        if listed not in recorded:
            assert work["status"] == "list-only" and "404" in work["unresolved"]["github"]
            continue
        assert work["status"] == "resolved", key
        assert record.year, key  # every recorded repository has a date
        if "version" not in record.fields or record.provenance.get("author") is None:
            missing[key] = work["extra"]["version_from"]
        assert record.fields.get("version") or "no version tag" in work["extra"]["version_from"], key
    # The two repositories without a snapshot (too large to record) keep the list's data.
    assert sorted(k for k, w in works.items() if w["status"] == "list-only") == ["microsoftonnxruntime", "nvidiadali"]
    # Every paper a repository asks for is resolved from a source, with authors, year and a venue or eprint.
    asked = {k: w for k, w in report["works"].items() if w.get("origin")}
    assert len(asked) == 13 and {k for k, w in asked.items() if w["status"] != "resolved" or not w["sources"]} == set()
    for key in asked:
        record = records[key]
        assert record.authors and record.year and any(record.fields.get(n) for n in ("booktitle", "journal", "eprint")), key
        assert records[record.fields["related"]].fields["related"] == key  # linked both ways
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), f"the token leaked into {path}"
    assert token not in run.err + run.out


def test_renamed_repository_follows_the_301_and_keeps_the_list_url_in_the_report(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    text = "## Training\n- [Horovod](https://github.com/uber/horovod): Distributed training framework for TensorFlow, Keras, and PyTorch\n"
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
        served = servers.hosts["github"].requests
    assert run.code == 0, run.err
    assert "/repos/uber/horovod" in served and any(p.startswith("/repositories/") for p in served)
    records = entries(tmp_path)
    software = records["horovodhorovod"]
    assert software.fields["url"] == "https://github.com/horovod/horovod"
    assert (software.title, software.fields["version"], software.fields["date"]) == ("Horovod", "0.22.1", "2021-06-10")
    assert software.fields["abstract"].startswith("Distributed training framework")  # the list's description
    work = report["works"]["horovodhorovod"]
    assert work["extra"]["listed_as"] == "uber/horovod" and work["extra"]["repository"] == "horovod/horovod"
    # The README's BibTeX block is the preferred citation: a paper record of its own, linked both ways.
    paper = records["sergeev2018horovod"]
    assert [p.family for p in paper.authors] == ["Sergeev", "Del Balso"] and paper.fields["eprint"] == "1802.05799"
    assert paper.fields["related"] == "horovodhorovod" and software.fields["related"] == "sergeev2018horovod"
    assert paper.sections == software.sections
    assert software.fields["note"] == "Its authors ask to cite: Sergeev and Del Balso (2018)"
    assert "note" not in paper.fields  # its title names the software already ("Horovod: fast and easy ...")
    run = run_cli("export", "--bib", str(tmp_path / "refs.bib"), "--section", "Training")
    assert "@misc{horovodhorovod," in run.out and "@misc{sergeev2018horovod," in run.out


def test_a_paper_the_list_already_has_is_linked_not_duplicated(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    # auto-sklearn's CITATION.cff asks for the NeurIPS 2015 paper, which the list links as a paper item.
    text = ("## AutoML\n- [auto-sklearn](https://github.com/automl/auto-sklearn): Automated machine learning toolkit\n"
            "- Efficient and Robust Automated Machine Learning [[Paper]](https://papers.nips.cc/paper/5872-efficient-and-robust-automated-machine-learning.pdf)\n"
            "  - Feurer, Matthias, et al. (*NeurIPS 2015*)\n")
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
    assert run.code == 0, run.err
    papers = [k for k, w in report["works"].items() if w["kind"] == "paper"]
    assert len(papers) == 1, papers
    (key, software), = [(k, w) for k, w in report["works"].items() if w["kind"] == "software"]
    assert software["related_keys"] == papers
    assert report["works"][papers[0]]["related_keys"] == [key]
    record = entries(tmp_path)[key]
    assert record.title == "auto-sklearn" and len(record.authors) == 7  # CITATION.cff's authors, not the owner
    assert key == "feurer2024autosklearn" or key.startswith("feurer")  # keyed by its first author, as papers are


def test_unauthenticated_runs_never_provoke_a_403_and_each_later_run_asks_only_for_what_waited(corpus, tmp_path):
    with ReplayServers(corpus) as servers:
        run, report = resolve(servers, tmp_path)
        assert run.code == 0, run.err
        assert servers.github.refused == 0
        waiting = report["summary"]["waiting"]
        assert waiting and "waiting for the GitHub API quota" in run.err and "resets at" in run.err
        assert report["summary"]["calls"]["github"] <= 60
        runs = 1
        while report["summary"].get("waiting"):
            servers.reset_github_quota()  # the hour has passed
            previous = report
            run, report = resolve(servers, tmp_path)
            runs += 1
            assert run.code == 0 and servers.github.refused == 0
            for key, work in report["works"].items():  # only what waited, and papers new to the run
                if work["looked_up"]:
                    assert key not in previous["works"] or key in previous["summary"]["waiting"], key
            assert report["summary"]["calls"]["github"] <= 60
            assert runs < 20
        unauthenticated = (tmp_path / "refs.bib").read_text()
        api_calls = sum(1 for p in servers.hosts["github"].requests if not p.startswith("/rate_limit"))
    assert runs >= math.ceil(api_calls / 60)
    # The same bibliography as one run with a token.
    with ReplayServers(corpus) as servers:
        token_dir = tmp_path / "token"
        token_dir.mkdir()
        (token_dir / "refs.bib").write_text((tmp_path / "refs.bib").read_text())  # same pinned keys
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("GITHUB_TOKEN", "t")
            run, _ = resolve(servers, token_dir, "--refresh")
    assert run.code == 0
    assert (token_dir / "refs.bib").read_text() == unauthenticated


def test_warm_rerun_spends_no_quota_and_refresh_revalidates_with_etags(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    text = "## S\n- [faiss](https://github.com/facebookresearch/faiss): similarity search\n- [cupy](https://github.com/cupy/cupy): NumPy on GPUs\n"
    with ReplayServers(corpus) as servers:
        run, _ = resolve(servers, tmp_path, list_text=text)
        assert run.code == 0, run.err
        cold = dict(servers.calls())
        run, report = resolve(servers, tmp_path, list_text=text)
        assert servers.calls() == cold  # nothing changed: no request at all
        served = len(servers.hosts["github"].requests)
        run, report = resolve(servers, tmp_path, "--refresh", list_text=text)
        assert run.code == 0
        again = servers.hosts["github"].requests[served:]
        # Every answer that had an ETag came back 304 (no quota); only "no release" 404s cost again.
        assert report["summary"]["calls"]["github"] == sum(p.endswith("/releases/latest") for p in again) == 2
        assert report["summary"]["not_modified"]["github"] == servers.github.not_modified > 0


# ----------------------------------------------------------------------------- repositories the list does not have

OTHER_LIST = """## Tools
- [Quokka](https://github.com/example-lab/quokka): a streaming engine
- [Tern](https://github.com/old-owner/tern): a tracing tool
- [Broken](https://github.com/example-lab/broken-cff): a tool with a broken citation file
- [Plain](https://github.com/solo-dev/plain): a small tool
- [Gone](https://github.com/example-lab/gone): no longer on GitHub
"""


def test_other_repositories_in_the_same_shapes_get_the_same_treatment(other, tmp_path):
    with ReplayServers(other) as servers:
        run, report = resolve(servers, tmp_path, list_text=OTHER_LIST)
        assert servers.github.refused == 0
    assert run.code == 0, run.err
    records = entries(tmp_path)
    by_repo = {w["extra"].get("listed_as", w["extra"]["repository"]) if "extra" in w else k: (k, w) for k, w in report["works"].items() if w["kind"] == "software"}
    key, quokka = by_repo["example-lab/quokka"]
    record = records[key]
    assert record.title == "Quokka" and [p.family for p in record.authors] == ["Lindqvist", "Osei"]
    assert (record.fields["version"], record.fields["date"]) == ("2.10.0", "2024-03-05")  # page 2 of the tags
    assert record.fields["license"] == "Apache-2.0"
    paper = records[quokka["related_keys"][0]]
    assert paper.entry_type == "article" and paper.fields["doi"] == "10.5555/3600006.1234"
    assert paper.fields["related"] == key
    key, tern = by_repo["old-owner/tern"]
    assert records[key].fields["url"] == "https://github.com/new-owner/tern"
    assert records[key].fields["version"] == "0.3.1" and "no version" not in tern["extra"]["version_from"]
    assert records[tern["related_keys"][0]].fields["eprint"] == "2101.99999"
    key, broken = by_repo["example-lab/broken-cff"]
    assert any("not valid YAML" in n for n in broken["extra"]["notes"]) and records[key].year
    key, plain = by_repo["solo-dev/plain"]
    assert "version" not in records[key].fields and records[key].fields["date"] == "2023-11-30"
    assert records[key].authors[0].family == "solo-dev" and "owner login" in plain["accepted"][0]["fields"]["author_from"]
    gone = next(w for w in report["works"].values() if "no longer" in w["title"])
    assert gone["status"] == "list-only" and "404" in gone["unresolved"]["github"]


NAMED_LIST = """## Tools
- [Rocket](https://github.com/acme-robotics/rocket): a motion planner
- [Gadget](https://github.com/Acme-Robotics/gadget): sensor drivers
- [Notes](https://github.com/jdoe/notes): lecture notes
- [Scratch](https://github.com/jdoe/scratch): experiments
- [Tool](https://github.com/anon-hacker/tool): a small tool
"""


def test_owner_names_types_and_releases_are_used_when_the_api_gives_them(tmp_path):
    with ReplayServers(Corpus.load(NAMED)) as servers:
        run, report = resolve(servers, tmp_path, list_text=NAMED_LIST)
        served = [p for p in servers.hosts["github"].requests if not p.startswith("/rate_limit")]
    assert run.code == 0, run.err
    records = entries(tmp_path)
    by_repo = {w["extra"]["repository"].lower(): records[k] for k, w in report["works"].items() if w["kind"] == "software"}
    author_from = {w["extra"]["repository"].lower(): w["accepted"][0]["fields"]["author_from"]
                   for w in report["works"].values() if w["kind"] == "software"}
    rocket, gadget = by_repo["acme-robotics/rocket"], by_repo["acme-robotics/gadget"]
    # An organisation is one literal author; its newest version tag has a release: version and date from it.
    assert [(p.family, p.literal) for p in rocket.authors] == [("Acme Robotics", True)]
    assert author_from["acme-robotics/rocket"] == "owner display name (organisation)"
    assert (rocket.fields["version"], rocket.fields["date"]) == ("1.2.0", "2024-05-02")
    assert "{Acme Robotics}" in (tmp_path / "refs.bib").read_text()
    # GitHub's latest release (0.9.0) is what is cited, though a newer tag (v0.10.0) was never released.
    assert (gadget.fields["version"], gadget.fields["date"]) == ("0.9.0", "2023-06-03")
    assert gadget.authors[0].family == "Acme Robotics"
    # A user with a person's name is that person; a user without one keeps the login.
    notes = by_repo["jdoe/notes"]
    assert [(p.family, p.given, p.literal) for p in notes.authors] == [("Doe", "Jane Q.", False)]
    assert author_from["jdoe/notes"] == "owner display name (user)"
    assert "version" not in notes.fields and notes.fields["date"] == "2023-08-20"  # no tag: the last push
    assert by_repo["anon-hacker/tool"].authors[0].family == "anon-hacker"
    assert author_from["anon-hacker/tool"].startswith("owner login")
    # The calls: each owner once (logins compare case-insensitively); the latest release first,
    # and the tags only where there is none; no tag's commit (no version tag lacks a release).
    users = [p.lower() for p in served if p.startswith("/users/")]
    assert sorted(users) == ["/users/acme-robotics", "/users/anon-hacker", "/users/jdoe"]
    releases = [p.lower() for p in served if p.endswith("/releases/latest")]
    assert len(releases) == 5
    tags = sorted(p.lower().split("/tags?")[0] for p in served if "/tags?" in p)
    assert tags == ["/repos/anon-hacker/tool", "/repos/jdoe/notes", "/repos/jdoe/scratch"]
    assert not [p for p in served if "/commits/" in p]
    # 5 repositories: 3 calls each (repository, listing, release), 3 tag lists, 3 owners.
    assert len(served) == 5 * 3 + 3 + 3


def test_a_release_answers_for_the_tags_and_their_dates(corpus, tmp_path, monkeypatch):
    """With a release (here the replay's marked stand-in), a repository costs its repository,
    listing and release answers: no tag page and no tag commit, however many tags it has."""
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    text = "## S\n- [Prefect](https://github.com/PrefectHQ/prefect): workflows\n- [Netron](https://github.com/lutzroeder/netron): a model viewer\n"
    with ReplayServers(corpus, github_releases_from_tags=True) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
        served = [p for p in servers.hosts["github"].requests if not p.startswith("/rate_limit")]
    assert run.code == 0, run.err
    assert not [p for p in served if "/tags" in p or "/commits/" in p]
    assert len([p for p in served if not p.startswith("/users/")]) == 2 * 3
    records = entries(tmp_path)
    found = {w["extra"]["repository"]: (records[k].fields["version"], records[k].fields["date"], w["extra"]["version_from"])
             for k, w in software_works(report).items()}
    # Prefect's 1,261 tags begin with 3.8.4.dev6 ... dev1: a latest release is never a pre-release.
    assert found["PrefectHQ/prefect"] == ("3.8.3", "2026-08-13", "release 3.8.3")
    assert found["lutzroeder/netron"] == ("9.2.1", "2026-08-07", "release v9.2.1")


def test_a_failed_owner_lookup_keeps_the_repository_and_its_login(tmp_path):
    from sysml_bib.replay import Fault

    text = "## Tools\n- [Rocket](https://github.com/acme-robotics/rocket): a motion planner\n"
    faults = {"github": [Fault("html200", path="/users/")]}  # a bot page where the owner's JSON should be
    with ReplayServers(Corpus.load(NAMED), faults=faults) as servers:
        run, report = resolve(servers, tmp_path, list_text=text)
    assert run.code == 0, run.err
    (work,) = [w for w in report["works"].values() if w["kind"] == "software"]
    assert work["status"] == "resolved" and any(n.startswith("owner acme-robotics:") for n in work["extra"]["notes"])
    record = entries(tmp_path)[next(k for k, w in report["works"].items() if w["kind"] == "software")]
    assert record.authors[0].family == "acme-robotics" and record.fields["version"] == "1.2.0"
