"""The ``--full`` script: the whole article read out, its sections as chapters.

The same intro, headline and outro as a summary episode (``compose_script`` makes
them), with every paragraph of the article in between. A section's heading is
spoken as a ``section`` segment and opens a chapter named after it; the lead
belongs to the headline's chapter. Long paragraphs are cut between sentences,
so every clip stays paragraph-sized and the work per clip stays small, however
long the article is: time grows linearly with length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .article import Article
from .config import DEFAULT_SHOW_NAME
from .lang import get_language
from .script import Script, Segment, opening_segments, outro_segment

#: Paragraphs longer than this are read as several segments...
MAX_SEGMENT_CHARS = 600
#: ...of whole sentences, packed up to about this many characters.
TARGET_SEGMENT_CHARS = 400


def pack_sentences(sentences: list[str], target: int = TARGET_SEGMENT_CHARS) -> list[str]:
    """Join consecutive sentences into pieces of about *target* characters (a sentence is never cut)."""
    pieces: list[str] = []
    for sentence in sentences:
        if pieces and len(pieces[-1]) + 1 + len(sentence) <= target:
            pieces[-1] = f"{pieces[-1]} {sentence}"
        else:
            pieces.append(sentence)
    return pieces


def paragraph_pieces(paragraph: str, split_sentences: Callable[[str], list[str]]) -> list[str]:
    """A paragraph as one segment text, or as sentence groups when it is long."""
    paragraph = " ".join(paragraph.split())
    if len(paragraph) <= MAX_SEGMENT_CHARS:
        return [paragraph] if paragraph else []
    return pack_sentences(split_sentences(paragraph) or [paragraph])


def body_segments(article: Article, lead_chapter: str) -> Iterator[Segment]:
    """Every section in order: its heading as a ``section`` segment, then its paragraphs."""
    lang = get_language(article.language)
    for section in article.sections:
        chapter = section.heading or lead_chapter
        if section.heading:
            yield Segment("section", section.heading, chapter)
        for paragraph in section.paragraphs:
            for piece in paragraph_pieces(paragraph, lang.split_sentences):
                yield Segment("point", piece, chapter)


def compose_full_script(article: Article, show: str = DEFAULT_SHOW_NAME) -> Script:
    """The whole article as a script: intro, headline, each section (a chapter), outro."""
    language = get_language(article.language).code
    opening = opening_segments(article.title, article.date, language, show)
    body = list(body_segments(article, opening[-1].chapter))
    closing = outro_segment(article.source, article.publisher, language, show)
    return Script(
        title=article.title,
        language=language,
        date=article.date,
        segments=(*opening, *body, closing),
        show=show,
        source=article.source,
    )
