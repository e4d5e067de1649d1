"""Checks of an answer before it is cached: is it the JSON object the API promises?

A source's validator returns None for a good answer, else why it is not one (an HTML
bot page with status 200, a truncated body): the answer is then a failure, not data.
"""

from __future__ import annotations

import json
from collections.abc import Callable


def json_object(key: str | None = None, *, typed: bool = True) -> Callable[[object], str | None]:
    """A validator for a JSON object answer; with ``key``, one holding an object (or, for a
    key that is a plain field, any value) under ``key``. ``typed``: the Content-Type must say JSON
    (a static file host may serve JSON as text/plain)."""

    def validate(response) -> str | None:
        kind = response.headers.get("Content-Type", "")
        if typed and "json" not in kind:
            return f"expected JSON, got {kind or 'no content type'}"
        if not response.content:
            return "empty answer"
        try:
            data = json.loads(response.content)
        except ValueError as error:
            return f"invalid JSON ({error})"
        if not isinstance(data, dict):
            return "JSON that is not an object"
        if key is not None and key not in data:
            return f"JSON without a '{key}'"
        return None

    return validate
