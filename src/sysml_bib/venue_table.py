"""The venue table (``data/venues.json``): how each venue is named, keyed by dblp stream.

A record's venue is found by its dblp key's stream (``conf/osdi/LeeSCSWI18`` -> ``conf/osdi``),
else by an alias in its booktitle or journal ("ACM Trans. Comput. Syst." -> ``journals/tocs``).
The table then gives the one way that venue's name is written for that year: the
proceedings title the venue prints (``proceedings`` or a numbered ``pattern``), else its
full name, with the name of the year's era (NIPS until 2017, NeurIPS from 2018). The short
form ("OSDI '18", "TOCS") is what ``export --venue-style short`` writes.

A workshop's booktitle never maps to its main conference ("NeurIPS Workshop on ..." is not
NeurIPS), and a journal name never to a conference.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

VENUE_FIELDS = ("booktitle", "journal")


@dataclass(frozen=True)
class Venue:
    stream: str
    type: str  # conference, workshop, journal
    data: dict

    def _era(self, year: int | None) -> dict:
        for era in self.data.get("eras", []):
            if year is not None and year <= era.get("until", 9999) and year >= era.get("from", 0):
                return {**self.data, **era}
        return self.data

    def full(self, year: str = "", specific: bool = True) -> str:
        """The name written by default: the year's proceedings title where known (``specific``), else the full name."""
        number = int(year) if year.isdigit() else None
        era = self._era(number)
        if not specific:
            return era["full"]
        if year in self.data.get("proceedings", {}):
            return self.data["proceedings"][year]
        pattern = era.get("pattern")
        if pattern and number is not None and number >= self.data.get("pattern_from", 0) and "edition_base" in self.data:
            edition = number - self.data["edition_base"]
            return pattern.format(edition=edition, ordinal=ordinal(edition), year=year, yy=year[-2:])
        return era["full"]

    def short(self, year: str = "") -> str:
        era = self._era(int(year) if year.isdigit() else None)
        text = era["short"]
        if "{yy}" in text and not year.isdigit():
            return text.replace(" '{yy}", "").replace("{yy}", "")
        return text.format(yy=year[-2:], year=year)

    def names(self) -> list[str]:
        """Every spelling that identifies this venue: aliases, full names, proceedings titles."""
        found = list(self.data.get("aliases", [])) + [self.data["full"]]
        found += [era["full"] for era in self.data.get("eras", [])]
        found += list(self.data.get("proceedings", {}).values())
        return found


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@lru_cache(maxsize=1)
def table() -> dict[str, Venue]:
    text = resources.files("sysml_bib").joinpath("data/venues.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return {stream: Venue(stream, entry["type"], entry) for stream, entry in data.items() if not stream.startswith("_")}


def _stream_of_key(dblp_key: str) -> str:
    parts = dblp_key.split("/")
    return "/".join(parts[:2]) if len(parts) >= 3 else ""


def _mentions(text: str, name: str) -> bool:
    # Acronyms ("SEC", "NIPS") must stand as words, in their case; longer names match in any case.
    if " " not in name and len(name) <= 10:
        return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text) is not None
    return name.lower() in text.lower()


def find(fields: dict[str, str]) -> Venue | None:
    """The table's venue of a record's fields (``dblp``, ``booktitle``, ``journal``), or None."""
    venues = table()
    text = fields.get("journal") or fields.get("booktitle") or ""
    wanted = "journal" if fields.get("journal") else ("workshop" if re.search(r"workshop", text, re.I) else None)
    stream = _stream_of_key(fields.get("dblp", ""))
    if stream in venues and _fits(venues[stream], wanted, text):
        return venues[stream]
    if not text:
        return None
    best, length = None, 0
    for venue in venues.values():
        if not _fits(venue, wanted, text):
            continue
        for name in venue.names():
            if len(name) > length and _mentions(text, name):
                best, length = venue, len(name)
    return best


def _fits(venue: Venue, wanted: str | None, text: str) -> bool:
    if venue.data.get("context") and not re.search(venue.data["context"], text):
        return False
    if wanted == "journal":
        return venue.type == "journal"
    if wanted == "workshop":
        return venue.type == "workshop"
    return venue.type != "journal" or not text


def field_name(venue: Venue) -> str:
    return "journal" if venue.type == "journal" else "booktitle"


def full_name(fields: dict[str, str], specific: bool = True) -> tuple[str, str] | None:
    """(field, name) the record's venue is written as by default, or None when the table has no entry."""
    venue = find(fields)
    return (field_name(venue), venue.full(fields.get("year", ""), specific)) if venue else None


def short_name(fields: dict[str, str]) -> tuple[str, str] | None:
    """(field, short name) for ``--venue-style short``, or None when the table has no entry."""
    venue = find(fields)
    return (field_name(venue), venue.short(fields.get("year", ""))) if venue else None


def shorten(record):
    """A copy of ``record`` with its venue in the short form; records the table does not know pass unchanged."""
    import copy

    named = short_name(record.fields)
    if not named or named[0] not in record.fields:
        return record
    shortened = copy.copy(record)
    shortened.fields = {**record.fields, named[0]: named[1]}
    return shortened
