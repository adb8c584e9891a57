"""Stage 1, the article: loading it (``load``), page debris (``debris``), the cleaning of
its text blocks (``clean``), fetching pages (``fetch``), and which sentences stand on
their own (``standalone``). Every later stage reads its records (``records``).
"""

from __future__ import annotations

from .load import (
    ARTICLE_MAX_BYTES,
    assemble,
    decode_text,
    derive_title,
    load_article,
    page_article,
    parse_html,
    parse_plain_text,
    read_source_bytes,
)
from .records import Article, Section, Sentence

__all__ = ["ARTICLE_MAX_BYTES", "Article", "Section", "Sentence", "assemble", "decode_text", "derive_title",
           "load_article", "page_article", "parse_html", "parse_plain_text", "read_source_bytes"]
