"""The one HTTP session of a resolve run: cached, polite, retrying, validating.

- Cache: requests-cache, SQLite, in the user cache dir (``--cache-dir`` moves it).
  Only responses that passed their source's validation are stored, so a broken page
  is never replayed from the cache.
- Politeness: per host, one request at a time and at least ``interval`` seconds
  between the starts of two requests; ``Retry-After`` on 429/503 is honoured.
- Retries: 429, 5xx, timeouts and connection errors, with exponential backoff.
- Every request has a timeout and a User-Agent naming the tool.
- Metered hosts (GitHub's API: 60 requests an hour without a token): the quota left is
  read from ``X-RateLimit-Remaining``/``X-RateLimit-Reset`` on every answer, and a request
  the quota would refuse is never sent (``QuotaExhausted`` says when it resets); a 403/429
  that says the quota is spent is the same "come back at reset", never a missing page.
- Tokens (``GITHUB_TOKEN``) are added by the adapter below the cache: the cached request,
  the report, logs and error messages never see them.
- Revalidated hosts keep their answers with the ``ETag`` and ask again with
  ``If-None-Match``; a ``304`` is counted apart (it costs no quota).

All of this lives in a transport adapter, so requests answered from the cache cost
nothing: no wait, no count.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from . import __version__

USER_AGENT = f"sysml-bib/{__version__} (citation toolkit; https://github.com/HuaizhengZhang/Awesome-System-for-Machine-Learning)"
DEFAULT_TIMEOUT = 30.0
MAX_BODY = 50 * 1024 * 1024  # the whole USENIX export is ~6 MB; anything far larger is not an API answer
RETRY_STATUS = {429, 500, 502, 503, 504}
# The server understood and answered "no such thing" (an unknown page, a refused id): not a failure.
NOT_FOUND_STATUS = {400, 404, 410}
NOT_IN_CACHE = "not in the cache (--offline)"


class FetchError(Exception):
    """A request that failed for good: the caller falls back to the list's data."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{reason} ({url})")
        self.url = url
        self.reason = reason
        self.status = status


class QuotaExhausted(FetchError):
    """A metered host's quota is spent: nothing more is sent to it until ``reset`` (epoch seconds)."""

    def __init__(self, url: str, reset: float | None):
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(reset)) if reset else "an unknown time"
        super().__init__(url, f"API quota spent; it resets at {when}")
        self.reset = reset


@dataclass
class HostPolicy:
    interval: float  # seconds between the starts of two requests to this host
    retries: int = 3
    backoff: float = 1.0  # first retry waits this long (or Retry-After), then doubles
    max_wait: float = 120.0  # a Retry-After beyond this is not waited for
    metered: bool = False  # X-RateLimit-* headers: never send what the quota refuses
    token: str = field(default="", repr=False)  # bearer token for this host only; never stored


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_start: float = 0.0
    calls: int = 0  # requests that cost (everything but 304 answers)
    not_modified: int = 0  # conditional requests answered 304
    quota_checks: int = 0  # requests to free paths (GitHub's /rate_limit)
    remaining: int | None = None  # metered hosts: quota left, as the host last said
    reset: float | None = None  # ... and when it refills (epoch seconds)


def free_paths_hit(url: str, prefixes: tuple[str, ...]) -> bool:
    return bool(prefixes) and urlsplit(url).path.startswith(prefixes)


def _header_number(response: requests.Response, name: str) -> float | None:
    try:
        return float(response.headers[name])
    except (KeyError, ValueError):
        return None


def _note_quota(state: _HostState, response: requests.Response) -> bool:
    """Read the quota headers; True when the answer says the quota is spent (403/429)."""
    remaining = _header_number(response, "X-RateLimit-Remaining")
    reset = _header_number(response, "X-RateLimit-Reset")
    if remaining is not None:
        state.remaining = int(remaining)
    if reset is not None:
        state.reset = reset
    if response.status_code in (403, 429) and (remaining == 0 or "Retry-After" in response.headers):
        state.remaining = 0
        wait = _retry_after(response)
        if wait is not None:
            state.reset = max(state.reset or 0.0, time.time() + wait)
        return True
    return False


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


class PoliteAdapter(HTTPAdapter):
    """Per-host spacing, retries and a default timeout for every request that reaches the network."""

    def __init__(self, policies: dict[str, HostPolicy], default: HostPolicy, sleep: Callable[[float], None] = time.sleep,
                 free_paths: tuple[str, ...] = ()):
        super().__init__()
        self.free_paths = free_paths
        self.policies = policies
        self.default = default
        self.sleep = sleep
        self._hosts: dict[str, _HostState] = {}
        self._guard = threading.Lock()

    def _state(self, host: str) -> _HostState:
        with self._guard:
            return self._hosts.setdefault(host, _HostState())

    def calls(self) -> dict[str, int]:
        with self._guard:
            return {host: state.calls for host, state in self._hosts.items() if state.calls}

    def not_modified(self) -> dict[str, int]:
        with self._guard:
            return {host: state.not_modified for host, state in self._hosts.items() if state.not_modified}

    def quota_checks(self) -> dict[str, int]:
        with self._guard:
            return {host: state.quota_checks for host, state in self._hosts.items() if state.quota_checks}

    def quota(self, host: str) -> tuple[int | None, float | None]:
        """(requests left, reset time) of a metered host, as it last said."""
        state = self._state(host)
        return state.remaining, state.reset

    def note_quota(self, host: str, remaining: int, reset: float | None) -> None:
        """What a free quota query (GitHub's ``/rate_limit``) said."""
        state = self._state(host)
        state.remaining, state.reset = remaining, reset

    def send(self, request, **kwargs):
        host = urlsplit(request.url).netloc
        policy = self.policies.get(host, self.default)
        state = self._state(host)
        if not kwargs.get("timeout"):
            kwargs["timeout"] = DEFAULT_TIMEOUT
        attempt = 0
        # One request at a time per host: the lock is held for the whole exchange.
        with state.lock:
            while True:
                if policy.metered and state.remaining is not None and state.remaining <= 0:
                    if state.reset is None or state.reset > time.time():
                        raise QuotaExhausted(request.url, state.reset)  # never sent: it would be refused
                    state.remaining = None  # the quota has been refilled since
                wait = state.last_start + policy.interval - time.monotonic()
                if wait > 0:
                    self.sleep(wait)
                state.last_start = time.monotonic()
                sent = request
                if policy.token:
                    # Below the cache: the stored request (response.request) stays token-free.
                    sent = request.copy()
                    sent.headers["Authorization"] = f"Bearer {policy.token}"
                try:
                    response = super().send(sent, **kwargs)
                except (requests.Timeout, requests.ConnectionError) as error:
                    if attempt >= policy.retries:
                        raise FetchError(request.url, f"{type(error).__name__} after {attempt + 1} tries") from None
                    self.sleep(policy.backoff * 2**attempt)
                    attempt += 1
                    continue
                response.request = request
                if response.status_code == 304:
                    state.not_modified += 1
                elif free_paths_hit(request.url, self.free_paths):
                    state.quota_checks += 1
                else:
                    state.calls += 1
                if policy.metered and _note_quota(state, response):
                    response.close()
                    raise QuotaExhausted(request.url, state.reset)
                if response.status_code in RETRY_STATUS and attempt < policy.retries:
                    delay = _retry_after(response)
                    if delay is None:
                        delay = policy.backoff * 2**attempt
                    if delay > policy.max_wait:
                        return response
                    response.close()
                    # Retry-After counts from now; the spacing rule adds nothing on top.
                    self.sleep(delay)
                    state.last_start = 0.0
                    attempt += 1
                    continue
                return response


@dataclass
class HttpSettings:
    cache_dir: Path | None = None  # None: no persistent cache (tests that count calls)
    offline: bool = False
    intervals: dict[str, float] = field(default_factory=dict)  # host (netloc) -> seconds
    default_interval: float = 1.0
    retries: int = 3
    backoff: float = 1.0
    timeout: float = DEFAULT_TIMEOUT
    metered: set[str] = field(default_factory=set)  # hosts whose quota headers are obeyed
    revalidated: set[str] = field(default_factory=set)  # hosts asked again with If-None-Match
    tokens: dict[str, str] = field(default_factory=dict, repr=False)  # host -> bearer token
    uncached: tuple[str, ...] = ()  # URL path prefixes never stored and free (quota queries)


class Http:
    """What the sources use: ``get(url, params, expect=validator)`` -> response body."""

    def __init__(self, settings: HttpSettings, validators: dict[str, Callable[[requests.Response], str | None]] | None = None):
        self.settings = settings
        self.validators = validators or {}
        self._failures: list[tuple[str, str]] = []  # (url, reason) of requests that failed for good
        self._failures_lock = threading.Lock()
        policies = {
            host: HostPolicy(interval, settings.retries, settings.backoff, metered=host in settings.metered,
                             token=settings.tokens.get(host, ""))
            for host, interval in settings.intervals.items()
        }
        self.adapter = PoliteAdapter(policies, HostPolicy(settings.default_interval, settings.retries, settings.backoff),
                                     free_paths=settings.uncached)
        self.session = self._make_session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.mount("http://", self.adapter)
        self.session.mount("https://", self.adapter)

    def _make_session(self) -> requests.Session:
        if self.settings.cache_dir is None and not self.settings.offline:
            return requests.Session()
        from requests_cache import CachedSession

        cache_dir = self.settings.cache_dir or default_cache_dir()
        cache_dir.mkdir(parents=True, exist_ok=True)
        path = cache_dir / "http-cache.sqlite"
        from requests_cache import EXPIRE_IMMEDIATELY

        # Revalidated hosts: kept with their ETag, asked again with If-None-Match (a 304 is free).
        options = dict(backend="sqlite", allowable_codes=(200,), filter_fn=self._cacheable,
                       urls_expire_after={host: EXPIRE_IMMEDIATELY for host in sorted(self.settings.revalidated)})
        try:
            session = CachedSession(str(path), **options)
            session.cache.responses.keys()  # touch the database: a corrupt file fails here
        except Exception as error:  # sqlite3.DatabaseError and friends
            import sys

            print(f"warning: cache {path} is unreadable ({error}); starting a new one", file=sys.stderr)
            path.unlink(missing_ok=True)
            session = CachedSession(str(path), **options)
        session.settings.only_if_cached = self.settings.offline
        return session

    def _cacheable(self, response: requests.Response) -> bool:
        """Only answers that pass their source's check are stored (``validators``: path prefix -> check)."""
        if response.status_code != 200 or response.content is None:
            return False  # an --offline cache miss is a 504 with no content
        path = urlsplit(response.url).path
        if path.startswith(self.settings.uncached):
            return False
        for prefix, validator in self.validators.items():
            if path.startswith(prefix):
                return validator(response) is None
        return True

    def get(self, url: str, params: dict | None = None, expect: Callable[[requests.Response], str | None] | None = None,
            headers: dict[str, str] | None = None) -> requests.Response:
        """GET and validate; any failure is a ``FetchError`` saying why (and counted in ``failures``)."""
        try:
            return self._get(url, params, expect, headers)
        except FetchError as error:
            if error.status not in NOT_FOUND_STATUS:
                with self._failures_lock:
                    self._failures.append((error.url, error.reason))
            raise

    def _get(self, url: str, params: dict | None, expect, headers: dict[str, str] | None = None) -> requests.Response:
        try:
            response = self.session.get(url, params=params, timeout=self.settings.timeout, headers=headers)
        except FetchError:  # the adapter's own, after its retries (a spent quota included)
            raise
        except requests.TooManyRedirects:
            raise FetchError(url, "too many redirects") from None
        except (requests.RequestException, OSError) as error:
            raise FetchError(url, type(error).__name__) from None
        if response.status_code == 504 and self.settings.offline:
            raise FetchError(response.url, NOT_IN_CACHE)
        if response.status_code != 200:
            raise FetchError(response.url, f"HTTP {response.status_code}", response.status_code)
        content = response.content or b""
        if len(content) > MAX_BODY:
            raise FetchError(response.url, f"response of {len(content)} bytes is too large")
        problem = expect(response) if expect else None
        if problem:
            self._forget(response)
            raise FetchError(response.url, problem)
        return response

    def _forget(self, response: requests.Response) -> None:
        """A cached answer that failed its check is dropped: a bot page is never replayed."""
        cache = getattr(self.session, "cache", None)
        if cache is not None:
            try:
                cache.delete(requests=[response.request])
            except Exception:  # the cache is an optimisation; failing to prune it is harmless
                pass

    def calls(self) -> dict[str, int]:
        return self.adapter.calls()

    def not_modified(self) -> dict[str, int]:
        return self.adapter.not_modified()

    def quota_checks(self) -> dict[str, int]:
        return self.adapter.quota_checks()

    def failures(self) -> list[tuple[str, str]]:
        """(url, reason) of every request that failed for a reason other than "not found", in order."""
        with self._failures_lock:
            return list(self._failures)

    def close(self) -> None:
        self.session.close()


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sysml-bib"))


def with_base(url: str, base: str | None) -> str:
    """Replace scheme, host and port of ``url`` by those of ``base`` (a mirror or replay server)."""
    if not base:
        return url
    target = urlsplit(base if "//" in base else f"http://{base}")
    parts = urlsplit(url)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment))


def prefixed(url: str, base: str | None) -> str:
    """``https://host/path?q`` as ``BASE/host/path?q`` (``--web-url``: a replay or mirror of many hosts)."""
    if not base:
        return url
    parts = urlsplit(url)
    rest = parts.netloc + (parts.path or "/")
    return base.rstrip("/") + "/" + rest + (f"?{parts.query}" if parts.query else "")


def netloc(url: str) -> str:
    return urlsplit(url).netloc


def origin(url: str) -> str:
    """``scheme://host:port`` of a base URL; a path given with it is ignored (only the server changes)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) base URL: {url!r} (expected e.g. http://127.0.0.1:8001)")
    return f"{parts.scheme}://{parts.netloc}"
