"""English: the second language, with the same shape as ``nl``."""

from __future__ import annotations

import re
from functools import lru_cache

TEMPLATES: dict[str, str] = {
    "intro": "Welcome to {show}. This is the news of {date}.",
    "intro_undated": "Welcome to {show}.",
    "headline": "{title}.",
    "outro": "That was {show}. Source: {source}. Until next time.",
    "chapter_intro": "Intro",
    "chapter_headline": "Headline",
    "chapter_point": "Point {n}",
    "chapter_outro": "Closing",
}


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split English text into sentences."""
    return [s.strip() for s in _segmenter().segment(text) if s.strip()]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English stopwords from stopwordsiso."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("en"))


def speakable(text: str) -> str:
    """Light clean-up for English: quotes out, whitespace collapsed."""
    text = re.sub(r"[\"“”„‘’]", "", text)
    return re.sub(r"\s+", " ", text).strip()
