"""podcast: news articles in, Dutch podcast episodes out.

The public API: each pipeline stage as a function of the previous stage's record.
Heavy modules load lazily, so ``import podcast`` stays cheap.
"""

from __future__ import annotations

from .article import Article, Section, load_article
from .errors import PodcastError
from .pipeline import Chapter, Episode, build_episode, make_script, render_episode
from .script import Script, Segment, write_script
from .summarize import KeyPoint, Summary, summarize

__version__ = "0.1.0"

__all__ = [
    "Article", "Chapter", "Episode", "KeyPoint", "PodcastError", "Script", "Section", "Segment",
    "Summary", "build_episode", "load_article", "make_script", "render_episode", "summarize",
    "write_script", "__version__",
]
