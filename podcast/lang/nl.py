"""Dutch: sentence splitting, stopwords, script templates and speakable-text rules.

Speakable-text rules are small pure functions applied in order by ``speakable``;
the data they use lives in ``nl_tables``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from . import nl_tables as tables

TEMPLATES = tables.TEMPLATES


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="nl", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split Dutch text into sentences without breaking after abbreviations like "dhr."."""
    protected = text
    for abbr in tables.ABBREVIATIONS:
        protected = re.sub(rf"(?<!\w){re.escape(abbr)}", abbr.replace(".", "\u2024"), protected)
    out = []
    for sentence in _segmenter().segment(protected):
        sentence = sentence.replace("\u2024", ".").strip()
        if sentence:
            out.append(sentence)
    return out


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Dutch stopwords from stopwordsiso, shipped with the package (no download)."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("nl"))


def expand_abbreviations(text: str) -> str:
    """Write out abbreviations that espeak-ng would spell letter by letter ("dhr." -> "de heer")."""
    for abbr, full in tables.ABBREVIATIONS.items():
        text = re.sub(rf"(?<!\w){re.escape(abbr)}(?=\s|$|[,;:])", full, text, flags=re.IGNORECASE)
    return text


def expand_symbols(text: str) -> str:
    """Replace symbols by words, e.g. "€ 5" -> "5 euro", "%" -> "procent"."""
    text = re.sub(r"€\s?(\d[\d.,]*)", r"\1 euro", text)
    for symbol, word in tables.SYMBOLS.items():
        text = text.replace(symbol, f" {word} ")
    return text


def normalize_quotes(text: str) -> str:
    """Drop quote marks of every style; the voice cannot say them anyway."""
    return re.sub(r"[\"“”„‘’‚'`]|,,|''", "", text)


def collapse_whitespace(text: str) -> str:
    """One space between words, none before punctuation."""
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s+([,.;:!?])", r"\1", text).strip()


RULES: list[Callable[[str], str]] = [
    normalize_quotes,
    expand_abbreviations,
    expand_symbols,
    collapse_whitespace,
]


def speakable(text: str) -> str:
    """Apply every rule in RULES, in order, to make *text* read well aloud."""
    for rule in RULES:
        text = rule(text)
    return text
