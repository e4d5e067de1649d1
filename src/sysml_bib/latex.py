"""Unicode <-> LaTeX for BibTeX field values, through pylatexenc.

``encode`` and ``decode`` are inverses on everything this package writes, so a record
read back from ``references.bib`` equals the record that was written. Ligatures
(``--``, ``````) are left as typed: the list means them literally.
"""

from __future__ import annotations

import re
from functools import lru_cache

SPECIALS = set("\\{}&%$#_~^@")


@lru_cache(maxsize=1)
def _encoder():
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=False,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


# BibTeX counts every brace, escaped or not, so literal braces get brace-free commands;
# "@" is braced because bibtexparser takes "@word{" anywhere for the start of an entry.
_FIXED = {"{": "{\\textbraceleft}", "}": "{\\textbraceright}", "@": "{@}"}
# Dashes as TeX's own ligatures, braced so that they read back as the Unicode dash (a bare
# "--" is the list's literal text): pandoc's BibTeX reader drops \textemdash.
_DASHES = {"\u2014": "{---}", "\u2013": "{--}"}


@lru_cache(maxsize=4096)
def _encode_char(char: str) -> str:
    if char in _FIXED:
        return _FIXED[char]
    if char in _DASHES:
        return _DASHES[char]
    encoded = _encoder().unicode_to_latex(char)
    # pylatexenc approximates some letters ("ĸ" as \textsc{k}); those stay UTF-8.
    return encoded if decode(encoded) == char else char


def encode(text: str, ascii_only: bool) -> str:
    """Escape LaTeX specials; with ``ascii_only`` (BibTeX) also non-ASCII letters.

    Non-ASCII symbols (®, ™, °) are LaTeX commands in both modes: inside the CJK
    environment of the README's pdflatex set-up, CJKutf8 takes a raw one for a CJK
    character and loops (biblatex-ieee dies of it). Characters with no LaTeX form (CJK,
    emoji) stay UTF-8 in both modes.
    """
    out = []
    for char in text:
        if char in SPECIALS or (ord(char) > 127 and (ascii_only or _is_symbol(char))):
            out.append(_encode_char(char))
        elif char == "\xa0":
            out.append("~")
        else:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=1024)
def _is_symbol(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char).startswith("S")


@lru_cache(maxsize=1)
def _decoder():
    from pylatexenc.latex2text import (
        LatexNodes2Text,
        MacroTextSpec,
        SpecialsTextSpec,
        get_default_latex_context_db,
    )

    db = get_default_latex_context_db()
    db.add_context_category(
        "sysml-bib",
        prepend=True,
        macros=[
            MacroTextSpec("textasciicircum", "^"),
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("url", simplify_repl="%s"),
            MacroTextSpec("href", simplify_repl="%(2)s"),
        ],
        specials=[SpecialsTextSpec(s, s) for s in ("--", "---", "``", "''", "!`", "?`")],
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


_NEEDS_DECODER = re.compile(r"[\\{}~$]")
# What ``encode`` writes for specials and quotes, each in braces ("{\&}", "{\textquotedblleft}"):
# most escaped values hold nothing else, and at 100,000 entries pylatexenc's parse of them is a
# third of ``export``. A value whose every backslash is one of these is decoded here; any other
# (accents, math, other macros) goes to pylatexenc. tests/test_bibtex.py checks both agree.
_BRACED_ESCAPES = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_",
    "textbraceleft": "{", "textbraceright": "}", "textbackslash": "\\",
    "textquotedblleft": "\u201c", "textquotedblright": "\u201d", "textquoteleft": "\u2018", "textquoteright": "\u2019",
}
_BRACED_ESCAPE = re.compile(r"\{\\([&%$#_]|[A-Za-z]+)\}")


@lru_cache(maxsize=65536)  # venues, keywords and names repeat across entries
def decode(value: str) -> str:
    """LaTeX field value -> plain Unicode (braces dropped, escapes resolved)."""
    value = " ".join(value.split())
    for char, written in _DASHES.items():
        value = value.replace(written, char)
    if not _NEEDS_DECODER.search(value):
        return value
    simple = _simple_escapes(value) if "\\" in value else None
    if simple is not None:
        return simple
    try:
        return " ".join(_decoder().latex_to_text(value).split()) if "\\" in value or "$" in value else _strip_braces(value)
    except Exception:  # pylatexenc gives up on some broken input; keep the text readable
        return _strip_braces(value).replace("\\", "")


def _simple_escapes(value: str) -> str | None:
    """``value`` decoded when its only commands are braced ``_BRACED_ESCAPES``, else None."""
    if "$" in value.replace("{\\$}", ""):
        return None
    pieces, last = [], 0
    for match in _BRACED_ESCAPE.finditer(value):
        text = _BRACED_ESCAPES.get(match.group(1))
        if text is None:
            return None
        pieces += [value[last : match.start()], text]
        last = match.end()
    pieces.append(value[last:])
    plain = pieces[0::2]
    if any("\\" in piece for piece in plain):
        return None
    pieces[0::2] = [_strip_braces(piece).replace("\xa0", " ") for piece in plain]
    return " ".join("".join(pieces).split())


def _strip_braces(value: str) -> str:
    return value.replace("{", "").replace("}", "").replace("~", "\xa0")


def protected_words(value: str) -> tuple[str, ...]:
    """Words inside depth-1 brace groups that are not special characters (``{GPU}``, not ``{\\'e}``)."""
    words: list[str] = []
    depth = 0
    start = -1
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\":
            i += 2
            continue
        if char == "{":
            if depth == 0 and not value.startswith("\\", i + 1):
                start = i + 1
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0 and start != -1:
                words.extend(decode(value[start:i]).split())
                start = -1
        i += 1
    return tuple(words)
