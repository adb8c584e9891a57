"""``podcast feed check``: a feed against Apple's requirements, and read by real clients.

Apple's rules come from its podcast RSS requirements; podcastparser (gPodder's)
and feedparser stand in for podcast apps: each must read every episode with
the same enclosure length the feed states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import APPLE_CATEGORIES
from ..errors import PodcastError
from .apple import COVER_MAX_PX, COVER_MIN_PX
from .vocabulary import ATOM_NS, ITUNES_NS, PODCAST_NS, parse_rfc2822, xml_error

#: Enclosure types Apple Podcasts plays.
APPLE_ENCLOSURE_TYPES = ("audio/mpeg", "audio/x-m4a", "audio/mp4", "video/mp4", "video/quicktime",
                         "video/x-m4v", "application/pdf")
_DURATION = re.compile(r"\d+|(\d+:)?[0-5]?\d:[0-5]\d")


@dataclass(frozen=True)
class FeedReport:
    """What ``feed check`` found: problems fail the check, warnings only advise."""

    feed: Path
    episodes: int
    problems: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _it(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def _local_file(url: str, base: str | None, feed_dir: Path) -> Path | None:
    """The file in the feed's folder that *url* serves, when the feed's base URL covers it."""
    if not base or not url.startswith(base):
        return None
    relative = unquote(urlsplit(url).path[len(urlsplit(base).path):])
    candidate = feed_dir / relative
    return candidate if relative and candidate.is_file() else None


def _check_channel(channel, base: str | None, feed_dir: Path) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    warnings: list[str] = []
    for tag in ("title", "description", "language"):
        if not (channel.findtext(tag) or "").strip():
            problems.append(f"channel has no <{tag}>")
    image = channel.find(_it("image"))
    href = (image.get("href") or "").strip() if image is not None else ""
    if not href:
        problems.append("channel has no <itunes:image href=…> (cover art)")
    else:
        if not href.startswith(("http://", "https://")):
            problems.append(f"itunes:image is not an http(s) URL: {href}")
        if not urlsplit(href).path.lower().endswith((".jpg", ".jpeg", ".png")):
            problems.append(f"itunes:image must be a .jpg or .png file: {href}")
        local = _local_file(href, base, feed_dir)
        if local is not None:
            from PIL import Image

            with Image.open(local) as img:
                width, height = img.size
            if width != height or not COVER_MIN_PX <= width <= COVER_MAX_PX:
                problems.append(f"cover art must be square, {COVER_MIN_PX} to {COVER_MAX_PX} px; "
                                f"{local.name} is {width}x{height}")
    categories = channel.findall(_it("category"))
    if not categories:
        problems.append("channel has no <itunes:category>")
    for category in categories:
        name = category.get("text", "")
        if name not in APPLE_CATEGORIES:
            problems.append(f"itunes:category {name!r} is not an Apple Podcasts category")
            continue
        for sub in category.findall(_it("category")):
            if sub.get("text", "") not in APPLE_CATEGORIES[name]:
                problems.append(f"itunes:category {sub.get('text', '')!r} is not a subcategory of {name}")
    explicit = (channel.findtext(_it("explicit")) or "").strip()
    if explicit not in ("true", "false"):
        problems.append(f"itunes:explicit must be true or false, not {explicit!r}" if explicit
                        else "channel has no <itunes:explicit>")
    if not (channel.findtext(_it("author")) or "").strip():
        warnings.append("channel has no <itunes:author>")
    if not (channel.findtext(f"{_it('owner')}/{_it('email')}") or "").strip():
        warnings.append("channel has no <itunes:owner><itunes:email> (Apple mails it to verify ownership)")
    if not (channel.findtext("link") or "").strip():
        warnings.append("channel has no <link>")
    if channel.find(f"{{{PODCAST_NS}}}guid") is None:
        warnings.append("channel has no <podcast:guid>")
    return problems, warnings


def _check_items(items, base: str | None, feed_dir: Path) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    if not items:
        problems.append("feed has no episodes (Apple needs at least one)")
    for n, item in enumerate(items, start=1):
        title = (item.findtext("title") or "").strip()
        where = f"item {n} ({title!r})" if title else f"item {n}"
        if not title:
            problems.append(f"{where} has no <title>")
        guid = (item.findtext("guid") or "").strip()
        if not guid:
            problems.append(f"{where} has no <guid>")
        elif guid in seen:
            problems.append(f"{where} repeats guid {guid}")
        seen.add(guid)
        if parse_rfc2822(item.findtext("pubDate")) is None:
            problems.append(f"{where} has no RFC 2822 <pubDate>")
        duration = (item.findtext(_it("duration")) or "").strip()
        if not _DURATION.fullmatch(duration):
            problems.append(f"{where} has no valid <itunes:duration> (seconds or HH:MM:SS)")
        enclosure = item.find("enclosure")
        if enclosure is None:
            problems.append(f"{where} has no <enclosure>")
            continue
        url, length, kind = (enclosure.get(k, "").strip() for k in ("url", "length", "type"))
        if not url.startswith(("http://", "https://")):
            problems.append(f"{where}: enclosure url is not an http(s) URL: {url!r}")
        if kind not in APPLE_ENCLOSURE_TYPES:
            problems.append(f"{where}: enclosure type {kind!r} is not one Apple plays")
        if not length.isdigit() or int(length) <= 0:
            problems.append(f"{where}: enclosure length must be the size in bytes, not {length!r}")
            continue
        local = _local_file(url, base, feed_dir)
        if local is not None and local.stat().st_size != int(length):
            problems.append(f"{where}: enclosure length {length} is not the size of {local.name} "
                            f"({local.stat().st_size} bytes)")
    return problems


def _episodes(count: int) -> str:
    return f"{count} episode" if count == 1 else f"{count} episodes"


def _check_clients(data: bytes, url: str, lengths: list[int]) -> list[str]:
    """What podcastparser and feedparser make of the feed: every episode, same lengths."""
    import io
    import logging

    import feedparser
    import podcastparser

    # podcastparser logs what it skips; the checks above already report those problems.
    logging.getLogger("podcastparser").addHandler(logging.NullHandler())
    logging.getLogger("podcastparser").propagate = False
    problems: list[str] = []
    try:
        parsed = podcastparser.parse(url, io.BytesIO(data))
        got = sorted(e["enclosures"][0]["file_size"] for e in parsed.get("episodes", []) if e.get("enclosures"))
        if got != sorted(lengths):
            problems.append(f"podcastparser reads {_episodes(len(got))} with enclosure lengths {got}, "
                            f"the feed has {len(lengths)} with {sorted(lengths)}")
    except Exception as exc:  # any failure of the client is the finding
        problems.append(f"podcastparser cannot read the feed: {exc.__class__.__name__}: {exc}")
    parsed = feedparser.parse(data)
    if parsed.get("bozo"):
        problems.append(f"feedparser reports a malformed feed: {parsed.get('bozo_exception')}")
    got = sorted(int(e.enclosures[0].get("length", 0)) for e in parsed.entries if e.get("enclosures"))
    if got != sorted(lengths):
        problems.append(f"feedparser reads {_episodes(len(got))} with enclosure lengths {got}, "
                        f"the feed has {len(lengths)} with {sorted(lengths)}")
    return problems


def check_feed(path: Path | str) -> FeedReport:
    """Check the feed file at *path*; PodcastError only when it cannot be read at all."""
    from lxml import etree

    from .document import xml_parser

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PodcastError(f"feed not found: {path}") from None
    except IsADirectoryError:
        raise PodcastError(f"feed path is a directory: {path}") from None
    except OSError as exc:
        raise PodcastError(f"cannot read feed {path}: {exc.strerror}") from None
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        return FeedReport(path, 0, (f"feed is not well-formed XML ({xml_error(exc)})",), ())
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        return FeedReport(path, 0, ("feed is not RSS 2.0 (no <rss><channel>)",), ())
    problems: list[str] = []
    if root.get("version") != "2.0":
        problems.append(f"rss version must be 2.0, not {root.get('version')!r}")
    if ITUNES_NS not in root.nsmap.values():
        problems.append("feed does not declare the itunes namespace")
    self_link = next((e.get("href", "") for e in channel.findall(f"{{{ATOM_NS}}}link")
                      if e.get("rel") == "self"), "")
    base = self_link.rsplit("/", 1)[0] + "/" if self_link else None
    channel_problems, warnings = _check_channel(channel, base, path.parent)
    items = channel.findall("item")
    problems += channel_problems + _check_items(items, base, path.parent)
    lengths = [int(e.get("length")) for e in (i.find("enclosure") for i in items)
               if e is not None and (e.get("length") or "").isdigit()]
    problems += _check_clients(data, self_link or path.resolve().as_uri(), lengths)
    return FeedReport(path, len(items), tuple(problems), tuple(warnings))
