"""The worker's side: the tasks, thin calls of the library, and ``podcast worker``."""

from __future__ import annotations

import contextlib
import logging
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PodcastError, TransientError
from ..options import options_from_json
from .settings import BUILD_TASK, SPEAK_STORY_TASK, WRITE_STORY_TASK, QueueSettings, make_app

if TYPE_CHECKING:
    from celery import Celery, Task

log = logging.getLogger(__name__)

MAX_RETRY_DELAY = 600.0
RETRIES = 4
#: Deaths of workers under one task (killed, out of memory) after which it is reported failed.
MAX_WORKER_LOSSES = 3
#: Work in progress in an out folder this old is a killed writer's (no task runs this long,
#: nor, we assume, a local build writing into the same folder), and the next task removes it.
STALE_SECONDS = 3600.0


def register_tasks(app: Celery) -> None:
    @app.task(name=BUILD_TASK, bind=True)
    def build_article(task: Task, source: str, out_dir: str, options_json: str, folder: str) -> dict:
        """One article into an episode in *out_dir*: what ``podcast build`` does, in the caller's *folder*."""
        return _run(task, lambda: _build(task, source, out_dir, options_json, folder))

    @app.task(name=WRITE_STORY_TASK, bind=True)
    def compose_story(task: Task, story: dict, options_json: str, timeout: float, folder: str) -> dict:
        """A bulletin's story: load its articles, summarise them, take its points (a StoryText's data)."""
        return _run(task, lambda: _write_story(task, story, options_json, timeout, folder), retry=False)

    @app.task(name=SPEAK_STORY_TASK, bind=True)
    def speak_story(task: Task, script_json: str, story: int, options_json: str, folder: str) -> dict:
        """Speak story *story* of a bulletin's script into the (shared) clip cache."""
        return _run(task, lambda: _speak_story(task, script_json, story, options_json, folder), retry=False)


@contextlib.contextmanager
def _in_folder(folder: str, paths: Sequence[str | Path | None], worker: str) -> Iterator[None]:
    """Work in the caller's folder, so paths mean what they meant to the caller (and files
    record them as a local batch does). Without it here, only absolute paths can work."""
    from ..article.fetch import is_url

    relative = [str(p) for p in paths if p is not None and not is_url(str(p)) and not Path(p).is_absolute()]
    if not Path(folder).is_dir():
        if relative:
            raise PodcastError(f"the folder {folder} is not on worker {worker}, so {relative[0]} means nothing "
                               "there (put it on storage every worker sees, or give absolute paths)")
        yield
        return
    before = os.getcwd()
    os.chdir(folder)  # a pool process runs one task at a time: the folder is this task's alone
    try:
        yield
    finally:
        os.chdir(before)


def _build(task: Task, source: str, out_dir: str, options_json: str, folder: str) -> dict:
    from ..config import resolve_cache_dir
    from ..fsutil import remove_stale_temporaries
    from ..pipeline import build_episode

    script, render = options_from_json(options_json)
    worker = task.request.hostname
    with _in_folder(folder, [source, out_dir, render.cache_dir, render.cover, render.music], worker):
        for place in (Path(out_dir), resolve_cache_dir(render.cache_dir)):
            _writable_here(place, worker)
        # What killed tasks left here: none of it can belong to a task still running.
        remove_stale_temporaries(Path(out_dir), max(STALE_SECONDS, task.app.conf.task_time_limit))
        return build_episode(source, out_dir, script, render, notice=log.info).to_manifest()


def _write_story(task: Task, story: dict, options_json: str, timeout: float, folder: str) -> dict:
    from ..bulletin.stories import Story
    from ..bulletin.writer import compose_story
    from ..options import BulletinOptions

    script, _ = options_from_json(options_json)
    told = Story.from_data(story)
    with _in_folder(folder, [item.path for item in told.items], task.request.hostname):
        return compose_story(told, script, BulletinOptions(timeout=timeout).checked()).to_data()


def _speak_story(task: Task, script_json: str, story: int, options_json: str, folder: str) -> dict:
    from ..bulletin import speak_story
    from ..config import resolve_cache_dir
    from ..script import Script

    _, render = options_from_json(options_json)
    worker = task.request.hostname
    with _in_folder(folder, [render.cache_dir], worker):
        _writable_here(resolve_cache_dir(render.cache_dir), worker)
        spoken = speak_story(Script.from_json(script_json), story, render, notice=log.info)
    return {"engine": spoken.engine, "requests": spoken.requests_made}


def _writable_here(place: Path, worker: str) -> None:
    """*place* exists and takes files on this worker, or one line naming the worker."""
    from ..fsutil import ensure_writable_dir

    try:
        ensure_writable_dir(place)
    except PodcastError as exc:  # the shared mount is missing or read-only on this worker
        raise PodcastError(f"{exc} (on worker {worker})") from None


def _run(task: Task, work: Callable[[], Any], retry: bool = True) -> dict:
    """Run *work* as a task: its value or a one-line error as a record; transient errors retry.

    A bulletin's tasks do not retry (*retry* False): a bulletin is news on the hour and
    has its own later try. A story whose page is busy is left out and tried by the next
    bulletin (its state records the failure); one whose speech failed is spoken by the
    caller. Minutes of backoff would only hold the whole bulletin back.
    """
    from celery.exceptions import SoftTimeLimitExceeded

    started = time.monotonic()
    request = task.request
    try:
        losses = _deliveries(task) - 1 - request.retries
        if losses >= MAX_WORKER_LOSSES:
            raise PodcastError(f"a worker died on this task {losses} times (killed or out of memory); not tried again")
        value = work()
    except TransientError as exc:
        if not retry:
            return _record(None, str(exc), started, request)
        if request.retries < RETRIES:
            delay = min(MAX_RETRY_DELAY, task.app.conf.podcast_retry_delay * 2**request.retries)
            log.warning("%s; trying again in about %.0f s", exc, delay)
            raise task.retry(countdown=delay / 2 + random.uniform(0, delay / 2), max_retries=RETRIES) from None
        return _record(None, f"{exc} (gave up after {RETRIES + 1} tries)", started, request)
    except PodcastError as exc:
        return _record(None, str(exc), started, request)
    except SoftTimeLimitExceeded:
        return _record(None, f"stopped at the worker's time limit of {task.app.conf.task_soft_time_limit:g} s",
                       started, request)
    except Exception as exc:  # a bug: reported like the CLI reports one, with the traceback in the log
        log.exception("task failed")
        return _record(None, f"unexpected {exc.__class__.__name__}: {exc} (a bug in podcast)", started, request)
    return _record(value, None, started, request)


def _record(value: Any, error: str | None, started: float, request: Any) -> dict:
    return {"value": value, "error": error, "seconds": round(time.monotonic() - started, 3),
            "worker": request.hostname}


def _deliveries(task: Task) -> int:
    """How often this task has started, retries and redeliveries after a lost worker included."""
    key = f"podcast-deliveries-{task.request.id}"
    client = task.app.backend.client
    count = int(client.incr(key))
    client.expire(key, 24 * 3600)
    return count


def warm_up() -> None:
    """Import what every task needs, so the worker's pool processes (forked after this) start ready."""
    from .. import pipeline, speech  # noqa: F401
    from ..audio import produce_episode  # noqa: F401
    from ..bulletin import writer  # noqa: F401


def run_worker(settings: QueueSettings, concurrency: int, name: str | None, loglevel: str) -> None:
    """Start a Celery worker that carries our tasks from *settings*' queue until it is stopped."""
    app = make_app(settings)
    register_tasks(app)
    warm_up()
    argv = ["worker", f"--concurrency={concurrency}", f"--queues={settings.queue}", f"--loglevel={loglevel}",
            "--without-gossip", "--without-mingle"]  # no waiting on other workers at start
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv)


def worker_loglevel(verbosity: int) -> str:
    """The worker's log level for the CLI's -q/-v."""
    return "WARNING" if verbosity < 0 else ("DEBUG" if verbosity > 1 else "INFO")


def default_concurrency() -> int:
    return os.cpu_count() or 1
