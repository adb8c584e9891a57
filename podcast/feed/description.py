"""An item's description: the summary, the chapters and the source, as text and as HTML."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..records import Chapter, Episode
from .vocabulary import clock

if TYPE_CHECKING:
    pass


#: Words in item descriptions, per script language.
DESCRIPTION_LABELS: dict[str, dict[str, str]] = {
    "nl": {"chapters": "Hoofdstukken", "source": "Bron"},
    "en": {"chapters": "Chapters", "source": "Source"},
}


#: Room for the summary in an item description; chapters and source come on top.
SUMMARY_MAX_CHARS = 3000


def fit_summary(paragraphs: tuple[str, ...], limit: int = SUMMARY_MAX_CHARS) -> tuple[str, ...]:
    """The first paragraphs that fit in *limit* characters; a cut one ends in an ellipsis.

    A read-out of a whole article would otherwise exceed what apps show (Apple: 4000).
    """
    kept: list[str] = []
    used = 0
    for text in paragraphs:
        if used + len(text) <= limit:
            kept.append(text)
            used += len(text) + 1
            continue
        room = limit - used
        if room > 40:
            kept.append(text[:room].rsplit(" ", 1)[0].rstrip(",;:") + "…")
        break
    return tuple(kept)


def description_text(episode: Episode) -> str:
    """The item description in plain text: the summary, then the chapters with start times."""
    labels = DESCRIPTION_LABELS.get(episode.language, DESCRIPTION_LABELS["en"])
    parts = [" ".join(fit_summary(episode.summary))]
    if episode.chapters:
        lines = [f"{clock(c.start)} {c.title}" + (f" ({c.url})" if c.url else "") for c in episode.chapters]
        parts.append(f"{labels['chapters']}:\n" + "\n".join(lines))
    if episode.source.startswith(("http://", "https://")):
        parts.append(f"{labels['source']}: {episode.source}")
    return "\n\n".join(p for p in parts if p.strip())


def description_html(episode: Episode) -> str:
    """The same description as HTML for content:encoded (escaped here once, by lxml again)."""
    labels = DESCRIPTION_LABELS.get(episode.language, DESCRIPTION_LABELS["en"])
    parts = [f"<p>{html.escape(text)}</p>" for text in fit_summary(episode.summary)]
    if episode.chapters:
        items = "".join(f"<li>{clock(c.start)} {_chapter_html(c)}</li>" for c in episode.chapters)
        parts.append(f"<p>{html.escape(labels['chapters'])}:</p><ul>{items}</ul>")
    if episode.source.startswith(("http://", "https://")):
        url = html.escape(episode.source, quote=True)
        parts.append(f'<p>{html.escape(labels["source"])}: <a href="{url}">{url}</a></p>')
    return "".join(parts)


def _chapter_html(chapter: Chapter) -> str:
    """A chapter's title, linked to its page when it has one."""
    if not chapter.url:
        return html.escape(chapter.title)
    return f'<a href="{html.escape(chapter.url, quote=True)}">{html.escape(chapter.title)}</a>'
