"""Loading an article from a file, URL or stdin, and deriving its title.

Loaders turn plain text, Markdown and HTML into raw blocks; ``clean.clean_blocks``
drops the debris; ``assemble`` picks the headline and builds the sections.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import PodcastError
from ..fsutil import require_file
from ..lang import SUPPORTED, detect_language, get_language
from . import clean, debris, standalone
from .clean import Block
from .fetch import FETCH_MAX_BYTES, FETCH_TIMEOUT, TEXT_TYPES, fetch_url, is_url
from .fetch import megabytes as _megabytes
from .records import Article, Section

#: The largest article read from a file or stdin, as for URLs: a news article is far
#: smaller, and beyond this even a summary in linear time takes too long to wait for.
ARTICLE_MAX_BYTES = FETCH_MAX_BYTES

#: A title written from the lead is at most this long: a headline, not the lead read twice.
TITLE_MAX_WORDS = 12
#: ... written from the first sentence of the lead's first paragraphs that stands on its own,
#: of at least this many words.
TITLE_MIN_WORDS = 5
TITLE_LEAD_PARAGRAPHS = 3


# --- reading bytes ---------------------------------------------------------------------


def read_source_bytes(source: str, max_bytes: int = ARTICLE_MAX_BYTES) -> tuple[bytes, str]:
    """Read raw bytes from a path, or from stdin when *source* is ``-``; at most *max_bytes*.

    A file's size is checked before it is read, so a huge one is refused at once; stdin
    (and a file that is a pipe or still growing) is read no further than one byte past
    the limit, so input of any size never fills the memory.
    """
    limit = _megabytes(max_bytes)
    if source == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise PodcastError(f"article too large: stdin is more than {limit}")
        return data, "stdin"
    path = require_file(source, "article")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PodcastError(f"article too large: {path} is {_size_over(size, max_bytes)} (more than {limit})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PodcastError(f"cannot read article {source}: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise PodcastError(f"article too large: {path} is more than {limit}")
    return data, str(path)


def _size_over(size: int, limit: int) -> str:
    """*size*, over *limit*, in MB to one decimal ("14 MB", "5.3 MB"); in bytes when rounding hides the excess."""
    megabytes = round(size / 1_000_000, 1)
    return f"{size} bytes" if megabytes <= limit / 1_000_000 else f"{megabytes:g} MB"


def decode_text(data: bytes, name: str, charset: str | None = None) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252; refuse binary data."""
    if not data.strip():
        raise PodcastError(f"article is empty: {name}")
    if b"\x00" in data[:4096]:
        raise PodcastError(f"article is not a text file (binary data): {name}")
    text = None
    if charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.lstrip("\ufeff")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.05 * min(len(text), 4096):
        raise PodcastError(f"article is not a text file (binary data): {name}")
    if not text.strip():
        raise PodcastError(f"article is empty: {name}")
    return text


def looks_like_html(text: str) -> bool:
    """Whether decoded text is an HTML page rather than plain text."""
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


# --- plain text and Markdown -----------------------------------------------------------


def _split_lines(block: str) -> list[str]:
    """Lines of a block: wrapped lines join into one paragraph, short separate lines stay apart."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    # Each paragraph as its lines and its joined length: joining once at the end keeps
    # a long hard-wrapped text linear (appending to a growing string copies it each time).
    out: list[list[str]] = []
    lengths: list[int] = []
    for line in lines:
        if out:
            prev = out[-1][-1]
            wrapped = not prev.endswith((".", "!", "?", ":", "”", '"', "’", "'", ")")) and (
                line[:1].islower() or lengths[-1] > 60
            )
            if wrapped and (line[:1].islower() or not clean.looks_like_heading(line)):
                out[-1].append(line)
                lengths[-1] += 1 + len(line)
                continue
        out.append([line])
        lengths.append(len(line))
    return [" ".join(parts) for parts in out]


def text_blocks(text: str, markdown: bool) -> list[Block]:
    """Raw blocks of a plain-text or Markdown article."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        for line in _split_lines(chunk):
            if markdown:
                heading = debris.MD_HEADING.match(line)
                if heading:
                    blocks.append(Block("heading", strip_markdown(heading.group(2)), len(heading.group(1))))
                    continue
                item = debris.MD_LIST.match(line)
                line = strip_markdown(debris.MD_LIST.sub("", line.lstrip("> ")))
                if item:
                    blocks.append(Block("item", line))
                    continue
            blocks.append(Block("para", line))
    return blocks


def strip_markdown(text: str) -> str:
    """Markdown markup out: images dropped, links and emphasis reduced to their words."""
    text = debris.MD_IMAGE.sub("", text)
    text = debris.MD_LINK.sub(r"\1", text)
    text = debris.MD_EMPHASIS.sub(r"\2", text)
    return text.replace("`", "").strip()


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """``---`` key: value lines at the top of a Markdown file (title, date, source)."""
    match = debris.FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end():]


def parse_plain_text(text: str, source: str, markdown: bool = False, language: str | None = None) -> Article:
    """Split a plain-text or Markdown article into date, title, sections and paragraphs."""
    meta, text = front_matter(text) if markdown or text.startswith("---") else ({}, text)
    markdown = markdown or bool(meta)
    date = _iso_date(meta.get("date"))
    marker = debris.DATE_MARKER.match(text)
    if marker:
        date = date or marker.group(1)
        text = text[marker.end():]
    return assemble(
        text_blocks(text, markdown),
        source,
        title=meta.get("title"),
        date=date,
        publisher=meta.get("source") or meta.get("bron") or meta.get("publisher"),
        language=language,
    )


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"^(\d{4}-\d{2}(?:-\d{2})?)", value.strip())
    return match.group(1) if match else clean.parse_date(value)


# --- HTML ------------------------------------------------------------------------------


def parse_html(html: str, source: str, language: str | None = None, url: str | None = None) -> Article:
    """Extract the article from an HTML page with trafilatura (offline), then clean it like text."""
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not xml:
        raise PodcastError(f"no article text found in {source}")
    doc = etree.fromstring(xml.encode("utf-8"))
    blocks: list[Block] = []
    for element in doc.iter("head", "p", "item", "quote"):
        if element.tag in ("p", "item") and element.getparent() is not None and element.getparent().tag == "quote":
            continue
        text = " ".join("".join(element.itertext()).split())
        if not text:
            continue
        if element.tag == "head":
            rend = element.get("rend") or ""
            level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
            blocks.append(Block("heading", text, level))
        else:
            blocks.append(Block("item" if element.tag == "item" else "para", text))
    site = doc.get("sitename") or None
    title = doc.get("title") or None
    if title and site:
        suffix = debris.SITE_SUFFIX.search(title)
        if suffix and clean.same_headline(suffix.group(1), site):
            title = title[:suffix.start()].strip()
    if not language:
        lang_attr = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:5000], re.IGNORECASE)
        language = lang_attr.group(1).lower() if lang_attr else None
    if url and not site:
        from urllib.parse import urlparse

        host = urlparse(url).hostname or ""
        site = host.removeprefix("www.") or None
    return assemble(blocks, source, title=title, date=_iso_date(doc.get("date")), publisher=site, language=language)


# --- from blocks to an article ---------------------------------------------------------


def assemble(
    raw: list[Block],
    source: str,
    title: str | None = None,
    date: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
) -> Article:
    """Clean the blocks, choose the headline, drop its repeats, and group paragraphs into sections."""
    sample = " ".join(b.text for b in raw[:40])
    code = language if language in SUPPORTED else detect_language(sample)
    lang = get_language(code)
    cleaned = clean.clean_blocks(raw, lang.split_sentences)
    date = date or cleaned.date
    publisher = publisher or cleaned.publisher
    blocks = list(cleaned.blocks)
    headline_from_page = bool(title)
    if not title:
        title, blocks = _headline(blocks)
        headline_from_page = bool(title)
    if title:
        kept = []
        for block in blocks:
            if clean.same_headline(block.text, title):
                continue  # a repeated headline
            site = clean.split_site_suffix(block.text, title)
            if site:
                publisher = publisher or site
                continue
            kept.append(block)
        blocks = kept
    sections = _sections(blocks)
    if not sections:
        raise PodcastError(f"no article text found in {source}")
    if not title:
        title = derive_title(" ".join(sections[0].paragraphs[:TITLE_LEAD_PARAGRAPHS]), lang.split_sentences, getattr(lang.module, "main_clause", None))
    return Article(
        title=title,
        date=date,
        sections=tuple(sections),
        source=source,
        language=code,
        headline_from_page=headline_from_page,
        publisher=publisher,
    )


def _headline(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The page's headline: a level-1 heading, or a heading-like first line followed by text."""
    for i, block in enumerate(blocks):
        if block.kind == "heading" and block.level == 1:
            return block.text, blocks[:i] + blocks[i + 1:]
        if block.kind in ("para", "item"):
            break
    first = blocks[0] if blocks else None
    if first and first.kind not in ("stamp", "item") and len(blocks) > 1 and (
        first.kind == "heading" or clean.looks_like_heading(first.text)
    ):
        return first.text, blocks[1:]
    return None, blocks


def _sections(blocks: list[Block]) -> list[Section]:
    """Group paragraphs under the heading (or liveblog time stamp) before them."""
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for block in blocks:
        is_heading = block.kind in ("heading", "stamp") or (block.kind == "para" and clean.looks_like_heading(block.text))
        if is_heading:
            if paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = block.text, []
        else:
            paragraphs.append(block.text)
    if paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return sections


def derive_title(
    lead: str,
    split_sentences: Callable[[str], list[str]] | None = None,
    main_clause: Callable[[str, int], str] | None = None,
) -> str:
    """A title from the lead's first sentence, when the page has no headline.

    With the language's *main_clause* rule (Dutch has one) the title is the sentence's
    main clause in at most ``TITLE_MAX_WORDS`` words, as a headline would be written;
    without it, the first clause, or the first words and an ellipsis.
    """
    sentences = split_sentences(lead) if split_sentences else re.split(r"(?<=[.!?])\s+", lead)
    # A page that lost its opening paragraph starts mid-story ("Dat meldt de politie."):
    # the title comes from the first sentence that stands on its own.
    whole = [s for s in sentences if not standalone.leans_on_previous(s) and len(s.split()) >= TITLE_MIN_WORDS]
    first = (whole or sentences or [lead])[0].rstrip(".!? ")
    if main_clause is not None:
        return main_clause(first, TITLE_MAX_WORDS)
    words = first.split()
    if len(words) > TITLE_MAX_WORDS:
        clause = re.split(r",\s+", first, maxsplit=1)[0]
        first = clause if 5 <= len(clause.split()) <= TITLE_MAX_WORDS else " ".join(words[:TITLE_MAX_WORDS]) + "…"
    return first


# --- the entry point -------------------------------------------------------------------


def load_article(
    source: str,
    language: str | None = None,
    timeout: float = FETCH_TIMEOUT,
    max_bytes: int = FETCH_MAX_BYTES,
) -> Article:
    """Load and clean an article from a path, an http(s) URL, or ``-`` (stdin).

    *language* (``nl``/``en``) overrides detection; HTML pages and URLs go through
    trafilatura, ``.md`` files through the Markdown reader, the rest as plain text.
    An article larger than *max_bytes* (5 MB) is refused with a one-line error.
    """
    if is_url(source):
        data, content_type = fetch_url(source, timeout=timeout, max_bytes=max_bytes)
        return page_article(data, content_type, source, language=language)
    data, name = read_source_bytes(source, max_bytes=max_bytes)
    suffix = Path(name).suffix.lower()
    charset = _meta_charset(data) if suffix in (".html", ".htm") else None
    text = decode_text(data, name, charset=charset)
    if suffix in (".html", ".htm", ".xhtml") or looks_like_html(text):
        return parse_html(text, name, language=language)
    return parse_plain_text(text, name, markdown=suffix in (".md", ".markdown"), language=language)


def page_article(data: bytes, content_type: str, url: str, language: str | None = None) -> Article:
    """The article of a page fetched from *url*: its body and its content type."""
    charset = content_type.split("charset=", 1)[1] if "charset=" in content_type else None
    text = decode_text(data, url, charset=charset or _meta_charset(data))
    if content_type.startswith(TEXT_TYPES) and not looks_like_html(text):
        return parse_plain_text(text, url, markdown=content_type.startswith("text/markdown"), language=language)
    return parse_html(text, url, language=language, url=url)


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its <meta> tag."""
    match = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    return match.group(1).decode("ascii") if match else None
