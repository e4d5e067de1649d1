"""Check references.bib field by field against the public pages recorded in data/public-records/.

The resolver's output is compared with what the venues' own pages (and arXiv's, for
preprints) say, as recorded with their addresses in ``data/public-records/``: for each
paper with a public record, its title, authors, year, venue, volume, number, pages, DOI
and arXiv id. Run from the repository root after ``make references``::

    python tools/check_fields.py            # summary and every disagreement
    python tools/check_fields.py --json     # the same as JSON

A value the public record does not have is not counted. Exit 1 when fewer than
``--min`` (default 99) per cent of the compared fields agree.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sysml_bib import bibtex, venue_table  # noqa: E402
from sysml_bib.normalize import ascii_fold, normalized_title  # noqa: E402

PUBLIC = ROOT / "data" / "public-records"
# Public records of works the list does not cite (a later version of a listed report).
LATER_VERSIONS = {"jeon2019analysis"}


def _pages(value: str) -> str:
    return re.sub(r"\s*[-–]+\s*", "-", str(value)).strip()


def _family(name) -> str:
    if isinstance(name, list):  # PMLR [given, family]
        name = name[1]
    words = [w for w in str(name).split() if w.rstrip(".").lower() not in ("jr", "sr", "ii", "iii", "iv")]
    return ascii_fold(words[-1]).lower() if words else ""


def expected_values(slug: str, record: dict, folder: str, preprint: bool = False) -> dict[str, tuple[str, str]]:
    """field -> (value, page) from one public record, in references.bib's terms.

    ``preprint``: the entry is an arXiv preprint (no venue), so an arXiv record's title,
    authors and year are compared too, not only its id.
    """
    fields = record.get("fields", {})
    out = {}

    def take(name, key=None, convert=str):
        if key in fields:
            out[name] = (convert(fields[key]["value"]), fields[key]["source"])

    if folder == "proceedings":
        take("title", "title")
        take("authors", "authors", lambda v: [_family(a) for a in v])
        take("year", "year")
        take("volume", "volume")
        if "firstpage" in fields:
            first, last = str(fields["firstpage"]["value"]), str(fields["lastpage"]["value"])
            numbered = re.fullmatch(r"(\d+)/(\d+)", first)  # PMLR v293: 'firstpage: 21/1' = paper 21, page 1
            pages = f"{numbered.group(1)}:{numbered.group(2)}-{numbered.group(1)}:{last}" if numbered else f"{first}-{last}"
            out["pages"] = (pages, fields["firstpage"]["source"])
        if "page_first" in fields:
            out["pages"] = (f"{fields['page_first']['value']}-{fields['page_last']['value']}", fields["page_first"]["source"])
        take("title", "title")
        return out
    if folder == "arxiv":
        out["eprint"] = (record["arxiv_id"], "arXiv identifier of the record")
        if preprint:  # no venue version: the arXiv record is the one cited, field by field
            take("title", "title")
            take("authors", "authors", lambda v: [_family(a) for a in v])
            if "published" in fields:
                out["year"] = (fields["published"]["value"][:4], fields["published"]["source"])
        return out
    take("title", "title")
    take("authors", "authors", lambda v: [_family(a) for a in v])
    take("year", "year")
    take("volume", "volume")
    if "school" not in str(fields.get("type", {}).get("value", "")) and not str(fields.get("type", {}).get("value", "")).startswith("phdthesis"):
        take("number", "number")  # a thesis has no number field (@phdthesis); its report number is not compared
    take("doi", "doi", lambda v: v.lower())
    if "pages" in fields:
        pages = fields["pages"]["value"]
        article = str(fields.get("articleno", {}).get("value", ""))
        numbered = re.fullmatch(r"Article (\d+), (\d+) pages", pages)
        if numbered:
            pages = f"{numbered.group(1)}:1-{numbered.group(1)}:{numbered.group(2)}"
        elif article and not pages.startswith(article + ":"):
            first, _, last = _pages(pages).partition("-")
            pages = f"{article}:{first}-{article}:{last}"
        out["pages"] = (_pages(pages), fields["pages"]["source"])
    if "venue" in fields and folder == "venue":
        out["venue"] = (fields["venue"]["value"], fields["venue"]["source"])
    return out


def actual(entry, name: str):
    fields = entry.fields
    if name == "title":
        return entry.title
    if name == "authors":
        return [_family(f"{p.given} {p.family}") for p in entry.authors]
    if name == "pages":
        return _pages(fields.get("pages", ""))
    if name == "doi":
        return fields.get("doi", "").lower()
    if name == "venue":
        return fields.get("journal") or fields.get("booktitle") or fields.get("school") or fields.get("institution") or ""
    return fields.get(name, "")


def agree(name: str, want, got) -> bool:
    if name == "title":
        return normalized_title(want) == normalized_title(got)
    if name == "venue":
        # the same venue by the venue table, or the same words
        found = [venue_table.find({"booktitle": v}) or venue_table.find({"journal": v}) for v in (want, got)]
        return (found[0] is not None and found[0] == found[1]) or normalized_title(want) in normalized_title(got) or normalized_title(got) in normalized_title(want)
    return want == got


def find_entry(slug: str, record: dict, folder: str, entries: list):
    fields = record.get("fields", {})
    doi = fields.get("doi", {}).get("value", "").lower()
    arxiv_id = record.get("arxiv_id", "")
    title = normalized_title(fields.get("title", {}).get("value", ""))
    for entry in entries:
        if doi and entry.fields.get("doi", "").lower() == doi:
            return entry
        if arxiv_id and entry.fields.get("eprint") == arxiv_id:
            return entry
    for entry in entries:
        if title and normalized_title(entry.title) == title:
            return entry
    url = {"pmlr-v80-jia18a": "v80/jia18a", "pmlr-v80-gao18a": "v80/gao18a", "pmlr-v70-mirhoseini17a": "v70/mirhoseini17a"}.get(slug)
    return next((e for e in entries if url and url in e.fields.get("url", "")), None)


def check(bib: Path = ROOT / "references.bib") -> dict:
    entries = [r for r in bibtex.read_bibliography(str(bib)).records if r.kind == "paper"]
    compared, disagreements, unmatched, papers = 0, [], [], set()
    for folder in ("venue", "proceedings", "arxiv"):
        for path in sorted((PUBLIC / folder).glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            if not record.get("found") or "volumes" in record:
                continue
            if record.get("later_version") is None and folder == "venue" and path.stem in LATER_VERSIONS:
                continue
            entry = find_entry(path.stem, record, folder, entries)
            if entry is None:
                unmatched.append(f"{folder}/{path.stem}")
                continue
            preprint = not any(entry.fields.get(n) for n in ("booktitle", "journal", "school", "institution"))
            for name, (want, page) in expected_values(path.stem, record, folder, preprint).items():
                compared += 1
                papers.add(entry.key)
                got = actual(entry, name)
                if not agree(name, want, got):
                    disagreements.append({"record": f"{folder}/{path.stem}", "key": entry.key, "field": name,
                                          "public": want, "references.bib": got, "page": page})
    return {"compared": compared, "agree": compared - len(disagreements), "papers": len(papers), "disagreements": disagreements,
            "public_records_not_in_references": unmatched}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--bib", type=Path, default=ROOT / "references.bib", help="bibliography to check")
    parser.add_argument("--min", type=float, default=99.0, help="lowest acceptable agreement in per cent")
    args = parser.parse_args()
    result = check(args.bib)
    share = 100.0 * result["agree"] / max(1, result["compared"])
    if args.json:
        print(json.dumps({**result, "percent": round(share, 2)}, indent=1, ensure_ascii=False))
    else:
        print(f"{result['compared']} fields of {result['papers']} papers compared, {result['agree']} agree ({share:.1f} %)")
        for d in result["disagreements"]:
            print(f"  {d['key']} {d['field']}: public {d['public']!r} vs references.bib {d['references.bib']!r} ({d['record']})")
        for name in result["public_records_not_in_references"]:
            print(f"  no entry for {name}")
    return 0 if share >= args.min else 1


if __name__ == "__main__":
    raise SystemExit(main())
