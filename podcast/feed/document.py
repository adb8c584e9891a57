"""Reading and editing the feed's XML: the channel's settings and its items, kept in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Channel
from ..errors import PodcastError
from ..records import Episode
from .description import description_html, description_text
from .vocabulary import (
    AUDIO_TYPE,
    CHAPTERS_TYPE,
    NAMESPACES,
    TRANSCRIPT_TYPES,
    file_url,
    itunes_duration,
    parse_rfc2822,
    podcast_guid,
    rfc2822,
    xml_error,
    xml_text,
)

if TYPE_CHECKING:
    from lxml import etree


def xml_parser() -> etree.XMLParser:
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
        tree = etree.ElementTree(etree.fromstring(data, xml_parser()))
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

    from ..version import __version__

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


def _item_element(episode: Episode, pub_date: str, base_url: str, feed_dir: Path,
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
    sub("enclosure", url=enclosure_url, length=str(Path(episode.audio).stat().st_size), type=AUDIO_TYPE)
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
