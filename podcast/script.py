"""Stage 3: turn a summary into a script of spoken segments, with chapters."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .config import DEFAULT_SHOW_NAME
from .errors import PodcastError
from .lang import get_language
from .summarize import Summary

CHAPTER_MAX_CHARS = 60


@dataclass(frozen=True)
class Segment:
    """One stretch of speech: its kind, its readable text, its chapter title."""

    kind: str
    text: str
    chapter: str
    #: In a bulletin, the index of the story (in ``Script.stories``) this segment tells.
    story: int | None = None

    def to_data(self) -> dict:
        data: dict = {"kind": self.kind, "text": self.text, "chapter": self.chapter}
        if self.story is not None:
            data["story"] = self.story
        return data


@dataclass(frozen=True)
class ScriptStory:
    """A story a bulletin tells: its headline, its link, and who carried it."""

    title: str
    url: str | None
    sources: tuple[str, ...]

    def to_data(self) -> dict:
        return {"title": self.title, "url": self.url, "sources": list(self.sources)}


@dataclass(frozen=True)
class Script:
    """What the episode says, in order. JSON in and out."""

    title: str
    language: str
    date: str | None
    segments: tuple[Segment, ...]
    show: str = DEFAULT_SHOW_NAME
    source: str = ""
    #: A bulletin's stories; segments point into it with their ``story`` index.
    stories: tuple[ScriptStory, ...] = ()

    def to_json(self) -> str:
        data = {
            "title": self.title,
            "language": self.language,
            "date": self.date,
            "show": self.show,
            "source": self.source,
            "segments": [s.to_data() for s in self.segments],
        }
        if self.stories:
            data["stories"] = [s.to_data() for s in self.stories]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def chapter_urls(self) -> dict[str, str]:
        """Each story chapter's title and the story's link (chapters without a story have none)."""
        urls: dict[str, str] = {}
        for seg in self.segments:
            if seg.story is not None and 0 <= seg.story < len(self.stories):
                url = self.stories[seg.story].url
                if url:
                    urls.setdefault(seg.chapter, url)
        return urls

    @classmethod
    def from_json(cls, text: str, name: str = "script") -> Script:
        try:
            data = json.loads(text)
            segments = tuple(
                Segment(kind=str(s["kind"]), text=str(s["text"]), chapter=str(s.get("chapter") or s["kind"]),
                        story=None if s.get("story") is None else int(s["story"]))
                for s in data["segments"]
            )
            stories = tuple(
                ScriptStory(title=str(s["title"]), url=str(s["url"]) if s.get("url") else None,
                            sources=tuple(str(x) for x in s.get("sources") or ()))
                for s in data.get("stories") or ()
            )
            script = cls(
                title=str(data["title"]),
                language=str(data.get("language") or "nl"),
                date=data.get("date"),
                segments=segments,
                show=str(data.get("show") or DEFAULT_SHOW_NAME),
                source=str(data.get("source") or ""),
                stories=stories,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise PodcastError(f"not a valid script JSON: {name} ({exc.__class__.__name__}: {exc})") from None
        if not any(s.text.strip() for s in script.segments):
            raise PodcastError(f"script has no text to speak: {name}")
        return script

    @classmethod
    def load(cls, path: Path | str) -> Script:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PodcastError(f"script not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PodcastError(f"cannot read script {path}: {exc}") from None
        return cls.from_json(text, str(path))


def spoken_date(iso: str | None, language: str = "nl") -> str | None:
    """``2024-08-12`` -> ``12 augustus 2024``; ``2024-08`` -> ``augustus 2024`` (in the script's language)."""
    parts = _date_parts(iso)
    if not parts:
        return None
    year, month, day = parts
    months = get_language(language).module.MONTHS
    if day is None:
        return f"{months[month - 1]} {year}"
    if language == "en":
        return f"{months[month - 1]} {day}, {year}"
    return f"{day} {months[month - 1]} {year}"


def _date_parts(iso: str | None) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of an ISO date, or None when it is not one."""
    if not iso:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", iso.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.group(3) else None
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    return year, month, day


def intro_text(show: str, iso: str | None, language: str) -> str:
    """The intro: the show's name and the article's date, spoken in the script's language."""
    lang = get_language(language)
    t = lang.templates
    parts = _date_parts(iso)
    if not parts:
        return t["intro_undated"].format(show=show)
    year, month, day = parts
    date = spoken_date(iso, language)
    if day is None:
        return t["intro_month"].format(show=show, date=date)
    weekday = lang.module.WEEKDAYS[datetime.date(year, month, day).weekday()]
    return t["intro_day"].format(show=show, date=date, weekday=weekday)


def source_name(source: str, publisher: str | None = None) -> str | None:
    """Who to credit in the outro: the publisher, else a URL's site; None for files and stdin.

    A file's name is no credit ("000_0bce933cc10b940a" says nothing to a listener).
    """
    if publisher:
        return publisher
    if source.startswith(("http://", "https://")):
        from urllib.parse import urlparse

        host = urlparse(source).hostname or ""
        return host.removeprefix("www.") or None
    return None


def headline_text(title: str) -> str:
    """The headline as a spoken sentence: closing punctuation added when it has none."""
    title = " ".join(title.split())
    return title if title.endswith((".", "!", "?", "…")) else f"{title}."


def chapter_title(text: str) -> str:
    """A chapter title short enough for a podcast app's list."""
    text = " ".join(text.split()).rstrip(".")
    if len(text) <= CHAPTER_MAX_CHARS:
        return text
    cut = text[:CHAPTER_MAX_CHARS].rsplit(" ", 1)[0]
    return f"{cut}…"


def opening_segments(title: str, date: str | None, language: str, show: str) -> list[Segment]:
    """The intro (the show and the date in words) and the headline, in its own chapter."""
    t = get_language(language).templates
    return [
        Segment("intro", intro_text(show, date, language), t["chapter_intro"]),
        Segment("headline", t["headline"].format(title=headline_text(title)), headline_chapter(title, language)),
    ]


def headline_chapter(title: str, language: str) -> str:
    return chapter_title(title) or get_language(language).templates["chapter_headline"]


def outro_segment(source: str, publisher: str | None, language: str, show: str) -> Segment:
    """The outro, crediting the publisher or the site (or "the original article")."""
    t = get_language(language).templates
    credit = source_name(source, publisher)
    outro = t["outro"].format(show=show, source=credit) if credit else t["outro_unknown_source"].format(show=show)
    return Segment("outro", outro, t["chapter_outro"])


def compose_script(summary: Summary, show: str = DEFAULT_SHOW_NAME) -> Script:
    """Wrap the key points in an intro, headline and outro, with chapters.

    The headline and the lead share the headline's chapter; each further point
    takes its section's heading as chapter (so points from one section form one
    chapter), or the headline's chapter when it comes from the lead section.
    """
    lang = get_language(summary.language)
    t = lang.templates
    segments = opening_segments(summary.title, summary.date, lang.code, show)
    first_chapter = segments[-1].chapter
    for n, point in enumerate(summary.points, start=1):
        kind = "lead" if n == 1 else "point"
        if n == 1:
            chapter = first_chapter
        elif point.heading:
            chapter = chapter_title(point.heading)
        elif point.section == 0:
            chapter = first_chapter
        else:
            chapter = t["chapter_point"].format(n=n)
        segments.append(Segment(kind, point.text, chapter))
    segments.append(outro_segment(summary.source, summary.publisher, lang.code, show))
    return Script(
        title=summary.title,
        language=lang.code,
        date=summary.date,
        segments=tuple(segments),
        show=show,
        source=summary.source,
    )


#: The name ``compose_script`` had until it said what it does (it writes no file); kept for callers.
write_script = compose_script
