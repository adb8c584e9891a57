"""gTTS: Google Translate's text-to-speech, the voice the user asked for when online.

Google speaks at most 100 characters per request. We plan those requests
ourselves (whole clauses packed up to the limit, punctuation kept), so
``speak_script`` can send them from a small pool of threads and cache each
answer; every request still goes through gTTS's own code. Transient failures
(429, 5xx, timeouts) are retried with exponential backoff and full jitter,
honouring Retry-After; a machine without network fails at once with a one-line
reason. A process-wide semaphore keeps at most ``MAX_CONCURRENCY`` requests in
flight, however many builds run in threads.
"""

from __future__ import annotations

import contextlib
import functools
import random
import re
import threading
import time
from dataclasses import dataclass
from io import BytesIO

from ..ffmpeg import decode_to_pcm
from ..lang import SUPPORTED
from ..options import MAX_CONCURRENCY
from .base import Audio, Availability, Cancelled, EngineBusy, EngineUnavailable, Voice
from .slots import SharedSlots

GTTS_SAMPLE_RATE = 24000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Google's limit per request (gTTS's GOOGLE_TTS_MAX_CHARS).
MAX_CHARS = 100
BATCHEXECUTE_PATH = "_/TranslateWebserverUi/data/batchexecute"
#: How long ``available()`` waits for a stand-in's port (PODCAST_GTTS_URL) to accept a connection.
AVAILABILITY_TIMEOUT = 1.0

_REQUEST_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENCY)

#: A clause ends after punctuation followed by white space; we break requests there.
CLAUSE_END = re.compile(r"(?<=[.,;:!?…])\s+")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts, backoff base and cap (seconds), timeouts per request."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 10.0
    connect_timeout: float = 3.05
    #: False for the ``auto`` probe: a host that does not even accept a connection
    #: is treated as unreachable at once instead of being waited for again.
    retry_connect_timeouts: bool = True

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Full-jitter exponential backoff: uniform(0, min(cap, base * 2**attempt)).

        A server's Retry-After (seconds) raises the wait, but never past the cap.
        """
        wait = random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))
        if retry_after is not None:
            wait = max(wait, min(self.max_delay, retry_after))
        return wait


def describe_failure(exc: Exception) -> tuple[str, bool]:
    """A one-line reason for a gTTS failure and whether retrying may help."""
    import requests

    response = getattr(exc, "rsp", None)
    if response is not None:
        status = response.status_code
        return f"Google answered {status} {response.reason or ''}".strip(), status in RETRY_STATUSES
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, requests.exceptions.ConnectTimeout):
        return "connecting to Google timed out", True
    if isinstance(cause, requests.exceptions.Timeout):
        return "request to Google timed out", True
    if isinstance(cause, requests.exceptions.ConnectionError):
        text = str(cause)
        match = re.search(r"Failed to resolve '([^']+)'", text)
        if match:
            return f"cannot resolve {match.group(1)} (no network?)", False
        return "cannot connect to Google (no network?)", False
    return " ".join(str(exc).split()), False


def _is_connect_timeout(exc: Exception) -> bool:
    import requests

    return isinstance(exc.__cause__ or exc.__context__, requests.exceptions.ConnectTimeout)


def _retry_after(exc: Exception) -> float | None:
    """Seconds from a Retry-After header, if the answer had a numeric one."""
    response = getattr(exc, "rsp", None)
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def split_long(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Cut *text* into pieces of at most *limit* characters, at spaces where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return [p for p in pieces if p]


def plan_requests(text: str, limit: int = MAX_CHARS) -> list[str]:
    """The texts to send, one request each: whole clauses packed greedily up to *limit*.

    gTTS alone sends one request per clause; packing sends fewer, and keeps the
    punctuation so Google pauses where the writer did.
    """
    clauses: list[str] = []
    for clause in CLAUSE_END.split(" ".join(text.split())):
        clauses.extend(split_long(clause, limit))
    planned: list[str] = []
    for clause in clauses:
        if planned and len(planned[-1]) + 1 + len(clause) <= limit:
            planned[-1] = f"{planned[-1]} {clause}"
        else:
            planned.append(clause)
    return [p for p in planned if re.search(r"\w", p)]


@functools.lru_cache(maxsize=4)
def _gtts_class(base_url: str | None):
    """gTTS itself, or a subclass that sends to *base_url* instead of translate.google.<tld>."""
    from gtts import gTTS

    if not base_url:
        return gTTS

    class RedirectedGTTS(gTTS):
        """gTTS with the endpoint moved (PODCAST_GTTS_URL): a local stand-in for Google."""

        def _prepare_requests(self):
            prepared = super()._prepare_requests()
            for request in prepared:
                request.url = f"{base_url.rstrip('/')}/{BATCHEXECUTE_PATH}"
            return prepared

    return RedirectedGTTS


class GttsEngine:
    """Dutch (and English) speech through gTTS."""

    name = "gtts"
    languages = SUPPORTED  # gTTS speaks many more; these are the ones podcast writes
    max_concurrency = MAX_CONCURRENCY

    def __init__(self, retry: RetryPolicy | None = None, tld: str = "com", base_url: str | None = None) -> None:
        from ..config import environment

        self.retry = retry or RetryPolicy()
        self.tld = tld
        self.base_url = base_url if base_url is not None else environment().gtts_url

    def available(self) -> Availability:
        try:
            import gtts  # noqa: F401
        except ImportError as exc:  # pragma: no cover - a dependency
            return Availability(False, f"gTTS is not installed: {exc}")
        import socket

        if self.base_url:  # a stand-in for Google: does it take connections?
            from urllib.parse import urlsplit

            where = urlsplit(self.base_url)
            port = where.port or (443 if where.scheme == "https" else 80)
            try:
                socket.create_connection((where.hostname or "localhost", port), timeout=AVAILABILITY_TIMEOUT).close()
            except OSError as exc:
                return Availability(False, f"cannot connect to {self.base_url} ({exc.strerror or exc})")
            return Availability(True)
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

    def plan_requests(self, text: str) -> list[str]:
        return plan_requests(text)

    def fetch(
        self, part: str, voice: Voice, retry: RetryPolicy | None = None, stop: threading.Event | None = None,
        slots: SharedSlots | None = None,
    ) -> bytes:
        """One request for *part* (at most MAX_CHARS), retrying transient failures; MP3 bytes.

        While in flight it holds one of this process's slots and, when given, one of
        the *slots* shared with other processes (a batch's budget). Raises EngineUnavailable with a one-line reason once retries are spent, and
        Cancelled as soon as *stop* is set (between attempts and during backoff).
        """
        from gtts import gTTSError

        policy = retry or self.retry
        tts_class = _gtts_class(self.base_url)
        reason = ""
        for attempt in range(policy.attempts):
            if stop is not None and stop.is_set():
                raise Cancelled()
            buffer = BytesIO()
            try:
                tts = tts_class(
                    part, lang=voice.language, tld=voice.setting("tld", self.tld), lang_check=False,
                    pre_processor_funcs=[], timeout=(policy.connect_timeout, policy.timeout),
                )
                with _REQUEST_SLOTS, slots.hold(stop) if slots else contextlib.nullcontext():
                    tts.write_to_fp(buffer)
                if buffer.getvalue():
                    return buffer.getvalue()
                reason, transient, retry_after = "Google returned no audio", True, None
            except gTTSError as exc:
                reason, transient = describe_failure(exc)
                if transient and _is_connect_timeout(exc) and not policy.retry_connect_timeouts:
                    transient = False
                if not transient:
                    raise EngineUnavailable(f"gTTS failed: {reason}") from None
                retry_after = _retry_after(exc)
            if attempt + 1 < policy.attempts:
                wait = policy.delay(attempt, retry_after)
                if stop is None:
                    time.sleep(wait)
                elif stop.wait(wait):
                    raise Cancelled()
        raise EngineBusy(f"gTTS failed: {reason} (gave up after {policy.attempts} attempts)")

    def assemble(self, answers: list[bytes]) -> Audio:
        """One clip from a segment's answers, in order: MP3 frames join as they are."""
        pcm = decode_to_pcm(b"".join(answers), GTTS_SAMPLE_RATE)
        if not pcm:
            raise EngineUnavailable("gTTS returned no audio")
        return Audio(pcm, GTTS_SAMPLE_RATE)

    def synthesize(self, text: str, voice: Voice) -> Audio:
        """Speak *text* with one request after another (speak_script sends them concurrently)."""
        parts = self.plan_requests(text)
        if not parts:
            raise EngineUnavailable("gTTS has nothing to say (no words in the text)")
        return self.assemble([self.fetch(part, voice) for part in parts])


#: What the speech registry makes of this module (podcast/engines.py names it).
ENGINE = GttsEngine
