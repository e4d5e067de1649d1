"""What a list line says about a work beyond the paper styles: talks, asides, collections,
identifiers and kinds of work that the link label or the URL gives away.

Applied by ``normalize.record_from_item`` after the record is made from the parsed item
(the line readers in ``parse.py`` are not touched). Pure: a record in, the same record
improved. Every rule reads only what the list wrote:

| written as | read as |
| --- | --- |
| ``Title. Speaker`` / ``Speaker: Title`` / ``"Title" by Speaker, 2017`` (talks, courses) | the speaker is the author |
| ``SysML 18: Title``, ``ScaledML 2019: ...``, ``ICML Keynote: ...``, ``Title. A TED talk`` | the event (``eventtitle``) and its year |
| a trailing ``(start to read)``, ``(I am a big fan)`` | an aside: kept in ``annote``, not in the title |
| ``youtube.com/playlist?list=``, ``/channel/``, ``/@name``, a blog's home page | a collection: ``type`` says which |
| ``/9781491983867/`` in a URL | ``isbn`` |
| link label ``[[Thesis]]`` | ``@phdthesis`` (``type`` = PhD thesis) |
| ``MSR-TR-2018-13``, ``UCB/EECS-2017-219`` in the line | ``@techreport`` with ``institution`` and ``number`` |
| a course link labelled ``[[University of Washington]]``, ``[[UCSD]]`` | ``organization`` (the institution) |
| ``/2018/10/04/``, ``/uploads/prod/2018/05/``, ``/Spring-2019/``, ``wi19`` in a URL | a date of lower rank than the page's own (provenance ``url``) |
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from .model import Item, Person, Record
from .venues import KNOWN_VENUES

URL_DATE = "url"  # provenance of a date read from a URL path: any source's date outranks it
SPOKEN_KINDS = {"talk", "course"}
NOT_PAPER_OR_SOFTWARE = {"talk", "blog", "book", "course", "website", "dataset"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Words that start titles, never names: "Machine Learning Systems" is no speaker.
_NOT_NAME_WORDS = {
    "a", "an", "the", "machine", "learning", "systems", "system", "introduction", "data", "deep", "how",
    "ai", "ml", "talk", "keynote", "tutorial", "course", "lecture", "part", "and", "of", "for", "in", "on",
}
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z'’\-]+|[A-Z]\.|van|von|de|der|da|di|le|la)$")
_YEAR4 = re.compile(r"(?<!\d)(19[5-9]\d|20\d{2})(?!\d)")
_EVENT = re.compile(
    r"^(?P<name>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)(?:\s*'?(?P<year>(?:19|20)\d{2}|\d{2}))?"
    r"(?P<role>\s+(?:Keynote|Talk|Tutorial|Invited Talk))?$"
)
_QUOTED_BY = re.compile(r'^["“](?P<title>[^"”]+)["”]\s*,?\s+by\s+(?P<names>[^,(]+?)(?:,\s*(?P<year>(?:19|20)\d{2}))?\.?$')
_A_EVENT_TALK = re.compile(r"^an?\s+(?P<event>[A-Z][A-Za-z]*[A-Z][A-Za-z]*|[A-Z][a-z]+)\s+talk\.?$", re.IGNORECASE)
_ASIDE = re.compile(r"\s*\((?P<aside>[^()]+)\)\s*$")
_THESIS_LABELS = re.compile(r"^(?:ph\.?\s?d\.?\s*)?(?:thesis|dissertation)$", re.IGNORECASE)
# Report-number series -> institution. The number names its series; nothing is guessed.
TECH_REPORTS = (
    (re.compile(r"\bMSR-TR-(?:19|20)\d{2}-\d+\b"), "Microsoft Research"),
    (re.compile(r"\bUCB/EECS-(?:19|20)\d{2}-\d+\b"), "EECS Department, University of California, Berkeley"),
    (re.compile(r"\bUCB/CSD-\d{2}-\d+\b"), "Computer Science Division, University of California, Berkeley"),
    (re.compile(r"\bCMU-[A-Z]{2,4}-\d{2}-\d+\b"), "Carnegie Mellon University"),
    (re.compile(r"\bMIT-CSAIL-TR-(?:19|20)\d{2}-\d+\b"), "MIT Computer Science and Artificial Intelligence Laboratory"),
    (re.compile(r"\bUW-CSE-\d{2}-\d{2}-\d+\b"), "University of Washington"),
)
_INSTITUTION_LABEL = re.compile(r"\b(?:University|Universit[äéà]t?|Institute|College|School|Polytechnic)\b|^UC\s+[A-Z]|^UC[A-Z]{2,3}$")
_TERMS = {"sp": "Spring", "su": "Summer", "fa": "Fall", "wi": "Winter", "spring": "Spring", "summer": "Summer", "fall": "Fall", "winter": "Winter", "autumn": "Fall"}
_TERM_LONG = re.compile(r"(?:^|[/_\-])(?P<term>spring|summer|fall|autumn|winter)[\-_]?(?P<year>(?:19|20)\d{2})(?:$|[/_\-])", re.IGNORECASE)
_TERM_SHORT = re.compile(r"(?:^|[/_\-])(?P<term>sp|su|fa|wi)(?P<year>\d{2})(?:$|[/_\-])", re.IGNORECASE)
_URL_DAY = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>0[1-9]|1[0-2])/(?P<d>0[1-9]|[12]\d|3[01])/")
_URL_MONTH = re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>0[1-9]|1[0-2])/")


# ----------------------------------------------------------------------------- small readers

def _split(url: str) -> SplitResult:
    """The URL's parts; a malformed one (``http://[``) reads as empty, so no rule fires on it."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def looks_like_person(text: str) -> bool:
    """"Jeff Dean", "David Patterson", "Mu Li": two to four capitalised name words."""
    words = text.split()
    if not 2 <= len(words) <= 4 or words[0].lower() in _NOT_NAME_WORDS:
        return False
    return all(_NAME_WORD.match(w) for w in words) and not any(w.lower() in _NOT_NAME_WORDS for w in words)


def _people(text: str) -> list[Person]:
    from .names import _natural

    parts = [p.strip() for p in re.split(r",\s*|\s+and\s+|\s*&\s*", text) if p.strip()]
    if not parts or not all(looks_like_person(p) for p in parts):
        return []
    return [_natural(p) for p in parts]


def event_of(text: str) -> tuple[str, str, str] | None:
    """(event, year, role) for "SysML 18", "ScaledML 2019", "ICML Keynote"; None if not an event.

    An event is an acronym-like name (two capitals) with a year, or a known venue.
    """
    match = _EVENT.match(text.strip())
    if not match:
        return None
    name, year, role = match.group("name"), match.group("year") or "", (match.group("role") or "").strip()
    known = name.lower() in KNOWN_VENUES
    if not year and not known and not role:
        return None
    if len(year) == 2:
        year = "20" + year
    short = KNOWN_VENUES[name.lower()][0] if known else name
    return short, year, role


def isbn_in_url(url: str) -> str | None:
    """An ISBN-13 or ISBN-10 path segment with a valid check digit (``/9781491983867/``)."""
    for segment in unquote(_split(url).path).split("/"):
        digits = segment.replace("-", "")
        if re.fullmatch(r"97[89]\d{10}", digits) and valid_isbn13(digits):
            return digits
        if re.fullmatch(r"\d{9}[\dX]", digits) and valid_isbn10(digits):
            return digits
    return None


def valid_isbn13(digits: str) -> bool:
    return len(digits) == 13 and digits.isdigit() and sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0


def valid_isbn10(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}[\dX]", digits):
        return False
    total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
    return total % 11 == 0


def collection_type(url: str, kind: str) -> str | None:
    """"YouTube playlist", "YouTube channel" or "Blog" when the link is a collection, not one work."""
    parts = _split(url)
    try:
        host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    except ValueError:  # a malformed port or address
        return None
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    if host in ("youtube.com", "youtu.be"):
        if segments[:1] == ["playlist"] and "list" in query:
            return "YouTube playlist"
        if segments[:1] in (["channel"], ["c"], ["user"]) or (segments and segments[0].startswith("@")):
            return "YouTube channel"
        return None
    if kind == "blog" and (not segments or (len(segments) == 1 and segments[0].startswith("@"))):
        return "Blog"
    return None


def date_in_url(url: str) -> tuple[str, str] | None:
    """(year, month) from ``/2018/10/04/`` or ``/uploads/prod/2018/05/`` in a URL path."""
    path = _split(url).path
    match = _URL_DAY.search(path) or _URL_MONTH.search(path)
    if not match:
        return None
    return match.group("y"), MONTHS[int(match.group("m")) - 1]


def term_in_url(url: str) -> tuple[str, str] | None:
    """("Spring", "2019") from ``/Spring-2019/``, ``/wi19/``, ``-sp19``."""
    path = unquote(_split(url).path)
    match = _TERM_LONG.search(path)
    if match:
        return _TERMS[match.group("term").lower()], match.group("year")
    match = _TERM_SHORT.search(path)
    if match:
        return _TERMS[match.group("term").lower()], "20" + match.group("year")
    return None


def tech_report(text: str) -> tuple[str, str] | None:
    """(number, institution) of a report number written in the line."""
    for pattern, institution in TECH_REPORTS:
        match = pattern.search(text)
        if match:
            return match.group(0), institution
    return None


# ----------------------------------------------------------------------------- the rules

def _add_annote(record: Record, text: str) -> None:
    text = text.strip().strip("*").strip()
    if text.startswith("(") and text.endswith(")") and "(" not in text[1:-1]:
        text = text[1:-1].strip("*").strip()
    if not text:
        return
    old = record.fields.get("annote", "")
    if text.lower() in old.lower():
        return
    record.set("annote", f"{old} {text}".strip() if old else text, "list")


def _set_title(record: Record, title: str) -> None:
    record.fields["title"] = title.strip().rstrip(".:").strip()


def _take_aside(record: Record) -> None:
    """A trailing parenthetical with words in lower case is a comment, not a title part ("(ML)" stays)."""
    match = _ASIDE.search(record.title)
    if not match:
        return
    words = match.group("aside").split()
    if len(words) >= 2 and any(w.isalpha() and w.islower() and len(w) > 1 for w in words):
        _set_title(record, record.title[: match.start()])
        _add_annote(record, match.group("aside"))


def _set_event(record: Record, event: str, year: str, where: str = "list") -> None:
    record.set("eventtitle", f"{event} {year}".strip(), where)
    if year and not record.year:
        record.set("year", year, where)


def _speaker_rules(record: Record) -> None:
    title = record.title.strip()
    quoted = _QUOTED_BY.match(title)
    if quoted:
        people = _people(quoted.group("names"))
        if people:
            _set_title(record, quoted.group("title"))
            _give_authors(record, people)
            if quoted.group("year"):
                record.set("year", quoted.group("year"), "list")
            return
    head, sep, rest = title.partition(": ")
    if sep and rest:
        event = event_of(head)
        if event:
            _set_event(record, event[0], event[1])
            title = f"{event[2]}: {rest}" if event[2] else rest
            _set_title(record, title)
        else:
            aside = _ASIDE.search(head)
            person = head[: aside.start()].strip() if aside else head
            people = _people(person)
            if people:
                if aside:
                    _add_annote(record, aside.group("aside"))
                _give_authors(record, people)
                _set_title(record, rest)
                title = rest
    # "Title. Speaker" / "Title. A TED talk"
    body, dot, tail = record.title.rpartition(". ")
    if dot and body:
        tail = tail.strip().rstrip(".")
        people = _people(tail)
        talk_at = _A_EVENT_TALK.match(tail)
        if people:
            _give_authors(record, people)
            _set_title(record, body)
        elif talk_at:
            _set_event(record, talk_at.group("event"), "")
            _set_title(record, body)


def _give_authors(record: Record, people: list[Person]) -> None:
    if not record.authors:
        record.authors = people
        record.provenance["author"] = "list"


def _collection_rules(record: Record, item: Item) -> None:
    """The item is a collection when its link is one (its first collection link decides)."""
    urls = [record.fields.get("url", "")] + [link.url for link in item.links]
    kind = next((k for k in (collection_type(u, record.kind) for u in urls if u) if k), None)
    if kind:
        record.set("type", kind, "list")


def _collection_speakers(record: Record) -> None:
    """"ScaledML 2019: David Patterson, Ion Stoica, Dawn Song and so on" (a playlist)."""
    head, sep, rest = record.title.partition(": ")
    event = event_of(head) if sep else None
    if event:
        # The collection is the event's ("ScaledML 2019"): its title names the event, so
        # no separate event field (styles would print it twice); the event's year is its date.
        if event[1] and not record.year:
            record.set("year", event[1], "list")
        _set_title(record, head)
        _add_annote(record, rest)


def _course_rules(record: Record, item: Item) -> None:
    # A profile link's label ("[[Chen Tianqi]]") names a person in an unknown order: no author.
    for link in item.links:
        label = link.label.strip()
        if _INSTITUTION_LABEL.search(label) and "organization" not in record.fields:
            record.set("organization", label, "list")
    url = record.fields.get("url", "")
    for candidate in [url] + [link.url for link in item.links]:
        term = term_in_url(candidate)
        if term:
            record.set("note", f"{term[0]} {term[1]}", URL_DATE)
            if not record.year:
                record.set("year", term[1], URL_DATE)
            break


def _kind_of_work(record: Record, item: Item) -> None:
    if any(_THESIS_LABELS.match(link.label.strip()) for link in item.links):
        record.entry_type = "phdthesis"
        record.set("type", "PhD thesis", "list")
    line = " ".join([item.title, *item.venue_lines, *item.notes, *(link.label for link in item.links)])
    report = tech_report(line)
    if report:
        record.entry_type = "techreport"
        record.set("number", report[0], "list")
        record.set("institution", report[1], "list")
        year = _YEAR4.search(report[0])
        if year and not record.year:
            record.set("year", year.group(1), "list")


def _url_date(record: Record, item: Item) -> None:
    if record.year:
        return
    for link in item.links:
        found = date_in_url(link.url)
        if found:
            record.set("year", found[0], URL_DATE)
            record.set("month", found[1], URL_DATE)
            return


def interpret(item: Item, record: Record) -> Record:
    """Apply every rule that fits the item's kind; papers get only the kind-of-work and URL-date rules."""
    _kind_of_work(record, item)
    if record.kind in NOT_PAPER_OR_SOFTWARE:
        for note in item.notes:
            _add_annote(record, note)
        _take_aside(record)
        _collection_rules(record, item)
        if record.fields.get("type"):
            _collection_speakers(record)
        elif record.kind in SPOKEN_KINDS:
            _speaker_rules(record)
            _take_aside(record)
        if record.kind == "course":
            _course_rules(record, item)
        isbn = next((i for i in (isbn_in_url(link.url) for link in item.links) if i), None)
        if isbn:
            record.set("isbn", isbn, "list")
        if record.kind == "book" and record.entry_type == "misc":
            record.entry_type = "book"
    if record.kind != "software":
        _url_date(record, item)
    return record
