"""podcast: news articles in, Dutch podcast episodes out.

The public API: each pipeline stage as a function of the previous stage's record.
Heavy modules load lazily, so ``import podcast`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import PodcastError
from .lazy import lazy_getattr
from .version import __version__

if TYPE_CHECKING:
    from .article import Article, Section, Sentence, load_article
    from .bulletin import Bulletin, build_bulletin
    from .config import Channel, load_channel
    from .feed import FeedReport, Published, check_feed, publish_episode
    from .llm import summarize_with_llm
    from .options import BulletinOptions, RenderOptions, ScriptOptions
    from .pipeline import build_episode, make_script, render_episode
    from .queue import QueueSettings, build_many_on_workers
    from .records import Chapter, Episode
    from .script import Script, ScriptStory, Segment, compose_script, write_script
    from .serve import make_server
    from .site import Site, write_site
    from .summarize import KeyPoint, Summary, summarize

#: Public names and the module each lives in. They load on first use (PEP 562), so
#: ``podcast --help``, which imports this package, pays for none of the stages.
_LAZY = {
    "Article": "article", "Section": "article", "Sentence": "article", "load_article": "article",
    "summarize_with_llm": "llm",
    "Chapter": "records", "Episode": "records", "build_episode": "pipeline", "make_script": "pipeline",
    "render_episode": "pipeline", "RenderOptions": "options", "ScriptOptions": "options",
    "Script": "script", "Segment": "script", "compose_script": "script", "write_script": "script",
    "KeyPoint": "summarize", "Summary": "summarize", "summarize": "summarize",
    "Channel": "config", "load_channel": "config", "Published": "feed", "publish_episode": "feed",
    "FeedReport": "feed", "check_feed": "feed", "make_server": "serve",
    "Site": "site", "write_site": "site",
    "Bulletin": "bulletin", "build_bulletin": "bulletin", "BulletinOptions": "options", "ScriptStory": "script",
    "QueueSettings": "queue", "build_many_on_workers": "queue",
}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = [
    "Article", "Chapter", "Episode", "KeyPoint", "PodcastError", "Script", "Section", "Segment",
    "Summary", "build_episode", "load_article", "make_script", "render_episode", "summarize",
    "compose_script", "write_script", "__version__",
    "Channel", "FeedReport", "Published", "check_feed", "load_channel", "make_server", "publish_episode",
    "Sentence", "summarize_with_llm", "RenderOptions", "ScriptOptions", "Site", "write_site",
    "Bulletin", "BulletinOptions", "ScriptStory", "build_bulletin",
    "QueueSettings", "build_many_on_workers",
]
