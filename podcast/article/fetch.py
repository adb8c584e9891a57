"""Fetching a page over HTTP with limits: a timeout, a size cap, http and https only.

Articles (``build URL``) and a bulletin's feeds and pages are fetched here. It imports
nothing of the pipeline, so a bulletin that finds nothing new never loads the article
cleaner and its patterns.
"""

from __future__ import annotations

import re
import time

from ..errors import PodcastError, TransientError
from ..options import FETCH_TIMEOUT

#: URL fetching limits: a news page is far smaller than this.
FETCH_MAX_BYTES = 5_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")
USER_AGENT = "podcast/0.1 (+https://pypi.org/project/podcast; news to speech)"
#: Answers that say "not now" rather than "no": worth fetching again later (a queue worker does).
RETRY_LATER_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_url(source: str) -> bool:
    """Whether *source* names a URL rather than a file."""
    return re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source) is not None


def fetch_url(url: str, timeout: float = FETCH_TIMEOUT, max_bytes: int = FETCH_MAX_BYTES,
              accept: tuple[str, ...] = HTML_TYPES + TEXT_TYPES, what: str = "an HTML page") -> tuple[bytes, str]:
    """GET *url* (http or https only) within *timeout* seconds and *max_bytes*; return body and content type.

    A content type outside *accept* is refused as not being *what* was expected. The
    standard library's client does the request (``requests`` costs a bulletin's rerun more
    to import than it has work to do); https is checked against certifi's CA bundle when
    it is installed (it comes with gTTS's requests), else the system's.
    """
    import http.client
    import urllib.error
    import urllib.request

    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise PodcastError(f"only http and https URLs are supported, not {scheme}: {url}")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    opener = urllib.request.build_opener(_http_only_redirects(), *_tls_handlers(scheme))
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type and content_type not in accept:
                raise PodcastError(f"not {what}: {url} (content type {content_type})")
            length = response.headers.get("Content-Length") or ""
            if length.isdigit() and int(length) > max_bytes:
                raise PodcastError(f"page too large: {url} (more than {megabytes(max_bytes)})")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise PodcastError(f"page too large: {url} (more than {megabytes(max_bytes)})")
                if time.monotonic() > deadline:
                    raise TimeoutError()
                chunks.append(chunk)
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        exc.close()
        failed = TransientError if exc.code in RETRY_LATER_STATUSES else PodcastError
        raise failed(f"{url} answered HTTP {exc.code} {exc.reason or ''}".strip()) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise TransientError(f"timed out after {timeout:g} s fetching {url}") from None
        raise TransientError(f"cannot connect to fetch {url}") from None
    except TimeoutError:
        raise TransientError(f"timed out after {timeout:g} s fetching {url}") from None
    except (http.client.HTTPException, OSError) as exc:
        raise PodcastError(f"cannot fetch {url}: {exc.__class__.__name__}") from None
    body = b"".join(chunks)
    if charset:
        content_type += f"; charset={charset}"
    return body, content_type or "text/html"


def _http_only_redirects():
    """A redirect handler that follows http and https only (urllib's own would follow ftp too)."""
    import urllib.request
    from urllib.parse import urlsplit

    class HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
            if urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise PodcastError(f"{req.full_url} redirects to {newurl}: only http and https are followed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return HttpOnlyRedirects()


def _tls_handlers(scheme: str) -> list:
    """For https: a handler that checks certificates against certifi's bundle, when it is there."""
    if scheme != "https":
        return []
    import ssl
    import urllib.request

    try:
        import certifi
    except ImportError:
        return []
    return [urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=certifi.where()))]


def megabytes(n: int) -> str:
    return f"{n / 1_000_000:g} MB"
