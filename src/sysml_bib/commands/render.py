"""``sysml-bib render``: a formatted bibliography in a BibTeX or CSL style."""

from __future__ import annotations

import sys

from .common import EXIT_OK, Failure, UsageError, add_selection_arguments, say, select_from_bib


def add_arguments(parser) -> None:
    add_selection_arguments(parser)
    parser.add_argument(
        "--style", required=True,
        help="plain, unsrt, alpha, unsrtalpha (pybtex), a CSL style name (apa, ieee, ...) or a .csl file",
    )
    parser.add_argument("--format", choices=("text", "html", "markdown", "latex"), default="text")
    parser.add_argument("--group-by-section", action="store_true", help="entries under the list's section headings")


def run(args) -> int:
    from .. import render

    _, records, chosen, selected = select_from_bib(args)
    try:
        text = render.render(selected, args.style, args.format, args.group_by_section, chosen)
    except render.StyleNotFound as error:
        raise UsageError(f"{error} (BibTeX styles: {', '.join(render.BIBTEX_STYLES)}; or a path to a .csl file)") from None
    except render.RenderError as error:
        raise Failure(str(error)) from None
    sys.stdout.write(text)
    say(f"{len(selected)} entries rendered in style {args.style}")
    return EXIT_OK
