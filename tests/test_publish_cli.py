"""`podcast init`, `build --feed`, `publish` and `feed check`, run as a user runs them."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest
from lxml import etree

from .conftest import cli_env, manifest_of, run_cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib
from .feed_helpers import BASE_URL, fake_episode

TOWNS = ("Zwolle", "Leeuwarden", "Assen", "Arnhem", "Breda", "Delft", "Haarlem", "Venlo")


def article(folder: Path, n: int) -> Path:
    """A short Dutch news article of our own, different per *n* (title, date, numbers)."""
    town = TOWNS[n]
    path = folder / f"artikel-{n}.txt"
    path.write_text(
        f"date 2025-04-{n + 1:02d}\n\n{town} opent nieuwe bibliotheek aan het water\n\n"
        f"De gemeente {town} heeft gisteren een nieuwe bibliotheek geopend aan de rand van de haven. "
        "Het gebouw telt drie verdiepingen en biedt plaats aan ruim veertigduizend boeken.\n\n"
        f"De bouw kostte ongeveer {n + 7} miljoen euro. Een groot deel van dat geld kwam van de provincie. "
        "Volgens de wethouder is het gebouw ook bedoeld als ontmoetingsplek voor ouderen en studenten.\n\n"
        "Buurtbewoners zijn vooral blij met het nieuwe café op de begane grond. Wel maken sommigen zich "
        "zorgen over het aantal parkeerplaatsen in de straat.\n",
        encoding="utf-8",
    )
    return path


def build_args(source: Path, out: Path, cache: Path) -> list[str]:
    return ["build", str(source), "--out", str(out), "--cache-dir", str(cache), "--engine", "espeak",
            "--length", "20", "--feed", str(out / "feed.xml"), "--base-url", BASE_URL,
            "--email", "redactie@example.nl", "--json"]


def feed_items(feed: Path) -> list[etree._Element]:
    return etree.parse(str(feed)).getroot().find("channel").findall("item")


@pytest.fixture(scope="module")
def two_episode_site(tmp_path_factory) -> Path:
    """An output folder with two episodes built and published through the CLI."""
    top = tmp_path_factory.mktemp("site")
    cache = tmp_path_factory.mktemp("publish-cache")
    out = top / "output"
    for n in (0, 1):
        result = run_cli(*build_args(article(top, n), out, cache))
        assert result.returncode == 0, result.stderr.decode()
        assert f"added '{TOWNS[n]} opent" in result.stderr.decode()
    return out


def test_two_episode_feed_passes_check_and_real_clients(two_episode_site: Path) -> None:
    feed = two_episode_site / "feed.xml"
    result = run_cli("feed", "check", str(feed))
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()
    assert result.stdout.decode().splitlines() == [
        f"ok: {feed}: 2 episodes; meets Apple's requirements; podcastparser and feedparser read every episode"
    ]
    sizes = {BASE_URL + p.name: p.stat().st_size for p in two_episode_site.glob("*.mp3")}
    assert len(sizes) == 2
    data = feed.read_bytes()
    parsed = podcastparser.parse(BASE_URL + "feed.xml", io.BytesIO(data))
    assert {e["enclosures"][0]["url"]: e["enclosures"][0]["file_size"] for e in parsed["episodes"]} == sizes
    assert [e["title"].split()[0] for e in parsed["episodes"]] == ["Leeuwarden", "Zwolle"]  # newest first
    entries = feedparser.parse(data).entries
    assert {e.enclosures[0]["href"]: int(e.enclosures[0]["length"]) for e in entries} == sizes
    assert parsed["episodes"][0]["total_time"] > 10


def test_rebuild_keeps_guid_and_item_count(two_episode_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    shutil.copytree(two_episode_site, out)
    before = [(i.findtext("guid"), i.findtext("pubDate")) for i in feed_items(out / "feed.xml")]
    source = article(tmp_path, 0)
    result = run_cli(*build_args(source, out, tmp_path / "cache"))
    assert result.returncode == 0, result.stderr.decode()
    assert "updated 'Zwolle opent" in result.stderr.decode() and "(2 episodes)" in result.stderr.decode()
    assert manifest_of(result)["guid"] == before[1][0]
    assert [(i.findtext("guid"), i.findtext("pubDate")) for i in feed_items(out / "feed.xml")] == before
    # publish of the same manifest again: still no duplicate
    result = run_cli("publish", manifest_of(result)["audio"].replace(".mp3", ".episode.json"),
                     "--feed", str(out / "feed.xml"), "--base-url", BASE_URL)
    assert result.returncode == 0, result.stderr.decode()
    assert len(feed_items(out / "feed.xml")) == 2


def _run_all(commands: list[list[str]], cwd: Path | None = None) -> None:
    """Start every command at once as its own process; all must succeed."""
    procs = [subprocess.Popen([sys.executable, "-m", "podcast", *c], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, cwd=cwd, env=cli_env()) for c in commands]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err.decode()


def test_eight_concurrent_builds_into_one_feed_leave_eight_items(tmp_path: Path, shared_cache: Path) -> None:
    out = tmp_path / "output"
    _run_all([build_args(article(tmp_path, n), out, shared_cache) for n in range(8)])
    items = feed_items(out / "feed.xml")
    assert len(items) == 8 and len({i.findtext("guid") for i in items}) == 8
    assert [i.findtext("title").split()[0] for i in items] == list(reversed(TOWNS))  # newest first
    assert run_cli("feed", "check", str(out / "feed.xml")).returncode == 0


def test_eight_concurrent_publishers_leave_eight_items(tmp_path: Path) -> None:
    manifests = [fake_episode(tmp_path / "site", f"Bericht {n}", date=None) for n in range(8)]
    feed = tmp_path / "site" / "feed.xml"
    _run_all([["publish", str(m), "--feed", str(feed), "--base-url", BASE_URL] for m in manifests])
    assert sorted(i.findtext("title") for i in feed_items(feed)) == [f"Bericht {n}" for n in range(8)]


def test_init_writes_dutch_defaults_and_options_override_it(tmp_path: Path) -> None:
    result = run_cli("init", "--email", "redactie@example.nl", "--base-url", "http://10.0.0.5:8000",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    channel = tomllib.loads((tmp_path / "podcast.toml").read_text(encoding="utf-8"))["channel"]
    assert channel["language"] == "nl" and channel["explicit"] is False
    assert (channel["category"], channel["subcategory"]) == ("News", "Daily News")
    assert channel["base_url"] == "http://10.0.0.5:8000/" and channel["email"] == "redactie@example.nl"
    again = run_cli("init", cwd=tmp_path)
    assert (again.returncode, again.stderr.decode()) == (
        1, "error: config already exists: podcast.toml (use --force to overwrite)\n")

    manifest = fake_episode(tmp_path / "output", "Nieuwe brug")
    result = run_cli("publish", str(manifest), "--feed", "output/feed.xml", "--channel-title", "Ander & Beter",
                     "--explicit", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    root = etree.parse(str(tmp_path / "output" / "feed.xml")).getroot()
    assert root.findtext("channel/title") == "Ander & Beter"
    assert root.findtext("channel/{http://www.itunes.com/dtds/podcast-1.0.dtd}explicit") == "true"
    enclosure = root.find("channel/item/enclosure").get("url")
    assert enclosure.startswith("http://10.0.0.5:8000/ep-")


def test_publish_needs_a_base_url(tmp_path: Path) -> None:
    result = run_cli("publish", str(fake_episode(tmp_path, "A")), "--feed", "feed.xml", cwd=tmp_path)
    assert (result.returncode, result.stderr.decode()) == (
        1, "error: no base URL for the feed: pass --base-url or set base_url in podcast.toml\n")
    assert not (tmp_path / "feed.xml").exists()


def test_damaged_feed_is_refused_and_left_alone(tmp_path: Path, shared_cache: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    damaged = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Kapot & half'
    (out / "feed.xml").write_bytes(damaged)
    result = run_cli("publish", str(fake_episode(out, "A")), "--feed", str(out / "feed.xml"),
                     "--base-url", BASE_URL)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"error: refusing to publish into {out / 'feed.xml'}: it is not well-formed XML "
        "(line 2, column 43: xmlParseEntityRef: no name); the feed was left untouched\n")
    assert (out / "feed.xml").read_bytes() == damaged
    # build --feed checks the feed before speaking a word
    result = run_cli(*build_args(article(tmp_path, 2), out, shared_cache))
    assert result.returncode == 1 and result.stderr.decode().startswith("error: refusing to publish into")
    assert (out / "feed.xml").read_bytes() == damaged
    assert not list(out.glob("*assen*.mp3"))


def test_feed_check_lists_each_failure(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">'
        "<channel><title>T</title><description>D</description><language>nl</language>"
        '<itunes:category text="Nieuws"/><itunes:explicit>no</itunes:explicit>'
        "<item><title>Zonder alles</title><guid>x</guid><pubDate>gisteren</pubDate>"
        '<enclosure url="http://e.example/a.mp3" length="0" type="audio/mpeg"/></item>'
        "</channel></rss>\n",
        encoding="utf-8",
    )
    result = run_cli("feed", "check", str(feed))
    assert result.returncode == 1
    fails = [line for line in result.stdout.decode().splitlines() if line.startswith("fail: ")]
    assert fails == [
        "fail: channel has no <itunes:image href=…> (cover art)",
        "fail: itunes:category 'Nieuws' is not an Apple Podcasts category",
        "fail: itunes:explicit must be true or false, not 'no'",
        "fail: item 1 ('Zonder alles') has no RFC 2822 <pubDate>",
        "fail: item 1 ('Zonder alles') has no valid <itunes:duration> (seconds or HH:MM:SS)",
        "fail: item 1 ('Zonder alles'): enclosure length must be the size in bytes, not '0'",
        "fail: podcastparser reads 1 episode with enclosure lengths [-1], the feed has 1 with [0]",
    ]
    assert "warn: channel has no <itunes:owner><itunes:email> (Apple mails it to verify ownership)" in \
        result.stdout.decode().splitlines()
    assert result.stderr.decode() == f"error: {feed} fails 7 checks\n"
