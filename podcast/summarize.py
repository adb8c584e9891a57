"""Stage 2: pick the key points of an article (extractive, offline, deterministic)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .article import Article
from .lang import get_language

WORDS_PER_SECOND = 2.3  # espeak-ng and gTTS read Dutch news at about 140 words a minute


@dataclass(frozen=True)
class KeyPoint:
    """One sentence of the article, with where it came from."""

    text: str
    section: int
    paragraph: int
    sentence: int


@dataclass(frozen=True)
class Summary:
    """The lead and the key points, in article order."""

    title: str
    date: str | None
    source: str
    language: str
    points: tuple[KeyPoint, ...]


def _words(text: str, stop: frozenset[str]) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in stop and len(w) > 2}


def summarize(article: Article, length: float = 75.0, max_points: int = 5) -> Summary:
    """Choose 3-5 sentences that together tell the story in about *length* seconds."""
    lang = get_language(article.language)
    stop = lang.stopwords
    candidates: list[KeyPoint] = []
    for s_idx, section in enumerate(article.sections):
        for p_idx, para in enumerate(section.paragraphs):
            for n, sent in enumerate(lang.split_sentences(para)):
                if len(sent.split()) >= 5:
                    candidates.append(KeyPoint(sent, s_idx, p_idx, n))
    if not candidates:
        return Summary(article.title, article.date, article.source, article.language, ())
    bags = [_words(c.text, stop) for c in candidates]
    title_words = _words(article.title, stop)
    scores = []
    for i, bag in enumerate(bags):
        centrality = sum(len(bag & other) / (1 + len(bag | other)) for j, other in enumerate(bags) if j != i)
        overlap = len(bag & title_words) / (1 + len(title_words))
        has_number = 0.3 if re.search(r"\d", candidates[i].text) else 0.0
        scores.append(centrality + overlap + has_number)
    budget_words = length * WORDS_PER_SECOND
    chosen = [0]  # the lead carries the news
    # Spread the rest: best sentence from each part of the story, then the best remaining.
    parts = max(2, min(max_points - 1, len(candidates) - 1))
    n = len(candidates)
    for k in range(parts):
        lo, hi = 1 + k * (n - 1) // parts, 1 + (k + 1) * (n - 1) // parts
        window = [i for i in range(lo, hi) if i not in chosen]
        if window:
            chosen.append(max(window, key=lambda i: (scores[i], -i)))
    chosen = sorted(set(chosen))
    while len(chosen) > 3 and sum(len(candidates[i].text.split()) for i in chosen) > budget_words:
        weakest = min(chosen[1:], key=lambda i: (scores[i], -i))
        chosen.remove(weakest)
    points = tuple(candidates[i] for i in sorted(chosen)[:max_points])
    return Summary(article.title, article.date, article.source, article.language, points)
