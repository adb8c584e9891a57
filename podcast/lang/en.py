"""English: the second language, with the same shape as ``nl``."""

from __future__ import annotations

import re
from functools import lru_cache

TEMPLATES: dict[str, str] = {
    "intro_day": "Welcome to {show}, with the news of {weekday}, {date}.",
    "intro_month": "Welcome to {show}, with news from {date}.",
    "intro_undated": "Welcome to {show}.",
    "headline": "{title}",
    "outro": "That was {show}. This story came from {source}. Until next time.",
    "outro_unknown_source": "That was {show}. This story is based on the original article. Until next time.",
    "chapter_intro": "Intro",
    "chapter_headline": "Headline",
    "chapter_point": "Point {n}",
    "chapter_outro": "Closing",
}

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
WEEKDAYS: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Symbols a voice should say as words.
SYMBOLS: dict[str, str] = {"%": " percent", "&": " and ", "𝕏": "X"}
CURRENCIES: dict[str, str] = {"€": "euros", "$": "dollars", "£": "pounds"}


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
    """Light clean-up for English: quotes out, symbols as words, whitespace collapsed."""
    text = re.sub(r"[\"“”„‘]|(?<!\w)'|'(?!\w)", "", text)
    text = re.sub(r"(?<!\w)’|’(?!\w)", "", text)
    text = re.sub(r"(\d),(\d{3})\b", r"\1\2", text)
    text = re.sub(r"([€$£])\s?(\d[\d.]*(?:\s(?:million|billion))?)", lambda m: f"{m.group(2)} {CURRENCIES[m.group(1)]}", text)
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([,.;:!?])", r"\1", text).strip()
