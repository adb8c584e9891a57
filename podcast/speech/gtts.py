"""gTTS: Google Translate's text-to-speech, the voice the user asked for when online.

Each call sends gTTS's own requests (one per chunk of at most 100 characters).
Transient failures (429, 5xx, timeouts) are retried with exponential backoff and
jitter; a machine without network fails at once with a one-line reason.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from io import BytesIO

from ..ffmpeg import decode_to_pcm
from .base import Audio, Availability, EngineUnavailable, Voice

GTTS_SAMPLE_RATE = 24000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, backoff base and cap (seconds), per-request timeout."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 10.0

    def delay(self, attempt: int) -> float:
        """Full-jitter exponential backoff: uniform(0, min(cap, base * 2**attempt))."""
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


class TransientError(Exception):
    """A failure worth retrying."""


def describe_failure(exc: Exception) -> tuple[str, bool]:
    """A one-line reason for a gTTS failure and whether retrying may help."""
    import requests

    response = getattr(exc, "rsp", None)
    if response is not None:
        status = response.status_code
        return f"Google answered {status} {response.reason or ''}".strip(), status in RETRY_STATUSES
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, requests.exceptions.Timeout):
        return "request to Google timed out", True
    if isinstance(cause, requests.exceptions.ConnectionError):
        text = str(cause)
        match = re.search(r"Failed to resolve '([^']+)'", text)
        if match:
            return f"cannot resolve {match.group(1)} (no network?)", False
        return "cannot connect to Google (no network?)", False
    return " ".join(str(exc).split()), False


class GttsEngine:
    """Dutch (and English) speech through gTTS."""

    name = "gtts"
    languages = ("nl", "en")
    max_concurrency = 4

    def __init__(self, retry: RetryPolicy | None = None, tld: str = "com") -> None:
        self.retry = retry or RetryPolicy()
        self.tld = tld

    def available(self) -> Availability:
        try:
            import gtts  # noqa: F401
        except ImportError as exc:  # pragma: no cover - a dependency
            return Availability(False, f"gTTS is not installed: {exc}")
        import socket

        try:
            socket.getaddrinfo(f"translate.google.{self.tld}", 443)
        except OSError:
            return Availability(False, f"cannot resolve translate.google.{self.tld} (no network?)")
        return Availability(True)

    def version(self) -> str:
        import gtts

        return gtts.__version__

    def voice(self, language: str) -> Voice:
        return Voice("gtts", f"google-{language}", language, (("tld", self.tld),))

    def voices(self) -> list[Voice]:
        return [self.voice(lang) for lang in self.languages]

    def fetch_mp3(self, text: str, voice: Voice) -> bytes:
        """Speak *text* through gTTS, retrying transient failures; return MP3 bytes."""
        from gtts import gTTS, gTTSError

        last_reason = ""
        for attempt in range(self.retry.attempts):
            buffer = BytesIO()
            try:
                tts = gTTS(text, lang=voice.language, tld=voice.setting("tld", self.tld), timeout=self.retry.timeout)
                tts.write_to_fp(buffer)
                return buffer.getvalue()
            except gTTSError as exc:
                last_reason, transient = describe_failure(exc)
                if not transient:
                    raise EngineUnavailable(f"gTTS failed: {last_reason}") from None
            if attempt + 1 < self.retry.attempts:
                time.sleep(self.retry.delay(attempt))
        raise EngineUnavailable(f"gTTS failed after {self.retry.attempts} attempts: {last_reason}")

    def synthesize(self, text: str, voice: Voice) -> Audio:
        mp3 = self.fetch_mp3(text, voice)
        if not mp3:
            raise EngineUnavailable("gTTS returned no audio")
        return Audio(decode_to_pcm(mp3, GTTS_SAMPLE_RATE), GTTS_SAMPLE_RATE)
