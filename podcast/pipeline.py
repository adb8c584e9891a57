"""The whole job, stage after stage: what the CLI, batch jobs and tests all call."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .article import load_article
from .config import DEFAULT_OUT_DIR, DEFAULT_SHOW_NAME
from .fsutil import atomic_write_text, ensure_writable_dir, slugify
from .script import Script, write_script
from .summarize import summarize

#: Namespace for episode GUIDs: the same article always gets the same GUID.
EPISODE_NAMESPACE = uuid.UUID("5b0c3a6e-8f0e-5d7a-9a35-6e0d3c1f2b41")


@dataclass(frozen=True)
class Chapter:
    """A chapter of the finished episode, in seconds."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Episode:
    """A finished episode and the files that came with it."""

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
    extra: dict[str, str] = field(default_factory=dict)

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
            **self.extra,
        }


def episode_stem(script: Script) -> str:
    """The file-name stem: the article's date (if any) and an ASCII slug of its title."""
    slug = slugify(script.title)
    return f"{script.date}-{slug}" if script.date else slug


def episode_guid(script: Script) -> str:
    """A GUID that stays the same when the same article is rebuilt."""
    return str(uuid.uuid5(EPISODE_NAMESPACE, f"{script.date or ''}|{script.title.strip()}"))


def make_script(source: str, length: float = 75.0, show: str = DEFAULT_SHOW_NAME) -> Script:
    """Article -> summary -> script, without speaking it."""
    article = load_article(source)
    summary = summarize(article, length=length)
    return write_script(summary, show=show)


def render_episode(
    script: Script,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    engine: str = "auto",
    cache_dir: Path | str | None = None,
    bitrate: str = "96k",
    notice=None,
) -> Episode:
    """Speak *script* and produce the MP3, script JSON and manifest in *out_dir*."""
    from .audio import Tags, produce_episode
    from .speech import speak_script

    out = ensure_writable_dir(Path(out_dir))
    stem = episode_stem(script)
    kwargs = {"notice": notice} if notice else {}
    spoken = speak_script(script, engine=engine, cache_dir=Path(cache_dir) if cache_dir else None, **kwargs)
    script_path = atomic_write_text(out / f"{stem}.script.json", script.to_json())
    tags = Tags(
        title=script.title,
        artist=script.show,
        album=script.show,
        date=script.date,
        comment=f"Bron: {script.source}" if script.source else "",
        language=script.language,
    )
    produced = produce_episode(
        [(clip.path, seg.kind) for clip, seg in zip(spoken.clips, script.segments, strict=True)],
        out / f"{stem}.mp3",
        tags,
        bitrate=bitrate,
    )
    chapters = _chapters(script, produced)
    episode = Episode(
        audio=produced.path,
        duration=produced.duration,
        title=script.title,
        engine=spoken.engine,
        script=script_path,
        guid=episode_guid(script),
        manifest=out / f"{stem}.episode.json",
        chapters=chapters,
    )
    atomic_write_text(episode.manifest, json.dumps(episode.to_manifest(), ensure_ascii=False, indent=2) + "\n")
    return episode


def _chapters(script: Script, produced) -> tuple[Chapter, ...]:
    """Merge consecutive segments with the same chapter title; chapters tile the episode."""
    chapters: list[Chapter] = []
    for placed in produced.placements:
        title = script.segments[placed.index].chapter
        if chapters and chapters[-1].title == title:
            continue
        start = 0.0 if not chapters else placed.start
        chapters.append(Chapter(title, start, produced.duration))
    tiled = [
        Chapter(c.title, c.start, chapters[i + 1].start if i + 1 < len(chapters) else produced.duration)
        for i, c in enumerate(chapters)
    ]
    return tuple(tiled)


def build_episode(
    source: str,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    engine: str = "auto",
    cache_dir: Path | str | None = None,
    length: float = 75.0,
    show: str = DEFAULT_SHOW_NAME,
    bitrate: str = "96k",
    notice=None,
) -> Episode:
    """Article in, episode out: ``script`` then ``render``."""
    ensure_writable_dir(Path(out_dir))
    script = make_script(source, length=length, show=show)
    return render_episode(script, out_dir, engine=engine, cache_dir=cache_dir, bitrate=bitrate, notice=notice)
