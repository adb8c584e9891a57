"""What the site shows, read from what publishing wrote: the feed, the VTT and the chapters JSON.

Nothing here imports a pipeline stage: the site is a reader of published files only.
A file the feed names is looked up in the feed's folder (its URL minus the feed's base
URL, else its file name there); the site never fetches anything from the network, so a
transcript or chapters file that is not on disk is simply not shown.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from ..feed import DESCRIPTION_LABELS, NAMESPACES, parse_rfc2822
from ..fsutil import slugify
from ..records import Chapter, parse_chapters_json

if TYPE_CHECKING:
    from lxml import etree

_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)")


@dataclass(frozen=True)
class Show:
    """The channel: what the index page says about the show."""

    title: str
    description: str
    language: str
    feed_url: str
    #: The cover as the pages link it (relative when the file is local), "" when there is none.
    cover: str


@dataclass(frozen=True)
class SiteCue:
    """A transcript cue: from *start* to *end* seconds, its text on one line."""

    start: float
    end: float
    text: str
    #: Marked as spoken until here: through the pause after it, until the next cue starts.
    until: float = 0.0


@dataclass(frozen=True)
class SiteEpisode:
    """One item of the feed, as its page shows it."""

    guid: str
    title: str
    #: The page's file name, beside index.html.
    page: str
    published: dt.datetime | None
    duration: float | None
    #: The MP3 as the pages link it (relative when the file is local).
    audio: str
    audio_type: str
    summary: tuple[str, ...]
    sources: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    cues: tuple[SiteCue, ...]


@dataclass(frozen=True)
class ShowContents:
    """The show and its episodes, newest first."""

    show: Show
    episodes: tuple[SiteEpisode, ...]


def is_web_url(url: str) -> bool:
    """Only http(s) URLs become links: a ``javascript:`` URL in a feed must never run."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def parse_duration(text: str | None) -> float | None:
    """``itunes:duration`` as seconds: ``HH:MM:SS``, ``MM:SS`` or plain seconds; None otherwise."""
    if not text or not re.fullmatch(r"\d+(?::\d{1,2}){0,2}(?:\.\d+)?", text.strip()):
        return None
    seconds = 0.0
    for part in text.strip().split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def vtt_seconds(stamp: str) -> float:
    """``01:02:03.500`` or ``02:03.500`` as seconds; ValueError when it is neither."""
    match = re.fullmatch(r"(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})", stamp)
    if not match:
        raise ValueError(f"not a WebVTT timestamp: {stamp!r}")
    hours, minutes, seconds, millis = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _unescape_cue(text: str) -> str:
    """Cue text as plain text: tags dropped, the entities WebVTT allows decoded (templates escape again)."""
    text = re.sub(r"<[^>]*>", "", text)
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u00a0"), ("&lrm;", "\u200e"),
                         ("&rlm;", "\u200f"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def parse_webvtt(text: str) -> tuple[SiteCue, ...]:
    """The cues of a WebVTT document, in time order; blocks without a timing line are skipped."""
    cues: list[SiteCue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = block.strip("\n").split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # the header, NOTE and STYLE blocks
        match = _TIMING.match(lines[timing])
        if match is None:
            continue
        try:
            start, end = vtt_seconds(match[1]), vtt_seconds(match[2])
        except ValueError:
            continue
        words = " ".join(_unescape_cue(line).strip() for line in lines[timing + 1:])
        if words.strip():
            cues.append(SiteCue(start, max(start, end), " ".join(words.split())))
    cues.sort(key=lambda c: (c.start, c.end))
    nexts = [c.start for c in cues[1:]] + [0.0]
    return tuple(SiteCue(c.start, c.end, c.text, max(c.end, following))
                 for c, following in zip(cues, nexts, strict=True))


def parse_chapters(text: str, duration: float | None) -> tuple[Chapter, ...]:
    """Chapters from a Podcasting 2.0 chapters JSON; each ends where the next starts (or the
    episode ends). Only an http(s) link stays a link; a malformed file shows no chapters."""
    from dataclasses import replace

    try:
        chapters = parse_chapters_json(text, duration)
    except (ValueError, KeyError, TypeError):
        return ()
    return tuple(replace(c, url=c.url if c.url and is_web_url(c.url) else None) for c in chapters)


def split_description(description: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The summary paragraphs and the source links of an item description.

    Publishing writes the summary, then a chapters block and a source line labelled in the
    show's language (:data:`podcast.feed.DESCRIPTION_LABELS`); the site shows chapters from
    the JSON instead, and the source as a link. Any other description is kept as it is.
    """
    chapter_heads = tuple(f"{labels['chapters']}:" for labels in DESCRIPTION_LABELS.values())
    source_heads = tuple(f"{labels['source']}:" for labels in DESCRIPTION_LABELS.values())
    summary: list[str] = []
    sources: list[str] = []
    for block in re.split(r"\n\s*\n", description.strip()):
        block = block.strip()
        if not block or block.startswith(chapter_heads):
            continue
        if block.startswith(source_heads) and is_web_url(block.split(":", 1)[1]):
            sources.append(block.split(":", 1)[1].strip())
            continue
        summary.append(" ".join(block.split()))
    return tuple(summary), tuple(sources)


class FeedFiles:
    """Maps the URLs in a feed to files in the feed's folder, and files to links from the pages."""

    def __init__(self, feed: Path, feed_url: str, out_dir: Path) -> None:
        self.feed_dir = Path(feed).parent.resolve()
        self.base = feed_url.rsplit("/", 1)[0] + "/" if feed_url else ""
        self.out_dir = Path(out_dir).resolve()

    def local(self, url: str) -> Path | None:
        """The file *url* names in the feed's folder, or None when it is not there."""
        url = url.strip()
        if not url:
            return None
        relative = url[len(self.base):] if self.base and url.startswith(self.base) else url.rsplit("/", 1)[-1]
        relative = unquote(urlsplit(relative).path)
        if not relative or relative.startswith("/"):
            return None
        candidate = (self.feed_dir / relative).resolve()
        if not candidate.is_relative_to(self.feed_dir) or not candidate.is_file():
            return None
        return candidate

    def link(self, url: str) -> str:
        """How a page links *url*: relative when the file is local (so the site works offline), else as given."""
        path = self.local(url)
        if path is not None:
            return quote(Path(os.path.relpath(path, self.out_dir)).as_posix())
        return url.strip() if is_web_url(url) else ""

    def read_text(self, url: str) -> str | None:
        path = self.local(url)
        if path is None:
            return None
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None


def _text(element: etree._Element | None, path: str) -> str:
    if element is None:
        return ""
    return (element.findtext(path, namespaces=NAMESPACES) or "").strip()


def _page_name(url: str, title: str, taken: set[str]) -> str:
    """An ASCII page name from the MP3's file name (stable across republishing), unique on the site."""
    stem = unquote(urlsplit(url).path.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    base = slugify(stem or title, max_length=120)
    if base == "index":
        base = "index-episode"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return f"{name}.html"


def _episode(item: etree._Element, files: FeedFiles, taken: set[str]) -> SiteEpisode | None:
    enclosure = item.find("enclosure")
    audio_url = enclosure.get("url", "") if enclosure is not None else ""
    audio = files.link(audio_url)
    if not audio:
        return None  # nothing to play: not an episode the site can show
    title = _text(item, "title") or _text(item, "itunes:title")
    duration = parse_duration(_text(item, "itunes:duration"))
    summary, sources = split_description(_text(item, "description"))
    chapters: tuple[Chapter, ...] = ()
    chapters_el = item.find("podcast:chapters", NAMESPACES)
    if chapters_el is not None and (text := files.read_text(chapters_el.get("url", ""))):
        chapters = parse_chapters(text, duration)
    cues: tuple[SiteCue, ...] = ()
    for transcript in item.findall("podcast:transcript", NAMESPACES):
        if transcript.get("type", "").startswith("text/vtt"):
            text = files.read_text(transcript.get("url", ""))
            cues = parse_webvtt(text) if text else ()
            break
    links = [_text(item, "link"), *sources, *(c.url or "" for c in chapters)]
    return SiteEpisode(
        guid=_text(item, "guid") or audio_url,
        title=title,
        page=_page_name(audio_url, title, taken),
        published=parse_rfc2822(_text(item, "pubDate")),
        duration=duration,
        audio=audio,
        audio_type=(enclosure.get("type") or "audio/mpeg") if enclosure is not None else "audio/mpeg",
        summary=summary,
        sources=tuple(dict.fromkeys(u for u in links if is_web_url(u))),
        chapters=chapters,
        cues=cues,
    )


def read_show(tree: etree._ElementTree, feed: Path, out_dir: Path) -> ShowContents:
    """The show and its episodes (newest first) from a parsed feed at *feed*, linked from *out_dir*."""
    channel = tree.getroot().find("channel")
    self_link = next((link.get("href", "") for link in channel.findall("atom:link", NAMESPACES)
                      if link.get("rel") == "self"), "")
    files = FeedFiles(feed, self_link, out_dir)
    image = channel.find("itunes:image", NAMESPACES)
    cover_url = image.get("href", "") if image is not None else _text(channel, "image/url")
    show = Show(
        title=_text(channel, "title"),
        description=_text(channel, "description"),
        language=(_text(channel, "language") or "nl").split("-")[0].lower(),
        feed_url=self_link if is_web_url(self_link) else "",
        cover=files.link(cover_url),
    )
    taken: set[str] = set()
    episodes = [e for item in channel.findall("item") if (e := _episode(item, files, taken))]
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    episodes.sort(key=lambda e: e.published or oldest, reverse=True)
    return ShowContents(show, tuple(episodes))
