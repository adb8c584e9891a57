"""Configuration: the one place that reads environment variables and podcast.toml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

APP_NAME = "podcast"
DEFAULT_SHOW_NAME = "Het Nieuws in het Kort"
DEFAULT_OUT_DIR = Path("output")


@dataclass(frozen=True)
class Environment:
    """Settings taken from environment variables, read once per process."""

    cache_dir: Path | None
    ffmpeg: str | None
    offline: bool


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Read the PODCAST_* environment variables once."""
    cache = os.environ.get("PODCAST_CACHE_DIR")
    return Environment(
        cache_dir=Path(cache).expanduser() if cache else None,
        ffmpeg=os.environ.get("PODCAST_FFMPEG") or None,
        offline=os.environ.get("PODCAST_OFFLINE", "").lower() in {"1", "true", "yes"},
    )


def resolve_cache_dir(option: Path | str | None = None) -> Path:
    """The clip cache: ``--cache-dir``, else ``$PODCAST_CACHE_DIR``, else the user cache dir."""
    if option:
        return Path(option).expanduser()
    env = environment().cache_dir
    if env:
        return env
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME)) / "clips"
