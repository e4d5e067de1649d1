"""YouTube's oEmbed endpoint: a video's title and channel, as JSON, without the watch page.

``https://www.youtube.com/oembed?url=<watch URL>&format=json`` answers ``title``,
``author_name`` (the channel), ``author_url``, ``provider_name``, ``type``. oEmbed has no
date: the upload date comes from the watch page's ``VideoObject`` metadata
(``sources/web.py``). The channel is the uploader, not the speaker, so it becomes the
``organization``.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from ..http import FetchError, Http, prefixed
from ..model import Candidate
from .answers import json_object

ENDPOINT = "https://www.youtube.com/oembed"
PATH = "/oembed"


validate = json_object("title")  # an oEmbed answer names the video


def request_url(video_url: str) -> str:
    return f"{ENDPOINT}?{urlencode({'url': video_url, 'format': 'json'})}"


def fetch(http: Http, video_url: str, base: str = "") -> Candidate:
    """The video as a candidate (title, channel); ``FetchError`` when oEmbed says nothing."""
    response = http.get(prefixed(request_url(video_url), base), expect=validate)
    data = json.loads(response.content)
    channel = data.get("author_name") if isinstance(data.get("author_name"), str) else ""
    if not data["title"].strip():
        raise FetchError(video_url, "oEmbed answer has an empty title")
    return Candidate(
        source="youtube",
        id=video_url,
        title=" ".join(data["title"].split()),
        authors=[],
        entry_type="misc",
        fields={k: v for k, v in {"organization": " ".join(channel.split()), "url": video_url}.items() if v},
        venue_type="VideoObject",
        matched_by="url",
    )
