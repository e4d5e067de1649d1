"""Build the recorded web corpus (data/recorded/web/) from data/public-records/web/.

Each public record holds values read from public pages, every value with the page it was
seen on. This script only changes their *shape*, into what the real hosts answer:

- ``kind: page``: an HTML page carrying the values in the metadata vocabularies named in
  ``markup`` (``highwire``, ``json-ld``, ``dublin-core``, ``opengraph``, ``meta-author``),
  plus its ``.source.json`` sidecar (URL, values, their pages, the markup note). A video
  page (``schema_type: video``) names its ``channel`` as author; a recorded talk's
  ``event``, ``event_date`` and ``speakers`` go in its JSON-LD ``recordedAt`` Event, a
  course's ``term``, ``term_date`` and ``instructors`` in its ``hasCourseInstance``;
- ``kind: edition`` / ``work``: lines of ``openlibrary.jsonl`` (Open Library's books-API
  edition and search-API work fields);
- ``kind: video``: lines of ``youtube-oembed.jsonl``.

A value no page gave is absent. Run from the repository root::

    python tools/make_web_corpus.py
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT / "data" / "public-records" / "web"
OUT = ROOT / "data" / "recorded" / "web"
SCHEMA_TYPES = {"article": "Article", "blog": "BlogPosting", "video": "VideoObject", "book": "Book", "course": "Course", "event": "Event"}


def value(record: dict, name: str):
    field = record["fields"].get(name)
    return field["value"] if field else None


def _meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content)}">'


def render_page(record: dict) -> str:
    """An HTML page with the record's values in each vocabulary it names."""
    title, authors, date = value(record, "title") or "", value(record, "authors") or [], value(record, "date") or ""
    site, kind = value(record, "site") or "", record.get("schema_type", "article")
    channel = value(record, "channel") or ""  # a video's uploader: its page's author
    event = {"@type": "Event", "name": value(record, "event"), "startDate": value(record, "event_date"),
             "performer": [{"@type": "Person", "name": s} for s in value(record, "speakers") or []]}
    event = {k: v for k, v in event.items() if v}
    head = [f"<title>{html.escape(title)}</title>"] if title else []
    for vocabulary in record["markup"]:
        if vocabulary == "highwire":
            head += [_meta("name", "citation_title", title)] if title else []
            head += [_meta("name", "citation_author", a) for a in authors]
            head += [_meta("name", "citation_publication_date", date.replace("-", "/"))] if date else []
        elif vocabulary == "dublin-core":
            head += [_meta("name", "DC.title", title)] if title else []
            head += [_meta("name", "DC.creator", a) for a in authors]
            head += [_meta("name", "DC.date", date)] if date else []
            head += [_meta("name", "DC.publisher", site)] if site else []
        elif vocabulary == "opengraph":
            head += [_meta("property", "og:type", "video.other" if kind == "video" else "article")]
            head += [_meta("property", "og:title", title)] if title else []
            head += [_meta("property", "og:site_name", site)] if site else []
            head += [_meta("property", "article:published_time", date)] if date and kind != "video" else []
        elif vocabulary == "meta-author":
            head += [_meta("name", "author", a) for a in authors]
        elif vocabulary == "json-ld":
            data = {"@context": "https://schema.org", "@type": SCHEMA_TYPES[kind], "name" if kind in ("video", "course", "event") else "headline": title}
            if authors:
                data["author"] = [{"@type": "Person", "name": a} for a in authors]
            if channel:
                data["author"] = {"@type": "Person", "name": channel}
            if len(event) > 1:  # the talk's delivery: schema.org's Event a work was recorded at
                data["recordedAt"] = event
            if value(record, "term_date"):  # a course's offering: schema.org's CourseInstance
                instance = {"@type": "CourseInstance", "name": value(record, "term"), "startDate": value(record, "term_date"),
                            "instructor": [{"@type": "Person", "name": i} for i in value(record, "instructors") or []]}
                data["hasCourseInstance"] = {k: v for k, v in instance.items() if v}
            if date:
                data["uploadDate" if kind == "video" else "datePublished"] = date
            if site:
                data["publisher"] = {"@type": "Organization", "name": site}
            head.append('<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False) + "</script>")
        else:
            raise ValueError(f"unknown vocabulary {vocabulary!r}")
    body = f"<h1>{html.escape(title)}</h1>" if title else ""
    return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n" + "\n".join(head) + "\n</head>\n<body>" + body + "</body>\n</html>\n"


def page_name(url: str) -> Path:
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", (parts.path + ("-" + parts.query if parts.query else "")).strip("/")) or "index"
    return Path(parts.netloc) / slug


def openlibrary_line(record: dict) -> dict:
    line = {"kind": record["kind"]}
    for name, field in record["fields"].items():
        line[name] = field["value"]
    line["source"] = {name: field["source"] for name, field in record["fields"].items()}
    return line


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    pages = OUT / "pages"
    library, videos = [], []
    for path in sorted(PUBLIC.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["kind"] == "page":
            name = page_name(record["url"])
            target = pages / (str(name) if str(name).endswith(".html") else str(name) + ".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_page(record), encoding="utf-8")
            sidecar = {"url": record["url"], "body": target.name, "content_type": "text/html; charset=utf-8",
                       "markup": record["markup"], "markup_note": record.get("markup_note", ""),
                       "values": record["fields"], "public_record": f"data/public-records/web/{path.name}"}
            target.with_name(target.name + ".source.json").write_text(json.dumps(sidecar, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        elif record["kind"] in ("edition", "work"):
            library.append(openlibrary_line(record))
        elif record["kind"] == "video":
            videos.append({"url": record["url"], **{n: f["value"] for n, f in record["fields"].items()},
                           "source": {n: f["source"] for n, f in record["fields"].items()}})
    for name, rows in (("openlibrary.jsonl", library), ("youtube-oembed.jsonl", videos)):
        (OUT / name).write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(list(pages.rglob('*.html')))} pages, {len(library)} Open Library records, {len(videos)} videos to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
