"""A content-addressed cache of spoken clips, safe to share between processes.

The key covers everything that changes the sound: engine, engine version, voice,
language and the exact speakable text. Entries are written atomically, so two
builds racing on the same clip both end with a whole file.
"""

from __future__ import annotations

import hashlib
import json
import wave
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import atomic_path
from .base import Audio, Voice


def _digest(*parts: str) -> str:
    return hashlib.sha256(json.dumps(list(parts), ensure_ascii=False).encode("utf-8")).hexdigest()


def clip_key(engine: str, engine_version: str, voice: Voice, text: str) -> str:
    """The SHA-256 of every input that changes a clip's sound."""
    return _digest(engine, engine_version, voice.id, voice.language, text)


def answer_key(engine: str, engine_version: str, voice: Voice, part: str) -> str:
    """The key of one request's answer (part of a clip); never equal to a clip's key."""
    return _digest(engine, engine_version, voice.id, voice.language, "request", part)


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


@dataclass(frozen=True)
class ClipCache:
    """Clips as ``<dir>/<key[:2]>/<key>.wav``; raw request answers as ``<key>.<suffix>``."""

    directory: Path

    def path_for(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Path | None:
        path = self.path_for(key)
        return path if path.is_file() and path.stat().st_size > 44 else None

    def put(self, key: str, audio: Audio) -> Path:
        path = self.path_for(key)
        with atomic_path(path, suffix=".part.wav") as tmp, wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(audio.sample_rate)
            wav.writeframes(audio.pcm)
        return path

    def answer_path(self, key: str, suffix: str = "mp3") -> Path:
        return self.directory / key[:2] / f"{key}.{suffix}"

    def get_answer(self, key: str, suffix: str = "mp3") -> bytes | None:
        """The stored answer of one request, or None."""
        try:
            data = self.answer_path(key, suffix).read_bytes()
        except OSError:
            return None
        return data or None

    def put_answer(self, key: str, data: bytes, suffix: str = "mp3") -> Path:
        """Store one request's answer atomically."""
        path = self.answer_path(key, suffix)
        with atomic_path(path, suffix=f".part.{suffix}") as tmp:
            tmp.write_bytes(data)
        return path
