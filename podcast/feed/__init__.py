"""Stage 6: an episode published into an RSS 2.0 podcast feed, and the feed checked.

One concern per module: ``vocabulary`` the namespaces, types, URLs, durations and dates;
``manifest`` an episode as the feed sees it (from its record or its manifest file);
``description`` an item's text and HTML; ``document`` reading and editing the XML;
``apple`` the cover's rules; ``publish`` the locked, atomic publish; ``check`` the
feed read back as Apple and Podcasting 2.0 apps do (``podcast check``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

if TYPE_CHECKING:
    from .apple import (
        COVER_MAX_PX,
        COVER_MIN_PX,
        DEFAULT_COVER_NAME,
        channel_image_url,
        check_cover,
    )
    from .check import FeedReport, check_feed
    from .description import (
        DESCRIPTION_LABELS,
        SUMMARY_MAX_CHARS,
        description_html,
        description_text,
        fit_summary,
    )
    from .document import read_feed, xml_parser
    from .manifest import feed_episode, load_manifest
    from .publish import LOCK_TIMEOUT_SECONDS, Published, feed_lock, feed_lock_path, publish_episode
    from .vocabulary import (
        ATOM_NS,
        AUDIO_TYPE,
        CHAPTERS_TYPE,
        CONTENT_NS,
        ITUNES_NS,
        NAMESPACES,
        PODCAST_NS,
        TRANSCRIPT_TYPES,
        article_pub_date,
        clock,
        file_url,
        itunes_duration,
        normalize_base_url,
        parse_rfc2822,
        podcast_guid,
        rfc2822,
        xml_text,
    )

#: Names this package offers from its modules, loaded on first use (PEP 562): a caller that
#: needs one module (the bulletin its fetch, the site the feed's vocabulary) loads just that.
_LAZY = {
    "COVER_MAX_PX": "apple", "COVER_MIN_PX": "apple", "DEFAULT_COVER_NAME": "apple",
    "channel_image_url": "apple", "check_cover": "apple", "FeedReport": "check", "check_feed": "check",
    "DESCRIPTION_LABELS": "description", "SUMMARY_MAX_CHARS": "description",
    "description_html": "description", "description_text": "description", "fit_summary": "description",
    "read_feed": "document", "xml_parser": "document", "feed_episode": "manifest",
    "load_manifest": "manifest", "LOCK_TIMEOUT_SECONDS": "publish", "Published": "publish",
    "feed_lock": "publish", "feed_lock_path": "publish", "publish_episode": "publish",
    "ATOM_NS": "vocabulary", "AUDIO_TYPE": "vocabulary", "CHAPTERS_TYPE": "vocabulary",
    "CONTENT_NS": "vocabulary", "ITUNES_NS": "vocabulary", "NAMESPACES": "vocabulary",
    "PODCAST_NS": "vocabulary", "TRANSCRIPT_TYPES": "vocabulary", "article_pub_date": "vocabulary",
    "clock": "vocabulary", "file_url": "vocabulary", "itunes_duration": "vocabulary",
    "normalize_base_url": "vocabulary", "parse_rfc2822": "vocabulary", "podcast_guid": "vocabulary",
    "rfc2822": "vocabulary", "xml_text": "vocabulary",
}

__getattr__ = lazy_getattr(__name__, _LAZY, globals())

__all__ = [
    "ATOM_NS", "AUDIO_TYPE", "CHAPTERS_TYPE", "CONTENT_NS", "COVER_MAX_PX", "COVER_MIN_PX", "DEFAULT_COVER_NAME",
    "DESCRIPTION_LABELS", "ITUNES_NS", "LOCK_TIMEOUT_SECONDS", "NAMESPACES", "PODCAST_NS", "SUMMARY_MAX_CHARS",
    "TRANSCRIPT_TYPES", "FeedReport", "Published", "article_pub_date",
    "channel_image_url", "check_cover", "check_feed", "clock", "description_html", "description_text",
    "feed_episode", "feed_lock", "feed_lock_path", "file_url", "fit_summary", "itunes_duration", "load_manifest",
    "normalize_base_url", "parse_rfc2822", "podcast_guid", "publish_episode", "read_feed", "rfc2822",
    "xml_parser", "xml_text",
]
