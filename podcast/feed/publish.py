"""Publishing: an episode into the feed, under a file lock, replaced atomically.

The feed is read, merged and written under a file lock, and replaced atomically,
so publishers running at the same time never lose each other's items and a
reader never sees half a feed. lxml builds the XML (feedgen rejects
``itunes:explicit`` true/false and drops some image URLs); it escapes every text
and attribute, so no CDATA tricks are needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..config import Channel, validate_channel
from ..errors import PodcastError
from ..fsutil import atomic_write_bytes, ensure_writable_dir
from ..records import Episode
from .apple import channel_image_url
from .document import (
    _item_element,
    _item_guid,
    _new_feed,
    _put_item,
    _sort_items,
    _update_channel,
    _with_namespaces,
    read_feed,
)
from .manifest import feed_episode
from .vocabulary import (
    article_pub_date,
    file_url,
    is_under,
    normalize_base_url,
    parse_rfc2822,
    rfc2822,
)

if TYPE_CHECKING:
    pass


LOCK_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class Published:
    """What publishing did to the feed."""

    feed: Path
    guid: str
    title: str
    added: bool
    items: int
    enclosure_url: str


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
    if notice and not is_under(episode.audio, feed_dir):
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
