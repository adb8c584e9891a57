"""What a bulletin reads: RSS and Atom feeds, article URLs and files, folders -> :class:`Item` records.

A SOURCE is a feed (a URL or a file, read with feedparser), an article (a URL or a
file) or a folder of article files. Everything is fetched with ``build``'s limits
(a timeout, a size cap, http and https only). Items are plain records of strings,
so a queue can carry them to workers; :func:`item_article` turns one into the
:class:`Article` the summarizer reads: from the feed's own full text
(``content:encoded``), from its page, or from its file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from ..article.fetch import (
    FETCH_MAX_BYTES,
    FETCH_TIMEOUT,
    HTML_TYPES,
    TEXT_TYPES,
    fetch_url,
    is_url,
)
from ..errors import PodcastError

if TYPE_CHECKING:  # the article stage loads when an article is read: a rerun with nothing new needs none
    from ..article import Article

#: Content types a feed comes with (and pages, since a SOURCE may be an article's URL).
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/x-rss+xml")
#: A feed item whose own text is at least this many words is read from the feed, not its page.
FULL_TEXT_WORDS = 60
#: Words of an item's summary kept (for telling stories apart and ranking them).
SUMMARY_WORDS = 80
#: Sources and pages read at once: they wait on the network, not the processor. (Daemon
#: threads from the workers module: Ctrl-C ends the run at once, not after the slowest fetch.)
FETCH_WORKERS = 4
#: Files in a folder that are articles.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Item:
    """One story as a source offers it: a feed item or an article."""

    #: What identifies it from run to run: its link, else its feed id, else its file's content.
    key: str
    title: str
    #: Its page (http or https), if any: the story's link in the chapters and the feed.
    link: str | None
    #: The SOURCE it came from, and the name a listener hears credited (the feed's title, a site).
    source: str
    credit: str
    #: Its place in its feed (0 is the top) and how many items the feed had.
    position: int = 0
    feed_size: int = 1
    #: When it was published (ISO 8601, UTC), when the feed says.
    published: str | None = None
    #: The feed's summary of it, in plain text.
    summary: str = ""
    #: The full text the feed carries (HTML), when it carries it.
    content: str | None = None
    #: The section or category the feed files it under.
    section: str | None = None
    language: str | None = None
    #: A local article file, for items that are files.
    path: str | None = None

    @property
    def words(self) -> int:
        """How long the item is, as far as the feed tells (its full text, else its summary)."""
        return len(_plain(self.content or "").split()) or len(self.summary.split())

    @property
    def published_at(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.published) if self.published else None

    def to_data(self) -> dict:
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict) -> Item:
        return cls(**data)


@dataclass(frozen=True)
class SourceRead:
    """What one SOURCE gave: its items, or the one-line reason it gave none."""

    source: str
    items: tuple[Item, ...] = ()
    error: str | None = None


# --- small rules ------------------------------------------------------------------------


def _plain(html: str) -> str:
    """HTML as plain text, for counting words and summaries (not for reading aloud)."""
    import html as html_lib

    return " ".join(html_lib.unescape(_TAGS.sub(" ", html)).split())


def normalize_link(url: str) -> str:
    """A link as a key: scheme and host in lower case, no fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def looks_like_feed(data: bytes) -> bool:
    """Whether *data* opens like RSS, Atom or RSS 1.0 (past the XML declaration and comments)."""
    return _FEED_ROOT.search(data[:2048]) is not None


def site_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def error_line(source: str, exc: Exception) -> str:
    """A failure as one line that names the source once."""
    message = str(exc)
    return message if source in message else f"{source}: {message}"


# --- feeds ------------------------------------------------------------------------------


def parse_feed(data: bytes, source: str, base_url: str | None = None) -> list[Item]:
    """The items of an RSS or Atom feed; PodcastError for XML that is not well-formed, not a feed, or empty."""
    import xml.sax

    import feedparser

    headers = {"content-location": base_url} if base_url else None
    parsed = feedparser.parse(data, response_headers=headers)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXParseException):
        raise PodcastError(f"{source}: not well-formed XML (line {problem.getLineNumber()}: "
                           f"{problem.getMessage()})")
    if not parsed.get("version"):
        raise PodcastError(f"{source}: not an RSS or Atom feed")
    channel = parsed.get("feed", {})
    credit = " ".join(str(channel.get("title") or "").split()) or site_name(base_url or source)
    language = (channel.get("language") or "").split("-")[0].lower() or None
    entries = parsed.get("entries", [])
    items = [item for n, entry in enumerate(entries)
             if (item := _feed_item(entry, n, len(entries), source, credit, language)) is not None]
    if not items:
        raise PodcastError(f"{source}: the feed has no items")
    return items


def _feed_item(entry, position: int, size: int, source: str, credit: str, language: str | None) -> Item | None:
    """One feed entry as an Item; None when it has neither a page nor text of its own."""
    import calendar

    title = " ".join(_plain(str(entry.get("title") or "")).split())
    link = str(entry.get("link") or "").strip() or None
    if link and urlsplit(link).scheme not in ("http", "https"):
        link = None
    content = next((str(c.get("value") or "") for c in entry.get("content") or () if c.get("value")), None)
    summary = " ".join(_plain(str(entry.get("summary") or "")).split()[:SUMMARY_WORDS])
    if not title or not (link or content):
        return None
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = (dt.datetime.fromtimestamp(calendar.timegm(stamp), dt.timezone.utc).isoformat(timespec="seconds")
                 if stamp else None)
    tags = entry.get("tags") or ()
    section = next((str(t.get("term")).strip() for t in tags if t.get("term")), None)
    identity = str(entry.get("id") or "").strip()
    key = normalize_link(link) if link else identity or "title:" + title.lower()
    return Item(key=key, title=title, link=link, source=source, credit=credit, position=position,
                feed_size=size, published=published, summary=summary, content=content, section=section,
                language=language)


# --- articles ---------------------------------------------------------------------------


def _article_item(article: Article, key: str, source: str, link: str | None, path: str | None) -> Item:
    credit = article.publisher or (site_name(link) if link else "")
    return Item(key=key, title=article.title, link=link, source=source, credit=credit,
                published=_iso_day(article.date), summary=" ".join(article.text.split()[:SUMMARY_WORDS]),
                language=article.language, path=path)


def _iso_day(date: str | None) -> str | None:
    """An article's date (``2026-12-03``) as a moment: noon UTC that day; None for a month or none."""
    if not date or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return None
    return f"{date}T12:00:00+00:00"


def _file_key(path: Path, data: bytes) -> str:
    return f"file:{path.name}:{hashlib.sha256(data).hexdigest()[:16]}"


def _file_article_item(path: Path, data: bytes, source: str, language: str | None,
                       known: Collection[str]) -> Item:
    """An article file as an Item; one already *known* is not read further (its key is all that counts)."""
    from ..article import load_article

    key = _file_key(path, data)
    if key in known:
        return Item(key=key, title=path.name, link=None, source=source, credit="", path=str(path))
    return _article_item(load_article(str(path), language=language), key, source, None, str(path))


def read_file_source(path: Path, language: str | None, known: Collection[str] = ()) -> list[Item]:
    """A file: a feed when it reads like one, else an article."""
    from ..article import read_source_bytes

    data, _ = read_source_bytes(str(path))
    if looks_like_feed(data):
        return parse_feed(data, str(path))
    return [_file_article_item(path, data, str(path), language, known)]


def read_folder(folder: Path, language: str | None, known: Collection[str] = ()) -> list[Item]:
    """Every article file in *folder* (by suffix, sorted); feeds are named one by one, not found here."""
    from ..article import read_source_bytes

    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
    if not files:
        raise PodcastError(f"{folder}: no articles in the folder ({', '.join(ARTICLE_SUFFIXES)})")
    return [_file_article_item(path, read_source_bytes(str(path))[0], str(folder), language, known)
            for path in files]


def read_url_source(url: str, language: str | None, timeout: float) -> list[Item]:
    """A URL: a feed when it answers with one, else the article on the page."""
    data, content_type = fetch_url(url, timeout=timeout, max_bytes=FETCH_MAX_BYTES,
                                   accept=FEED_TYPES + HTML_TYPES + TEXT_TYPES, what="a feed or an article")
    if content_type.split(";")[0] in FEED_TYPES or looks_like_feed(data):
        return parse_feed(data, url, base_url=url)
    from ..article import page_article

    article = page_article(data, content_type, url, language=language)
    return [_article_item(article, normalize_link(url), url, url, None)]


def read_source(source: str, language: str | None = None, timeout: float = FETCH_TIMEOUT,
                known: Collection[str] = ()) -> SourceRead:
    """One SOURCE's items; a failure (timeout, 404, not a feed, bad XML, empty) is its ``error``.

    Article files whose key is in *known* are not parsed: a rerun only needs to see they are old.
    """
    try:
        if is_url(source):
            items = read_url_source(source, language, timeout)
        elif Path(source).is_dir():
            items = read_folder(Path(source), language, known)
        else:
            items = read_file_source(Path(source), language, known)
    except PodcastError as exc:
        return SourceRead(source, error=error_line(source, exc))
    return SourceRead(source, tuple(items))


def read_sources(sources: Iterable[str], language: str | None = None, timeout: float = FETCH_TIMEOUT,
                 warn: Callable[[str], None] | None = None, known: Collection[str] = ()) -> list[SourceRead]:
    """Every SOURCE, a few at once, in the order given; each failure is reported to *warn* once."""
    from ..threads import run_bounded

    sources = list(dict.fromkeys(sources))
    done = dict(run_bounded(lambda s: read_source(s, language, timeout, known), sources, FETCH_WORKERS))
    reads = [done[source] for source in sources]
    for read in reads:
        if read.error and warn:
            warn(f"warning: source skipped: {read.error}")
    return reads


# --- an item's article ------------------------------------------------------------------


def fragment_article(item: Item, language: str | None = None) -> Article:
    """The article a feed carries whole (``content:encoded``, Atom ``content``), titled by the feed."""
    import lxml.html

    from ..article import assemble, decode_text
    from ..article.clean import Block

    root = lxml.html.fragment_fromstring(item.content or "", create_parent="div")
    blocks: list[Block] = []
    for element in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote"):
        text = " ".join(element.text_content().split())
        if not text:
            continue
        if element.tag.startswith("h"):
            blocks.append(Block("heading", text, int(element.tag[1])))
        elif element.tag == "li":
            blocks.append(Block("item", text))
        elif element.tag == "p" or not element.findall(".//p"):
            blocks.append(Block("para", text))
    if not blocks:  # text without paragraph tags
        text = decode_text(_plain(item.content or "").encode("utf-8"), item.link or item.source)
        blocks = [Block("para", text)]
    return assemble(blocks, item.link or item.source, title=item.title, date=(item.published or "")[:10] or None,
                    publisher=item.credit or None, language=language or item.language)


def item_article(item: Item, language: str | None = None, timeout: float = FETCH_TIMEOUT) -> Article:
    """The article behind *item*: its file, the feed's full text, or its page (with build's limits)."""
    from ..article import load_article

    language = language or item.language
    if item.path:
        return load_article(item.path, language=language)
    if item.content and len(_plain(item.content).split()) >= FULL_TEXT_WORDS or item.content and not item.link:
        return fragment_article(item, language)
    if not item.link:
        raise PodcastError(f"{item.title!r} has no page and no text in its feed")
    return load_article(item.link, language=language, timeout=timeout)
