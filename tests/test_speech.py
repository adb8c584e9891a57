"""Speech: the clip cache, polite gTTS requests (retries, concurrency bound), interrupt and resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import responses

from podcast.errors import PodcastError
from podcast.options import RenderOptions
from podcast.pipeline import make_script
from podcast.speech import speak_script, speakable_texts
from podcast.speech.gtts import RetryPolicy, plan_requests

from .conftest import EXAMPLE, ROOT, cli_env, interruptible
from .fake_google import FakeGoogle, FakeGoogleServer

#: Backoff that keeps tests quick; the policy's shape (attempts, jitter) stays real.
QUICK = RetryPolicy(base_delay=0.001, max_delay=0.01)


@pytest.fixture(scope="module")
def script():
    return make_script(str(EXAMPLE))


def _gtts_alone_requests(text: str) -> int:
    """How many requests gTTS itself sends to speak *text* (its own chunking)."""
    from io import BytesIO

    from gtts import gTTS

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(cheap=True).install(mock)
        gTTS(text, lang="nl").write_to_fp(BytesIO())
    return google.requests


def _spoken_words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


def test_requests_pack_whole_clauses_up_to_googles_limit() -> None:
    text = "De brug gaat open, zegt de wethouder. " * 8 + " ".join(["fietspad"] * 20) + " " + "x" * 130
    parts = plan_requests(text)
    assert all(0 < len(part) <= 100 for part in parts)
    assert "".join(" ".join(parts).split()) == "".join(text.split())  # every character, in order
    assert all(part.endswith((".", ",")) for part in parts[:4])  # clauses stay whole...
    assert len(parts) == 8  # ...16 of them in 4 requests; 20 words at spaces in 2; a 130-letter word in 2


def test_gtts_requests_cover_the_script_and_a_warm_rebuild_sends_none(script, cache_dir: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle().install(mock)
        cold = speak_script(script, RenderOptions(engine="gtts", cache_dir=cache_dir), retry=QUICK)
        cold_requests = google.requests
        warm = speak_script(script, RenderOptions(engine="gtts", cache_dir=cache_dir), retry=QUICK)
    # Every word of the script was sent once, in requests Google accepts (<= 100 characters)...
    assert sorted(_spoken_words(google.texts)) == sorted(_spoken_words(speakable_texts(script)))
    assert all(len(text) <= 100 for text in google.texts)
    # ...and no more requests than gTTS itself sends to speak the same text in one go.
    assert cold_requests == cold.requests_made <= _gtts_alone_requests(" ".join(speakable_texts(script)))
    # The rebuild is served from the cache: not one request, the same clips.
    assert google.requests == cold_requests
    assert warm.requests_made == 0 and all(clip.cached for clip in warm.clips)
    assert [c.duration for c in warm.clips] == pytest.approx([c.duration for c in cold.clips])


def test_429s_are_retried_then_succeed(script, cache_dir: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(fail_first=3, fail_status=429, retry_after=0.01).install(mock)
        spoken = speak_script(script, RenderOptions(engine="gtts", cache_dir=cache_dir), retry=QUICK)
    assert spoken.engine == "gtts"
    assert google.failures_sent == 3
    assert len(google.texts) == spoken.requests_made == len(set(google.texts))
    assert all(clip.duration > 0.5 for clip in spoken.clips)


def test_spent_retries_give_one_line_error(script, cache_dir: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(fail_first=10_000, fail_status=503).install(mock)
        with pytest.raises(PodcastError) as caught:
            speak_script(script, RenderOptions(engine="gtts", cache_dir=cache_dir), retry=RetryPolicy(3, 0.001, 0.01))
    assert str(caught.value) == "gTTS failed: Google answered 503 Service Unavailable (gave up after 3 attempts)"
    # Only the first request was tried; the others were never sent into the storm.
    assert google.requests == 3


def test_slow_answers_time_out_and_are_retried() -> None:
    from podcast.speech.base import EngineUnavailable
    from podcast.speech.gtts import GttsEngine

    google = FakeGoogle(latency=2.0, cheap=True)
    with FakeGoogleServer(google) as server:
        engine = GttsEngine(base_url=server.url)
        started = time.monotonic()
        with pytest.raises(EngineUnavailable) as caught:
            engine.fetch("Goedemorgen.", engine.voice("nl"), RetryPolicy(2, 0.001, 0.01, timeout=0.2))
        waited = time.monotonic() - started
    assert str(caught.value) == "gTTS failed: request to Google timed out (gave up after 2 attempts)"
    assert waited < 1.5  # two attempts of 0.2 s each, not the server's 2 s


def test_concurrency_never_passes_the_bound(script, cache_dir: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(latency=0.15, cheap=True).install(mock)
        speak_script(script, RenderOptions(engine="gtts", cache_dir=cache_dir, concurrency=3), retry=QUICK)
    assert google.max_in_flight == 3


def test_concurrency_above_eight_is_refused(script, cache_dir: Path) -> None:
    with pytest.raises(PodcastError, match="concurrency must be between 1 and 8, not 9"):
        speak_script(script, RenderOptions(engine="gtts", cache_dir=cache_dir, concurrency=9))


def test_auto_probe_costs_one_request_when_google_refuses(script, cache_dir: Path) -> None:
    notices: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(fail_first=10_000, fail_status=403).install(mock)
        spoken = speak_script(script, RenderOptions(engine="auto", cache_dir=cache_dir), notice=notices.append, retry=QUICK)
    assert spoken.engine == "espeak"
    assert google.requests == 1
    assert notices == ["notice: gTTS failed: Google answered 403 Forbidden; falling back to espeak"]


def test_auto_probe_costs_one_attempt_when_google_is_unreachable(script, cache_dir: Path) -> None:
    import requests

    from .fake_google import BATCHEXECUTE

    notices: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, BATCHEXECUTE, body=requests.exceptions.ConnectionError("refused"))
        spoken = speak_script(script, RenderOptions(engine="auto", cache_dir=cache_dir), notice=notices.append, retry=QUICK)
        attempts = len(mock.calls)
    assert spoken.engine == "espeak" and attempts == 1
    assert notices == ["notice: gTTS failed: cannot connect to Google (no network?); falling back to espeak"]


def test_auto_probe_tries_twice_when_google_rate_limits(script, cache_dir: Path) -> None:
    notices: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle(fail_first=10_000, fail_status=429).install(mock)
        spoken = speak_script(script, RenderOptions(engine="auto", cache_dir=cache_dir), notice=notices.append, retry=QUICK)
    assert spoken.engine == "espeak" and google.requests == 2
    assert len(notices) == 1 and "429" in notices[0]


def test_progress_reports_every_segment(script, cache_dir: Path) -> None:
    seen: list[tuple[int, int]] = []
    speak_script(script, RenderOptions(engine="espeak", cache_dir=cache_dir), progress=lambda d, t: seen.append((d, t)))
    total = len(script.segments)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def _leftovers(*folders: Path) -> list[Path]:
    """Files an interrupted build must not leave: MP3s, temp and partial files."""
    found = []
    for folder in folders:
        for path in folder.rglob("*") if folder.exists() else ():
            if path.is_file() and (path.suffix == ".mp3" and path.parent == folder
                                   or path.name.startswith(".") or ".part" in path.name):
                found.append(path)
            if path.is_dir() and path.name.startswith(".podcast-"):
                found.append(path)
    return found


def _answers(cache: Path) -> list[Path]:
    """gTTS answers stored whole in the cache (not temp files)."""
    return [a for a in cache.rglob("*.mp3") if not a.name.startswith(".")]


def _build(server: FakeGoogleServer, out: Path, cache: Path, feed: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "podcast", "build", str(EXAMPLE), "--out", str(out), "--cache-dir", str(cache),
         "--engine", "gtts", "--concurrency", "2", "--feed", str(feed), "--base-url", "http://127.0.0.1:8000/"],
        env=cli_env({"PODCAST_GTTS_URL": server.url}), cwd=ROOT, preexec_fn=interruptible,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def test_interrupted_build_leaves_nothing_and_rerun_resumes(tmp_path: Path) -> None:
    google = FakeGoogle()
    feed = tmp_path / "feed" / "feed.xml"
    with FakeGoogleServer(google) as server:
        cold = _build(server, tmp_path / "cold-out", tmp_path / "cold-cache", feed)
        assert cold.wait(60) == 0, cold.stderr.read().decode()
        cold_requests = google.requests
        assert cold_requests >= 6
        feed_before = feed.read_bytes()

        google.latency = 0.4
        out, cache = tmp_path / "out", tmp_path / "cache"
        build = _build(server, out, cache, feed)
        deadline = time.monotonic() + 30
        while len(_answers(cache)) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)  # some answers are cached; more requests are in flight
        build.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = build.wait(10)
        stopped_after = time.monotonic() - started
        assert code == 130, build.stderr.read().decode()
        assert build.stderr.read().decode().splitlines()[-1] == "interrupted"
        assert stopped_after < 3
        assert _leftovers(out, cache) == []
        assert not out.exists() or list(out.iterdir()) == []
        assert feed.read_bytes() == feed_before

        while google.in_flight and time.monotonic() < deadline:
            time.sleep(0.02)  # requests the interrupted build left behind still end on the server
        before = google.requests
        google.latency = 0.0
        rerun = _build(server, out, cache, feed)
        assert rerun.wait(60) == 0, rerun.stderr.read().decode()
        resumed_requests = google.requests - before
    assert 0 < resumed_requests < cold_requests
    assert len(list(out.glob("*.mp3"))) == 1


def _stderr_on_a_terminal(*args: str) -> tuple[int, bytes]:
    """Run ``python -m podcast ARGS`` with stderr on a pseudo-terminal; its exit code and what it drew."""
    import pty

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "podcast", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=terminal, cwd=ROOT)
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(controller)
    proc.stdout.read()
    return proc.wait(30), drawn


def test_progress_bar_only_on_a_terminal_and_not_with_q(tmp_path: Path, shared_cache: Path) -> None:
    build = ["build", str(EXAMPLE), "--engine", "espeak", "--out", str(tmp_path), "--cache-dir", str(shared_cache)]
    code, drawn = _stderr_on_a_terminal(*build)
    assert code == 0 and (b"speaking" in drawn or b"mixing and encoding" in drawn)  # cached speech is instant
    code, drawn = _stderr_on_a_terminal("-q", *build)
    assert code == 0 and drawn == b""
