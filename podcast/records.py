"""The pipeline's finished records: chapters, the episode, and the GUID that names it.

Every stage after speech and every consumer (publishing, batches, workers, the site)
reads these, so they live apart from the code that makes them: nothing here imports a
stage, and nothing needs to reach back into the pipeline for them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .fsutil import slugify

#: Namespace for episode GUIDs: the same article always gets the same GUID.
EPISODE_NAMESPACE = uuid.UUID("5b0c3a6e-8f0e-5d7a-9a35-6e0d3c1f2b41")
#: Segment kinds whose text is the episode's summary (the intro and outro are the show's).
SUMMARY_KINDS = ("lead", "point", "section")


class Titled(Protocol):
    """What names an episode: an article's title and date (a Script has both)."""

    title: str
    date: str | None


@dataclass(frozen=True)
class Chapter:
    """A chapter of the finished episode, in seconds (whole milliseconds)."""

    title: str
    start: float
    end: float
    #: The page a chapter tells about (a bulletin's story), for the chapters JSON and the feed.
    url: str | None = None


def parse_chapters_json(text: str, duration: float | None = None) -> tuple[Chapter, ...]:
    """The chapters of a Podcasting 2.0 chapters JSON, in time order, as :class:`Chapter` records.

    Each ends where the next starts, the last at *duration* (else where it starts). The one
    reader of that file, for the feed and the site alike; a malformed one raises ValueError,
    KeyError or TypeError, which each caller words its own way.
    """
    marks = sorted(
        ((float(c["startTime"]), str(c.get("title") or ""), str(c["url"]) if c.get("url") else None)
         for c in json.loads(text)["chapters"]),
        key=lambda mark: mark[0],
    )
    ends = [start for start, _, _ in marks[1:]] + [duration or (marks[-1][0] if marks else 0.0)]
    return tuple(Chapter(title, start, max(start, end), url) for (start, title, url), end in zip(marks, ends, strict=True))


@dataclass(frozen=True)
class Episode:
    """A finished episode, the files that came with it, and what a feed says of it."""

    audio: Path
    duration: float
    title: str
    engine: str
    script: Path
    guid: str
    manifest: Path
    chapters: tuple[Chapter, ...] = ()
    transcript: Path | None = None
    chapters_json: Path | None = None
    #: As ffmpeg's ebur128 measured the final MP3.
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    #: Segments whose speech came from the clip cache rather than the engine.
    clips_cached: int = 0
    language: str = "nl"
    #: The article's date (ISO), its source (path or URL) and the summary's sentences.
    date: str | None = None
    source: str = ""
    summary: tuple[str, ...] = ()

    def to_manifest(self) -> dict:
        """The JSON object ``build --json`` prints and ``publish`` reads."""
        return {
            "audio": str(self.audio),
            "duration": round(self.duration, 3),
            "title": self.title,
            "engine": self.engine,
            "script": str(self.script),
            "transcript": str(self.transcript) if self.transcript else None,
            "chapters": str(self.chapters_json) if self.chapters_json else None,
            "guid": self.guid,
            "language": self.language,
            "date": self.date,
            "loudness_lufs": self.loudness_lufs,
            "true_peak_dbtp": self.true_peak_dbtp,
        }


class Spoken(Protocol):
    """A segment of a script: its kind and its text."""

    kind: str
    text: str


def episode_summary(title: str, segments: Iterable[Spoken]) -> tuple[str, ...]:
    """What a feed says the episode tells: the lead, points and sections; the title when there are none.

    A bulletin (segments with a ``story`` index) is summed up by its stories' headlines.
    """
    segments = list(segments)
    headlines = tuple(s.text for s in segments
                      if s.kind == "headline" and getattr(s, "story", None) is not None and s.text.strip())
    return headlines or tuple(s.text for s in segments if s.kind in SUMMARY_KINDS and s.text.strip()) or (title,)


def episode_stem(titled: Titled) -> str:
    """The file-name stem: the article's date (if any) and an ASCII slug of its title."""
    slug = slugify(titled.title)
    return f"{titled.date}-{slug}" if titled.date else slug


def episode_guid(titled: Titled) -> str:
    """A GUID that stays the same when the same article is rebuilt: its date and title."""
    return str(uuid.uuid5(EPISODE_NAMESPACE, f"{titled.date or ''}|{titled.title.strip()}"))
