"""``sysml-bib add``: a list entry for a paper or repository URL, in the list's own template."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import EXIT_OK, Failure, UsageError, list_paths, parse_lists, say


def add_arguments(parser) -> None:
    from .resolve import add_network_arguments

    parser.add_argument("url", metavar="URL", help="arXiv abs/pdf, dblp record, USENIX presentation page or GitHub repository")
    parser.add_argument("--section", metavar="NAME", help="the section the entry belongs to (a heading or TOC name)")
    parser.add_argument("--list", nargs=1, metavar="FILE", help="the list file, or '-' for stdin without --write (default: the bundled list)")
    parser.add_argument("--github", metavar="URL", help="a code repository to link as [[GitHub]] (papers)")
    parser.add_argument("--write", action="store_true",
                        help="insert the entry at the end of --section in the list file (atomically; nothing else changes)")
    add_network_arguments(parser)


def _section(name: str, parsed) -> tuple[str, ...]:
    from ..select import closest_sections, resolve_section

    found = resolve_section(name, parsed.sections, parsed.aliases)
    if not found:
        near = closest_sections(name, parsed.sections, parsed.aliases)
        raise UsageError(f"no section matches {name!r}" + (f"; closest: {', '.join(near)}" if near else "") + " (see 'sysml-bib sections')")
    if len(found) > 1:
        raise UsageError(f"{name!r} matches {len(found)} sections: " + "; ".join(" > ".join(p) for p in found)
                         + " (name one as 'A > B')")
    return found[0]


def run(args) -> int:
    from .. import links as linkmod
    from ..maintainers import entry as entrymod
    from ..maintainers.lookup import NotResolved, UnsupportedURL, kind_of, look_up

    paths = list_paths(args)
    stdin = [str(p) for p in paths] == ["-"]
    if stdin and args.write:
        raise UsageError("--write needs the list as a file, not stdin")
    if args.write and not args.section:
        raise UsageError("--write needs --section NAME (where the entry goes)")
    if args.write and not args.list:
        raise UsageError("--write needs --list FILE (the bundled list is part of the installed package)")
    try:
        kind_of(args.url)
    except UnsupportedURL as error:
        raise UsageError(str(error)) from None
    if args.github and linkmod.classify(args.github).type != "github":
        raise UsageError(f"--github takes a GitHub repository URL (github.com/OWNER/NAME), not {args.github}")
    parsed = parse_lists(paths)
    path = _section(args.section, parsed) if args.section else None
    listed = entrymod.already_listed(parsed, url=args.url)
    if listed is not None:
        raise Failure(f"already in the list: {listed.file}:{listed.line} ({listed.title})")

    from ..resolve import Online
    from .resolve import open_http

    http, bases = open_http(args)
    try:
        work = look_up(args.url, Online(http, bases), args.github)
    except NotResolved as error:
        raise Failure(f"{error} (nothing was added)") from None
    finally:
        http.close()
    listed = entrymod.already_listed(parsed, work.record)
    if listed is not None:
        raise Failure(f"already in the list: {listed.file}:{listed.line} ({listed.title})")

    neighbours = entrymod.section_items(parsed, path) if path else parsed.items
    style = entrymod.author_style(neighbours or parsed.items)
    entry = entrymod.entry_for(work.record, work.links, style)
    texts = {} if stdin else {str(p): Path(p).read_bytes().decode("utf-8", errors="surrogateescape") for p in paths}
    place = entrymod.place_in_section(parsed, texts, path) if path and texts else None
    lines = entry.lines(place.indent, place.marker) if place else entry.lines()
    sys.stdout.write("\n".join(lines) + "\n")
    for note in work.notes:
        say(f"note: {note}")
    origin = f"from {', '.join(work.sources)}" if work.sources else "from the URL alone"
    say(f"{origin}; authors in the {style} style" + (f" of {' > '.join(path)}" if path else ""))
    if not args.write:
        return EXIT_OK
    if place is None:
        raise Failure(f"cannot find where section {' > '.join(path)} is in the list files")
    from ..files import write_atomic

    new_text = entrymod.insert(texts[place.file], place.after_line, lines)
    try:
        write_atomic(place.file, new_text.encode("utf-8", errors="surrogateescape"))
    except OSError as error:
        raise Failure(f"cannot write {place.file}: {error.strerror or error}") from None
    say(f"wrote {place.file}: {len(lines)} lines after line {place.after_line}")
    return EXIT_OK
