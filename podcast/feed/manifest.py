"""The episode a feed publishes: the record as built, or read back from its manifest file.

The manifest is written by ``Episode.to_manifest`` (records.py, the bottom layer, where
every stage can reach it) and read here, where the script it names can be loaded too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import PodcastError
from ..records import Chapter, Episode, episode_guid, episode_summary, parse_chapters_json


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


def feed_episode(source: Episode | Mapping | Path | str) -> Episode:
    """The episode to publish, as one :class:`~podcast.records.Episode`: the record as built,
    or read back from a manifest dict or file (with its script, for what the feed says)."""
    if isinstance(source, Episode):
        if not Path(source.audio).is_file():
            raise PodcastError(f"audio file not found: {source.audio}")
        return replace(source, summary=source.summary or (source.title,))
    from ..script import Script

    manifest_dir: Path | None = None
    name = "manifest"
    if isinstance(source, (str, Path)):
        manifest_dir, name = Path(source).parent, str(source)
        data = load_manifest(source)
    else:
        data = dict(source)
    audio = _locate(data.get("audio"), manifest_dir, "audio file", name)
    script_path = _locate(data.get("script"), manifest_dir, "script", name)
    script = Script.load(script_path)
    try:
        duration = float(data["duration"])
    except (KeyError, TypeError, ValueError):
        raise PodcastError(f"manifest {name} has no valid duration") from None
    transcript = _locate(data["transcript"], manifest_dir, "transcript", name) if data.get("transcript") else None
    chapters_json = _locate(data["chapters"], manifest_dir, "chapters", name) if data.get("chapters") else None
    return Episode(
        audio=audio,
        duration=duration,
        title=str(data.get("title") or script.title),
        engine=str(data.get("engine") or ""),
        script=script_path,
        guid=str(data.get("guid") or episode_guid(script)),
        manifest=Path(name) if manifest_dir is not None else Path(),
        chapters=_read_chapters(chapters_json) if chapters_json else (),
        transcript=transcript,
        chapters_json=chapters_json,
        loudness_lufs=data.get("loudness_lufs"),
        true_peak_dbtp=data.get("true_peak_dbtp"),
        language=script.language,
        date=script.date,
        source=script.source,
        summary=episode_summary(script.title, script.segments),
    )
