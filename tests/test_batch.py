"""`podcast batch`: many articles, one line each, failures counted in the exit code."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import EXAMPLE, ROOT, audio_seconds, cli_env, interruptible, run_cli
from .fake_google import FakeGoogle, FakeGoogleServer

SECOND_ARTICLE = """De gemeente Zwolle opent volgende week een nieuw zwembad aan de rand van de stad. Het bad heeft een buitenbad en een glijbaan van veertig meter.

De bouw kostte ruim twaalf miljoen euro, iets meer dan begroot. De wethouder noemt het een investering in de gezondheid van alle inwoners.
"""


def _articles(folder: Path) -> tuple[Path, Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "a-fietsbrug.txt"
    good.write_bytes(EXAMPLE.read_bytes())
    bad = folder / "b-leeg.txt"
    bad.write_text("   \n")
    other = folder / "c-zwembad.txt"
    other.write_text(SECOND_ARTICLE, encoding="utf-8")
    return good, bad, other


def test_batch_reports_a_bad_file_and_finishes_the_others(tmp_path: Path, shared_cache: Path) -> None:
    good, bad, other = _articles(tmp_path / "in")
    (tmp_path / "in" / "notities.json").write_text("{}")  # not an article: skipped in a folder
    out = tmp_path / "out"
    result = run_cli("batch", str(tmp_path / "in"), "--jobs", "2", "--out", str(out),
                     "--cache-dir", str(shared_cache), "--engine", "espeak")
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 1, result.stderr.decode()
    assert len(lines) == 3
    assert f"FAIL  {bad}: article is empty: {bad}" in lines
    built = [line for line in lines if line.startswith("ok ")]
    assert sorted(line.split()[1] for line in built) == [str(good), str(other)]
    mp3s = sorted(out.glob("*.mp3"))
    assert len(mp3s) == 2 and all(audio_seconds(m) > 15 for m in mp3s)
    assert result.stderr.decode().strip().splitlines()[-1] == "2 built, 1 failed"


def test_batch_exit_code_counts_failures(tmp_path: Path, shared_cache: Path) -> None:
    missing = [str(tmp_path / f"weg-{n}.txt") for n in range(3)]
    result = run_cli("-q", "batch", *missing, "--out", str(tmp_path / "out"), "--cache-dir", str(shared_cache))
    assert result.returncode == 3
    # One line per article, as each finishes (so in any order).
    assert sorted(result.stdout.decode().splitlines()) == [f"FAIL  {m}: article not found: {m}" for m in missing]
    assert result.stderr == b""


def test_interrupted_batch_leaves_no_episode_and_no_feed(tmp_path: Path) -> None:
    good, _bad, other = _articles(tmp_path / "in")
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeGoogleServer(FakeGoogle(latency=0.3)) as server:
        batch = subprocess.Popen(
            [sys.executable, "-m", "podcast", "batch", str(good), str(other), "--jobs", "2", "--out", str(out),
             "--cache-dir", str(cache), "--engine", "gtts", "--feed", str(out / "feed.xml"),
             "--base-url", "http://127.0.0.1:8000/"],
            env=cli_env({"PODCAST_GTTS_URL": server.url}), cwd=ROOT, preexec_fn=interruptible,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while not list(cache.rglob("*.mp3")) and time.monotonic() < deadline:
            time.sleep(0.02)  # both builds are talking to "Google"
        batch.send_signal(signal.SIGINT)
        code = batch.wait(10)
    assert code == 130, batch.stderr.read().decode()
    assert batch.stdout.read() == b""
    leftovers = [p for p in out.rglob("*")] if out.exists() else []
    assert leftovers == []
    assert not [p for p in cache.rglob("*") if p.name.startswith(".") or ".part" in p.name]


def test_a_batch_keeps_its_request_budget_across_all_its_jobs(tmp_path: Path) -> None:
    """``--jobs 4 --concurrency 2``: four builds at once, never more than two requests at Google."""
    folder = tmp_path / "in"
    folder.mkdir()
    articles = []
    for n, town in enumerate(("Zwolle", "Deventer", "Kampen", "Hattem")):
        article = folder / f"{n}-{town.lower()}.txt"
        article.write_text(SECOND_ARTICLE.replace("Zwolle", town), encoding="utf-8")
        articles.append(article)
    google = FakeGoogle(latency=0.15, cheap=True)
    with FakeGoogleServer(google) as server:
        result = run_cli("-q", "batch", *map(str, articles), "--jobs", "4", "--concurrency", "2", "--engine", "gtts",
                         "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
                         env={"PODCAST_GTTS_URL": server.url})
    assert result.returncode == 0, result.stderr.decode()
    assert len(result.stdout.decode().splitlines()) == 4
    assert google.requests >= 4 * 3  # every article spoke through Google
    assert google.max_in_flight == 2  # the budget was used, and never passed
