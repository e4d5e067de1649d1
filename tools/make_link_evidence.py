"""Build the bundled link-evidence table (src/sysml_bib/data/link-evidence.json) from the
public records in data/public-records/evidence/.

Each ``<slug>.json`` there is one evidence record: a listed address (``url``), the work it
is (``work``: an arXiv id or DOI) and the public pages that name both (``pages``, each with
what it shows of the address and of the identifier). ``NOT-FOUND_*.json`` files record
searches that found no such page; they are documentation and are left out. The table is
the records as they stand, sorted by address, each naming its file. Run from the
repository root::

    python tools/make_link_evidence.py          # write the table
    python tools/make_link_evidence.py --check  # exit 1 when the table is not up to date
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT / "data" / "public-records" / "evidence"
OUT = ROOT / "src" / "sysml_bib" / "data" / "link-evidence.json"
ABOUT = ("Recorded evidence that a listed link is a known work (sysml_bib/sources/link_evidence.py): per record the "
         "listed address, the work's identifier and the public pages naming both. Built by tools/make_link_evidence.py "
         "from data/public-records/evidence/; do not edit by hand.")


def table_text() -> str:
    records = []
    for path in sorted(PUBLIC.glob("*.json")):
        if path.name.startswith("NOT-FOUND"):
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        records.append({"url": record["url"], "work": record["work"], "pages": record["pages"],
                        "public_record": f"data/public-records/evidence/{path.name}"})
    records.sort(key=lambda r: r["url"])
    return json.dumps({"_about": ABOUT, "links": records}, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = table_text()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.relative_to(ROOT)} is not up to date: run python tools/make_link_evidence.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
