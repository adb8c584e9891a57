"""Transcripts (WebVTT, SRT) and Podcasting 2.0 chapters from where the clips really landed.

Each spoken segment's text is cut into sentences, the sentences into lines of at most
:data:`MAX_LINE` characters, and the lines into cues of at most two lines. A segment's
cues share its clip's real time span in proportion to their length (speech engines
read at a steady pace), so cue times follow the audio, not a guess of the reading speed.
Stings and music get a ``[muziek]`` cue, so the transcript covers the episode to its end.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .fsutil import atomic_write_text
from .records import Chapter

#: Longest line of a cue, in characters.
MAX_LINE = 65
#: Most lines in one cue.
MAX_CUE_LINES = 2
#: What a cue says while only music plays, per language.
MUSIC_LABEL: dict[str, str] = {"nl": "[muziek]", "en": "[music]"}
CHAPTERS_VERSION = "1.2.0"

_SENTENCE_END = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9À-Ý])")


@dataclass(frozen=True)
class Cue:
    """A caption: from *start* to *end* seconds, one or two lines of text."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class SpokenText:
    """What one clip says and where it sits in the episode."""

    text: str
    start: float
    end: float


def split_sentences(text: str) -> list[str]:
    """Sentences of *text*: cut after ., ! or ? when a capital or digit follows."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def wrap_lines(text: str, width: int = MAX_LINE) -> list[str]:
    """*text* as lines of at most *width* characters, cut between words where possible."""
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)


def caption_blocks(text: str, width: int = MAX_LINE, lines_per_cue: int = MAX_CUE_LINES) -> list[str]:
    """The cue texts of a segment: each sentence in groups of at most *lines_per_cue* lines."""
    blocks: list[str] = []
    for sentence in split_sentences(text):
        lines = wrap_lines(sentence, width)
        blocks.extend("\n".join(lines[i:i + lines_per_cue]) for i in range(0, len(lines), lines_per_cue))
    return blocks


def segment_cues(spoken: SpokenText, width: int = MAX_LINE) -> list[Cue]:
    """Cues for one clip, sharing its time span in proportion to their length."""
    blocks = caption_blocks(spoken.text, width)
    if not blocks:
        return []
    weights = [len(b) + 1 for b in blocks]
    total = sum(weights)
    span = spoken.end - spoken.start
    cues, elapsed = [], 0
    for block, weight in zip(blocks, weights, strict=True):
        start = spoken.start + span * elapsed / total
        elapsed += weight
        cues.append(Cue(round(start, 3), round(spoken.start + span * elapsed / total, 3), block))
    return cues


def build_cues(spoken: Sequence[SpokenText], music: Sequence[tuple[float, float]] = (),
               language: str = "nl", width: int = MAX_LINE) -> tuple[Cue, ...]:
    """All cues of an episode in time order: the speech, and a label for each music stretch."""
    label = MUSIC_LABEL.get(language, MUSIC_LABEL["en"])
    cues = [c for s in spoken for c in segment_cues(s, width)]
    cues += [Cue(round(start, 3), round(end, 3), label) for start, end in music]
    return tuple(sorted(cues, key=lambda c: (c.start, c.end)))


def timestamp(seconds: float, decimal: str = ".") -> str:
    """``3723.5`` -> ``01:02:03.500`` (WebVTT) or ``01:02:03,500`` with ``decimal=","`` (SRT)."""
    millis = max(0, int(round(seconds * 1000)))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"


def _vtt_escape(text: str) -> str:
    """WebVTT cue text: &, < and > escaped, and no ``-->`` inside."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("--&gt;", "—&gt;")


def to_webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT document of *cues*."""
    parts = ["WEBVTT", ""]
    for number, cue in enumerate(cues, start=1):
        parts += [str(number), f"{timestamp(cue.start)} --> {timestamp(cue.end)}", _vtt_escape(cue.text), ""]
    return "\n".join(parts)


def to_srt(cues: Sequence[Cue]) -> str:
    """A SubRip (SRT) document of *cues*."""
    parts = []
    for number, cue in enumerate(cues, start=1):
        text = cue.text.replace("-->", "->")
        parts += [str(number), f"{timestamp(cue.start, ',')} --> {timestamp(cue.end, ',')}", text, ""]
    return "\n".join(parts)


def chapters_document(chapters: Sequence[Chapter]) -> dict:
    """The Podcasting 2.0 chapters object: ``version`` and ``chapters[]`` with start and end."""
    return {
        "version": CHAPTERS_VERSION,
        "chapters": [_chapter_entry(c) for c in chapters],
    }


def _chapter_entry(chapter: Chapter) -> dict:
    entry: dict = {"startTime": round(chapter.start, 3), "endTime": round(chapter.end, 3), "title": chapter.title}
    if chapter.url:
        entry["url"] = chapter.url
    return entry


def to_chapters_json(chapters: Sequence[Chapter]) -> str:
    return json.dumps(chapters_document(chapters), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class TranscriptFiles:
    """The files written next to an episode's MP3."""

    vtt: Path
    srt: Path
    chapters: Path


def write_transcripts(stem: Path, cues: Sequence[Cue], chapters: Sequence[Chapter]) -> TranscriptFiles:
    """Write ``<stem>.vtt``, ``<stem>.srt`` and ``<stem>.chapters.json`` atomically."""
    stem = Path(stem)
    return TranscriptFiles(
        vtt=atomic_write_text(stem.with_name(stem.name + ".vtt"), to_webvtt(cues)),
        srt=atomic_write_text(stem.with_name(stem.name + ".srt"), to_srt(cues)),
        chapters=atomic_write_text(stem.with_name(stem.name + ".chapters.json"), to_chapters_json(chapters)),
    )
