"""The bulletin's parts without speech: sources, stories, points, the script, the state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from podcast.bulletin import new_items, rank_stories
from podcast.bulletin.sources import Item, item_article, parse_feed, read_source
from podcast.bulletin.state import BroadcastState, read_state
from podcast.bulletin.stories import Story, tell_same_story
from podcast.bulletin.writer import (
    StoryText,
    bulletin_script,
    bulletin_title,
    date_line,
    pick_points,
    transition,
)
from podcast.errors import PodcastError
from podcast.records import episode_guid
from podcast.script import Script
from podcast.summarize import summarize

from .newsroom import DIKE_TITLE, FIXTURES

NOW = dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.timezone.utc)
BASE = "http://127.0.0.1:9/"


def fixture_items(name: str) -> list[Item]:
    data = (FIXTURES / f"{name}.xml").read_text(encoding="utf-8").replace("{base}", BASE.rstrip("/"))
    return parse_feed(data.encode("utf-8"), f"{BASE}{name}.xml", base_url=f"{BASE}{name}.xml")


def item(title: str, source: str = "a", **fields) -> Item:
    return Item(key=fields.pop("key", title), title=title, link=None, source=source, credit=source, **fields)


def test_the_date_line_is_dutch_whatever_the_locale() -> None:
    assert date_line(dt.date(2026, 12, 1)) == "Het is dinsdag 1 december."
    assert date_line(dt.date(2027, 3, 7)) == "Het is zondag 7 maart."
    assert date_line(dt.date(2026, 12, 1), "en") == "It is Tuesday, December 1."


def test_one_guid_per_show_date_and_edition() -> None:
    day = dt.date(2026, 12, 1)
    first = bulletin_title("Het Ochtendnieuws", day, "1")
    assert first == "Het Ochtendnieuws, dinsdag 1 december 2026"
    assert bulletin_title("Het Ochtendnieuws", day, "2") == first + ", editie 2"

    def guid(title: str) -> str:
        return episode_guid(Script(title, "nl", day.isoformat(), ()))

    assert guid(first) == guid(bulletin_title("Het Ochtendnieuws", day, "1"))
    assert len({guid(first), guid(first + ", editie 2"), guid(bulletin_title("Avondnieuws", day, "1"))}) == 3


def test_feeds_give_items_with_their_dates_sections_and_full_text() -> None:
    oost, midden = fixture_items("oost"), fixture_items("midden")
    assert [i.title for i in midden][:2] == ["IJsselbrug bij Zwolle minstens drie weken afgesloten",
                                             "Gemeente Amersfoort plant 400 huurwoningen op oude veemarkt"]
    assert midden[1].section == "Wonen" and midden[0].published == "2026-12-01T10:05:00+00:00"
    assert oost[0].published == "2026-12-01T08:30:00+00:00"  # +0100 in the feed
    dike = next(i for i in oost if i.title == DIKE_TITLE)
    assert dike.link is None and dike.key == "oost-dijk-olst-2026"
    article = item_article(dike)  # from the feed itself: no page to fetch
    assert article.title == DIKE_TITLE and article.publisher == "Omroep Oost"
    assert [s.heading for s in article.sections] == [None, "Omleiding voor fietsers"]


def test_the_same_story_from_two_feeds_is_one_story_and_ranks_first() -> None:
    items = fixture_items("oost") + fixture_items("midden") + fixture_items("noord")
    stories = rank_stories(items, NOW)
    assert len(stories) == len(items) - 1
    bridge = stories[0]
    assert sorted(bridge.credits) == ["Dagblad Midden", "Omroep Oost"]
    assert {i.title for i in bridge.items} == {"Scheur in IJsselbrug: brug weken dicht voor verkeer",
                                                "IJsselbrug bij Zwolle minstens drie weken afgesloten"}
    assert Story.from_data(json.loads(json.dumps(bridge.to_data()))) == bridge  # a queue can carry it
    merged = [(a.title, b.title) for a in items for b in items
              if a is not b and a.source != b.source and tell_same_story(a, b)]
    assert len(merged) == 2  # the bridge, both ways round, and nothing else


def test_ranking_weighs_sources_position_recency_and_length() -> None:
    def top(*items: Item) -> str:
        return rank_stories(list(items), NOW)[0].title

    recent = NOW.isoformat()
    old = (NOW - dt.timedelta(days=2)).isoformat()
    assert top(item("Oud bericht", published=old), item("Vers bericht", published=recent)) == "Vers bericht"
    assert top(item("Onderaan", position=4, feed_size=5), item("Bovenaan", position=0, feed_size=5)) == "Bovenaan"
    assert top(item("Kort", summary="een twee"), item("Lang", summary="woord " * 300)) == "Lang"
    two = [item("Brand verwoest boerderij in Raalte", "a", published=old),
           item("Boerderij in Raalte verwoest door brand", "b", published=old)]
    assert top(item("Vers maar alleen", published=recent), *two) == "Brand verwoest boerderij in Raalte"


def test_points_come_from_both_sources_without_repeating_a_fact() -> None:
    pages = FIXTURES / "pages"
    from podcast.article import load_article

    first = [p.text for p in summarize(load_article(str(pages / "ijsselbrug.html")), length=30).points]
    second = [p.text for p in summarize(load_article(str(pages / "brug-zwolle.html")), length=30).points]
    points = pick_points("Scheur in IJsselbrug: brug weken dicht voor verkeer", [first, second], 60, "nl")
    assert points[0] == first[0]  # the crack, as the first source tells it
    assert second[0] not in points  # the second source's lead tells the same crack again
    assert any(p in second for p in points)
    assert 2 <= len(points) <= 3 and sum(len(p.split()) for p in points) <= 60
    # However tight the budget, the second source's first new fact is told: the story is told from both.
    tight = pick_points("Scheur in IJsselbrug: brug weken dicht voor verkeer", [first, second], 10, "nl")
    assert len(tight) == 2 and tight[0] == first[0] and tight[1] in second


def test_transitions_vary_and_stay_neutral_without_a_section() -> None:
    neutral = [transition(n, None, None, "nl") for n in range(1, 5)]
    assert len(set(neutral)) == 4
    assert transition(1, "Sport", None, "nl") == "Dan Sport."
    assert transition(2, "Sport", "Sport", "nl") == neutral[1]  # the same section again: nothing to announce


def test_the_bulletin_script_has_story_indexes_and_round_trips_as_json() -> None:
    stories = [StoryText("Brug dicht", "https://a.example/brug", ("Omroep Oost", "Dagblad Midden"),
                         ("De brug is dicht.", "Er rijden bussen.")),
               StoryText("Zwembad open", None, ("Omroep Oost",), ("Het bad gaat open.",))]
    script = bulletin_script(stories, "Het Ochtendnieuws", dt.date(2026, 12, 1))
    kinds = [(s.kind, s.story) for s in script.segments]
    assert kinds == [("intro", None), ("menu", None), ("headline", 0), ("point", 0), ("point", 0),
                     ("transition", 1), ("headline", 1), ("point", 1), ("outro", None)]
    assert script.segments[1].text == "In dit bulletin: Brug dicht en Zwembad open."
    assert script.segments[2].text == "Brug dicht. Dat melden Omroep Oost en Dagblad Midden."
    assert script.segments[-1].text == ("Dat was Het Ochtendnieuws. Het nieuws kwam van Omroep Oost en "
                                        "Dagblad Midden. Tot de volgende keer.")
    assert Script.from_json(script.to_json()) == script
    assert [StoryText.from_data(json.loads(json.dumps(s.to_data()))) for s in stories] == stories
    assert script.chapter_urls() == {"Brug dicht": "https://a.example/brug"}
    plain = Script("T", "nl", None, script.segments[:1])
    assert '"story"' not in plain.to_json() and '"stories"' not in plain.to_json()


def test_since_a_date_overrides_what_was_broadcast() -> None:
    items = fixture_items("midden")
    seen = BroadcastState(items={i.key: {"seen": NOW.isoformat()} for i in items})
    assert new_items(items, seen, None) == []
    since = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    assert [i.title for i in new_items(items, seen, since)] == [items[0].title, items[1].title]
    assert new_items(items, BroadcastState(), None) == items


@pytest.mark.parametrize(("content", "message"), [
    (b"", "not found"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Leeg</title></channel></rss>',
     "the feed has no items"),
    (b'<?xml version="1.0"?><rss version="2.0"><channel><title>X</title><item><title>A</item></channel></rss>',
     "not well-formed XML (line 1: mismatched tag)"),
])
def test_a_failing_file_source_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bron.xml"
    if content:
        path.write_bytes(content)
    read = read_source(str(path))
    assert read.items == () and message in read.error and str(path) in read.error


def test_a_folder_and_a_file_of_articles_are_sources(tmp_path: Path) -> None:
    for name in ("zwembad", "boeren"):
        (tmp_path / f"{name}.html").write_bytes((FIXTURES / "pages" / f"{name}.html").read_bytes())
    (tmp_path / "notities.json").write_text("{}")
    folder = read_source(str(tmp_path))
    assert [i.title for i in folder.items] == ["Boeren protesteren met trekkers in Deventer",
                                               "Zwembad De Welle gaat in mei weer open"]
    single = read_source(str(tmp_path / "zwembad.html"))
    assert single.items[0].key == folder.items[1].key  # one file, one identity


def test_a_damaged_state_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / ".bulletin.json"
    path.write_text("{kapot")
    with pytest.raises(PodcastError, match=r"the bulletin state .* is damaged"):
        read_state(path)
    assert path.read_text() == "{kapot"


def test_an_item_that_failed_is_tried_again_an_hour_later_unless_told() -> None:
    state = BroadcastState()
    state.record(seen=["oud"], told={"verteld": "2026-12-01#1"}, failed=["kapot", "verteld"], stories=[],
                 day=NOW.date(), edition="1", now=NOW, present=set())
    soon, later = NOW + dt.timedelta(minutes=59), NOW + dt.timedelta(minutes=61)
    assert [key for key in ("oud", "verteld", "kapot", "nieuw") if state.is_new(key, soon)] == ["nieuw"]
    assert [key for key in ("oud", "verteld", "kapot", "nieuw") if state.is_new(key, later)] == ["kapot", "nieuw"]
