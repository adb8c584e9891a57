"""Stage 1: load an article from a file, URL or stdin and clean away page debris."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import PodcastError

DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Section:
    """A heading (None for the lead) and its paragraphs."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A cleaned article: what every later stage reads."""

    title: str
    date: str | None
    sections: tuple[Section, ...]
    source: str
    language: str = "nl"
    headline_from_page: bool = field(default=False, compare=False)

    @property
    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def read_source_bytes(source: str) -> tuple[bytes, str]:
    """Read raw bytes from a path, or from stdin when *source* is ``-``."""
    if source == "-":
        return sys.stdin.buffer.read(), "stdin"
    path = Path(source)
    if not path.exists():
        raise PodcastError(f"article not found: {source}")
    if path.is_dir():
        raise PodcastError(f"article is a directory, not a file: {source}")
    try:
        return path.read_bytes(), str(path)
    except OSError as exc:
        raise PodcastError(f"cannot read article {source}: {exc.strerror}") from None


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252; refuse binary data."""
    if not data.strip():
        raise PodcastError(f"article is empty: {name}")
    if b"\x00" in data[:4096]:
        raise PodcastError(f"article is not a text file (binary data): {name}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.05 * min(len(text), 4096):
        raise PodcastError(f"article is not a text file (binary data): {name}")
    if not text.strip():
        raise PodcastError(f"article is empty: {name}")
    return text


def parse_plain_text(text: str, source: str) -> Article:
    """Split plain text into date, title, sections and paragraphs."""
    date = None
    match = DATE_MARKER.match(text)
    if match:
        date = match.group(1)
        text = text[match.end():]
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.strip())]
    blocks = [b for b in blocks if b]
    if not blocks:
        raise PodcastError(f"article has no text: {source}")
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for block in blocks:
        if is_heading(block):
            if paragraphs or heading is not None:
                sections.append(Section(heading, tuple(paragraphs)))
            heading, paragraphs = block, []
        else:
            paragraphs.append(block)
    sections.append(Section(heading, tuple(paragraphs)))
    title = ""
    if sections[0].heading:
        # A heading-like first line is the page's headline; its paragraphs are the lead.
        title = sections[0].heading
        sections[0] = Section(None, sections[0].paragraphs)
    sections = [s for s in sections if s.paragraphs]
    if not sections:
        raise PodcastError(f"article has no text: {source}")
    if not title:
        title = derive_title(sections[0].paragraphs[0])
    return Article(title=title, date=date, sections=tuple(sections), source=source)


def is_heading(block: str) -> bool:
    """A short line without closing punctuation reads as a heading."""
    return len(block) <= 90 and len(block.split()) <= 12 and not block.rstrip().endswith((".", "!", "?", ":", ";", ","))


def derive_title(lead: str) -> str:
    """A title from the lead's first sentence, when the page has no headline."""
    first = re.split(r"(?<=[.!?])\s+", lead, maxsplit=1)[0].rstrip(".!? ")
    words = first.split()
    if len(words) > 14:
        first = " ".join(words[:12]) + "…"
    return first


def load_article(source: str) -> Article:
    """Load and clean an article from a path or ``-`` (stdin)."""
    data, name = read_source_bytes(source)
    text = decode_text(data, name)
    return parse_plain_text(text, name)
