"""The gTTS engine end to end, with Google answered locally in gTTS's own format."""

from __future__ import annotations

from pathlib import Path

import responses

from podcast import RenderOptions, build_episode
from podcast.audio import LEAD_IN, PAUSE_AFTER, TAIL
from podcast.script import Script

from .conftest import EXAMPLE, audio_seconds
from .fake_google import FakeGoogle


def test_engine_gtts_end_to_end(tmp_path: Path, cache_dir: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        google = FakeGoogle().install(mock)
        episode = build_episode(str(EXAMPLE), tmp_path, render=RenderOptions(engine="gtts", cache_dir=cache_dir))
    assert episode.engine == "gtts"
    script = Script.load(episode.script)
    # Every word gTTS sent came from the script, and every segment was spoken.
    assert google.requests >= len(script.segments)
    assert all(len(t) <= 100 for t in google.texts)
    pauses = LEAD_IN + TAIL + sum(PAUSE_AFTER[s.kind] for s in script.segments)
    heard = audio_seconds(episode.audio)
    # The episode is the audio Google served plus our pauses: nothing dropped, nothing doubled.
    assert abs(heard - (google.served_seconds + pauses)) < 0.1 * google.requests + 0.3
    assert abs(heard - episode.duration) < 0.3


def test_auto_uses_gtts_when_google_answers(tmp_path: Path, cache_dir: Path) -> None:
    notices: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        FakeGoogle().install(mock)
        episode = build_episode(str(EXAMPLE), tmp_path, render=RenderOptions(cache_dir=cache_dir),
                                notice=notices.append)
    assert episode.engine == "gtts"
    assert notices == []


def test_auto_falls_back_to_espeak_for_the_whole_episode(tmp_path: Path, cache_dir: Path) -> None:
    notices: list[str] = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        FakeGoogle(fail_first=10_000, fail_status=403).install(mock)
        episode = build_episode(str(EXAMPLE), tmp_path, render=RenderOptions(cache_dir=cache_dir),
                                notice=notices.append)
    assert episode.engine == "espeak"
    assert len(notices) == 1 and "403" in notices[0] and "espeak" in notices[0]
