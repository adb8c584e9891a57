"""Many machines: ``batch --broker`` on real ``podcast worker`` processes and a real redis-server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .conftest import ROOT, audio_seconds, cli_env, manifest_of, run_cli
from .fake_google import FakeGoogle, FakeGoogleServer
from .redis_worker import redis_server, workers

TOWNS = ("Zwolle", "Deventer", "Kampen", "Hattem", "Zutphen", "Almelo", "Hengelo", "Enschede", "Oldenzaal",
         "Ommen", "Raalte", "Dalfsen")
#: Short, fast builds: the espeak-ng voice and the shortest summary.
FAST = ("--engine", "espeak", "--length", "15")


def article(town: str, n: int) -> str:
    """A short Dutch article of our own, one per town (each has its own title, so its own files)."""
    return (f"{town} krijgt een nieuwe bibliotheek aan het water\n\n"
            f"De gemeente {town} bouwt een bibliotheek met {n + 3} leeszalen aan de haven. "
            f"Het gebouw opent over twee jaar en kost ongeveer {n + 8} miljoen euro.\n\n"
            f"Volgens de wethouder lezen de inwoners van {town} steeds meer. "
            "De oude bibliotheek in het centrum wordt een buurthuis.\n")


def articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, town in enumerate(TOWNS[:count]):
        path = folder / f"{n:02d}-{town.lower()}.txt"
        path.write_text(article(town, n), encoding="utf-8")
        paths.append(path)
    return paths


def episodes(out: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.episode.json"))]


def visible(folder: Path) -> list[Path]:
    """The files a listener or the feed can see: everything but writers' hidden work in progress."""
    from podcast.fsutil import is_temporary

    return sorted(p for p in folder.iterdir() if not is_temporary(p))


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """A redis-server and two workers (one pool process each), shared by this module's tests."""
    folder = tmp_path_factory.mktemp("queue")
    with redis_server(folder / "redis") as url, workers(url, folder, ("w1@test", "w2@test")) as started:
        yield url, started


def test_two_workers_build_twelve_articles_and_the_caller_publishes_them(tmp_path: Path, two_workers) -> None:
    url, (w1, w2) = two_workers
    sources = articles(tmp_path / "in", 12)
    done_before = w1.succeeded() + w2.succeeded()
    out = tmp_path / "out"
    result = run_cli("batch", str(tmp_path / "in"), "--broker", url, "--out", str(out), "--cache-dir",
                     str(tmp_path / "cache"), *FAST, "--feed", str(out / "feed.xml"),
                     "--base-url", "http://127.0.0.1:8000/")
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert sorted(line.split()[1] for line in lines) == [str(s) for s in sources]
    assert all(line.startswith("ok    ") and " (" in line and ", espeak, " in line for line in lines)
    built = episodes(out)
    assert len(built) == 12 and len({e["guid"] for e in built}) == 12
    assert all(audio_seconds(Path(e["audio"])) > 10 for e in built)
    # Both workers took their share, and the caller published all twelve once, at the end.
    assert w1.succeeded() + w2.succeeded() - done_before == 12
    assert w1.succeeded() > 0 and w2.succeeded() > 0
    import feedparser

    feed = feedparser.parse(str(out / "feed.xml"))
    assert len(feed.entries) == 12
    assert result.stderr.decode().strip().splitlines()[-1] == "12 built, 0 failed"


def test_a_bad_article_is_reported_at_once_and_the_rest_are_built(tmp_path: Path, two_workers) -> None:
    url, workers_ = two_workers
    good = articles(tmp_path / "in", 2)
    empty = tmp_path / "in" / "leeg.txt"
    empty.write_text("  \n")
    missing = tmp_path / "in" / "weg.txt"
    result = run_cli("batch", *map(str, [*good, empty, missing]), "--broker", url, "--out", str(tmp_path / "out"),
                     "--cache-dir", str(tmp_path / "cache"), *FAST)
    assert result.returncode == 2, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert f"FAIL  {empty}: article is empty: {empty}" in lines
    assert f"FAIL  {missing}: article not found: {missing}" in lines
    assert sorted(line.split()[1] for line in lines if line.startswith("ok ")) == [str(g) for g in good]
    assert not any("Retry" in w.text() or "trying again" in w.text() for w in workers_)  # bad input: no retry


def test_the_queue_gives_the_same_files_and_lines_as_a_local_batch(tmp_path: Path, two_workers) -> None:
    url, _ = two_workers
    articles(tmp_path / "in", 3)
    common = ("batch", "in", *FAST)  # each with its own clip cache: the workers speak everything again
    local = run_cli(*common, "--out", "out", "--cache-dir", "cache", "--jobs", "2", cwd=tmp_path)
    queued = run_cli(*common, "--out", "out-queue", "--cache-dir", "cache-queue", "--broker", url, cwd=tmp_path)
    assert local.returncode == queued.returncode == 0, queued.stderr.decode()

    def shown(result, out: str) -> list[str]:  # the lines without the build's own seconds
        return sorted(re.sub(r", [0-9.]+ s\)$", ")", line).replace(f"{out}/", "OUT/")
                      for line in result.stdout.decode().splitlines())

    assert shown(queued, "out-queue") == shown(local, "out")
    mine, theirs = episodes(tmp_path / "out"), episodes(tmp_path / "out-queue")
    assert [e["guid"] for e in theirs] == [e["guid"] for e in mine] and len(mine) == 3
    for here, there in zip(mine, theirs, strict=True):
        assert (tmp_path / there["script"]).read_bytes() == (tmp_path / here["script"]).read_bytes()
        assert there["duration"] == here["duration"]
        assert audio_seconds(tmp_path / there["audio"]) == pytest.approx(audio_seconds(tmp_path / here["audio"]),
                                                                       abs=0.001)


def test_a_worker_that_cannot_write_the_out_folder_fails_the_task_in_one_line(tmp_path: Path, two_workers) -> None:
    url, _ = two_workers
    (source,) = articles(tmp_path / "in", 1)
    blocked = tmp_path / "out"
    blocked.write_text("a file where the shared folder should be")
    result = run_cli("-q", "batch", str(source), "--broker", url, "--out", str(blocked), *FAST)
    assert result.returncode == 1
    assert re.fullmatch(rf"FAIL  {re.escape(str(source))}: output location is not a directory: "
                        rf"{re.escape(str(blocked))} \(on worker w[12]@test\)\n", result.stdout.decode())


class HeldGoogle(FakeGoogle):
    """A stand-in for Google that holds every request until released: a worker talking to it
    is mid-article for certain, for as long as a test needs."""

    def __init__(self) -> None:
        super().__init__(cheap=True)
        self.release = threading.Event()

    def answer(self, body: str) -> tuple[int, dict, str]:
        with self._lock:
            self.in_flight += 1  # counted while held, so a test sees the request arrive
        self.release.wait(60)
        with self._lock:
            self.in_flight -= 1
        return super().answer(body)


def wait_for_request(google: FakeGoogle, count: int = 1) -> None:
    """Until *count* requests are in flight (a held request stays so after its client died)."""
    deadline = time.monotonic() + 60
    while google.in_flight < count:
        assert time.monotonic() < deadline, "no request reached the held Google"
        time.sleep(0.02)


def start_batch(folder: Path, url: str, out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "podcast", "batch", str(folder), "--broker", url, "--out", str(out),
         "--cache-dir", str(out.parent / "cache"), "--engine", "gtts", "--concurrency", "1", "--length", "15",
         *args],
        env=cli_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def assert_whole_episodes(stdout: bytes, sources: list[Path], out: Path) -> None:
    """One ok line per article, and one whole episode each: six files, the MP3 playing to its end."""
    lines = stdout.decode().splitlines()
    assert sorted(line.split()[1] for line in lines) == [str(s) for s in sources]
    assert all(line.startswith("ok    ") for line in lines)
    built = episodes(out)
    assert len(built) == len(sources) and len({e["guid"] for e in built}) == len(sources)
    assert len(visible(out)) == len(sources) * 6
    for episode in built:
        assert audio_seconds(Path(episode["audio"])) == pytest.approx(episode["duration"], abs=0.1)
        assert json.loads(Path(episode["script"]).read_text(encoding="utf-8"))["segments"]


def test_a_pool_process_killed_mid_task_hands_its_article_back_at_once(tmp_path: Path, two_workers) -> None:
    """kill -9 of the process building an article (as the out-of-memory killer does): the
    worker sees it lost and puts the task back on the queue at once, and it is built."""
    import os
    import signal

    from podcast.queue import QueueSettings, make_app

    url, _ = two_workers
    sources = articles(tmp_path / "in", 3)
    google = HeldGoogle()
    with FakeGoogleServer(google) as server, \
            workers(url, tmp_path, ("oom@test",), "--queue", "held", env={"PODCAST_GTTS_URL": server.url}) \
            as (worker,):
        batch = start_batch(tmp_path / "in", url, tmp_path / "out", "--queue", "held")
        wait_for_request(google)  # the pool process is mid-article, waiting on "Google"
        replies = make_app(QueueSettings(url)).control.inspect(destination=[worker.name], timeout=5).active()
        (active,) = replies[worker.name]
        os.kill(active["worker_pid"], signal.SIGKILL)
        google.release.set()
        stdout, stderr = batch.communicate(timeout=120)
        log = worker.text()
    assert batch.returncode == 0, stderr.decode() + log
    assert_whole_episodes(stdout, sources, tmp_path / "out")
    assert "WorkerLostError" in log and log.count(f"{active['id']}] received") == 2


def test_a_task_whose_worker_dies_three_times_is_reported_not_handed_round(tmp_path: Path, two_workers) -> None:
    import os
    import signal

    from podcast.queue import QueueSettings, make_app

    url, _ = two_workers
    (source,) = articles(tmp_path / "in", 1)
    google = HeldGoogle()
    with FakeGoogleServer(google) as server, \
            workers(url, tmp_path, ("fragile@test",), "--queue", "fragile", env={"PODCAST_GTTS_URL": server.url}) \
            as (worker,):
        batch = start_batch(tmp_path / "in", url, tmp_path / "out", "--queue", "fragile")
        app = make_app(QueueSettings(url))
        for deaths in range(3):
            wait_for_request(google, deaths + 1)
            (active,) = app.control.inspect(destination=[worker.name], timeout=5).active()[worker.name]
            os.kill(active["worker_pid"], signal.SIGKILL)
        stdout, stderr = batch.communicate(timeout=60)
        google.release.set()
    assert batch.returncode == 1, stderr.decode()
    assert stdout.decode() == (f"FAIL  {source}: a worker died on this task 3 times (killed or out of memory); "
                               "not tried again\n")
    assert not (tmp_path / "out").exists() or visible(tmp_path / "out") == []


def test_a_task_past_its_time_limit_is_stopped_and_reported_without_leftovers(tmp_path: Path,
                                                                              two_workers) -> None:
    url, _ = two_workers
    (source,) = articles(tmp_path / "in", 1)
    google = HeldGoogle()  # never answers in time
    with FakeGoogleServer(google) as server, \
            workers(url, tmp_path, ("strict@test",), "--queue", "strict", "--time-limit", "5",
                    env={"PODCAST_GTTS_URL": server.url}) as (worker,):
        batch = start_batch(tmp_path / "in", url, tmp_path / "out", "--queue", "strict")
        stdout, stderr = batch.communicate(timeout=60)
        google.release.set()
    assert batch.returncode == 1, stderr.decode()
    assert stdout.decode() == f"FAIL  {source}: stopped at the worker's time limit of 5 s\n"
    assert not (tmp_path / "out").exists() or visible(tmp_path / "out") == []
    assert [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and ".part" in p.name] == []


def test_a_worker_killed_with_sigkill_mid_task_loses_nothing(tmp_path: Path) -> None:
    """kill -9 of a whole worker (its pool too) mid-article: another worker builds that article,
    after the visibility timeout, and every article ends as one whole episode."""
    from podcast.queue import QueueSettings, make_app

    sources = articles(tmp_path / "in", 12)
    held, answering = HeldGoogle(), FakeGoogle(cheap=True)
    with redis_server(tmp_path / "redis") as url, FakeGoogleServer(held) as held_server, \
            FakeGoogleServer(answering) as server, \
            workers(url, tmp_path, ("doomed@test",), "--time-limit", "15",
                    env={"PODCAST_GTTS_URL": held_server.url}) as (doomed,), \
            workers(url, tmp_path, ("survivor@test",), "--time-limit", "15",
                    env={"PODCAST_GTTS_URL": server.url}) as (survivor,):
        batch = start_batch(tmp_path / "in", url, tmp_path / "out")
        wait_for_request(held)  # the doomed worker is mid-article
        replies = make_app(QueueSettings(url)).control.inspect(destination=[doomed.name], timeout=5).active()
        (active,) = replies[doomed.name]
        doomed.kill()
        held.release.set()
        stdout, stderr = batch.communicate(timeout=120)
        log = survivor.text()
    assert batch.returncode == 0, stderr.decode()
    assert_whole_episodes(stdout, sources, tmp_path / "out")
    assert f"{active['id']}] succeeded" in log  # the killed worker's article, built by the other


def test_ctrl_c_stops_waiting_revokes_what_has_not_started_and_publishes_nothing(tmp_path: Path,
                                                                                 two_workers) -> None:
    import signal

    from .conftest import interruptible

    url, _ = two_workers
    sources = articles(tmp_path / "in", 4)
    out, google = tmp_path / "out", HeldGoogle()
    with FakeGoogleServer(google) as server, \
            workers(url, tmp_path, ("slow@test",), "--queue", "stop", env={"PODCAST_GTTS_URL": server.url}) \
            as (worker,):
        batch = subprocess.Popen(
            [sys.executable, "-m", "podcast", "batch", *map(str, sources), "--broker", url, "--queue", "stop",
             "--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--engine", "gtts", "--length", "15",
             "--feed", str(out / "feed.xml"),
             "--base-url", "http://127.0.0.1:8000/"],
            env=cli_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=interruptible)
        wait_for_request(google)  # the first article is being spoken, three wait on the queue
        batch.send_signal(signal.SIGINT)
        stdout, stderr = batch.communicate(timeout=30)
        google.release.set()  # the article in progress ends whole; the other three are thrown away
        deadline = time.monotonic() + 30
        while worker.text().count("Discarding revoked task") < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        log = worker.text()
    assert batch.returncode == 130 and stdout == b"" and stderr.decode().endswith("interrupted\n")
    assert not (out / "feed.xml").exists()
    assert len(episodes(out)) == 1 and log.count("Discarding revoked task") == 3


def test_a_rate_limited_task_runs_again_after_a_while(tmp_path: Path, two_workers) -> None:
    """Google answers 429 until gTTS's own retries are spent: the task waits and runs again, and succeeds."""
    url, _ = two_workers
    (source,) = articles(tmp_path / "in", 1)
    google = FakeGoogle(fail_first=5, cheap=True)  # five attempts at the first request: all refused
    with FakeGoogleServer(google) as server, \
            workers(url, tmp_path, ("patient@test",), "--queue", "gtts", "--retry-delay", "0.2",
                    env={"PODCAST_GTTS_URL": server.url}) as (patient,):
        result = run_cli("batch", str(source), "--broker", url, "--queue", "gtts", "--out", str(tmp_path / "out"),
                         "--cache-dir", str(tmp_path / "cache"), "--engine", "gtts", "--concurrency", "1",
                         "--length", "15")
        log = patient.text()
    assert result.returncode == 0, result.stderr.decode() + log
    assert re.fullmatch(rf"ok    {re.escape(str(source))} -> .*\.mp3 \([0-9.]+ s, gtts, [0-9.]+ s\)\n",
                        result.stdout.decode())
    assert "gTTS failed: Google answered 429 Too Many Requests (gave up after 5 attempts); trying again" in log
    assert google.failures_sent == 5 and len(google.texts) >= 3  # then every request was answered


def test_a_bulletin_on_workers_is_the_bulletin_made_here(tmp_path: Path, two_workers) -> None:
    """bulletin --broker: the workers write and speak the stories, the caller stitches and
    publishes; the outcome is the local bulletin's, byte for byte in its script."""
    from .newsroom import STORIES, WORKING, newsroom

    url, (w1, w2) = two_workers
    done_before = w1.succeeded() + w2.succeeded()
    run = ("--engine", "espeak", "--stories", "12", "--length", "60", "--timeout", "2", "--json")

    def bulletin(where: str, *extra: str):
        out = tmp_path / where
        return run_cli("-v", "bulletin", *(room.feed(name) for name in WORKING), "--out", str(out),
                       "--feed", str(out / "feed.xml"), "--base-url", "http://127.0.0.1:8000/",
                       "--cache-dir", str(tmp_path / f"cache-{where}"), *run, *extra)

    with newsroom() as room:
        here = bulletin("here")
        queued = bulletin("there", "--broker", url)
    assert here.returncode == 0, here.stderr.decode()
    assert queued.returncode == 0, queued.stderr.decode()
    local, remote = manifest_of(here), manifest_of(queued)
    assert len(remote["stories"]) == STORIES and remote["stories"] == local["stories"]
    assert Path(remote["script"]).read_bytes() == Path(local["script"]).read_bytes()
    assert remote["duration"] == pytest.approx(local["duration"], abs=0.001)
    assert remote["duration"] == pytest.approx(audio_seconds(Path(remote["audio"])), abs=0.05)
    # The workers wrote and spoke each story; here only the intro, the menu and the outro were spoken.
    # (The story whose page answers 404 is tried on a worker too: one task more, ending in its error.)
    assert w1.succeeded() + w2.succeeded() - done_before == 2 * STORIES + 1
    segments = json.loads(Path(remote["script"]).read_text(encoding="utf-8"))["segments"]
    frame = [s["kind"] for s in segments if s.get("story") is None]
    assert frame == ["intro", "menu", "outro"]
    assert f"voice: espeak ({len(segments) - 3} clips from the cache)" in queued.stderr.decode()
    # The page that answers 404 is one warning, the same as here, and both feeds list the bulletin.
    warned = [line for line in queued.stderr.decode().splitlines() if line.startswith("warning: ")]
    assert warned == [line for line in here.stderr.decode().splitlines() if line.startswith("warning: ")]
    assert warned == [f"warning: story skipped: {room.url}/oost/bibliotheek.html answered HTTP 404 Not Found"]
    check = run_cli("feed", "check", str(tmp_path / "there" / "feed.xml"))
    assert check.returncode == 0, check.stdout.decode()


def test_a_bulletin_story_whose_page_is_busy_is_left_for_the_next_bulletin_not_retried(tmp_path: Path,
                                                                                      two_workers) -> None:
    """A story task meeting a 503 does not wait and retry (minutes of backoff would hold the
    bulletin back): the story is one warning, and the state lets a later bulletin try it."""
    from .local_http import Route
    from .newsroom import newsroom

    url, (w1, w2) = two_workers
    with newsroom() as room:
        room.routes["/noord/kamers.html"] = Route(status=503)
        result = run_cli("bulletin", room.feed("noord"), "--broker", url, "--out", str(tmp_path / "out"),
                         "--cache-dir", str(tmp_path / "cache"), "--engine", "espeak", "--length", "60",
                         "--json", timeout=90)
    assert result.returncode == 0, result.stderr.decode()
    warned = [line for line in result.stderr.decode().splitlines() if line.startswith("warning: ")]
    assert warned == [f"warning: story skipped: {room.url}/noord/kamers.html answered HTTP 503 Service Unavailable"]
    assert [s["title"] for s in manifest_of(result)["stories"]] == [
        "Veerpont naar Schiermonnikoog vaart weer na storm", "Windpark bij de Eemshaven levert eerste stroom"]
    assert "trying again" not in w1.text() + w2.text()
    state = json.loads((tmp_path / "out" / ".bulletin.json").read_text(encoding="utf-8"))
    busy = state["items"][f"{room.url}/noord/kamers.html"]
    assert "failed" in busy and "edition" not in busy  # a bulletin an hour on tries it again


def test_a_story_the_workers_cannot_speak_is_spoken_by_the_sender(tmp_path: Path, two_workers) -> None:
    """Workers that cannot reach Google: each story's speech task fails with its reason, and
    the sender, which reaches it, speaks those stories itself; the bulletin is whole."""
    from .newsroom import newsroom

    url, _ = two_workers  # these workers' Google is a port that refuses
    google = FakeGoogle(cheap=True)
    with newsroom() as room, FakeGoogleServer(google) as server:
        result = run_cli("-v", "bulletin", room.feed("noord"), "--broker", url, "--out", str(tmp_path / "out"),
                         "--cache-dir", str(tmp_path / "cache"), "--engine", "gtts", "--length", "60", "--json",
                         env={"PODCAST_GTTS_URL": server.url}, timeout=90)
    assert result.returncode == 0, result.stderr.decode()
    manifest = manifest_of(result)
    assert manifest["engine"] == "gtts" and len(manifest["stories"]) == 3
    fell_back = [line for line in result.stderr.decode().splitlines() if "was not spoken on the workers" in line]
    assert [line.split(" was ")[0] for line in fell_back] == [f"notice: story {n}" for n in range(3)]
    assert all(line.endswith("; speaking it here") and "gTTS" in line for line in fell_back)
    assert "voice: gtts (0 clips from the cache)" in result.stderr.decode()
    spoken = " ".join(google.texts)
    assert all(story["title"].split()[0] in spoken for story in manifest["stories"])


def test_an_unreachable_broker_is_one_line(tmp_path: Path) -> None:
    (source,) = articles(tmp_path / "in", 1)
    from .conftest import UNREACHABLE_GOOGLE

    port = UNREACHABLE_GOOGLE.rsplit(":", 1)[1]  # a port bound, never listened on: refuses at once
    for command in ("batch", "bulletin"):
        out = tmp_path / command
        result = run_cli(command, str(source), "--broker", f"redis://127.0.0.1:{port}/0", "--out", str(out))
        assert result.returncode == 1 and result.stdout == b""
        err = result.stderr.decode()
        assert err.startswith(f"error: cannot reach the broker at redis://127.0.0.1:{port}/0: ")
        assert err.count("\n") == 1
        assert not out.exists()


def test_the_broker_comes_from_the_environment_or_podcast_toml_and_local_overrides(tmp_path: Path) -> None:
    (source,) = articles(tmp_path / "in", 1)
    from .conftest import UNREACHABLE_GOOGLE

    refusing = "redis://127.0.0.1:" + UNREACHABLE_GOOGLE.rsplit(":", 1)[1] + "/0"
    from_env = run_cli("batch", str(source), env={"PODCAST_BROKER_URL": refusing}, cwd=tmp_path)
    assert from_env.stderr.decode().startswith(f"error: cannot reach the broker at {refusing}: ")
    (tmp_path / "podcast.toml").write_text(f'[queue]\nbroker = "{refusing}"\n', encoding="utf-8")
    from_toml = run_cli("batch", str(source), cwd=tmp_path)
    assert from_toml.stderr.decode().startswith(f"error: cannot reach the broker at {refusing}: ")
    wrong = run_cli("batch", str(source), "--broker", "amqp://127.0.0.1//", cwd=tmp_path)
    assert wrong.stderr.decode() == ("error: the broker must be a Redis URL like redis://HOST:6379/0, "
                                     "not amqp://127.0.0.1//\n")
    here = run_cli("-q", "batch", str(tmp_path / "weg.txt"), "--local", cwd=tmp_path)  # built here: no broker asked
    assert here.returncode == 1
    assert here.stdout.decode() == f"FAIL  {tmp_path / 'weg.txt'}: article not found: {tmp_path / 'weg.txt'}\n"
    (tmp_path / "podcast.toml").unlink()
    nothing = run_cli("worker", cwd=tmp_path)
    assert nothing.returncode == 1
    assert nothing.stderr.decode() == ("error: no broker: pass --broker, set PODCAST_BROKER_URL or "
                                       "[queue] broker in podcast.toml\n")


def test_the_work_in_progress_of_killed_writers_goes_once_it_is_older_than_any_task(tmp_path: Path) -> None:
    import os

    from podcast.fsutil import remove_stale_temporaries

    old_dir, old_part = tmp_path / ".podcast-ab12cd", tmp_path / ".nieuws.mp3.x1y2.part.mp3"
    old_dir.mkdir()
    (old_dir / "episode.pcm").write_bytes(b"\0" * 64)
    old_part.write_bytes(b"ID3")
    fresh, finished = tmp_path / ".podcast-fresh", tmp_path / "nieuws.mp3"
    fresh.mkdir()
    finished.write_bytes(b"ID3")
    an_hour_ago = time.time() - 3700
    for path in (old_dir, old_part, finished):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert sorted(remove_stale_temporaries(tmp_path, 3600)) == sorted([old_dir, old_part])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".podcast-fresh", "nieuws.mp3"]


def test_podcast_toml_queue_settings_are_checked_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "podcast.toml"
    config.write_text('[queue]\nbroker = "redis://127.0.0.1:1/0"\ntime_limit = "lang"\n', encoding="utf-8")
    wrong_type = run_cli("worker", cwd=tmp_path)
    assert wrong_type.returncode == 1
    assert wrong_type.stderr.decode() == "error: config podcast.toml: queue time_limit must be a number\n"
    config.write_text('[queue]\nbrokr = "redis://127.0.0.1:1/0"\n', encoding="utf-8")
    unknown = run_cli("batch", "a.txt", cwd=tmp_path)
    assert unknown.stderr.decode() == "error: config podcast.toml: unknown queue setting 'brokr'\n"
    config.write_text('[queue]\nbroker = "redis://127.0.0.1:1/0"\ntime_limit = 2\n', encoding="utf-8")
    too_short = run_cli("worker", cwd=tmp_path)
    assert too_short.stderr.decode() == "error: time limit must be at least 5 seconds, not 2\n"


def test_what_a_worker_tries_again_later_and_what_it_reports_at_once() -> None:
    """Busy sites and timeouts are transient (a worker retries the task); a missing page is not."""
    from podcast.article import load_article
    from podcast.errors import PodcastError, TransientError

    from .local_http import Route, serve

    with serve({"/druk": Route(status=503), "/weg": Route(status=404)}) as server:
        with pytest.raises(TransientError, match=r"answered HTTP 503"):
            load_article(f"{server.url}/druk")
        with pytest.raises(PodcastError, match=r"answered HTTP 404") as missing:
            load_article(f"{server.url}/weg")
    assert not isinstance(missing.value, TransientError)
