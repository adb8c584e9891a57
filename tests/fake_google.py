"""A stand-in for Google's translate TTS endpoint, at the `requests` layer.

gTTS's own code runs unchanged: it POSTs to batchexecute, and `responses` answers
in gTTS's wire format (see NOTES.md) with real MP3 bytes: the request's text spoken
by espeak-ng and encoded by ffmpeg at 24 kHz mono, as Google's answers are.
"""

from __future__ import annotations

import base64
import functools
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


#: What the canned answers say: one Dutch paragraph of ours, spoken once per process.
CANNED_TEXT = ("Het waterschap versterkt de dijk langs de rivier over een lengte van drie kilometer. "
               "Het werk begint in het voorjaar en duurt ongeveer twee jaar. Bewoners krijgen een brief "
               "met de planning, en de fietsroute over de dijk blijft zoveel mogelijk open.")


@functools.lru_cache(maxsize=1)
def _canned_speech() -> tuple[bytes, int]:
    from podcast.speech.espeak import EspeakEngine

    engine = EspeakEngine()
    audio = engine.synthesize(CANNED_TEXT, engine.voice("nl"))
    return audio.pcm, audio.sample_rate


@functools.lru_cache(maxsize=64)
def canned_mp3(characters: int) -> bytes:
    """Speech lasting about as long as Google takes to say *characters* (in 0.5 s steps): the
    start of one canned recording, so answers cost no synthesis, yet sound like speech (a
    tone would read differently on loudness meters and MP3 encoders than any voice does)."""
    seconds = max(0.5, round(characters / 14 * 2) / 2)
    pcm, rate = _canned_speech()
    return run_ffmpeg(
        ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-t", f"{seconds}",
         "-af", f"afade=t=out:st={max(0.0, seconds - 0.05):.2f}:d=0.05",
         "-ar", "24000", "-ac", "1", "-codec:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
        input_bytes=pcm,
    )


def mp3_seconds(mp3: bytes) -> float:
    """How long an MP3 plays, by decoding it."""
    from podcast.ffmpeg import decode_to_pcm

    return len(decode_to_pcm(mp3, 24000)) / 2 / 24000


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
    #: Answer with canned speech of about the right length instead of the text spoken:
    #: for benchmarks, where the stand-in's own work must not be what is measured.
    cheap: bool = False
    retry_after: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def requests(self) -> int:
        return len(self.texts) + self.failures_sent

    def answer(self, body: str) -> tuple[int, dict, str]:
        """Status, headers and body for one request whose form body is *body*."""
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
                headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
                return (self.fail_status, headers, "Too Many Requests")
            text = request_text(body)
            mp3 = canned_mp3(len(text)) if self.cheap else mp3_for(text)
            seconds = mp3_seconds(mp3)
            with self._lock:
                self.texts.append(text)
                self.served_seconds += seconds
            return (200, {"Content-Type": "application/json; charset=utf-8"}, batchexecute_body(mp3))
        finally:
            with self._lock:
                self.in_flight -= 1

    def __call__(self, request):
        return self.answer(request.body if isinstance(request.body, str) else request.body.decode())

    def install(self, mock: responses.RequestsMock) -> FakeGoogle:
        mock.add_callback(responses.POST, BATCHEXECUTE, callback=self)
        return self


class FakeGoogleServer:
    """The same stand-in behind a real HTTP server on 127.0.0.1, for other processes.

    Point gTTS at it with ``PODCAST_GTTS_URL=server.url``.
    """

    def __init__(self, google: FakeGoogle) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        fake = google

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                try:
                    status, headers, text = fake.answer(body)
                except Exception:  # the client went away or sent nonsense
                    status, headers, text = 500, {}, "error"
                data = text.encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

            def log_message(self, *args) -> None:
                pass

        self.google = google
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeGoogleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
