"""The records every consumer reads: the episode's GUID and file names."""

from __future__ import annotations

from dataclasses import dataclass

from podcast.records import episode_guid, episode_stem


@dataclass(frozen=True)
class Named:
    title: str
    date: str | None


def test_the_guid_is_stable_and_depends_on_the_date_and_the_title() -> None:
    article = Named("Nieuwe fietsbrug geopend", "2025-03-14")
    # A published GUID must never change: this exact value is in subscribers' apps.
    assert episode_guid(article) == "db8e465d-0aa5-5c2e-b4ab-92b2abe6f1ad"
    assert episode_guid(article) == episode_guid(Named(" Nieuwe fietsbrug geopend ", "2025-03-14"))
    assert episode_guid(article) != episode_guid(Named("Nieuwe fietsbrug geopend", "2025-03-15"))
    assert episode_guid(article) != episode_guid(Named("Nieuwe fietsbrug gesloten", "2025-03-14"))
    assert episode_guid(article) != episode_guid(Named("Nieuwe fietsbrug geopend", None))


def test_file_names_carry_the_date_and_an_ascii_slug() -> None:
    assert episode_stem(Named("Café in Zwolle: één jaar open!", "2024-08-12")) == "2024-08-12-cafe-in-zwolle-een-jaar-open"
    assert episode_stem(Named("Zonder datum", None)) == "zonder-datum"


def test_an_undated_articles_guid_is_pinned_too() -> None:
    assert episode_guid(Named("Zonder datum", None)) == "ec44903c-0296-546f-a3d4-f8e308e0ae66"


def test_the_manifest_names_every_file_and_measure_of_the_episode() -> None:
    from pathlib import Path

    from podcast.records import Chapter, Episode

    episode = Episode(audio=Path("out/a.mp3"), duration=61.23456, title="T", engine="espeak",
                      script=Path("out/a.script.json"), guid="g", manifest=Path("out/a.episode.json"),
                      chapters=(Chapter("Intro", 0.0, 61.2),), transcript=Path("out/a.vtt"),
                      chapters_json=Path("out/a.chapters.json"), loudness_lufs=-16.1, true_peak_dbtp=-1.9,
                      language="en", date="2025-03-14")
    assert episode.to_manifest() == {
        "audio": "out/a.mp3", "duration": 61.235, "title": "T", "engine": "espeak", "script": "out/a.script.json",
        "transcript": "out/a.vtt", "chapters": "out/a.chapters.json", "guid": "g", "language": "en",
        "date": "2025-03-14", "loudness_lufs": -16.1, "true_peak_dbtp": -1.9,
    }
