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
