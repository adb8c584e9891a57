"""Items -> stories: the same story from several sources becomes one, and stories are ranked.

Two items tell the same story when their headlines, or their headlines and summaries,
share enough content words (stems, stopwords out), counted against the shorter of the
two, so a short wire item and a long report of the same event still meet. A story's
importance adds up the signals a newsroom weighs: how many sources carry it, how high
each puts it in its feed, how recent it is, and how much there is to tell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..lang import get_language
from ..summarize import content_words
from .sources import Item

#: Headlines sharing this share of the shorter one's content words (and at least two) tell one story.
SAME_HEADLINE = 0.5
#: Headline and summary together: this share of the shorter, and at least four words.
SAME_TEXT = 0.4
MIN_SHARED_HEADLINE = 2
MIN_SHARED_TEXT = 4

#: Weights of the signals (each signal lies between 0 and 1; sources count per extra source).
SOURCE_WEIGHT = 1.0
POSITION_WEIGHT = 0.5
RECENCY_WEIGHT = 0.5
LENGTH_WEIGHT = 0.25
#: Recency halves every this many hours; an undated item counts as this old.
RECENCY_HALF_LIFE_HOURS = 12.0
UNDATED_AGE_HOURS = 12.0
#: Positions beyond this in a feed all count as the bottom; this many words is a long story.
POSITION_DEPTH = 10
LONG_STORY_WORDS = 300


@dataclass(frozen=True)
class Story:
    """One story and the items that carry it, the most important first."""

    items: tuple[Item, ...]
    score: float

    @property
    def lead(self) -> Item:
        return self.items[0]

    @property
    def title(self) -> str:
        return self.lead.title

    @property
    def url(self) -> str | None:
        return next((item.link for item in self.items if item.link), None)

    @property
    def credits(self) -> tuple[str, ...]:
        """Who carried it, each once, in the order of the items."""
        return tuple(dict.fromkeys(item.credit for item in self.items if item.credit))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(item.key for item in self.items))

    @property
    def section(self) -> str | None:
        return next((item.section for item in self.items if item.section), None)

    def to_data(self) -> dict:
        """As JSON data, for a queue to carry to a worker."""
        return {"items": [item.to_data() for item in self.items], "score": self.score}

    @classmethod
    def from_data(cls, data: dict) -> Story:
        return cls(tuple(Item.from_data(item) for item in data["items"]), float(data["score"]))


@lru_cache(maxsize=4)
def _stopwords(language: str) -> frozenset[str]:
    return get_language(language).stopwords


def headline_words(item: Item) -> frozenset[str]:
    return content_words(item.title, _stopwords(item.language or "nl"))


def story_words(item: Item) -> frozenset[str]:
    """The content words of an item's headline and summary: what it is about."""
    return content_words(f"{item.title} {item.summary}", _stopwords(item.language or "nl"))


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[int, float]:
    """Words shared, and their share of the smaller set."""
    shared = len(a & b)
    return shared, shared / min(len(a), len(b)) if a and b else 0.0


def tell_same_story(a: Item, b: Item) -> bool:
    """Whether two items are one story: one link, or (from two sources) headlines or texts sharing enough words."""
    return len(group_items([a, b])) == 1


def item_score(item: Item, now: dt.datetime) -> float:
    """How important one item is by its own signals: place in its feed, recency, length."""
    depth = min(POSITION_DEPTH, max(1, item.feed_size - 1))
    position = 1.0 - min(item.position, depth) / depth if item.feed_size > 1 else 1.0
    published = item.published_at
    age = (now - published).total_seconds() / 3600 if published else UNDATED_AGE_HOURS
    recency = 0.5 ** (max(0.0, age) / RECENCY_HALF_LIFE_HOURS)
    length = min(1.0, item.words / LONG_STORY_WORDS)
    return POSITION_WEIGHT * position + RECENCY_WEIGHT * recency + LENGTH_WEIGHT * length


def group_items(items: Sequence[Item]) -> list[list[int]]:
    """Indexes of *items* grouped into stories (items of one source are never merged, unless one link).

    Each item's words are counted once, so a first run over long feeds stays quick.
    """
    heads = [headline_words(item) for item in items]
    texts = [story_words(item) for item in items]
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def same(i: int, j: int) -> bool:
        a, b = items[i], items[j]
        if a.key == b.key:
            return True
        if a.source == b.source:
            return False
        shared, share = overlap(heads[i], heads[j])
        if shared >= MIN_SHARED_HEADLINE and share >= SAME_HEADLINE:
            return True
        shared, share = overlap(texts[i], texts[j])
        return shared >= MIN_SHARED_TEXT and share >= SAME_TEXT

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if root(i) != root(j) and same(i, j):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def rank_stories(items: Sequence[Item], now: dt.datetime) -> list[Story]:
    """Stories from *items*, most important first (ties: the order the items came in)."""
    unique = list(items)
    scores = [item_score(item, now) for item in unique]
    stories = []
    for group in group_items(unique):
        ordered = sorted(group, key=lambda i: (-scores[i], i))
        sources = len({unique[i].source for i in group})
        score = max(scores[i] for i in group) + SOURCE_WEIGHT * (sources - 1)
        stories.append((score, ordered[0], Story(tuple(unique[i] for i in ordered), round(score, 6))))
    stories.sort(key=lambda s: (-s[0], s[1]))
    return [story for _, _, story in stories]


def already_told(item: Item, told: Iterable[frozenset[str]]) -> bool:
    """Whether *item* tells a story whose words (see :func:`story_words`) a bulletin already told."""
    words = story_words(item)
    for other in told:
        shared, share = overlap(words, other)
        if shared >= MIN_SHARED_TEXT and share >= SAME_TEXT:
            return True
    return False
