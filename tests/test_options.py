"""Build options as records: one home for each default, JSON for batch children and workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podcast.errors import PodcastError
from podcast.options import RenderOptions, ScriptOptions, options_from_json, options_to_json

from .conftest import EXAMPLE, run_cli


def test_options_travel_as_json_and_come_back_equal() -> None:
    script = ScriptOptions(length=120.0, show="Mijn Show", language="nl", full=True)
    render = RenderOptions(engine="espeak", cache_dir=Path("cache"), bitrate="128k", cover=Path("hoes.png"),
                           concurrency=2, request_slots=Path("slots"))
    assert options_from_json(options_to_json(script, render)) == (script, render)
    assert options_from_json("{}") == (ScriptOptions(), RenderOptions())


@pytest.mark.parametrize(("text", "message"), [
    ('{"script": {"lenght": 60}}', "unknown script option: lenght"),
    ('{"render": {"concurrency": 9}}', "concurrency must be between 1 and 8, not 9"),
    ('{"render": {"engine": "piper"}}', "unknown engine: piper (choose from auto, gtts, espeak)"),
    ('{"script": {"summarizer": "llm"}}', "--summarizer llm needs --llm-url (an OpenAI-compatible endpoint)"),
    ('{"script": {"length": 5}}', "length must be between 15 and 600 seconds, not 5"),
    ('{"script": []}', "script option must be a JSON object"),
    ("[1]", "build options must be a JSON object"),
])
def test_bad_options_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(PodcastError) as error:
        options_from_json(text)
    assert str(error.value) == message


def test_the_cli_shows_the_records_defaults() -> None:
    help_text = run_cli("build", "--help").stdout.decode()
    for option, default in (("--length", ScriptOptions.length), ("--show", ScriptOptions.show),
                            ("--bitrate", RenderOptions.bitrate), ("--concurrency", RenderOptions.concurrency),
                            ("--engine", RenderOptions.engine), ("--llm-model", ScriptOptions.llm_model)):
        block = help_text[help_text.index(option):]
        shown = " ".join(block[block.index("[default:"):].split())
        assert shown.startswith((f"[default: {default}]", f"[default: {default};")), option


def test_a_batch_hands_every_build_the_same_options(tmp_path: Path, shared_cache: Path) -> None:
    result = run_cli("-q", "batch", str(EXAMPLE), "--show", "De Ochtendbrief", "--length", "45", "--engine", "espeak",
                     "--out", str(tmp_path), "--cache-dir", str(shared_cache), "--json")
    assert result.returncode == 0, result.stderr.decode()
    manifest = json.loads(result.stdout)["manifest"]
    script = json.loads(Path(manifest["script"]).read_text())
    assert script["show"] == "De Ochtendbrief"
    assert script["segments"][0]["text"].startswith("Welkom bij De Ochtendbrief")
    alone = run_cli("script", str(EXAMPLE), "--show", "De Ochtendbrief", "--length", "45", "--json")
    assert script["segments"] == json.loads(alone.stdout)["segments"]
    default = run_cli("script", str(EXAMPLE), "--show", "De Ochtendbrief", "--json")
    assert script["segments"] != json.loads(default.stdout)["segments"]  # so --length did reach the build
