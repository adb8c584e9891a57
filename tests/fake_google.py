"""A stand-in for Google's translate TTS endpoint, at the `requests` layer.

gTTS's own code runs unchanged: it POSTs to batchexecute, and `responses` answers
in gTTS's wire format (see NOTES.md) with real MP3 bytes: the request's text spoken
by espeak-ng and encoded by ffmpeg at 24 kHz mono, as Google's answers are.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import responses

from podcast.ffmpeg import run_ffmpeg

BATCHEXECUTE = re.compile(r"https://translate\.google\.[a-z.]+/_/TranslateWebserverUi/data/batchexecute")


def mp3_for(text: str) -> bytes:
    """Real MP3 bytes for *text*: espeak-ng speech encoded like Google's (24 kHz mono)."""
    from podcast.speech.espeak import EspeakEngine

    engine = EspeakEngine()
    audio = engine.synthesize(text, engine.voice("nl"))
    return run_ffmpeg(
        ["-f", "s16le", "-ar", str(audio.sample_rate), "-ac", "1", "-i", "pipe:0",
         "-ar", "24000", "-ac", "1", "-codec:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
        input_bytes=audio.pcm,
    )


def batchexecute_body(mp3: bytes) -> str:
    """gTTS's response format: prefix, blank line, compact JSON with the base64 MP3."""
    payload = json.dumps([base64.b64encode(mp3).decode("ascii")], separators=(",", ":"))
    envelope = json.dumps([["wrb.fr", "jQ1olc", payload, None, None, None, "generic"]], separators=(",", ":"))
    return ")]}'\n\n" + envelope + "\n"


def request_text(body: str) -> str:
    """The text gTTS asked to be spoken, from its form-encoded f.req field."""
    freq = urllib.parse.parse_qs(body)["f.req"][0]
    rpc = json.loads(freq)
    return json.loads(rpc[0][0][1])[0]


@dataclass
class FakeGoogle:
    """Counts requests and concurrency; can answer 429 first, or slowly."""

    latency: float = 0.0
    fail_first: int = 0
    fail_status: int = 429
    texts: list[str] = field(default_factory=list)
    served_seconds: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    failures_sent: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return len(self.texts) + self.failures_sent

    def __call__(self, request):
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            fail = self.failures_sent < self.fail_first
            if fail:
                self.failures_sent += 1
        try:
            if self.latency:
                time.sleep(self.latency)
            if fail:
                return (self.fail_status, {}, "Too Many Requests")
            text = request_text(request.body if isinstance(request.body, str) else request.body.decode())
            mp3 = mp3_for(text)
            from podcast.ffmpeg import decode_to_pcm

            seconds = len(decode_to_pcm(mp3, 24000)) / 2 / 24000
            with self._lock:
                self.texts.append(text)
                self.served_seconds += seconds
            return (200, {"Content-Type": "application/json; charset=utf-8"}, batchexecute_body(mp3))
        finally:
            with self._lock:
                self.in_flight -= 1

    def install(self, mock: responses.RequestsMock) -> FakeGoogle:
        mock.add_callback(responses.POST, BATCHEXECUTE, callback=self)
        return self
