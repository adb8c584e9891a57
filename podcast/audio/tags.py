"""ID3v2.4 tags and chapters: where chapters fall, and writing them into the MP3."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..records import Chapter
from .mix import Part, Placed


@dataclass(frozen=True)
class Tags:
    """ID3 metadata for the episode."""

    title: str
    artist: str
    album: str
    date: str | None = None
    genre: str = "Podcast"
    comment: str = ""
    language: str = "nl"



def place_chapters(parts: Sequence[Part], placements: Sequence[Placed], duration: float) -> tuple[Chapter, ...]:
    """Chapters from the clips' real positions: consecutive clips of one chapter merge.

    The first chapter starts at 0 (it holds the intro sting); every later one starts
    halfway through the pause before its first words, and each ends where the next
    begins, the last at the end of the audio.
    """
    starts: list[tuple[str, float]] = []
    previous_end = 0.0
    for placed in placements:
        title = parts[placed.index].chapter or parts[placed.index].kind
        if not starts or starts[-1][0] != title:
            start = 0.0 if not starts else (previous_end + placed.start) / 2
            starts.append((title, math.floor(start * 1000) / 1000))
        previous_end = placed.end
    end_ms = math.floor(duration * 1000) / 1000
    return tuple(
        Chapter(title, start, starts[i + 1][1] if i + 1 < len(starts) else end_ms)
        for i, (title, start) in enumerate(starts)
    )



def write_tags(path: Path, tags: Tags, chapters: Sequence[Chapter] = (),
               cover: tuple[bytes, str] | None = None) -> None:
    """Write ID3v2.4: text frames, cover art (APIC) and chapters (CTOC + CHAP).

    Version 2.4, because its TDRC frame holds a date like ``2024-08`` whole (2.3's
    TYER keeps only the year) and its text may be UTF-8.
    """
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        PRIV,
        TALB,
        TCON,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        CTOCFlags,
        ID3NoHeaderError,
        PictureType,
    )

    try:
        id3 = ID3(str(path))
    except ID3NoHeaderError:
        id3 = ID3()
    language = "dut" if tags.language == "nl" else "eng"
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TCON(encoding=3, text=tags.genre))
    if tags.date:
        id3.add(TDRC(encoding=3, text=tags.date))
    if tags.comment:
        id3.add(COMM(encoding=3, lang=language, desc="", text=tags.comment))
    id3.add(TLAN(encoding=3, text=language))
    if cover:
        data, mime = cover
        id3.add(APIC(encoding=3, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=data))
    if chapters:
        ids = chapter_element_ids(len(chapters))
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=3, text="Chapters")]))
        longest = max(len(c.title.encode("utf-16-le")) for c in chapters)
        for element_id, chapter in zip(ids, chapters, strict=True):
            # mutagen writes frames of equal rank shortest first, then by element ID. With
            # titles in UTF-16 (two bytes a character, however they are saved) and a PRIV
            # sub-frame (players ignore it) taking up the difference, every CHAP has one
            # length, so the equal-width IDs keep them in time order in the file, as
            # ffprobe lists them.
            padding = PRIV(owner=CHAPTER_PADDING_OWNER,
                           data=b"\0" * (longest - len(chapter.title.encode("utf-16-le"))))
            id3.add(CHAP(element_id=element_id, start_time=int(round(chapter.start * 1000)),
                         end_time=int(round(chapter.end * 1000)), start_offset=0xFFFFFFFF,
                         end_offset=0xFFFFFFFF, sub_frames=[TIT2(encoding=1, text=chapter.title), padding]))
    id3.save(str(path), v2_version=4)


CHAPTER_PADDING_OWNER = "podcast:padding"


def chapter_element_ids(count: int) -> list[str]:
    """``ch00``, ``ch01``, …: IDs of one width, so they sort in chapter order."""
    width = max(2, len(str(count - 1)))
    return [f"ch{i:0{width}d}" for i in range(count)]
