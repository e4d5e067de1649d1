"""Venue/year lines as awesome lists write them: ``(*OSDI 2018*)``, ``*arXiv 2018*``,
``NIPS 18, System for ML``, ``In Proceedings of ... (pp. 368-380). ACM.``
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# acronym (as matched, case-insensitive) -> (short name, full name, type)
# Types decide the entry type: conference/workshop -> @inproceedings, journal -> @article.
KNOWN_VENUES: dict[str, tuple[str, str, str]] = {
    "osdi": ("OSDI", "USENIX Symposium on Operating Systems Design and Implementation (OSDI)", "conference"),
    "nsdi": ("NSDI", "USENIX Symposium on Networked Systems Design and Implementation (NSDI)", "conference"),
    "sosp": ("SOSP", "ACM Symposium on Operating Systems Principles (SOSP)", "conference"),
    "atc": ("USENIX ATC", "USENIX Annual Technical Conference (USENIX ATC)", "conference"),
    "eurosys": ("EuroSys", "European Conference on Computer Systems (EuroSys)", "conference"),
    "sigcomm": ("SIGCOMM", "ACM SIGCOMM Conference", "conference"),
    "sigmod": ("SIGMOD", "ACM SIGMOD International Conference on Management of Data (SIGMOD)", "conference"),
    "kdd": ("KDD", "ACM SIGKDD International Conference on Knowledge Discovery and Data Mining (KDD)", "conference"),
    "icml": ("ICML", "International Conference on Machine Learning (ICML)", "conference"),
    "nips": ("NeurIPS", "Advances in Neural Information Processing Systems (NeurIPS)", "conference"),
    "neurips": ("NeurIPS", "Advances in Neural Information Processing Systems (NeurIPS)", "conference"),
    "iclr": ("ICLR", "International Conference on Learning Representations (ICLR)", "conference"),
    "cvpr": ("CVPR", "IEEE Conference on Computer Vision and Pattern Recognition (CVPR)", "conference"),
    "sysml": ("SysML", "Conference on Systems and Machine Learning (SysML)", "conference"),
    "mlsys": ("MLSys", "Conference on Machine Learning and Systems (MLSys)", "conference"),
    "hpca": ("HPCA", "IEEE International Symposium on High Performance Computer Architecture (HPCA)", "conference"),
    "isca": ("ISCA", "ACM/IEEE International Symposium on Computer Architecture (ISCA)", "conference"),
    "asplos": ("ASPLOS", "International Conference on Architectural Support for Programming Languages and Operating Systems (ASPLOS)", "conference"),
    "pldi": ("PLDI", "ACM SIGPLAN Conference on Programming Language Design and Implementation (PLDI)", "conference"),
    "mobicom": ("MobiCom", "Annual International Conference on Mobile Computing and Networking (MobiCom)", "conference"),
    "mobisys": ("MobiSys", "ACM International Conference on Mobile Systems, Applications, and Services (MobiSys)", "conference"),
    "hotnets": ("HotNets", "ACM Workshop on Hot Topics in Networks (HotNets)", "workshop"),
    "socc": ("SoCC", "ACM Symposium on Cloud Computing (SoCC)", "conference"),
    "icip": ("ICIP", "IEEE International Conference on Image Processing (ICIP)", "conference"),
    "siggraph": ("SIGGRAPH", "ACM SIGGRAPH", "conference"),
    "opml": ("OpML", "USENIX Conference on Operational Machine Learning (OpML)", "conference"),
    "vldb": ("VLDB", "International Conference on Very Large Data Bases (VLDB)", "conference"),
    "cidr": ("CIDR", "Conference on Innovative Data Systems Research (CIDR)", "conference"),
    "fast": ("FAST", "USENIX Conference on File and Storage Technologies (FAST)", "conference"),
    "infocom": ("INFOCOM", "IEEE International Conference on Computer Communications (INFOCOM)", "conference"),
    "rtss": ("RTSS", "IEEE Real-Time Systems Symposium (RTSS)", "conference"),
    "ipdps": ("IPDPS", "IEEE International Parallel and Distributed Processing Symposium (IPDPS)", "conference"),
    "middleware": ("Middleware", "ACM/IFIP International Middleware Conference (Middleware)", "conference"),
    "micro": ("MICRO", "IEEE/ACM International Symposium on Microarchitecture (MICRO)", "conference"),
    "ppopp": ("PPoPP", "ACM SIGPLAN Symposium on Principles and Practice of Parallel Programming (PPoPP)", "conference"),
    "icde": ("ICDE", "IEEE International Conference on Data Engineering (ICDE)", "conference"),
    "sensys": ("SenSys", "ACM Conference on Embedded Networked Sensor Systems (SenSys)", "conference"),
    "conext": ("CoNEXT", "International Conference on emerging Networking EXperiments and Technologies (CoNEXT)", "conference"),
    "iccv": ("ICCV", "IEEE/CVF International Conference on Computer Vision (ICCV)", "conference"),
    "eccv": ("ECCV", "European Conference on Computer Vision (ECCV)", "conference"),
    "aaai": ("AAAI", "AAAI Conference on Artificial Intelligence (AAAI)", "conference"),
    "hotcloud": ("HotCloud", "USENIX Workshop on Hot Topics in Cloud Computing (HotCloud)", "workshop"),
    "hotos": ("HotOS", "Workshop on Hot Topics in Operating Systems (HotOS)", "workshop"),
    "hotedge": ("HotEdge", "USENIX Workshop on Hot Topics in Edge Computing (HotEdge)", "workshop"),
    "euromlsys": ("EuroMLSys", "Workshop on Machine Learning and Systems (EuroMLSys)", "workshop"),
    "tocs": ("TOCS", "ACM Transactions on Computer Systems", "journal"),
    "tpds": ("TPDS", "IEEE Transactions on Parallel and Distributed Systems", "journal"),
    "pvldb": ("PVLDB", "Proceedings of the VLDB Endowment", "journal"),
}
_TRACKS = {"demo", "demos", "poster", "posters", "short paper", "short papers", "industry track"}
_PREPRINT = re.compile(r"\b(arxiv|preprint|corr)\b", re.IGNORECASE)
_UNPUBLISHED = re.compile(r"\b(on\s*going|ongoing|under review|submitted|in preparation)\b", re.IGNORECASE)
_JOURNAL_WORDS = re.compile(r"\b(journal|transactions|news|letters|magazine|review)\b", re.IGNORECASE)
_CONFERENCE_WORDS = re.compile(r"\b(conference|symposium|proceedings|workshop|congress)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d{2})(?!\d)")
_PAGES = re.compile(r"\bpp?\.\s*(\d+)\s*[-–—]+\s*(\d+)")
_VOLUME = re.compile(r"\bVol(?:ume)?\.?\s*(\d+)", re.IGNORECASE)
_NUMBER = re.compile(r"\bNo\.?\s*(\d+)", re.IGNORECASE)
_PUBLISHER = re.compile(r"\.\s*(ACM|IEEE|USENIX(?: Association)?|Springer|Elsevier)\.?\s*$")
_ARXIV_IN_TEXT = re.compile(r"arXiv:\s*(\d{4}\.\d{4,5})", re.IGNORECASE)
# Google Scholar's MLA form of a journal: "IEEE Access 6 (2018): 64270-64277", "... Endowment 11.5 (2018): 607-620".
_SCHOLAR_JOURNAL = re.compile(
    r"^(?P<name>[A-Za-z][^()]*?[A-Za-z])\s+(?P<volume>\d+)(?:\.(?P<number>\d+))?\s*\((?P<year>(?:19|20)\d{2})\)"
    r"(?::\s*(?P<first>\d+)(?:\s*[-–—]+\s*(?P<last>\d+))?)?\.?$"
)
# A venue named by an acronym with a glued or apostrophe year, maybe more words: "INFOCOM'22 DEMO", "RTSS'21".
# The year must look like one, so "ResNet50 training" is no venue.
_GLUED = re.compile(r"^(?P<acronym>[A-Za-z][A-Za-z\-]+?)'?(?P<year>(?:19|20)\d{2}|[0-3]\d)(?:\s+(?P<rest>.*))?$")
_VENUE_TAIL = re.compile(r"\(\*(?P<a>.+?)\*\)|(?<![\w*])\*(?P<b>[^*]+?)\*(?![\w*])")


@dataclass(frozen=True)
class Venue:
    raw: str
    type: str = "unknown"  # conference, workshop, journal, preprint, unpublished, unknown
    name: str = ""  # booktitle or journal
    short: str = ""
    year: str = ""
    pages: str = ""
    volume: str = ""
    number: str = ""
    publisher: str = ""
    arxiv_id: str = ""


def split_venue(line: str) -> tuple[str, str]:
    """Split ``authors (*VENUE*)`` into (authors, venue); venue is '' when absent."""
    match = None
    for match in _VENUE_TAIL.finditer(line):
        pass
    if not match:
        return line, ""
    venue = match.group("a") or match.group("b") or ""
    return (line[: match.start()] + line[match.end() :]).strip(), venue.strip()


def _two_digit_year(digits: str) -> str:
    if len(digits) == 4:
        return digits
    return ("19" if int(digits) > 60 else "20") + digits


@lru_cache(maxsize=16384)  # pure, and asked about the same venue lines and headings again and again
def parse_venue(text: str) -> Venue:
    raw = " ".join(text.split())
    # "{USENIX}{ATC} 19" reads "USENIX ATC 19"; a typographic apostrophe ("NSDI’23") is a plain one.
    body = re.sub(r"^In\s+", "", raw).replace("}{", " ").replace("{", "").replace("}", "").replace("’", "'")
    pages = _PAGES.search(body)
    volume = _VOLUME.search(body)
    number = _NUMBER.search(body)
    publisher = _PUBLISHER.search(body)
    arxiv = _ARXIV_IN_TEXT.search(body)
    years = _YEAR.findall(body)
    year = years[-1] if years else ""
    common = dict(
        raw=raw,
        pages=f"{pages.group(1)}--{pages.group(2)}" if pages else "",
        volume=volume.group(1) if volume else "",
        number=number.group(1) if number else "",
        publisher=publisher.group(1) if publisher else "",
        arxiv_id=arxiv.group(1) if arxiv else "",
    )
    if not body.strip(" .*"):
        return Venue(raw=raw)
    if _UNPUBLISHED.search(body):
        return Venue(type="unpublished", year=year, **common)
    if _PREPRINT.search(body):
        short_year = re.search(r"['’](\d{2})\b", body)  # "arxiv'25"
        year = year or (_two_digit_year(short_year.group(1)) if short_year else "")
        return Venue(type="preprint", name="arXiv", year=year, **common)

    # "OSDI 2018", "ICML2019", "NIPS 18, System for ML", "ACM HotNets 2016"
    words = re.sub(r"[(),.:;]", " ", body).split()
    for n, word in enumerate(words[:3]):
        match = re.match(r"^([A-Za-z][A-Za-z\-]*?)'?(\d{2}|\d{4})?$", word)
        if not match or match.group(1).lower() not in KNOWN_VENUES:
            continue
        short, name, kind = KNOWN_VENUES[match.group(1).lower()]
        digits = match.group(2)
        if not digits and n + 1 < len(words) and re.fullmatch(r"'?\d{2}|\d{4}", words[n + 1]):
            digits = words[n + 1].lstrip("'")
        venue_year = _two_digit_year(digits) if digits else year
        rest = " ".join(w for w in words[n + 1 :] if w.lstrip("'") != digits)
        if rest.lower() in _TRACKS:  # "INFOCOM'22 DEMO": a track of the conference itself
            return Venue(type=kind, name=f"{name}, {rest}", short=short, year=venue_year, **common)
        if rest and len(rest.split()) <= 4 and not _CONFERENCE_WORDS.search(rest):
            # "NIPS 18, System for ML": a workshop held at the venue
            return Venue(type="workshop", name=f"{short} Workshop on {rest}", short=short, year=venue_year, **common)
        if "workshop" in body.lower() and kind != "workshop":
            name = re.sub(r"\s*\b(19|20)\d{2}\b", "", body).strip(" .,")
            kind = "workshop"
        return Venue(type=kind, name=name, short=short, year=venue_year, **common)

    glued = _GLUED.fullmatch(body.strip(" ."))
    if glued and len((glued.group("rest") or "").split()) <= 2:  # an acronym we do not know: "ECCS2015", "INFOCOM'22 DEMO"
        return Venue(type="conference", name=glued.group("acronym"), short=glued.group("acronym"),
                     year=_two_digit_year(glued.group("year")), **common)

    scholar = _SCHOLAR_JOURNAL.match(body.strip())
    if scholar:
        first, last = scholar.group("first"), scholar.group("last")
        return Venue(
            type="journal", name=scholar.group("name"), year=scholar.group("year"),
            volume=scholar.group("volume"), number=scholar.group("number") or "",
            pages=f"{first}--{last}" if last else (first or ""),
            **{k: v for k, v in common.items() if k not in ("pages", "volume", "number")},
        )

    # A known acronym in parentheses names the venue: "11th USENIX Workshop on ... (HotCloud 19). 2019."
    # (Unless the text is a workshop held at a known venue: "Workshop on ... (at NeurIPS 2018)".)
    for group in re.findall(r"\(([^()]+)\)", body):
        if re.match(r"^(?:Vol|pp|No)\b", group):
            continue
        inner = parse_venue(group)
        if inner.short and (inner.type == "workshop" or "workshop" not in body.lower()):
            return Venue(type=inner.type, name=inner.name, short=inner.short, year=inner.year or year, **common)

    # Free text: "Second ACM/IEEE Symposium on Edge Computing. ACM, 2017."
    name = re.split(r"\s*\((?:Vol|pp|No)\b|,?\s*\bpp?\.\s*\d|\.\s", body)[0]
    name = re.sub(r"^(19|20)\d{2}\s+", "", name)  # "In 2019 IEEE International ..."
    name = re.sub(r",?\s*(?:\((?:19|20)\d{2}\)|\b(?:19|20)\d{2}\b)\.?$", "", name).strip(" .,")
    if _JOURNAL_WORDS.search(name):
        kind = "journal"
    elif "workshop" in name.lower():
        kind = "workshop"
    else:
        kind = "conference"
    if re.fullmatch(r"(19|20)\d{2}", name):
        name, kind = "", "unknown"
    return Venue(type=kind, name=name, year=year, **common)


def looks_like_venue_line(text: str) -> bool:
    body = text.strip().replace("’", "'")
    if re.fullmatch(r"\(?\*[^*]+\*\)?\.?", body):
        return True
    if re.match(r"^In\s+(?:[A-Z]|(?:19|20)\d{2}\s)", body) and (_CONFERENCE_WORDS.search(body) or _JOURNAL_WORDS.search(body)):
        return True
    if re.match(r"^(?:arXiv\b|Proceedings of\b)", body, re.IGNORECASE):
        return True
    # A bare acronym and year: "NSDI 2023", "ATC'22", "INFOCOM'22 DEMO"
    words = body.rstrip(".").split()
    if 1 <= len(words) <= 3 and (_GLUED.fullmatch(words[0]) or (
        len(words) >= 2 and re.fullmatch(r"'?(?:\d{2}|\d{4})", words[1]) and (words[0].lower() in KNOWN_VENUES or words[0].isupper())
    )):
        return True
    if re.match(r"^(19|20)\d{2}\s", body) and (_CONFERENCE_WORDS.search(body) or _JOURNAL_WORDS.search(body)):
        return True
    return False
