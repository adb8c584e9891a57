"""The speech interface: voices, clips, engines and the registry that finds them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ..errors import Cancelled, PodcastError, TransientError  # noqa: F401 - Cancelled offered here too


@dataclass(frozen=True)
class Voice:
    """A voice: which engine, which language, and the engine's settings for it."""

    engine: str
    name: str
    language: str
    config: tuple[tuple[str, str], ...] = ()

    def setting(self, key: str, default: str | None = None) -> str | None:
        return dict(self.config).get(key, default)

    @property
    def id(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.config)
        return f"{self.engine}:{self.name}:{self.language}" + (f"[{extra}]" if extra else "")


@dataclass(frozen=True)
class Audio:
    """Raw synthesized audio: 16-bit mono PCM at ``sample_rate``."""

    pcm: bytes
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class Clip:
    """One spoken segment as stored in the cache: a mono 16-bit WAV file."""

    path: Path
    duration: float
    text: str
    engine: str
    cached: bool = False


@dataclass(frozen=True)
class Availability:
    """Whether an engine works on this machine, and why not."""

    ok: bool
    reason: str = ""


class EngineUnavailable(PodcastError):
    """The engine cannot speak right now (no network, missing library, ...)."""


class EngineBusy(EngineUnavailable, TransientError):
    """The engine's service kept failing in ways that pass (429, 5xx, timeouts): try later."""


@runtime_checkable
class Engine(Protocol):
    """What every speech engine offers. A new engine is a new module plus one registry line."""

    name: str
    languages: tuple[str, ...]
    #: Most requests to run at once (1 for engines with process-global state).
    max_concurrency: int

    def available(self) -> Availability: ...

    def version(self) -> str: ...

    def voice(self, language: str) -> Voice: ...

    def voices(self) -> list[Voice]: ...

    def synthesize(self, text: str, voice: Voice) -> Audio: ...


@runtime_checkable
class RequestEngine(Engine, Protocol):
    """An engine that speaks through many small network requests, which may run concurrently.

    ``speak_script`` plans each segment's requests, sends the missing ones from a
    bounded pool of threads, caches each answer, and assembles a segment's clip
    once all its answers are in. So an interrupted run keeps every answer it got.
    """

    def plan_requests(self, text: str) -> list[str]: ...

    def fetch(self, part: str, voice: Voice, retry: Any, stop: threading.Event | None = None,
              slots: Any = None) -> bytes: ...

    def assemble(self, answers: list[bytes]) -> Audio: ...


@dataclass
class Registry:
    """Engines by name, created lazily so listing them imports nothing heavy."""

    factories: dict[str, Callable[[], Engine]] = field(default_factory=dict)
    _instances: dict[str, Engine] = field(default_factory=dict)

    def register(self, name: str, factory: Callable[[], Engine]) -> None:
        self.factories[name] = factory

    def names(self) -> list[str]:
        return list(self.factories)

    def get(self, name: str) -> Engine:
        if name not in self.factories:
            raise PodcastError(f"unknown engine: {name} (choose from {', '.join(self.names())})")
        if name not in self._instances:
            self._instances[name] = self.factories[name]()
        return self._instances[name]
