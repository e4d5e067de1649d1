"""``sysml-bib sections``: the section tree with the number of records under each heading."""

from __future__ import annotations

from .common import EXIT_OK, add_list_argument, list_paths, parse_lists


def add_arguments(parser) -> None:
    add_list_argument(parser)


def run(args) -> int:
    from ..normalize import records_from_items
    from ..select import section_paths

    parsed = parse_lists(list_paths(args))
    records = records_from_items(parsed.items)
    counts: dict[tuple[str, ...], int] = {}
    for record in records:
        prefixes = {path[:d] for path in record.sections for d in range(1, len(path) + 1)}
        for prefix in prefixes:
            counts[prefix] = counts.get(prefix, 0) + 1
    reverse_aliases: dict[tuple[str, ...], list[str]] = {}
    for alias, target in parsed.aliases.items():
        reverse_aliases.setdefault(tuple(target), []).append(alias)
    top = sum(1 for record in records if not any(record.sections))
    if top:
        print(f"(top of the list)  [{top}]")
    for path in section_paths(records):
        aka = reverse_aliases.get(path)
        note = f"  (alias: {', '.join(sorted(aka))})" if aka else ""
        print(f"{'  ' * (len(path) - 1)}{path[-1]}  [{counts.get(path, 0)}]{note}")
    return EXIT_OK
