"""What parsing a list gives: items, and a role for every bullet and table row."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Item

ROLES = ("item", "continuation", "toc", "template", "heading", "hidden", "untitled", "prose", "empty")
ROW_ROLES = ("header", "delimiter", "item", "untitled", "skipped")


@dataclass
class Bullet:
    file: str
    line: int
    indent: int
    text: str
    fenced: bool
    role: str = ""
    item: int | None = None
    more_items: list[int] = field(default_factory=list)  # further works on the same line ("[[Part2]]")
    hidden: bool = False  # inside an HTML comment
    block: int = 0  # the list block (bullets with no blank-line-separated prose or heading between them)
    linked: bool = False  # its text has a link
    sections: tuple[str, ...] = ()


@dataclass
class TableRow:
    file: str
    line: int
    role: str
    item: int | None = None


@dataclass
class Table:
    file: str
    line: int
    columns: tuple[str, ...]
    rows: int
    skipped: str = ""  # why the table lists no works


@dataclass
class Untitled:
    file: str
    line: int
    text: str
    links: list[str]


@dataclass
class ParsedList:
    items: list[Item] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    untitled: list[Untitled] = field(default_factory=list)
    prose: list[Untitled] = field(default_factory=list)  # bullets naming no work
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sections: list[tuple[str, ...]] = field(default_factory=list)  # every heading path, in order
    prose_links: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, url) outside bullets
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {role: 0 for role in ROLES}
        for bullet in self.bullets:
            counts[bullet.role] += 1
        counts["bullets"] = len(self.bullets)
        counts["items"] = len(self.items)
        for role in ROW_ROLES:
            counts[f"row_{role}"] = sum(1 for row in self.rows if row.role == role)
        counts["table_rows"] = len(self.rows)
        counts["tables"] = len(self.tables)
        counts["tables_skipped"] = sum(1 for table in self.tables if table.skipped)
        from_entries = {b.item for b in self.bullets if b.role == "item"} | {
            i for b in self.bullets for i in b.more_items} | {r.item for r in self.rows if r.role == "item"}
        counts["heading_items"] = sum(1 for item in self.items if item.index not in from_entries)
        return counts

    def report(self) -> list[dict]:
        """Per file: entries by style, tables read and skipped, entries without a title."""
        out = []
        for file in self.files:
            styles: dict[str, int] = {}
            for item in self.items:
                if item.file == file:
                    styles[item.style or "heading"] = styles.get(item.style or "heading", 0) + 1
            out.append({
                "file": file,
                "entries_by_style": dict(sorted(styles.items())),
                "tables_read": [{"line": t.line, "columns": list(t.columns), "rows": t.rows}
                                for t in self.tables if t.file == file and not t.skipped],
                "tables_skipped": [{"line": t.line, "rows": t.rows, "reason": t.skipped}
                                   for t in self.tables if t.file == file and t.skipped],
                "untitled": [{"line": u.line, "text": u.text, "links": u.links} for u in self.untitled if u.file == file],
                "prose": [{"line": p.line, "text": p.text} for p in self.prose if p.file == file],
            })
        return out

    def as_json(self) -> dict:
        return {
            "files": self.files,
            "counts": self.counts(),
            "report": self.report(),
            "items": [item.as_json() for item in self.items],
            "bullets": [
                {"file": b.file, "line": b.line, "role": b.role, "item": b.item, **({"more_items": b.more_items} if b.more_items else {})}
                for b in self.bullets
            ],
            "table_rows": [{"file": r.file, "line": r.line, "role": r.role, "item": r.item} for r in self.rows],
            "aliases": {alias: list(path) for alias, path in sorted(self.aliases.items())},
            "prose_links": [{"file": f, "line": n, "url": u} for f, n, u in self.prose_links],
        }


