"""Stage 1, the article: loading it (``load``), page debris (``debris``), the cleaning of
its text blocks (``clean``), fetching pages (``fetch``), and which sentences stand on
their own (``standalone``). Every later stage reads its records (``records``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

if TYPE_CHECKING:
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

#: Names this package offers from its modules, loaded on first use (PEP 562): a caller that
#: needs one module (the bulletin its fetch, the site the feed's vocabulary) loads just that.
_LAZY = {
    "ARTICLE_MAX_BYTES": "load", "assemble": "load", "decode_text": "load", "derive_title": "load",
    "load_article": "load", "page_article": "load", "parse_html": "load", "parse_plain_text": "load",
    "read_source_bytes": "load", "Article": "records", "Section": "records", "Sentence": "records",
}

__getattr__ = lazy_getattr(__name__, _LAZY, globals())

__all__ = ["ARTICLE_MAX_BYTES", "Article", "Section", "Sentence", "assemble", "decode_text", "derive_title",
           "load_article", "page_article", "parse_html", "parse_plain_text", "read_source_bytes"]
