"""Refuse XML that is not a plain, complete document before any parser trusts it."""

from __future__ import annotations

MAX_XML = 20 * 1024 * 1024


def check_xml(content: bytes) -> str | None:
    """None for a well-formed document without DTD tricks, else what is wrong with it."""
    if len(content) > MAX_XML:
        return f"XML of {len(content)} bytes is too large"
    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in content.lower():
        return "XML with a DOCTYPE or entity declarations (refused: entity expansion)"
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        return f"malformed XML ({error.msg})"
    return None
