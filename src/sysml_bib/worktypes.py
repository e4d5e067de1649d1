"""Entry types and fields of books, theses, reports, talks, posts and collections, per
dialect: what BibTeX's plain styles and biber's default data model accept without a warning.

Called by ``bibtex.entry_fields`` before its own mapping. Checked with ``bibtex`` and
``biber --tool --validate-datamodel``:

| record | BibTeX | biblatex |
| --- | --- | --- |
| book with author, publisher, year | ``@book`` | ``@book`` |
| book missing one of them (nothing found) | ``@misc`` | ``@misc`` (``isbn`` dropped: not a ``@misc`` field) |
| thesis with author, school, year | ``@phdthesis`` | ``@phdthesis`` (``school`` -> ``institution``) |
| thesis missing one | ``@misc`` + ``type`` | ``@misc`` + ``type`` |
| report with author, institution, year | ``@techreport`` | ``@report`` + ``type = techreport`` |
| talk | ``@misc``, event in ``note`` and ``eventtitle`` | ``@misc``, event in ``note`` (``eventtitle`` is not a ``@misc``/``@online`` field) |
| collection (playlist, channel, blog) | ``@misc`` + ``type`` | ``@misc`` + ``type`` (``type`` is not an ``@online`` field) |
| blog post, course, site | ``@misc`` | ``@online`` with ``organization`` |
"""

from __future__ import annotations

from .model import Record

# Entry type -> fields both dialects need before the type is used (else @misc).
_NEEDS = {
    "book": ("publisher", "year"),
    "phdthesis": ("school", "year"),
    "mastersthesis": ("school", "year"),
    "techreport": ("institution", "year"),
}
_NOT_IN_BIBLATEX_MISC = ("isbn", "institution", "school", "number")


def adapt(record: Record, fields: dict, mode: str) -> str:
    """The entry type to write; ``fields`` (a copy of the record's) is changed to fit it."""
    entry_type = record.entry_type
    needs = _NEEDS.get(entry_type)
    if needs and not (record.authors and all(fields.get(name) for name in needs)):
        entry_type = "misc"
    event = fields.get("eventtitle", "")
    if event and event not in fields.get("note", ""):
        # Plain styles print ``note``; ``eventtitle`` (BibTeX mode only) carries the event to
        # readers of the file (biblatex export, CSL ``event-title``).
        fields["note"] = "; ".join(filter(None, [event, fields.get("note", "")]))
    if mode == "biblatex":
        fields.pop("eventtitle", None)  # not a field of @misc or @online in biber's data model
        if entry_type == "misc":
            for name in _NOT_IN_BIBLATEX_MISC:
                fields.pop(name, None)
        elif entry_type in ("phdthesis", "mastersthesis"):
            fields["institution"] = fields.pop("school")
            fields.pop("type", None)  # the entry type says it
        elif entry_type == "techreport":
            entry_type = "report"
            fields["type"] = "techreport"
    return entry_type
