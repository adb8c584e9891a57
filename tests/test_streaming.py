"""The audio is made while the speech arrives: mixed and encoded clip by clip, in script order.

Google is the stand-in at the requests layer; the stand-in here can hold the last answer
back, so a test sees what the build has made of the others meanwhile.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import responses

from podcast.audio import measure_file
from podcast.fsutil import TEMPORARY_PREFIX
from podcast.options import RenderOptions
from podcast.pipeline import make_script, render_episode
from podcast.speech import speakable_texts

from .conftest import EXAMPLE, audio_seconds
from .fake_google import FakeGoogle

WAIT_SECONDS = 60.0


class HoldingGoogle(FakeGoogle):
    """Answers at once, except the request for *held_text*, which waits for :attr:`release`."""

    def __init__(self, held_text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.held_text = held_text
        self.release = threading.Event()
        self.holding = threading.Event()

    def answer(self, body: str):
        from .fake_google import request_text

        if request_text(body) == self.held_text:
            self.holding.set()
            assert self.release.wait(WAIT_SECONDS), "the test never released the held answer"
        return super().answer(body)


class RefusingAfterFirst(FakeGoogle):
    """Answers the first request, then refuses every other (403), as a Google that turns away midway."""

    def answer(self, body: str):
        if self.texts:
            with self._lock:
                self.failures_sent += 1
            return (403, {}, "Forbidden")
        return super().answer(body)


def staged_mp3(out: Path) -> Path | None:
    found = sorted(out.glob(f"{TEMPORARY_PREFIX}*/episode.mp3"))
    return found[0] if found else None


def test_while_the_last_answer_is_out_the_rest_of_the_episode_is_already_encoded(tmp_path: Path) -> None:
    script = make_script(str(EXAMPLE))
    texts = speakable_texts(script)
    last = texts[-1]
    from podcast.speech.gtts import plan_requests

    held = plan_requests(last)[-1]
    out = tmp_path / "out"
    done: dict[str, object] = {}
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = HoldingGoogle(held).install(mock)

        def build() -> None:
            try:
                done["episode"] = render_episode(script, out, RenderOptions(engine="gtts",
                                                                             cache_dir=tmp_path / "cache"))
            except BaseException as exc:  # handed to the test
                done["error"] = exc

        builder = threading.Thread(target=build, daemon=True)
        builder.start()
        assert google.holding.wait(WAIT_SECONDS), "the last segment's request never came"
        # Every other answer is in: the MP3 being written holds (nearly) all of it already.
        others = google.served_seconds
        deadline = time.monotonic() + WAIT_SECONDS
        written = 0.0
        while time.monotonic() < deadline and builder.is_alive():
            mp3 = staged_mp3(out)
            written = mp3.stat().st_size * 8 / 96_000 if mp3 and mp3.exists() else 0.0
            if written >= 0.9 * others:
                break
            time.sleep(0.05)
        assert builder.is_alive() and "error" not in done, done
        assert written >= 0.9 * others, f"only {written:.1f} s of {others:.1f} s encoded before the last answer"
        google.release.set()
        builder.join(WAIT_SECONDS)
    assert "error" not in done, done
    episode = done["episode"]
    assert episode.engine == "gtts"
    assert abs(audio_seconds(episode.audio) - episode.duration) < 0.1
    loudness = measure_file(episode.audio)
    assert abs(loudness.integrated + 16) <= 0.5 and loudness.true_peak <= -1.0
    assert list(out.glob(f"{TEMPORARY_PREFIX}*")) == []


def test_auto_turned_away_midway_speaks_the_whole_episode_in_one_voice(tmp_path: Path) -> None:
    """gTTS answers once, then refuses: the clips already mixed are dropped, espeak-ng speaks it all."""
    script = make_script(str(EXAMPLE))
    notices: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = RefusingAfterFirst().install(mock)
        episode = render_episode(script, tmp_path / "auto", RenderOptions(cache_dir=tmp_path / "cache"),
                                 notice=notices.append)
    assert len(google.texts) == 1 and google.failures_sent >= 1
    assert episode.engine == "espeak" and len(notices) == 1 and "falling back to espeak" in notices[0]
    alone = render_episode(script, tmp_path / "espeak", RenderOptions(engine="espeak", cache_dir=tmp_path / "cache"))
    assert episode.duration == pytest.approx(alone.duration, abs=0.001)
    assert [c.start for c in episode.chapters] == [c.start for c in alone.chapters]
    assert episode.audio.read_bytes() == alone.audio.read_bytes()


def test_a_first_encode_off_target_is_corrected_from_the_whole_file(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the gain chosen before speech be far off, the measure-and-correct loop still lands it."""
    import podcast.audio
    import podcast.audio.level

    script = make_script(str(EXAMPLE))
    monkeypatch.setattr(podcast.audio.level, "MIX_LOUDNESS_LUFS", -12.0)  # a first encode 4 LU too loud
    encodes: list[float] = []
    real = podcast.audio.encode_mp3

    def counted(*args, **kwargs):
        loudness = real(*args, **kwargs)
        encodes.append(loudness.integrated)
        return loudness

    monkeypatch.setattr(podcast.audio, "encode_mp3", counted)
    episode = render_episode(script, tmp_path, RenderOptions(engine="espeak", cache_dir=tmp_path / "cache"))
    assert 1 <= len(encodes) <= 2 and abs(encodes[-1] + 16) <= 0.3
    assert abs(measure_file(episode.audio).integrated + 16) <= 0.3
