"""Stage 4: speak a script's segments with one engine, through the clip cache."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import PodcastError
from ..lang import get_language
from ..script import Script
from .base import Audio, Availability, Clip, Engine, EngineUnavailable, Registry, Voice
from .cache import ClipCache, clip_key, wav_duration

__all__ = [
    "Audio", "Availability", "Clip", "ClipCache", "Engine", "EngineUnavailable", "Registry", "Voice",
    "REGISTRY", "get_engine", "speak_script", "SpokenScript",
]


def _espeak() -> Engine:
    from .espeak import EspeakEngine

    return EspeakEngine()


def _gtts() -> Engine:
    from .gtts import GttsEngine

    return GttsEngine()


REGISTRY = Registry()
REGISTRY.register("gtts", _gtts)
REGISTRY.register("espeak", _espeak)

#: ``auto`` tries these in order and keeps the first that speaks.
AUTO_ORDER = ("gtts", "espeak")

Notice = Callable[[str], None]


def _stderr_notice(message: str) -> None:
    print(message, file=sys.stderr)


def get_engine(name: str) -> Engine:
    return REGISTRY.get(name)


@dataclass(frozen=True)
class SpokenScript:
    """The clips of a script, one per segment, all from one engine."""

    engine: str
    clips: tuple[Clip, ...]
    requests_made: int


def _speak_one(engine: Engine, voice: Voice, cache: ClipCache, text: str) -> tuple[Clip, bool]:
    key = clip_key(engine.name, engine.version(), voice, text)
    hit = cache.get(key)
    if hit:
        return Clip(hit, wav_duration(hit), text, engine.name, cached=True), False
    audio = engine.synthesize(text, voice)
    path = cache.put(key, audio)
    return Clip(path, audio.duration, text, engine.name, cached=False), True


def _speak_with(engine: Engine, script: Script, cache: ClipCache, texts: list[str]) -> SpokenScript:
    voice = engine.voice(script.language)
    clips: list[Clip] = []
    made = 0
    for text in texts:
        clip, fresh = _speak_one(engine, voice, cache, text)
        clips.append(clip)
        made += fresh
    return SpokenScript(engine.name, tuple(clips), made)


def speakable_texts(script: Script) -> list[str]:
    """The text each segment's voice reads: the script's text made speakable."""
    lang = get_language(script.language)
    return [lang.speakable(seg.text) for seg in script.segments]


def speak_script(
    script: Script,
    engine: str = "auto",
    cache_dir: Path | None = None,
    notice: Notice = _stderr_notice,
) -> SpokenScript:
    """Speak every segment with one engine. ``auto`` falls back from gTTS to espeak once."""
    from ..config import resolve_cache_dir

    cache = ClipCache(resolve_cache_dir(cache_dir))
    texts = speakable_texts(script)
    if not any(t.strip() for t in texts):
        raise PodcastError("script has no text to speak")
    if engine != "auto":
        chosen = get_engine(engine)
        if script.language not in chosen.languages:
            raise PodcastError(f"engine {engine} does not speak {script.language}")
        try:
            return _speak_with(chosen, script, cache, texts)
        except EngineUnavailable as exc:
            raise PodcastError(str(exc)) from None
    reasons = []
    for name in AUTO_ORDER:
        candidate = get_engine(name)
        if script.language not in candidate.languages:
            continue
        try:
            spoken = _speak_with(candidate, script, cache, texts)
        except EngineUnavailable as exc:
            reasons.append(str(exc))
            continue
        if reasons:
            notice(f"notice: {'; '.join(reasons)}; falling back to {name}")
        return spoken
    raise PodcastError("no speech engine works here: " + "; ".join(reasons))
