"""`podcast site`: the show's pages from the published feed, escaped, valid HTML, served with the right types."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from pathlib import Path

import lxml.html
import pytest

from podcast.config import Channel
from podcast.records import Chapter
from podcast.site import write_site
from podcast.site.reader import parse_chapters, parse_webvtt

from .conftest import run_cli
from .feed_helpers import BASE_URL
from .site_helpers import HOSTILE_TITLE, podcast_serve, publish_fake, vnu_command

STORY_CHAPTERS = [
    {"startTime": 0, "title": "Intro"},
    {"startTime": 0.5, "title": "Brug dicht", "url": "https://nieuws.example.nl/brug"},
    {"startTime": 1.0, "title": "Kwaad verhaal", "url": "javascript:alert(1)"},
]


@pytest.fixture(scope="module")
def show(tmp_path_factory) -> Path:
    """A feed with two episodes: a hostile title (older) and a bulletin-like one with story links."""
    folder = tmp_path_factory.mktemp("show")
    channel = Channel(title="Nieuws <i>van</i> & voor Delft", description="Elke dag het nieuws <em>kort</em>.",
                      email="redactie@example.nl")
    publish_fake(folder, HOSTILE_TITLE, "2025-03-01", channel=channel)
    feed = publish_fake(folder, "Het ochtendbulletin", "2025-03-02", STORY_CHAPTERS, channel=channel)
    write_site(feed)
    return folder


def page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def episode_page(folder: Path, title: str) -> Path:
    index = page(folder / "index.html")
    link = next(a for a in index.cssselect(".episodes h3 a") if a.text_content() == title)
    return folder / link.get("href")


def test_index_lists_the_episodes_newest_first_with_subscribe_links(show: Path) -> None:
    index = page(show / "index.html")
    assert [a.text_content() for a in index.cssselect(".episodes h3 a")] == ["Het ochtendbulletin", HOSTILE_TITLE]
    assert index.cssselect("#feed-url")[0].get("value") == BASE_URL + "feed.xml"
    assert index.cssselect(".app-link")[0].get("href") == "podcast://127.0.0.1:8765/podcast/feed.xml"
    assert index.cssselect("img.cover")[0].get("src") == "cover.jpg"
    assert index.get("lang") == "nl"
    assert [index.cssselect(s)[0].text_content() for s in ("#abonneren", "#copy-feed", "#afleveringen")] == [
        "Abonneren", "Kopieer", "Afleveringen"]


def test_hostile_titles_and_descriptions_are_text_not_markup(show: Path) -> None:
    show_title = "Nieuws <i>van</i> & voor Delft"
    pages = {show / "index.html": show_title, episode_page(show, HOSTILE_TITLE): f"{HOSTILE_TITLE} · {show_title}"}
    for path, title in pages.items():
        html = page(path)
        assert [s.get("src") for s in html.iter("script")] == ["site.js"]  # no script but ours
        assert not html.cssselect("b, i, em")
        assert html.findtext(".//title") == title  # each page its own title, as text
    hostile = page(episode_page(show, HOSTILE_TITLE))
    assert hostile.cssselect("h1")[0].text_content() == HOSTILE_TITLE
    assert "Eerste punt over <script>" in hostile.cssselect("main > p")[0].text_content()


def test_episode_page_has_player_chapters_transcript_and_sources(show: Path) -> None:
    path = episode_page(show, "Het ochtendbulletin")
    html = page(path)
    audio = html.cssselect("audio#player")[0]
    assert (show / audio.get("src")).is_file() and audio.get("src").endswith(".mp3")
    chapters = html.cssselect(".chapters li")
    assert [li.cssselect("button")[0].get("data-start") for li in chapters] == ["0.000", "0.500", "1.000"]
    assert [li.cssselect("button")[0].get("data-end") for li in chapters] == ["0.500", "1.000", "2.000"]
    # A story's link is a link; a javascript: URL never becomes one.
    assert [[a.get("href") for a in li.cssselect("a")] for li in chapters] == [
        [], ["https://nieuws.example.nl/brug"], []]
    assert [b.text_content() for b in html.cssselect(".transcript button")] == ["0:00 Welkom."]
    assert [a.get("href") for a in html.cssselect(".sources a")] == [
        "https://nieuws.example.nl/artikel?id=1&x=2", "https://nieuws.example.nl/brug"]
    assert "2 maart 2025" in html.cssselect(".meta")[0].text_content()
    assert html.cssselect(".meta time")[1].get("datetime") == "PT0H0M2S"


def test_parse_webvtt_reads_hours_entities_lines_and_skips_notes() -> None:
    text = ("WEBVTT\n\nNOTE made by hand\n\n1\n00:00:01.000 --> 00:00:02.500\nDe raad &amp; de\nstad &lt;3\n\n"
            "01:00:00.000 --> 01:00:01.000 align:start\n<v Anna>Tot ziens</v>\n\n"
            "00:00.500 --> 00:01.000\nEerst\n")
    assert [(c.start, c.end, c.text, c.until) for c in parse_webvtt(text)] == [
        (0.5, 1.0, "Eerst", 1.0), (1.0, 2.5, "De raad & de stad <3", 3600.0),
        (3600.0, 3601.0, "Tot ziens", 3601.0)]


@pytest.mark.parametrize(("text", "chapters"), [
    ('{"chapters": [{"startTime": 3, "title": "B"}, {"startTime": 0, "title": "A", "url": "ftp://x"}]}',
     (Chapter("A", 0.0, 3.0), Chapter("B", 3.0, 9.5))),
    ('{"version": "1.2.0", "chapters": []}', ()),
    ('{"chapters": [{"title": "zonder begin"}]}', ()),
    ("geen json", ()),
])
def test_parse_chapters_orders_them_and_ends_each_where_the_next_starts(text: str, chapters: tuple) -> None:
    assert parse_chapters(text, 9.5) == chapters


def test_rewrite_removes_pages_of_episodes_that_left_the_feed(tmp_path: Path) -> None:
    feed = publish_fake(tmp_path, "Eerste aflevering", "2025-03-01")
    publish_fake(tmp_path, "Tweede aflevering", "2025-03-02")
    first = write_site(feed)
    assert first.episodes == 2 and all(p.is_file() for p in first.pages)
    kept = episode_page(tmp_path, "Eerste aflevering")
    data = feed.read_text(encoding="utf-8")
    start = data.rindex("<item>", 0, data.index("<title>Tweede aflevering"))
    end = data.index("</item>", start) + len("</item>")
    feed.write_text(data[:start] + data[end:], encoding="utf-8")  # the second episode leaves the feed
    second = write_site(feed)
    assert second.pages == (kept,)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == sorted(["index.html", kept.name])
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]  # written atomically: no temp files left


def test_site_command_writes_pages_to_out_and_reports_json(show: Path, tmp_path: Path) -> None:
    out = tmp_path / "www"
    result = run_cli("site", str(show / "feed.xml"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["index"] == str(out / "index.html") and report["episodes"] == 2
    assert result.stderr.decode() == f"wrote the site for 2 episodes to {out}\n"
    # Pages elsewhere link the episode files in the feed's folder relative to themselves.
    audio = page(Path(report["pages"][0])).cssselect("audio")[0].get("src")
    assert audio.startswith("../") and (out / audio).resolve().is_file()


@pytest.mark.parametrize(("args", "message"), [
    (["site", "{tmp}/nergens.xml"], "error: feed not found: {tmp}/nergens.xml\n"),
    (["site", "{tmp}/leeg.xml"], "error: refusing to write the site of {tmp}/leeg.xml: the file is empty, "
                                 "not an RSS feed; the feed was left untouched\n"),
    (["build", "{tmp}/artikel.txt", "--site"], "error: --site needs --feed: the site is made from the feed\n"),
    (["batch", "{tmp}/artikel.txt", "--site"], "error: --site needs --feed: the site is made from the feed\n"),
])
def test_bad_input_gives_one_error_line_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "leeg.xml").write_text("", encoding="utf-8")
    (tmp_path / "artikel.txt").write_text("Titel\n\nTekst van het artikel.\n", encoding="utf-8")
    result = run_cli(*(a.format(tmp=tmp_path) for a in args))
    assert (result.returncode, result.stderr.decode()) == (1, message.format(tmp=tmp_path))
    assert not list(tmp_path.glob("*.html"))


def test_publish_with_site_rewrites_the_pages(tmp_path: Path) -> None:
    feed = publish_fake(tmp_path, "Eerste aflevering", "2025-03-01")
    manifest = next(tmp_path.glob("*.episode.json"))
    result = run_cli("publish", str(manifest), "--feed", str(feed), "--base-url", BASE_URL, "--site")
    assert result.returncode == 0, result.stderr.decode()
    assert "wrote the site for 1 episode to" in result.stderr.decode()
    assert [a.text_content() for a in page(tmp_path / "index.html").cssselect(".episodes a")] == [
        "Eerste aflevering"]


def test_podcast_serve_gives_every_site_file_its_content_type(show: Path) -> None:
    episode = episode_page(show, "Het ochtendbulletin").name
    expected = {
        "": "text/html; charset=utf-8", episode: "text/html; charset=utf-8",
        "site.css": "text/css; charset=utf-8", "site.js": "text/javascript; charset=utf-8",
        "cover.jpg": "image/jpeg", "feed.xml": "application/rss+xml; charset=utf-8",
        next(show.glob("*.vtt")).name: "text/vtt; charset=utf-8",
        next(show.glob("*.chapters.json")).name: "application/json+chapters",
        next(show.glob("*.mp3")).name: "audio/mpeg",
    }
    with podcast_serve(show) as url:
        seen = {}
        for name in expected:
            with urllib.request.urlopen(url + name, timeout=10) as response:
                seen[name] = response.headers["Content-Type"]
                assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert seen == expected


def test_pages_pass_the_nu_html_checker(show: Path) -> None:
    pages = sorted(str(p) for p in show.glob("*.html"))
    assert len(pages) == 3
    result = subprocess.run([*vnu_command(), "--errors-only", "--format", "json", "--also-check-css",
                             *pages, str(show / "site.css")], capture_output=True, timeout=120, check=False)
    messages = json.loads(result.stderr or b'{"messages": []}')["messages"]
    assert [(Path(m.get("url", "")).name, m.get("lastLine"), m["message"]) for m in messages] == []
    assert result.returncode == 0


def test_batch_with_site_rewrites_the_pages_after_publishing(tmp_path: Path) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text("date 2025-05-06\n\nVeerpont Zwolle vaart weer\n\nDe veerpont over de IJssel vaart sinds "
                       "vanochtend weer. Hij lag drie weken stil voor onderhoud aan de motor.\n", encoding="utf-8")
    out = tmp_path / "output"
    result = run_cli("batch", str(article), "--out", str(out), "--engine", "espeak", "--length", "15",
                     "--cache-dir", str(tmp_path / "cache"), "--feed", str(out / "feed.xml"),
                     "--base-url", BASE_URL, "--site")
    assert result.returncode == 0, result.stderr.decode()
    index = page(out / "index.html")
    assert [a.text_content() for a in index.cssselect(".episodes h3 a")] == ["Veerpont Zwolle vaart weer"]
    episode = page(out / index.cssselect(".episodes h3 a")[0].get("href"))
    assert "De veerpont over de IJssel vaart sinds vanochtend weer." in [
        b.text_content().split(" ", 1)[1] for b in episode.cssselect(".cue")]


def test_an_item_without_playable_audio_is_left_out_with_a_notice(tmp_path: Path) -> None:
    feed = publish_fake(tmp_path, "Gewone aflevering", "2025-03-01")
    data = feed.read_text(encoding="utf-8")
    item = "<item><title>Alleen tekst</title><guid>los-1</guid><enclosure url=\"javascript:alert(1)\"/></item>"
    feed.write_text(data.replace("</channel>", item + "</channel>"), encoding="utf-8")
    notices: list[str] = []
    site = write_site(feed, notice=notices.append)
    assert site.episodes == 1
    assert notices == [f"notice: left out 1 item of {feed}: no audio the site can link"]
    assert "javascript:" not in (tmp_path / "index.html").read_text(encoding="utf-8")
