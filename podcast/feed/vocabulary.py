"""The feed's vocabulary: RSS and Podcasting 2.0 namespaces and types, URLs, durations and dates."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import uuid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ..errors import PodcastError

if TYPE_CHECKING:
    pass


ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"


PODCAST_NS = "https://podcastindex.org/namespace/1.0"


ATOM_NS = "http://www.w3.org/2005/Atom"


CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


NAMESPACES = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "atom": ATOM_NS, "content": CONTENT_NS}


#: Podcasting 2.0: podcast:guid is UUIDv5 of the feed URL (no scheme) in this namespace.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


AUDIO_TYPE = "audio/mpeg"


TRANSCRIPT_TYPES = {".vtt": "text/vtt", ".srt": "application/x-subrip"}


CHAPTERS_TYPE = "application/json+chapters"


#: Article dates before this are typos, not news.
EARLIEST_PLAUSIBLE_YEAR = 1990


# Characters XML 1.0 cannot carry at all; lxml refuses them, so they are dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """*text* without the characters XML 1.0 cannot represent (escaping is lxml's job)."""
    return _XML_INVALID.sub("", text)


def xml_error(exc: Exception) -> str:
    """lxml's syntax error as ``line 2, column 43: <what>``."""
    line, column = getattr(exc, "position", (None, None))
    what = re.sub(r", line \d+, column \d+$", "", str(getattr(exc, "msg", exc)))
    return f"line {line}, column {column}: {what}"


def normalize_base_url(url: str) -> str:
    """An http(s) base URL ending in a slash; PodcastError otherwise."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PodcastError(f"base URL must be an http:// or https:// URL, got {url!r}")
    if parts.query or parts.fragment:
        raise PodcastError(f"base URL must not have a query or fragment: {url!r}")
    return url if url.endswith("/") else url + "/"


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 podcast:guid: UUIDv5 of the feed URL without scheme and trailing slashes."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def itunes_duration(seconds: float) -> str:
    """``71.4`` -> ``00:01:11`` (HH:MM:SS, what Apple and every client read)."""
    total = max(0, round(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def clock(seconds: float) -> str:
    """A chapter time as listeners read it: ``0:07``, ``1:05``, ``1:02:03``."""
    total = max(0, int(seconds))
    hours, minutes, secs = total // 3600, total % 3600 // 60, total % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def article_pub_date(date: str | None, now: dt.datetime) -> dt.datetime:
    """The item's publication time: the article's date if plausible, else *now*.

    A date of today means now (more precise, and it sorts after earlier builds).
    ``2024-08`` means the first of that month. Dates in the future or before
    1990 are typos, so they give *now* too.
    """
    if not date:
        return now
    match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", date.strip())
    if not match:
        return now
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        return now
    if day.year < EARLIEST_PLAUSIBLE_YEAR or day >= now.date():
        return now
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def rfc2822(moment: dt.datetime) -> str:
    """``Fri, 14 Mar 2025 00:00:00 +0000``."""
    return email.utils.format_datetime(moment)


def parse_rfc2822(text: str | None) -> dt.datetime | None:
    """A pubDate as an aware datetime, or None when it does not parse."""
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def is_under(path: Path, folder: Path) -> bool:
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def file_url(base_url: str, path: Path, feed_dir: Path) -> str:
    """The URL of an episode file: the base URL plus its path relative to the feed's folder.

    A file outside the feed's folder is assumed to be served next to the feed.
    """
    try:
        relative = Path(path).resolve().relative_to(Path(feed_dir).resolve())
    except ValueError:
        relative = Path(Path(path).name)
    return base_url + "/".join(quote(part) for part in relative.parts)
