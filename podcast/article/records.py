"""The records of stage 1: an article, its sections and its sentences."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..lang import get_language


@dataclass(frozen=True)
class Section:
    """A heading (None for the lead) and its paragraphs."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article and where it stands."""

    text: str
    section: int
    paragraph: int
    index: int


@dataclass(frozen=True)
class Article:
    """A cleaned article: what every later stage reads."""

    title: str
    date: str | None
    sections: tuple[Section, ...]
    source: str
    language: str = "nl"
    headline_from_page: bool = False
    publisher: str | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence, split with the language's abbreviations in mind (split once per article)."""
        split = get_language(self.language).split_sentences
        return tuple(
            Sentence(text, s_idx, p_idx, n)
            for s_idx, section in enumerate(self.sections)
            for p_idx, para in enumerate(section.paragraphs)
            for n, text in enumerate(split(para))
        )


@dataclass(frozen=True)
class Block:
    """One block of page text: a paragraph, a heading or a liveblog time stamp."""

    kind: str  # "para", "heading", "stamp", "item" (of a list: a paragraph, never a heading)
    text: str
    level: int = 0  # heading level when known (Markdown, HTML); 0 when guessed from shape


@dataclass(frozen=True)
class Cleaned:
    """The blocks that remain, and what the removed debris told us."""

    blocks: tuple[Block, ...]
    date: str | None
    publisher: str | None
