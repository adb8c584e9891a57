"""``podcast bulletin``: our own feeds on 127.0.0.1, real espeak-ng and ffmpeg, a real feed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import feedparser

from .conftest import cli_env, interruptible, manifest_of, run_cli
from .newsroom import BRIDGE_CREDITS, DIKE_TITLE, NEW_TITLE, STORIES, newsroom
from .test_audio import ffmetadata

BASE_URL = "http://127.0.0.1:8765/nieuws/"
#: Enough stories and length for every story the fixtures tell, kept short to speak fast.
RUN = ("--engine", "espeak", "--stories", "12", "--length", "120", "--timeout", "1", "--show", "Het Ochtendnieuws")


def bulletin(out: Path, cache: Path, *sources: str, extra: tuple[str, ...] = ()):
    return run_cli("bulletin", *sources, "--out", str(out), "--feed", str(out / "feed.xml"), "--base-url", BASE_URL,
                   "--cache-dir", str(cache), "--json", *RUN, *extra)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file but the lock files: its modification time and content."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def warnings_of(result) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if line.startswith("warning: ")]


def test_bulletin_of_the_fixture_feeds_then_nothing_new_then_just_the_new_item(tmp_path: Path,
                                                                                 shared_cache: Path) -> None:
    out = tmp_path / "site"
    with newsroom() as room:
        first = bulletin(out, shared_cache, *room.sources())
        assert first.returncode == 0, first.stderr.decode()
        manifest = manifest_of(first)
        stories = manifest["stories"]

        # The failing sources are reported, one line each, and the rest goes on.
        warnings = warnings_of(first)
        assert len(warnings) == 3, warnings
        assert warnings[0] == f"warning: source skipped: timed out after 1 s fetching {room.feed('traag')}"
        assert warnings[1].startswith(f"warning: source skipped: {room.feed('kapot')}: not well-formed XML (line ")
        assert warnings[2] == f"warning: story skipped: {room.url}/oost/bibliotheek.html answered HTTP 404 Not Found"

        # The duplicate is one story, credited to both; the feed's own full text is a story.
        assert len(stories) == STORIES
        bridge = [s for s in stories if "IJsselbrug" in s["title"]]
        assert len(bridge) == 1 and sorted(bridge[0]["sources"]) == BRIDGE_CREDITS
        assert stories[0] == bridge[0]  # carried by two sources: the most important
        assert {"title": DIKE_TITLE, "url": None, "sources": ["Omroep Oost"]} in stories

        # One chapter per story, in order, each with its story's link; ID3 chapters agree and fit the audio.
        chapters = json.loads(Path(manifest["chapters"]).read_text())["chapters"]
        assert [c["title"] for c in chapters][0] == "Intro" and chapters[-1]["title"] == "Afsluiting"
        told = chapters[1:-1]
        assert len(told) == STORIES
        for chapter, story in zip(told, stories, strict=True):
            assert story["title"].startswith(chapter["title"].rstrip("…"))
            assert chapter.get("url") == story["url"]
        _, id3 = ffmetadata(Path(manifest["audio"]))
        assert [c.title for c in id3] == [c["title"] for c in chapters]
        assert all(a.start < b.start for a, b in zip(id3, id3[1:], strict=False))
        assert id3[-1].end <= manifest["duration"] + 0.001

        # The script says the day, the menu and credits the merged story to both sources.
        script = json.loads(Path(manifest["script"]).read_text())
        assert script["segments"][0]["text"].startswith("Het is ")
        assert script["segments"][0]["text"].endswith(". Dit is Het Ochtendnieuws.")
        headline = next(s for s in script["segments"] if s["kind"] == "headline" and s["story"] == 0)
        first, second = bridge[0]["sources"]
        assert headline["text"].endswith(f". Dat melden {first} en {second}.")
        points = [s for s in script["segments"] if s["kind"] == "point" and s["story"] == 0]
        assert 2 <= len(points) <= 3

        # The feed passes the check; its item lists the stories with their links.
        check = run_cli("feed", "check", str(out / "feed.xml"))
        assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()
        item = feedparser.parse(str(out / "feed.xml")).entries[0]
        assert item.title == script["title"]
        for story in stories:
            if story["url"]:
                assert story["url"] in item.description

        # Straight after: nothing new, exit 0, not a file touched.
        before = snapshot(out)
        again = bulletin(out, shared_cache, *room.sources())
        assert again.returncode == 0, again.stderr.decode()
        assert "nothing new since the last bulletin (" in again.stderr.decode()
        assert manifest_of(again)["stories"] == []
        assert snapshot(out) == before

        # One new item: a bulletin of just that story, a second edition of the day.
        room.add_new_item()
        third = bulletin(out, shared_cache, *room.sources())
        assert third.returncode == 0, third.stderr.decode()
        newest = manifest_of(third)
        assert [s["title"] for s in newest["stories"]] == [NEW_TITLE]
        assert newest["title"] == script["title"] + ", editie 2"
    episodes = feedparser.parse(str(out / "feed.xml")).entries
    assert [e.title for e in episodes] == [newest["title"], script["title"]]


def test_no_source_readable_exits_1(tmp_path: Path) -> None:
    with newsroom() as room:
        result = run_cli("bulletin", room.feed("kapot"), f"{room.url}/geen-feed.xml", "--out", str(tmp_path / "out"),
                         "--timeout", "1")
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert lines[-1] == "error: no source could be read (2 tried)"
    assert lines[1] == f"warning: source skipped: {room.url}/geen-feed.xml answered HTTP 404 Not Found"
    assert not (tmp_path / "out" / ".bulletin.json").exists()


def test_two_runs_at_once_tell_each_story_once(tmp_path: Path, shared_cache: Path) -> None:
    out = tmp_path / "site"
    with newsroom() as room:
        sources = [room.feed("noord"), room.feed("midden")]
        command = [sys.executable, "-m", "podcast", "bulletin", *sources, "--out", str(out), "--feed",
                   str(out / "feed.xml"), "--base-url", BASE_URL, "--cache-dir", str(shared_cache), "--json", *RUN]
        runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env())
                for _ in range(2)]
        results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode() for _, err in results]
    told = [s["title"] for out_text, _ in results for s in json.loads(out_text)["stories"]]
    assert len(told) == 7 and len(set(told)) == 7  # the four of Midden and the three of Noord, once each
    assert sum("nothing new since" in err.decode() for _, err in results) == 1
    assert len(feedparser.parse(str(out / "feed.xml")).entries) == 1


def test_ctrl_c_marks_nothing_as_broadcast(tmp_path: Path, shared_cache: Path) -> None:
    out = tmp_path / "site"
    with newsroom() as room:
        room.routes["/noord/veerpont.html"].delay = 20.0  # the run is still fetching when Ctrl-C comes
        command = [sys.executable, "-m", "podcast", "bulletin", room.feed("noord"), "--out", str(out),
                   "--cache-dir", str(shared_cache), "--json", *RUN[:-4], "--timeout", "30"]
        run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(),
                               preexec_fn=interruptible)
        deadline = time.monotonic() + 30
        while not (out / ".bulletin.json.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        started = time.monotonic()
        run.send_signal(signal.SIGINT)
        _, err = run.communicate(timeout=30)
        assert time.monotonic() - started < 5  # not after the slow page
        assert run.returncode == 130 and err.decode().splitlines()[-1] == "interrupted"
        assert not (out / ".bulletin.json").exists()
        assert not list(out.glob("*.mp3"))

        room.routes["/noord/veerpont.html"].delay = 0.0
        result = run_cli("bulletin", room.feed("noord"), "--out", str(out), "--cache-dir", str(shared_cache),
                         "--json", *RUN)
    assert result.returncode == 0, result.stderr.decode()
    assert len(manifest_of(result)["stories"]) == 3


def test_script_only_writes_the_script_and_marks_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with newsroom() as room:
        result = run_cli("bulletin", room.feed("noord"), "--out", str(out), "--script-only", *RUN)
    assert result.returncode == 0, result.stderr.decode()
    path = Path(result.stdout.decode().strip())
    script = json.loads(path.read_text())
    assert [s["title"] for s in script["stories"]] == [
        "Veerpont naar Schiermonnikoog vaart weer na storm", "Studenten in Groningen vinden moeilijk een kamer",
        "Windpark bij de Eemshaven levert eerste stroom"]
    assert {s.get("story") for s in script["segments"]} == {None, 0, 1, 2}
    assert not list(out.glob("*.mp3")) and not (out / ".bulletin.json").exists()


def test_rerunning_an_edition_updates_its_feed_item(tmp_path: Path, shared_cache: Path) -> None:
    out = tmp_path / "site"
    with newsroom() as room:
        first = bulletin(out, shared_cache, room.feed("noord"), extra=("--site",))
        again = bulletin(out, shared_cache, room.feed("noord"), extra=("--since", "2026-11-01", "--edition", "1"))
    assert first.returncode == 0 and again.returncode == 0, again.stderr.decode()
    assert manifest_of(again)["guid"] == manifest_of(first)["guid"]
    assert "updated '" in again.stderr.decode()
    entries = feedparser.parse(str(out / "feed.xml")).entries
    assert len(entries) == 1 and entries[0].title == manifest_of(first)["title"]
    assert entries[0].description.startswith("Veerpont naar Schiermonnikoog vaart weer na storm.")
    # --site: the episode's page links each story chapter to its article.
    page = (out / Path(manifest_of(first)["audio"]).with_suffix(".html").name).read_text(encoding="utf-8")
    for story in manifest_of(first)["stories"]:
        assert f'href="{story["url"]}"' in page
