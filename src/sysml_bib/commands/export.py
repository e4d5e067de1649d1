"""``sysml-bib export``: entries of references.bib, filtered, as BibTeX, biblatex or CSL-JSON."""

from __future__ import annotations

import os
import sys

from .common import EXIT_OK, UsageError, add_selection_arguments, say, select_from_bib


def add_arguments(parser) -> None:
    add_selection_arguments(parser)
    parser.add_argument("--format", choices=("bibtex", "biblatex", "csl-json"), default="bibtex")
    parser.add_argument(
        "--style-family", choices=("default", "plain"),
        help="bibtex: 'plain' for plain/unsrt/alpha/abbrv, which print no url or eprint field "
        "(the URL and arXiv id go into howpublished); default: plainnat, IEEEtran, ACM and the rest",
    )
    parser.add_argument(
        "--csl-strict", action="store_true",
        help="csl-json: write software as type 'software' (Zotero then refuses the file; default: book + version)",
    )
    parser.add_argument(
        "--venue-style", choices=("full", "short"), default="full",
        help="full venue names (default) or short ones (\"OSDI '18\", \"TOCS\") for page-limited papers",
    )


def run(args) -> int:
    family = args.style_family or "default"
    if family != "default" and args.format != "bibtex":
        raise UsageError(f"--style-family {family} is for --format bibtex (biblatex and CSL-JSON have one form for all styles)")
    short = args.venue_style == "short"
    bib_path, records, _, selected = select_from_bib(args, full=args.format != "bibtex" or family != "default" or short)
    if short:
        from ..venue_table import shorten

        selected = [shorten(record) for record in selected]
    if args.format == "bibtex" and family == "default":
        # Plain BibTeX entries (all of references.bib) pass through as written; biblatex or
        # UTF-8 entries of a user's own file were read in full and are written as BibTeX,
        # and so are entries whose venue --venue-style short rewrote.
        from .. import bibtex

        sys.stdout.write("\n".join((record.raw + "\n") if record.raw and not short else bibtex.format_entry(record) for record in selected))
    elif args.format == "bibtex":
        from .. import bibtex

        sys.stdout.write(bibtex.format_bibliography(selected, "bibtex", family=family))
    elif args.format == "biblatex":
        from .. import bibtex

        sys.stdout.write(bibtex.format_bibliography(selected, args.format))
    elif args.format == "csl-json":
        from .. import csl

        sys.stdout.write(csl.dumps(csl.csl_items(selected, strict=args.csl_strict)))
    say(f"{len(selected)} of {len(records)} entries exported from {os.path.basename(bib_path)}")
    return EXIT_OK
