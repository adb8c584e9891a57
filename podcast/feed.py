"""Stage 6: publish an episode into an RSS 2.0 podcast feed.

The feed is read, merged and written under a file lock, and replaced atomically,
so publishers running at the same time never lose each other's items and a
reader never sees half a feed. lxml builds the XML (feedgen rejects
``itunes:explicit`` true/false and drops some image URLs); it escapes every text
and attribute, so no CDATA tricks are needed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .config import Channel, validate_channel
from .errors import PodcastError
from .fsutil import atomic_write_bytes, ensure_writable_dir
from .records import Episode, episode_guid, episode_summary

if TYPE_CHECKING:
    from lxml import etree

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
DEFAULT_COVER_NAME = "cover.jpg"  # podcast.cover draws JPEG
COVER_MIN_PX, COVER_MAX_PX = 1400, 3000
LOCK_TIMEOUT_SECONDS = 120.0
#: Article dates before this are typos, not news.
EARLIEST_PLAUSIBLE_YEAR = 1990

#: Words in item descriptions, per script language.
DESCRIPTION_LABELS: dict[str, dict[str, str]] = {
    "nl": {"chapters": "Hoofdstukken", "source": "Bron"},
    "en": {"chapters": "Chapters", "source": "Source"},
}
#: Room for the summary in an item description; chapters and source come on top.
SUMMARY_MAX_CHARS = 3000
#: Segment kinds that carry the story (the rest is framing: intro, headline, outro).

# Characters XML 1.0 cannot carry at all; lxml refuses them, so they are dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ChapterMark:
    """A chapter start as the chapters JSON gives it."""

    start: float
    title: str
    #: The page the chapter tells about (a bulletin's story).
    url: str | None = None


@dataclass(frozen=True)
class FeedEpisode:
    """Everything an RSS item says about one episode, gathered from its manifest."""

    guid: str
    title: str
    audio: Path
    audio_size: int
    duration: float
    language: str
    date: str | None
    summary: tuple[str, ...]
    chapters: tuple[ChapterMark, ...]
    source: str = ""
    transcript: Path | None = None
    chapters_json: Path | None = None


@dataclass(frozen=True)
class Published:
    """What publishing did to the feed."""

    feed: Path
    guid: str
    title: str
    added: bool
    items: int
    enclosure_url: str


# --- small pure rules ------------------------------------------------------------------


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


def fit_summary(paragraphs: tuple[str, ...], limit: int = SUMMARY_MAX_CHARS) -> tuple[str, ...]:
    """The first paragraphs that fit in *limit* characters; a cut one ends in an ellipsis.

    A read-out of a whole article would otherwise exceed what apps show (Apple: 4000).
    """
    kept: list[str] = []
    used = 0
    for text in paragraphs:
        if used + len(text) <= limit:
            kept.append(text)
            used += len(text) + 1
            continue
        room = limit - used
        if room > 40:
            kept.append(text[:room].rsplit(" ", 1)[0].rstrip(",;:") + "…")
        break
    return tuple(kept)


def description_text(episode: FeedEpisode) -> str:
    """The item description in plain text: the summary, then the chapters with start times."""
    labels = DESCRIPTION_LABELS.get(episode.language, DESCRIPTION_LABELS["en"])
    parts = [" ".join(fit_summary(episode.summary))]
    if episode.chapters:
        lines = [f"{clock(c.start)} {c.title}" + (f" ({c.url})" if c.url else "") for c in episode.chapters]
        parts.append(f"{labels['chapters']}:\n" + "\n".join(lines))
    if episode.source.startswith(("http://", "https://")):
        parts.append(f"{labels['source']}: {episode.source}")
    return "\n\n".join(p for p in parts if p.strip())


def description_html(episode: FeedEpisode) -> str:
    """The same description as HTML for content:encoded (escaped here once, by lxml again)."""
    labels = DESCRIPTION_LABELS.get(episode.language, DESCRIPTION_LABELS["en"])
    parts = [f"<p>{html.escape(text)}</p>" for text in fit_summary(episode.summary)]
    if episode.chapters:
        items = "".join(f"<li>{clock(c.start)} {_chapter_html(c)}</li>" for c in episode.chapters)
        parts.append(f"<p>{html.escape(labels['chapters'])}:</p><ul>{items}</ul>")
    if episode.source.startswith(("http://", "https://")):
        url = html.escape(episode.source, quote=True)
        parts.append(f'<p>{html.escape(labels["source"])}: <a href="{url}">{url}</a></p>')
    return "".join(parts)


def _chapter_html(chapter: ChapterMark) -> str:
    """A chapter's title, linked to its page when it has one."""
    if not chapter.url:
        return html.escape(chapter.title)
    return f'<a href="{html.escape(chapter.url, quote=True)}">{html.escape(chapter.title)}</a>'


def _is_under(path: Path, folder: Path) -> bool:
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


# --- reading the episode ------------------------------------------------------------------


def _locate(value: Any, manifest_dir: Path | None, what: str, manifest_name: str) -> Path:
    """A file the manifest names: as written, else next to the manifest (built elsewhere)."""
    if not value:
        raise PodcastError(f"manifest {manifest_name} names no {what}")
    path = Path(str(value)).expanduser()
    if path.is_file():
        return path
    if manifest_dir is not None and (manifest_dir / path.name).is_file():
        return manifest_dir / path.name
    raise PodcastError(f"{what} not found: {path} (named in {manifest_name})")


def _read_chapter_marks(path: Path) -> tuple[ChapterMark, ...]:
    """Chapter starts from a Podcasting 2.0 chapters JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        marks = tuple(
            ChapterMark(float(c["startTime"]), str(c.get("title") or ""), str(c["url"]) if c.get("url") else None)
            for c in data["chapters"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PodcastError(f"not a valid chapters JSON: {path} ({exc.__class__.__name__}: {exc})") from None
    return tuple(sorted(marks, key=lambda m: m.start))


def load_manifest(manifest: Path | str) -> dict:
    """The JSON object of an ``.episode.json`` file."""
    path = Path(manifest)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise PodcastError(f"manifest not found: {path}") from None
    except IsADirectoryError:
        raise PodcastError(f"manifest is a directory, not a file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PodcastError(f"cannot read manifest {path}: {exc}") from None
    except ValueError as exc:
        raise PodcastError(f"manifest is not valid JSON: {path} ({exc})") from None
    if not isinstance(data, dict):
        raise PodcastError(f"manifest is not a JSON object: {path}")
    return data


def feed_episode(source: Episode | Mapping | Path | str) -> FeedEpisode:
    """Gather what the feed needs from an Episode (in memory), a manifest dict or a manifest file."""
    if isinstance(source, Episode):
        return _episode_in_memory(source)
    from .script import Script

    manifest_dir: Path | None = None
    name = "manifest"
    if isinstance(source, (str, Path)):
        manifest_dir, name = Path(source).parent, str(source)
        data = load_manifest(source)
    else:
        data = dict(source)
    audio = _locate(data.get("audio"), manifest_dir, "audio file", name)
    script = Script.load(_locate(data.get("script"), manifest_dir, "script", name))
    try:
        duration = float(data["duration"])
    except (KeyError, TypeError, ValueError):
        raise PodcastError(f"manifest {name} has no valid duration") from None
    transcript = _locate(data["transcript"], manifest_dir, "transcript", name) if data.get("transcript") else None
    chapters_json = _locate(data["chapters"], manifest_dir, "chapters", name) if data.get("chapters") else None
    return FeedEpisode(
        guid=str(data.get("guid") or episode_guid(script)),
        title=str(data.get("title") or script.title),
        audio=audio,
        audio_size=audio.stat().st_size,
        duration=duration,
        language=script.language,
        date=script.date,
        summary=episode_summary(script.title, script.segments),
        chapters=_read_chapter_marks(chapters_json) if chapters_json else (),
        source=script.source,
        transcript=transcript,
        chapters_json=chapters_json,
    )


def _episode_in_memory(episode: Episode) -> FeedEpisode:
    """An episode just built: everything is in the record; only the MP3's size is read from disk."""
    audio = Path(episode.audio)
    try:
        size = audio.stat().st_size
    except OSError:
        raise PodcastError(f"audio file not found: {audio}") from None
    return FeedEpisode(
        guid=episode.guid,
        title=episode.title,
        audio=audio,
        audio_size=size,
        duration=episode.duration,
        language=episode.language,
        date=episode.date,
        summary=episode.summary or (episode.title,),
        chapters=tuple(ChapterMark(c.start, c.title, c.url) for c in episode.chapters),
        source=episode.source,
        transcript=episode.transcript,
        chapters_json=episode.chapters_json,
    )


# --- reading and writing the feed -----------------------------------------------------------


def _parser() -> etree.XMLParser:
    from lxml import etree

    # No entity expansion, no network, no DTD: a feed is data, not a program.
    return etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True,
                           load_dtd=False, huge_tree=False)


def read_feed(path: Path, purpose: str = "publish into") -> etree._ElementTree | None:
    """The existing feed's tree, None if there is none; PodcastError if it is damaged.

    The message says what was refused (``refusing to <purpose> <path>``) and that the
    feed was left untouched: nothing is written after a refusal.
    """
    from lxml import etree

    path = Path(path)
    if path.is_dir():
        raise PodcastError(f"feed path is a directory: {path}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PodcastError(f"cannot read feed {path}: {exc.strerror}") from None

    def refuse(reason: str) -> PodcastError:
        return PodcastError(f"refusing to {purpose} {path}: {reason}; the feed was left untouched")

    if not data.strip():
        raise refuse("the file is empty, not an RSS feed")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        raise refuse(f"it is not well-formed XML ({xml_error(exc)})") from None
    root = tree.getroot()
    if root.tag != "rss" or root.find("channel") is None:
        tag = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        raise refuse(f"it is not an RSS 2.0 feed (root element <{tag}>)")
    return tree


def _new_feed() -> etree._ElementTree:
    from lxml import etree

    root = etree.Element("rss", nsmap=NAMESPACES)
    root.set("version", "2.0")
    etree.SubElement(root, "channel")
    return etree.ElementTree(root)


def _with_namespaces(tree: etree._ElementTree) -> etree._ElementTree:
    """Declare our namespaces on <rss> (lxml fixes a root's nsmap at creation, so rebuild it)."""
    from lxml import etree

    root = tree.getroot()
    missing = {p: uri for p, uri in NAMESPACES.items() if uri not in root.nsmap.values()}
    if not missing:
        return tree
    nsmap = dict(root.nsmap)
    for prefix, uri in missing.items():
        nsmap[prefix if prefix not in nsmap else f"{prefix}2"] = uri
    new_root = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
    new_root.text = root.text
    for child in list(root):
        new_root.append(child)
    return etree.ElementTree(new_root)


def _q(prefix: str, name: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{name}"


def _set_child(channel: etree._Element, tag: str, text: str | None = None,
               attrib: dict[str, str] | None = None, match: Callable | None = None) -> etree._Element:
    """Replace the first child *tag* (matching *match*) with a fresh one, or add it before the items."""
    from lxml import etree

    element = etree.Element(tag, attrib={k: xml_text(v) for k, v in (attrib or {}).items()})
    if text is not None:
        element.text = xml_text(text)
    for old in channel.iterchildren(tag):
        if match is None or match(old):
            old.addprevious(element)
            channel.remove(old)
            return element
    first_item = channel.find("item")
    if first_item is not None:
        first_item.addprevious(element)
    else:
        channel.append(element)
    return element


def _update_channel(channel_el: etree._Element, channel: Channel, feed_url: str, image_url: str,
                    now: dt.datetime) -> None:
    """Write the channel's settings into <channel>, keeping elements we do not manage."""
    from lxml import etree

    from .version import __version__

    base = feed_url.rsplit("/", 1)[0] + "/"
    _set_child(channel_el, "title", channel.title)
    _set_child(channel_el, "link", channel.link or base)
    _set_child(channel_el, "description", channel.description)
    _set_child(channel_el, "language", channel.language)
    _set_child(channel_el, "generator", f"podcast {__version__}")
    _set_child(channel_el, "lastBuildDate", rfc2822(now))
    _set_child(channel_el, _q("atom", "link"),
               attrib={"href": feed_url, "rel": "self", "type": "application/rss+xml"},
               match=lambda e: e.get("rel") == "self")
    _set_child(channel_el, _q("itunes", "author"), channel.author or channel.title)
    if channel.email:
        owner = _set_child(channel_el, _q("itunes", "owner"))
        etree.SubElement(owner, _q("itunes", "name")).text = xml_text(channel.author or channel.title)
        etree.SubElement(owner, _q("itunes", "email")).text = xml_text(channel.email)
    _set_child(channel_el, _q("itunes", "image"), attrib={"href": image_url})
    image = _set_child(channel_el, "image")
    for tag, text in (("url", image_url), ("title", channel.title), ("link", channel.link or base)):
        etree.SubElement(image, tag).text = xml_text(text)
    for old in channel_el.findall(_q("itunes", "category")):
        channel_el.remove(old)
    category = _set_child(channel_el, _q("itunes", "category"), attrib={"text": channel.category})
    if channel.subcategory:
        etree.SubElement(category, _q("itunes", "category")).set("text", channel.subcategory)
    _set_child(channel_el, _q("itunes", "explicit"), "true" if channel.explicit else "false")
    _set_child(channel_el, _q("itunes", "type"), "episodic")
    if channel_el.find(_q("podcast", "guid")) is None:  # once set, it never changes
        _set_child(channel_el, _q("podcast", "guid"), podcast_guid(feed_url))
    _set_child(channel_el, _q("podcast", "locked"), "yes" if channel.locked else "no",
               attrib={"owner": channel.email} if channel.email else None)


def _item_element(episode: FeedEpisode, pub_date: str, base_url: str, feed_dir: Path,
                  explicit: bool) -> etree._Element:
    from lxml import etree

    item = etree.Element("item")

    def sub(tag: str, text: str | None = None, **attrib: str) -> etree._Element:
        element = etree.SubElement(item, tag, attrib={k: xml_text(v) for k, v in attrib.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    sub("title", episode.title)
    sub("description", description_text(episode))
    sub(_q("content", "encoded"), description_html(episode))
    sub("guid", episode.guid, isPermaLink="false")
    sub("pubDate", pub_date)
    enclosure_url = file_url(base_url, episode.audio, feed_dir)
    sub("enclosure", url=enclosure_url, length=str(episode.audio_size), type=AUDIO_TYPE)
    sub(_q("itunes", "title"), episode.title)
    sub(_q("itunes", "duration"), itunes_duration(episode.duration))
    sub(_q("itunes", "episodeType"), "full")
    sub(_q("itunes", "explicit"), "true" if explicit else "false")
    if episode.transcript:
        suffix = episode.transcript.suffix.lower()
        sub(_q("podcast", "transcript"), url=file_url(base_url, episode.transcript, feed_dir),
            type=TRANSCRIPT_TYPES.get(suffix, "text/plain"), language=episode.language)
    if episode.chapters_json:
        sub(_q("podcast", "chapters"), url=file_url(base_url, episode.chapters_json, feed_dir),
            type=CHAPTERS_TYPE)
    return item


def _item_guid(item: etree._Element) -> str | None:
    guid = item.findtext("guid")
    return guid.strip() if guid else None


def _put_item(channel_el: etree._Element, item: etree._Element, existing: etree._Element | None) -> None:
    """Replace *existing* by *item* in place, or add *item* before all other items.

    First, so that among items with equal pubDates the latest publish comes first.
    """
    if existing is not None:
        existing.addprevious(item)
        channel_el.remove(existing)
        return
    first = channel_el.find("item")
    if first is not None:
        first.addprevious(item)
    else:
        channel_el.append(item)


def _sort_items(channel_el: etree._Element) -> int:
    """Order items newest first; items without a readable pubDate go last, in their order."""
    items = channel_el.findall("item")
    if not items:
        return 0
    anchor = items[0].getprevious()
    for item in items:
        channel_el.remove(item)
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    ordered = sorted(items, key=lambda i: parse_rfc2822(i.findtext("pubDate")) or oldest, reverse=True)
    for item in reversed(ordered):
        if anchor is not None:
            anchor.addnext(item)
        else:
            channel_el.insert(0, item)
    return len(items)


# --- the cover ---------------------------------------------------------------------------------


def check_cover(path: Path) -> bytes:
    """Apple's cover rules: a square PNG or JPEG of 1400 to 3000 pixels. Returns its bytes."""
    import io

    from PIL import Image

    from .cover import load_cover

    cover = load_cover(path)
    with Image.open(io.BytesIO(cover.data)) as image:
        width, height = image.size
    if width != height or not COVER_MIN_PX <= width <= COVER_MAX_PX:
        raise PodcastError(
            f"cover image must be square, {COVER_MIN_PX} to {COVER_MAX_PX} pixels; {path} is {width}x{height}"
        )
    return cover.data


def channel_image_url(channel: Channel, feed_dir: Path, base_url: str) -> str:
    """The URL of the cover: the configured URL, a local file placed by the feed, or a drawn one.

    A drawn cover is made once: an existing ``cover.jpg`` by the feed is kept, so
    replacing that file by hand is a way to change the art.
    """
    image = channel.image.strip()
    if image.startswith(("http://", "https://")):
        return image
    if image:
        source = Path(image).expanduser()
        data = check_cover(source)
        if _is_under(source, feed_dir):
            return file_url(base_url, source, feed_dir)
        # Served files live by the feed: copy it there.
        placed = feed_dir / f"cover{source.suffix.lower()}"
        if not placed.is_file() or placed.read_bytes() != data:
            atomic_write_bytes(placed, data)
        return file_url(base_url, placed, feed_dir)
    from .cover import draw_cover

    cover = feed_dir / DEFAULT_COVER_NAME
    if not cover.is_file():
        atomic_write_bytes(cover, draw_cover(channel.title).data)
    return file_url(base_url, cover, feed_dir)


# --- publishing ----------------------------------------------------------------------------------


def feed_lock_path(feed: Path) -> Path:
    """The lock file next to the feed (hidden, so the server never hands it out)."""
    return feed.parent / f".{feed.name}.lock"


@contextmanager
def feed_lock(feed: Path) -> Iterator[None]:
    """Hold the lock every writer of *feed* and what is written beside it takes; one line when it stays taken."""
    from filelock import FileLock, Timeout

    try:
        with FileLock(str(feed_lock_path(feed)), timeout=LOCK_TIMEOUT_SECONDS):
            yield
    except Timeout:
        raise PodcastError(
            f"another publisher kept {feed} locked for {LOCK_TIMEOUT_SECONDS:.0f} s; try again when it is done"
        ) from None


def publish_episode(
    manifest_or_episode: Episode | Mapping | Path | str,
    feed_path: Path | str,
    base_url: str | None = None,
    channel: Channel | None = None,
    notice: Callable[[str], None] | None = None,
    now: dt.datetime | None = None,
) -> Published:
    """Add the episode to the feed at *feed_path*, or update its item if it is there.

    Under a file lock: read the feed (refusing a damaged one), update the channel
    from *channel*, put the item in (keeping its first pubDate), order items
    newest first and replace the file atomically. Items with other guids, ours
    or not, are kept as they are.
    """
    from lxml import etree

    channel = validate_channel(channel or Channel())
    base = normalize_base_url(base_url or channel.base_url)
    feed = Path(feed_path)
    if feed.name in ("", ".", ".."):
        raise PodcastError(f"feed must be a file name: {feed_path}")
    feed_dir = ensure_writable_dir(feed.parent)
    episode = feed_episode(manifest_or_episode)
    if notice and not _is_under(episode.audio, feed_dir):
        notice(f"notice: {episode.audio} is not in the feed's folder {feed_dir}; "
               "its URL assumes it is served next to the feed")
    feed_url = base + quote(feed.name)
    now = now or dt.datetime.now(dt.timezone.utc)

    with feed_lock(feed):
        tree = read_feed(feed)
        tree = _new_feed() if tree is None else _with_namespaces(tree)
        channel_el = tree.getroot().find("channel")
        image_url = channel_image_url(channel, feed_dir, base)
        _update_channel(channel_el, channel, feed_url, image_url, now)
        existing = next((i for i in channel_el.iterchildren("item") if _item_guid(i) == episode.guid), None)
        kept_date = existing.findtext("pubDate") if existing is not None else None
        pub_date = kept_date.strip() if parse_rfc2822(kept_date) else rfc2822(article_pub_date(episode.date, now))
        _put_item(channel_el, _item_element(episode, pub_date, base, feed_dir, channel.explicit), existing)
        count = _sort_items(channel_el)
        data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        atomic_write_bytes(feed, data)
    return Published(
        feed=feed, guid=episode.guid, title=episode.title, added=existing is None, items=count,
        enclosure_url=file_url(base, episode.audio, feed_dir),
    )
