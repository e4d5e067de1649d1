"""Which words of a title keep their case when a style changes it: the one rule behind
the ``{braces}`` of the .bib writer and the ``<span class="nocase">`` of CSL-JSON.

BibTeX styles (plain, IEEEtran, ACM), biblatex and CSL processors lower-case titles
(sentence case) or capitalise them (title case); a word that must survive is protected.
A word is protected, by rule and never by its shape alone, when it is

- an acronym or has a capital after its first letter (``GPU``, ``PyTorch``, ``TensorFlow``);
  in a hyphenated word each part is judged, so ``RNN-based`` and ``PyTorch-BigGraph`` are
  protected and ordinary words (``Low-Latency``, ``End-to-End``, ``State-of-The-Art``) are
  not, even where a source braced them;
- a capitalised word after the first of a title written in sentence case (dblp and ACM
  often write them so): there a capital marks a proper noun ("at Google with Borg");
- a name the record itself identifies: the system name before the colon ("Clipper:
  ...", and the same word later in the title), the software's repository name;
- a name from ``data/proper-nouns.csv`` (places, companies, organisations, languages and
  well-known software, each row with the page that spells it), as written in the title;
- braced by the list or the source (``{PRETZEL}``), unless it is an ordinary hyphenated word;
- a run of CJK (or any other script without case): braced too, so every such run is
  wrapped the same way (biblatex styles fail on the CJKutf8 set-up when one is not).

``keep_listed_spelling`` restores the list's spelling of a word a source changed only
in case (dblp's "Pytorch-BigGraph" for the list's "PyTorch-BigGraph").
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from .model import Record

DATA = Path(__file__).resolve().parent / "data" / "proper-nouns.csv"
_EDGES = re.compile(r"^([(\"'“‘\[]*)(.*?)((?:'s|’s)?[)\"'”’\].,:;!?]*)$")
# Scripts without letter case that pdflatex's default set-up cannot typeset either.
CASELESS_SCRIPT = re.compile(r"[\u0590-\u08ff\u0e00-\u0eff\u1100-\u11ff\u3000-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]")


@lru_cache(maxsize=1)
def proper_nouns() -> dict[str, dict]:
    """name -> its row of the data table (kind, hosts, source, host_source)."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def _phrases() -> tuple[tuple[str, ...], ...]:
    """Multi-word names as word tuples, longest first."""
    return tuple(sorted((tuple(name.split()) for name in proper_nouns() if " " in name), key=len, reverse=True))


def organisation_for_host(host: str) -> str | None:
    """The organisation whose own site ``host`` is (``docs.nvidia.com`` -> NVIDIA), if the table knows it."""
    host = host.lower().removeprefix("www.")
    for name, row in proper_nouns().items():
        for domain in row["hosts"].split():
            if host == domain or host.endswith("." + domain):
                return name
    return None


def is_acronym_like(word: str) -> bool:
    """A capital after the first letter of some hyphen-separated part (GPU, PyTorch,
    RNN-based), or a capital with digits (A4, V100, T5): codes and model names."""
    for part in re.split(r"[-/+]", word):
        letters = [c for c in part if c.isalpha()]
        if any(c.isupper() for c in letters[1:]):
            return True
        if letters and letters[0].isupper() and any(c.isdigit() for c in part):
            return True
    return False


def _capitalised(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def is_ordinary_hyphenated(word: str) -> bool:
    """``Low-Latency``, ``end-to-end``: hyphenated, with no part that keeps its case for a reason."""
    return "-" in word and not is_acronym_like(word) and not any(part in proper_nouns() for part in word.split("-"))


def _tokens(title: str) -> list[tuple[str, str, str, str]]:
    """(whitespace-or-token, lead, core, tail) for each piece of the title."""
    pieces = []
    for token in re.split(r"(\s+)", title):
        if not token:
            continue
        if token.isspace():
            pieces.append((token, "", "", ""))
            continue
        match = _EDGES.match(token)
        lead, core, tail = match.groups() if match else ("", token, "")
        pieces.append((token, lead, core, tail))
    return pieces


def is_sentence_case(words: list[str]) -> bool:
    """Fewer than half of the longer words after the first are capitalised: a sentence-case title."""
    longer = [w for w in words[1:] if len(w) > 3 and w[:1].isalpha()]
    if len(longer) < 2:
        return False
    return sum(_capitalised(w) for w in longer) * 2 < len(longer)


def record_names(record: Record) -> tuple[str, ...]:
    """Names the record identifies: a repository's owner/name and name (software and other repo links)."""
    from . import links

    names: list[str] = []
    url = record.fields.get("url", "")
    repo = links.classify(url).repo if url else None
    if repo:
        owner, _, name = repo.partition("/")
        names += [repo, name]
    return tuple(names)


def protected(title: str, keep_case: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> list[bool]:
    """For each token of ``_tokens(title)``: whether its core keeps its case."""
    tokens = _tokens(title)
    words = [core for _, _, core, _ in tokens if core]
    sentence_case = is_sentence_case(words)
    keep = set(keep_case)
    known_names = {n.lower() for n in names}
    table = proper_nouns()
    # The system name before the first colon: one word ("Clipper:", "Tensorflow/mlir:").
    # A repository name counts where it is the name ("PyTorch/cpuinfo: cpuinfo is ..."),
    # not as a word elsewhere ("MLPerf Benchmark Suite/Inference: ... of inference").
    system_name = ""
    non_space = [(core, tail) for token, _, core, tail in tokens if core]
    if len(non_space) == 1 and non_space[0][0].lower() in known_names:
        system_name = non_space[0][0]  # the title is the repository's name
    elif non_space and non_space[0][1].startswith(":"):
        name = non_space[0][0]
        parts = {p.lower() for p in name.split("/")}
        if _capitalised(name) or name.lower() in known_names or parts & known_names:
            system_name = name
    in_name = {system_name.lower(), *system_name.lower().split("/")} if system_name else set()
    known_names &= in_name
    flags = [False] * len(tokens)
    word_positions = [i for i, (_, _, core, _) in enumerate(tokens) if core]
    # Multi-word names of the table ("Silicon Valley", "University of Washington").
    for phrase in _phrases():
        for start in range(len(word_positions) - len(phrase) + 1):
            window = [tokens[word_positions[start + k]][2] for k in range(len(phrase))]
            if tuple(window) == phrase:
                for k, word in enumerate(window):
                    flags[word_positions[start + k]] = _capitalised(word)
    for number, i in enumerate(word_positions):
        token, lead, core, tail = tokens[i]
        # In a sentence-case title every capital after the first word is there for a reason:
        # a proper noun, or a sentence start that a style would otherwise lower-case.
        flags[i] = flags[i] or _protect_word(core, keep, known_names, table, system_name, sentence_case and number > 0)
    return flags


def _protect_word(core: str, keep: set[str], names: set[str], table: dict, system_name: str, proper_noun_position: bool) -> bool:
    letters = [c for c in core if c.isalpha()]
    if not letters:
        return False
    if CASELESS_SCRIPT.search(core):
        return True
    if is_acronym_like(core):
        return True
    if core == system_name or core.lower() in names:
        return True
    if core in table or core.split("-")[0] in table and _capitalised(core):
        return True
    if core in keep and not is_ordinary_hyphenated(core):
        return True
    if proper_noun_position and _capitalised(core) and not is_ordinary_hyphenated(core):
        return True
    return False


def title_segments(title: str, keep_case: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> list[tuple[str, bool]]:
    """The title cut into (text, keeps its case) pieces; punctuation stays outside the protected core."""
    segments: list[tuple[str, bool]] = []
    for (token, lead, core, tail), keep in zip(_tokens(title), protected(title, keep_case, names)):
        if keep:
            segments += [(lead, False), (core, True), (tail, False)]
        else:
            segments.append((token, False))
    return [(text, flag) for text, flag in segments if text]


def record_segments(record: Record) -> list[tuple[str, bool]]:
    return title_segments(record.title, record.keep_case, record_names(record))


def keep_listed_spelling(title: str, listed_title: str) -> str:
    """``title`` with each word the list spells with the same letters but other capitals
    in the list's spelling, when the list's has more capitals (``Pytorch-BigGraph`` ->
    ``PyTorch-BigGraph``): sources lower-case names, the list's author wrote them."""
    listed = {}
    for word in re.findall(r"[\w][\w\-/+.]*[\w]|[\w]", listed_title):
        listed.setdefault(word.lower(), word)

    def fix(match: re.Match) -> str:
        word = match.group(0)
        twin = listed.get(word.lower())
        if twin and twin != word and sum(c.isupper() for c in twin) > sum(c.isupper() for c in word):
            return twin
        return word

    return re.sub(r"[\w][\w\-/+.]*[\w]|[\w]", fix, title)
