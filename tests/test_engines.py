"""`podcast engines` and the engine registry."""

from __future__ import annotations

import json

from podcast.speech import REGISTRY, get_engine

from .conftest import UNREACHABLE_GOOGLE, run_cli
from .fake_google import FakeGoogle, FakeGoogleServer


def test_engines_lists_every_registered_engine_with_its_state() -> None:
    result = run_cli("engines", "--json")
    assert result.returncode == 0, result.stderr.decode()
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(rows) == set(REGISTRY.names()) == {"gtts", "espeak"}
    assert rows["espeak"]["available"] is True
    assert "nl" in rows["espeak"]["languages"] and "nl" in rows["gtts"]["languages"]
    # Google refuses (run_cli points gTTS at a closed local port): the listing says why instead of failing.
    assert rows["gtts"]["available"] is False
    assert rows["gtts"]["reason"] == f"cannot connect to {UNREACHABLE_GOOGLE} (Connection refused)"


def test_engines_lists_gtts_as_available_when_google_answers() -> None:
    with FakeGoogleServer(FakeGoogle()) as server:
        result = run_cli("engines", "--json", env={"PODCAST_GTTS_URL": server.url})
    assert result.returncode == 0, result.stderr.decode()
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert (rows["gtts"]["available"], rows["espeak"]["available"]) == (True, True)


def test_engines_plain_text_has_one_line_per_engine() -> None:
    result = run_cli("engines")
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0
    assert [line.split()[0] for line in lines] == REGISTRY.names()
    assert any(line.startswith("espeak") and " available;" in line for line in lines)


def test_espeak_speaks_dutch_in_process() -> None:
    engine = REGISTRY.get("espeak")
    audio = engine.synthesize("Goedemorgen, dit is het nieuws.", engine.voice("nl"))
    assert audio.sample_rate == 22050
    assert 1.0 < audio.duration < 5.0


def test_a_clip_sounds_the_same_whatever_was_spoken_before_it() -> None:
    """The clip cache is keyed by text and voice: the sound must depend on nothing else.

    libespeak-ng keeps state between utterances; the same sentence came out with other
    noise and another length after other sentences, so cached clips depended on history.
    """
    engine = get_engine("espeak")
    sentence = "De brug gaat morgen open."
    first = engine.synthesize(sentence, engine.voice("nl")).pcm
    engine.synthesize("Welcome to the short news, read in another voice.", engine.voice("en"))
    engine.synthesize("Een heel andere zin, met 2025 en € 5,50 erin.", engine.voice("nl"))
    assert engine.synthesize(sentence, engine.voice("nl")).pcm == first
