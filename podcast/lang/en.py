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


#: pysbd's time grows with the square of the text it is given (0.4 s for 25,000 characters,
#: 5 s for 100,000), so a longer paragraph goes to it in pieces of at most this many characters
#: (about 8 µs a character; whole paragraphs of ordinary length stay whole).
SEGMENT_CHARS = 5_000
#: Where a piece may end: after a sentence's last word (four small letters: no "Mr." or "Dr.")
#: and before a capital.
_PIECE_END = re.compile(r"(?<=[a-z]{4})[.!?][\"”’')\]]*\s+(?=[\"“‘'(]*[A-Z])")


def split_sentences(text: str) -> list[str]:
    """Split English text into sentences."""
    segmenter = _segmenter()
    return [s.strip() for piece in _pieces(text) for s in segmenter.segment(piece) if s.strip()]


def _pieces(text: str, size: int = SEGMENT_CHARS) -> list[str]:
    """*text* cut into pieces of at most *size* characters, each ending a sentence where one ends.

    Text up to *size* characters stays whole, so an ordinary paragraph is split exactly
    as before; a longer one is cut in its second half of every *size* characters,
    after a sentence, else at a space.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        ends = list(_PIECE_END.finditer(text, start + size // 2, limit))
        if ends:
            cut = ends[-1].end()
        else:
            space = text.rfind(" ", start + 1, limit)
            cut = space + 1 if space > start else limit
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


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
