"""An episode as the feed sees it, from the record or from its manifest file on disk."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PodcastError
from ..records import Chapter, Episode, episode_guid, episode_summary, parse_chapters_json

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class FeedEpisode:
    """Everything an RSS item says about one episode, gathered from its manifest."""

    guid: str
    title: str
    audio: Path
    audio_size: int
    duration: float
    language: str
    date: str | None
    summary: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    source: str = ""
    transcript: Path | None = None
    chapters_json: Path | None = None


def _locate(value: Any, manifest_dir: Path | None, what: str, manifest_name: str) -> Path:
    """A file the manifest names: as written, else next to the manifest (built elsewhere)."""
    if not value:
        raise PodcastError(f"manifest {manifest_name} names no {what}")
    path = Path(str(value)).expanduser()
    if path.is_file():
        return path
    if manifest_dir is not None and (manifest_dir / path.name).is_file():
        return manifest_dir / path.name
    raise PodcastError(f"{what} not found: {path} (named in {manifest_name})")


def _read_chapters(path: Path) -> tuple[Chapter, ...]:
    """The chapters of a Podcasting 2.0 chapters JSON file (records.parse_chapters_json)."""
    try:
        return parse_chapters_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PodcastError(f"not a valid chapters JSON: {path} ({exc.__class__.__name__}: {exc})") from None


def load_manifest(manifest: Path | str) -> dict:
    """The JSON object of an ``.episode.json`` file."""
    path = Path(manifest)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise PodcastError(f"manifest not found: {path}") from None
    except IsADirectoryError:
        raise PodcastError(f"manifest is a directory, not a file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PodcastError(f"cannot read manifest {path}: {exc}") from None
    except ValueError as exc:
        raise PodcastError(f"manifest is not valid JSON: {path} ({exc})") from None
    if not isinstance(data, dict):
        raise PodcastError(f"manifest is not a JSON object: {path}")
    return data


def feed_episode(source: Episode | Mapping | Path | str) -> FeedEpisode:
    """Gather what the feed needs from an Episode (in memory), a manifest dict or a manifest file."""
    if isinstance(source, Episode):
        return _episode_in_memory(source)
    from ..script import Script

    manifest_dir: Path | None = None
    name = "manifest"
    if isinstance(source, (str, Path)):
        manifest_dir, name = Path(source).parent, str(source)
        data = load_manifest(source)
    else:
        data = dict(source)
    audio = _locate(data.get("audio"), manifest_dir, "audio file", name)
    script = Script.load(_locate(data.get("script"), manifest_dir, "script", name))
    try:
        duration = float(data["duration"])
    except (KeyError, TypeError, ValueError):
        raise PodcastError(f"manifest {name} has no valid duration") from None
    transcript = _locate(data["transcript"], manifest_dir, "transcript", name) if data.get("transcript") else None
    chapters_json = _locate(data["chapters"], manifest_dir, "chapters", name) if data.get("chapters") else None
    return FeedEpisode(
        guid=str(data.get("guid") or episode_guid(script)),
        title=str(data.get("title") or script.title),
        audio=audio,
        audio_size=audio.stat().st_size,
        duration=duration,
        language=script.language,
        date=script.date,
        summary=episode_summary(script.title, script.segments),
        chapters=_read_chapters(chapters_json) if chapters_json else (),
        source=script.source,
        transcript=transcript,
        chapters_json=chapters_json,
    )


def _episode_in_memory(episode: Episode) -> FeedEpisode:
    """An episode just built: everything is in the record; only the MP3's size is read from disk."""
    audio = Path(episode.audio)
    try:
        size = audio.stat().st_size
    except OSError:
        raise PodcastError(f"audio file not found: {audio}") from None
    return FeedEpisode(
        guid=episode.guid,
        title=episode.title,
        audio=audio,
        audio_size=size,
        duration=episode.duration,
        language=episode.language,
        date=episode.date,
        summary=episode.summary or (episode.title,),
        chapters=tuple(episode.chapters),
        source=episode.source,
        transcript=episode.transcript,
        chapters_json=episode.chapters_json,
    )
