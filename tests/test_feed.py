"""Stage 6, the library: publish_episode merges items into an RSS feed correctly."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from pathlib import Path

import feedparser
import podcastparser
import pytest
from lxml import etree

from podcast.config import Channel, load_channel
from podcast.errors import PodcastError
from podcast.feed import (
    ITUNES_NS,
    PODCAST_NS,
    article_pub_date,
    check_feed,
    fit_summary,
    itunes_duration,
    podcast_guid,
    publish_episode,
)

from .feed_helpers import BASE_URL, fake_episode

CHANNEL = Channel(email="redactie@example.nl", author="Redactie Test")
NASTY = 'Kaas & <worst> "gratis" ]]> \'t Gooi & <![CDATA[ x ]]>'
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


def items(feed: Path) -> list[etree._Element]:
    return etree.parse(str(feed)).getroot().find("channel").findall("item")


def canonical(element: etree._Element) -> bytes:
    """An element's content, ignoring indentation and namespace declarations it does not use."""
    reparsed = etree.fromstring(etree.tostring(element), etree.XMLParser(remove_blank_text=True))
    return etree.tostring(reparsed, method="c14n", exclusive=True)


def test_nasty_title_round_trips_through_xml_and_clients(tmp_path: Path) -> None:
    manifest = fake_episode(tmp_path, NASTY)
    feed = tmp_path / "feed.xml"
    publish_episode(manifest, feed, BASE_URL, Channel(title=NASTY, email="a@example.nl"))
    raw = feed.read_bytes()
    assert b"<![CDATA[" not in raw and b"]]>" not in raw  # escaped, never a CDATA section
    assert items(feed)[0].findtext("title") == NASTY
    assert etree.parse(str(feed)).getroot().findtext("channel/title") == NASTY
    parsed = podcastparser.parse(BASE_URL + "feed.xml", io.BytesIO(raw))
    assert parsed["title"] == NASTY and parsed["episodes"][0]["title"] == NASTY
    assert '<zegt> "ja" & de provincie' in parsed["episodes"][0]["description"]
    entry = feedparser.parse(raw).entries[0]
    assert entry.title == NASTY


def test_rebuild_updates_item_keeps_guid_pubdate_and_count(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    first = fake_episode(tmp_path, "Brug open", date=None)
    second = fake_episode(tmp_path, "Dijk dicht", date=None)
    publish_episode(first, feed, BASE_URL, CHANNEL, now=NOW)
    publish_episode(second, feed, BASE_URL, CHANNEL, now=NOW + dt.timedelta(hours=1))
    before = {i.findtext("guid"): i.findtext("pubDate") for i in items(feed)}
    # Rebuild the first episode: the audio changed size, the guid did not.
    rebuilt = fake_episode(tmp_path, "Brug open", date=None, padding=1000)
    result = publish_episode(rebuilt, feed, BASE_URL, CHANNEL, now=NOW + dt.timedelta(days=1))
    assert not result.added and result.items == 2
    after = items(feed)
    assert [i.findtext("guid") for i in after] == list(before)  # same guids, same order
    assert {i.findtext("guid"): i.findtext("pubDate") for i in after} == before
    brug = next(i for i in after if i.findtext("title") == "Brug open")
    assert int(brug.find("enclosure").get("length")) == Path(json.loads(rebuilt.read_text())["audio"]).stat().st_size


def test_items_newest_first_and_foreign_items_kept(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    foreign = (
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Oud</title>'
        "<description>d</description><custom-tag keep='1'>blijft</custom-tag>"
        "<item><title>Handgemaakt &amp; oud</title><guid>hand-1</guid>"
        "<pubDate>Mon, 10 Mar 2025 08:00:00 +0000</pubDate><x-note>niet aankomen</x-note>"
        '<enclosure url="https://elders.example/a.mp3" length="42" type="audio/mpeg"/></item>'
        "</channel></rss>\n"
    )
    feed.write_text(foreign, encoding="utf-8")
    hand = etree.fromstring(foreign.encode()).find("channel/item")
    publish_episode(fake_episode(tmp_path, "Later", date="2025-03-20"), feed, BASE_URL, CHANNEL, now=NOW)
    publish_episode(fake_episode(tmp_path, "Eerder", date="2025-03-01"), feed, BASE_URL, CHANNEL, now=NOW)
    root = etree.parse(str(feed)).getroot()
    titles = [i.findtext("title") for i in root.find("channel").findall("item")]
    assert titles == ["Later", "Handgemaakt & oud", "Eerder"]
    kept = root.find("channel").findall("item")[1]
    assert canonical(kept) == canonical(hand)
    assert root.findtext("channel/custom-tag") == "blijft"
    # The feed had no itunes namespace; now it declares it under its usual prefix.
    assert root.nsmap["itunes"] == ITUNES_NS and root.nsmap["podcast"] == PODCAST_NS
    assert check_feed(feed).problems == ("item 2 ('Handgemaakt & oud') has no valid <itunes:duration> "
                                         "(seconds or HH:MM:SS)",)


def test_channel_and_item_tags(tmp_path: Path) -> None:
    manifest = fake_episode(tmp_path, "Raad besluit", seconds=2, transcript=True,
                            chapters=[(0, "Intro"), (4.2, "Kopregel"), (65.7, "Punt 1")])
    feed = tmp_path / "feed.xml"
    publish_episode(manifest, feed, BASE_URL, CHANNEL, now=NOW)
    ns = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "atom": "http://www.w3.org/2005/Atom"}
    channel = etree.parse(str(feed)).getroot().find("channel")
    assert channel.findtext("podcast:guid", namespaces=ns) == str(
        uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "127.0.0.1:8765/podcast/feed.xml"))
    assert channel.find("atom:link", ns).get("href") == BASE_URL + "feed.xml"
    assert channel.findtext("language") == "nl"
    assert channel.findtext("itunes:explicit", namespaces=ns) == "false"
    category = channel.find("itunes:category", ns)
    assert category.get("text") == "News" and category[0].get("text") == "Daily News"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=ns) == "redactie@example.nl"
    assert channel.find("itunes:image", ns).get("href") == BASE_URL + "cover.jpg"
    assert (tmp_path / "cover.jpg").is_file()
    item = channel.find("item")
    audio = Path(json.loads(manifest.read_text())["audio"])
    enclosure = item.find("enclosure")
    assert enclosure.attrib == {"url": BASE_URL + audio.name, "length": str(audio.stat().st_size),
                                "type": "audio/mpeg"}
    assert item.findtext("itunes:duration", namespaces=ns) == "00:00:02"
    assert item.findtext("pubDate") == "Fri, 14 Mar 2025 00:00:00 +0000"
    assert item.find("podcast:transcript", ns).attrib == {
        "url": BASE_URL + audio.stem + ".vtt", "type": "text/vtt", "language": "nl"}
    assert item.find("podcast:chapters", ns).attrib == {
        "url": BASE_URL + audio.stem + ".chapters.json", "type": "application/json+chapters"}
    description = item.findtext("description")
    assert description.startswith("Eerste punt over Raad besluit. Tweede punt:")
    assert "Hoofdstukken:\n0:00 Intro\n0:04 Kopregel\n1:05 Punt 1" in description
    assert "Bron: https://nieuws.example.nl/artikel?id=1&x=2" in description


DAMAGED = {
    "garbage": b"\x00\x01 dit is geen feed",
    "truncated": b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Half',
    "atom": b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>',
    "html": b"<html><body>Not found</body></html>",
    "empty": b"",
}


@pytest.mark.parametrize("kind", list(DAMAGED))
def test_damaged_feed_refused_and_left_byte_for_byte(tmp_path: Path, kind: str) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(DAMAGED[kind])
    manifest = fake_episode(tmp_path, "Iets")
    with pytest.raises(PodcastError, match=r"^refusing to publish into .*feed\.xml: .*; the feed was left untouched$"):
        publish_episode(manifest, feed, BASE_URL, CHANNEL)
    assert feed.read_bytes() == DAMAGED[kind]
    leftovers = [p.name for p in tmp_path.glob("*feed.xml*") if p.name not in ("feed.xml", ".feed.xml.lock")]
    assert leftovers == []  # no temporary file either


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2025-03-14", dt.datetime(2025, 3, 14, tzinfo=dt.timezone.utc)),
        ("2024-08", dt.datetime(2024, 8, 1, tzinfo=dt.timezone.utc)),
        ("2026-05-01", NOW),  # today: the time of publishing
        ("2031-01-01", NOW),  # the future is a typo
        ("1887-01-01", NOW),
        ("2025-02-30", NOW),
        (None, NOW),
    ],
)
def test_article_pub_date(date: str | None, expected: dt.datetime) -> None:
    assert article_pub_date(date, NOW) == expected


def test_small_rules() -> None:
    assert itunes_duration(3725.4) == "01:02:05"
    long = tuple(f"Zin nummer {n} van een heel lang voorgelezen artikel." for n in range(200))
    fitted = fit_summary(long, 500)
    assert sum(len(t) + 1 for t in fitted) <= 501 and 0 < len(fitted) < len(long)
    assert fit_summary(("kort", "x" * 30 + " woord" * 50), 100)[-1].endswith("…")
    assert fit_summary(long[:2]) == long[:2]
    # The example from the Podcasting 2.0 namespace documentation.
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_bad_channel_settings_are_user_errors(tmp_path: Path) -> None:
    config = tmp_path / "podcast.toml"
    config.write_text('[channel]\ncategory = "Nieuws"\n', encoding="utf-8")
    with pytest.raises(PodcastError, match="unknown Apple Podcasts category: 'Nieuws'"):
        load_channel(config)
    with pytest.raises(PodcastError, match="base URL must be an http:// or https:// URL, got 'ftp://x/'"):
        publish_episode(fake_episode(tmp_path, "A"), tmp_path / "feed.xml", "ftp://x/", CHANNEL)
    with pytest.raises(PodcastError, match=r"cover image must be square, 1400 to 3000 pixels; .* is 1400x1000"):
        from PIL import Image

        Image.new("RGB", (1400, 1000)).save(tmp_path / "smal.png")
        publish_episode(fake_episode(tmp_path, "A"), tmp_path / "feed.xml", BASE_URL,
                        Channel(image=str(tmp_path / "smal.png")))
    assert not (tmp_path / "feed.xml").exists()


def test_own_cover_is_checked_and_placed_next_to_the_feed(tmp_path: Path) -> None:
    from PIL import Image

    art = tmp_path / "eigen" / "Omslag.PNG"
    art.parent.mkdir()
    Image.new("RGB", (1500, 1500), (200, 30, 30)).save(art, format="PNG")
    site = tmp_path / "site"
    publish_episode(fake_episode(site, "Met omslag"), site / "feed.xml", BASE_URL,
                    Channel(image=str(art), email="a@example.nl"))
    channel = etree.parse(str(site / "feed.xml")).getroot().find("channel")
    assert channel.find(f"{{{ITUNES_NS}}}image").get("href") == BASE_URL + "cover.png"
    assert (site / "cover.png").read_bytes() == art.read_bytes()
    assert check_feed(site / "feed.xml").ok
    # Swap in a cover Apple would refuse: feed check measures the served file.
    Image.new("RGB", (1000, 1000)).save(site / "cover.png", format="PNG")
    assert check_feed(site / "feed.xml").problems == (
        "cover art must be square, 1400 to 3000 px; cover.png is 1000x1000",)


def test_every_channel_and_item_element_says_what_the_records_hold(tmp_path: Path) -> None:
    """Publishing an Episode in memory: each element apps read, with the value it must carry."""
    from podcast import __version__
    from podcast.records import Chapter, Episode

    from .feed_helpers import small_mp3

    audio = tmp_path / "2025-03-14-brug.mp3"
    audio.write_bytes(small_mp3(2))
    (tmp_path / "2025-03-14-brug.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (tmp_path / "2025-03-14-brug.chapters.json").write_text('{"version": "1.2.0", "chapters": []}', encoding="utf-8")
    episode = Episode(
        audio=audio, duration=62.5, title="De brug is open", engine="espeak", script=tmp_path / "nergens.json",
        guid="guid-123", manifest=tmp_path / "nergens.episode.json",
        chapters=(Chapter("Intro", 0.0, 7.5), Chapter("De brug", 7.5, 62.5)),
        transcript=tmp_path / "2025-03-14-brug.vtt", chapters_json=tmp_path / "2025-03-14-brug.chapters.json",
        language="nl", date="2025-03-14", source="https://nieuws.example.nl/brug", summary=("De brug is open.",),
    )
    channel = Channel(title="Brugnieuws", description="Alles over bruggen.", author="Redactie Brug",
                      email="brug@example.nl", category="News", subcategory="Daily News", explicit=True,
                      image="https://cdn.example.nl/hoes.jpg", link="https://brug.example.nl/", locked=True)
    feed = tmp_path / "feed.xml"
    result = publish_episode(episode, feed, BASE_URL, channel, now=NOW)
    assert (result.feed, result.guid, result.title, result.added, result.items) == (
        feed, "guid-123", "De brug is open", True, 1)
    assert result.enclosure_url == BASE_URL + audio.name
    assert feed.read_bytes().startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<rss")

    ns = {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "atom": "http://www.w3.org/2005/Atom"}
    channel_el = etree.parse(str(feed)).getroot().find("channel")

    def text(path: str, element: etree._Element = channel_el) -> str | None:
        return element.findtext(path, namespaces=ns)

    def attrib(path: str, element: etree._Element = channel_el) -> dict[str, str]:
        found = element.find(path, namespaces=ns)
        assert found is not None, path
        return dict(found.attrib)

    assert [text(p) for p in ("title", "description", "language", "link", "generator", "lastBuildDate",
                              "itunes:author", "itunes:owner/itunes:name", "itunes:owner/itunes:email",
                              "itunes:explicit", "itunes:type", "image/url", "image/title", "image/link",
                              "podcast:locked")] == [
        "Brugnieuws", "Alles over bruggen.", "nl", "https://brug.example.nl/", f"podcast {__version__}",
        "Fri, 01 May 2026 12:00:00 +0000", "Redactie Brug", "Redactie Brug", "brug@example.nl",
        "true", "episodic", "https://cdn.example.nl/hoes.jpg", "Brugnieuws", "https://brug.example.nl/", "yes"]
    assert attrib("atom:link") == {"href": BASE_URL + "feed.xml", "rel": "self", "type": "application/rss+xml"}
    assert attrib("itunes:image") == {"href": "https://cdn.example.nl/hoes.jpg"}
    assert attrib("itunes:category") == {"text": "News"}
    assert attrib("itunes:category/itunes:category") == {"text": "Daily News"}
    assert attrib("podcast:locked") == {"owner": "brug@example.nl"}
    assert text("podcast:guid") == podcast_guid(BASE_URL + "feed.xml")

    item = channel_el.find("item")
    assert [text(p, item) for p in ("title", "itunes:title", "guid", "pubDate", "itunes:duration",
                                    "itunes:episodeType", "itunes:explicit")] == [
        "De brug is open", "De brug is open", "guid-123", "Fri, 14 Mar 2025 00:00:00 +0000", "00:01:02", "full", "true"]
    assert attrib("guid", item) == {"isPermaLink": "false"}
    assert attrib("enclosure", item) == {"url": BASE_URL + audio.name, "length": str(audio.stat().st_size),
                                         "type": "audio/mpeg"}
    assert attrib("podcast:transcript", item) == {"url": BASE_URL + "2025-03-14-brug.vtt", "type": "text/vtt",
                                                  "language": "nl"}
    assert attrib("podcast:chapters", item) == {"url": BASE_URL + "2025-03-14-brug.chapters.json",
                                                "type": "application/json+chapters"}
    assert text("description", item).splitlines() == [
        "De brug is open.", "", "Hoofdstukken:", "0:00 Intro", "0:07 De brug", "", "Bron: https://nieuws.example.nl/brug"]
