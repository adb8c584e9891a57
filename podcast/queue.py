"""Many machines: the same jobs as Celery tasks, with Redis as broker and result backend.

The optional extra ``podcast[queue]``. The queue only moves work and results: each task
calls the library functions a local batch calls (``build_episode``, ``make_script``,
``speak_script``) and returns a small JSON record. The caller turns the records into
podcast/batch.py's ``BatchResult`` (so ``batch --broker`` prints a local batch's lines)
and publishes the feed itself, once, at the end.

Delivery, and why it is safe:

- *Acks late, reject on worker lost.* A message is acknowledged only after its task
  ended. A worker process that dies mid-task (kill -9, out of memory) hands its message
  back at once; a whole worker that dies (its machine gone) leaves it unacknowledged,
  and Redis hands it to another worker after the visibility timeout. That timeout is
  set above the hard time limit, so a task still running is never handed out twice.
- *Idempotent tasks.* An episode's files are named after its article (same guid) and
  written atomically, so a task that runs twice leaves one whole episode, never a part.
- *Transient errors retry, bad input does not.* ``TransientError`` (a rate limit or
  timeout that outlived the library's own retries) tries the task again after an
  exponential backoff with jitter, a bounded number of times; any other PodcastError
  fails at once and is reported. A task whose worker died on it twice more is reported
  too, so a message that kills workers is not handed around forever.
- *Time limits.* The soft limit stops a task cleanly (its temporary files removed) and
  reports it; the hard limit a little later ends the process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import BatchResult
from .config import environment, load_queue_table
from .errors import PodcastError, TransientError
from .options import RenderOptions, ScriptOptions, options_from_json, options_to_json

if TYPE_CHECKING:
    from celery import Celery

    from .script import Script

BUILD_TASK = "podcast.build_article"
PREPARE_TASK = "podcast.prepare_article"
DEFAULT_QUEUE = "podcast"
#: Seconds a task may run before it is stopped (podcast.toml [queue] time_limit, or --time-limit).
DEFAULT_TIME_LIMIT = 900.0
MIN_TIME_LIMIT = 5.0
#: The first wait before a task that met a transient error runs again; it doubles each time.
DEFAULT_RETRY_DELAY = 30.0
MAX_RETRY_DELAY = 600.0
RETRIES = 4
#: Deaths of a worker under one task (killed, out of memory) before the task is reported failed.
MAX_WORKER_LOSSES = 2
BROKER_SCHEMES = ("redis://", "rediss://", "redis+socket://")
#: How long the caller waits for the broker to answer before saying it cannot reach it.
CONNECT_TIMEOUT = 5.0
POLL_SECONDS = 0.05
#: After this long without a result, the caller checks that some worker listens.
QUIET_SECONDS = 10.0
#: Work in progress in an out folder this old is a killed writer's (no task runs this long,
#: nor, we assume, a local build writing into the same folder), and the next task removes it.
STALE_SECONDS = 3600.0
#: A worker's pool process builds this many articles, then is replaced (bounded memory,
#: as a local batch's process per article gives).
TASKS_PER_CHILD = 100

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueSettings:
    """Where the work goes (a Redis URL and a queue name) and how long a task may take."""

    broker: str
    queue: str = DEFAULT_QUEUE
    time_limit: float = DEFAULT_TIME_LIMIT
    retry_delay: float = DEFAULT_RETRY_DELAY

    def checked(self) -> QueueSettings:
        if not self.broker.startswith(BROKER_SCHEMES):
            raise PodcastError(f"the broker must be a Redis URL like redis://HOST:6379/0, not {self.broker}")
        if not self.queue.strip():
            raise PodcastError("the queue name is empty")
        if self.time_limit < MIN_TIME_LIMIT:
            raise PodcastError(f"time limit must be at least {MIN_TIME_LIMIT:g} seconds, not {self.time_limit:g}")
        if self.retry_delay <= 0:
            raise PodcastError(f"retry delay must be above 0 seconds, not {self.retry_delay:g}")
        return self

    @property
    def hard_time_limit(self) -> float:
        """When the process running a task is ended: the soft limit plus time to clean up."""
        return self.time_limit + min(30.0, max(2.0, self.time_limit / 10))

    @property
    def visibility_timeout(self) -> float:
        """When Redis hands an unacknowledged task to another worker: after the hard limit,
        with room for clocks that differ between hosts."""
        return self.hard_time_limit + min(60.0, max(3.0, self.time_limit / 10))


def queue_settings(broker: str | None = None, queue: str | None = None, time_limit: float | None = None,
                   config_path: Path | None = None, retry_delay: float | None = None) -> QueueSettings | None:
    """The settings from options, else $PODCAST_BROKER_URL, else podcast.toml's [queue]; None: no broker."""
    table = load_queue_table(config_path)
    url = broker or environment().broker_url or table.get("broker")
    if not url:
        return None
    return QueueSettings(
        broker=url,
        queue=queue or table.get("queue") or DEFAULT_QUEUE,
        time_limit=float(time_limit or table.get("time_limit") or DEFAULT_TIME_LIMIT),
        retry_delay=float(retry_delay or DEFAULT_RETRY_DELAY),
    ).checked()


def shown_url(url: str) -> str:
    """The broker URL without its password, for messages."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(url)


def make_app(settings: QueueSettings) -> Celery:
    """A Celery app for *settings*, carrying our tasks: the worker runs it, the caller sends through it."""
    try:
        from celery import Celery
    except ImportError:
        raise PodcastError("the queue needs the optional extra: pip install 'podcast[queue]'") from None

    settings = settings.checked()
    app = Celery("podcast", broker=settings.broker, backend=settings.broker, set_as_current=False)
    app.conf.update(
        task_serializer="json", result_serializer="json", accept_content=["json"],
        task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds only the tasks it runs; the rest stay for others
        task_soft_time_limit=settings.time_limit, task_time_limit=settings.hard_time_limit,
        task_default_queue=settings.queue,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout,
            # Look for tasks of lost workers every tenth of the timeout (kombu's default is ~100 s).
            "unacked_restore_interval": max(1.0, min(10.0, settings.visibility_timeout / 10)),
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": CONNECT_TIMEOUT,
        },
        redis_socket_connect_timeout=CONNECT_TIMEOUT,
        broker_connection_retry_on_startup=True,
        result_expires=24 * 3600,
        worker_max_tasks_per_child=TASKS_PER_CHILD,
        worker_hijack_root_logger=False,
        podcast_retry_delay=settings.retry_delay,
    )
    _register_tasks(app)
    return app


# --- The worker's side ------------------------------------------------------------------


def _register_tasks(app: Celery) -> None:
    @app.task(name=BUILD_TASK, bind=True)
    def build_article(task, source: str, out_dir: str, options_json: str, folder: str) -> dict:
        """One article into an episode in *out_dir*: what ``podcast build`` does, in the caller's *folder*."""
        return _run(task, lambda: _build(task, source, out_dir, options_json, folder))

    @app.task(name=PREPARE_TASK, bind=True)
    def prepare_article(task, source: str, options_json: str, folder: str) -> dict:
        """One article into a script whose clips are then in the (shared) clip cache."""
        return _run(task, lambda: _prepare(task, source, options_json, folder))


@contextlib.contextmanager
def _in_folder(folder: str, paths: Sequence[str | Path | None], worker: str) -> Iterator[None]:
    """Work in the caller's folder, so paths mean what they meant to the caller (and files
    record them as a local batch does). Without it here, only absolute paths can work."""
    from .article import is_url

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


def _build(task, source: str, out_dir: str, options_json: str, folder: str) -> dict:
    from .config import resolve_cache_dir
    from .fsutil import ensure_writable_dir, remove_stale_temporaries
    from .pipeline import build_episode

    script, render = options_from_json(options_json)
    worker = task.request.hostname
    with _in_folder(folder, [source, out_dir, render.cache_dir, render.cover, render.music], worker):
        for place in (Path(out_dir), resolve_cache_dir(render.cache_dir)):
            try:
                ensure_writable_dir(place)
            except PodcastError as exc:  # the shared mount is missing or read-only on this worker
                raise PodcastError(f"{exc} (on worker {worker})") from None
        # What killed tasks left here: none of it can belong to a task still running.
        remove_stale_temporaries(Path(out_dir), max(STALE_SECONDS, task.app.conf.task_time_limit))
        return build_episode(source, out_dir, script, render, notice=log.info).to_manifest()


def _prepare(task, source: str, options_json: str, folder: str) -> dict:
    script, render = options_from_json(options_json)
    with _in_folder(folder, [source, render.cache_dir], task.request.hostname):
        return _prepare_here(source, script, render)


def _prepare_here(source: str, script: ScriptOptions, render: RenderOptions) -> dict:
    from .pipeline import make_script
    from .speech import speak_script

    written = make_script(source, script)
    spoken = speak_script(written, engine=render.engine, cache_dir=render.cache_dir, notice=log.info,
                          concurrency=render.concurrency)
    return {"script": written.to_json(), "engine": spoken.engine, "requests": spoken.requests_made}


def _run(task, work: Callable[[], Any]) -> dict:
    """Run *work* as a task: its value or a one-line error as a record; transient errors retry."""
    from celery.exceptions import SoftTimeLimitExceeded

    started = time.monotonic()
    request = task.request
    try:
        losses = _deliveries(task) - 1 - request.retries
        if losses > MAX_WORKER_LOSSES:
            raise PodcastError(f"a worker died on this task {losses} times (killed or out of memory); not tried again")
        value = work()
    except TransientError as exc:
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


def _record(value: Any, error: str | None, started: float, request) -> dict:
    return {"value": value, "error": error, "seconds": round(time.monotonic() - started, 3),
            "worker": request.hostname}


def _deliveries(task) -> int:
    """How often this task has started, retries and redeliveries after a lost worker included."""
    key = f"podcast-deliveries-{task.request.id}"
    client = task.app.backend.client
    count = int(client.incr(key))
    client.expire(key, 24 * 3600)
    return count


def warm_up() -> None:
    """Import what every task needs, so the worker's pool processes (forked after this) start ready."""
    from . import pipeline, speech  # noqa: F401
    from .audio import produce_episode  # noqa: F401


def run_worker(settings: QueueSettings, concurrency: int, name: str | None, loglevel: str) -> None:
    """Start a Celery worker that carries our tasks from *settings*' queue until it is stopped."""
    app = make_app(settings)
    warm_up()
    argv = ["worker", f"--concurrency={concurrency}", f"--queues={settings.queue}", f"--loglevel={loglevel}",
            "--without-gossip", "--without-mingle"]  # no waiting on other workers at start
    if name:
        argv.append(f"--hostname={name}")
    app.worker_main(argv)


# --- The caller's side ------------------------------------------------------------------


def connect(settings: QueueSettings) -> Celery:
    """The app for *settings*, once the broker has answered; a one-line error when it does not."""
    app = make_app(settings)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=CONNECT_TIMEOUT)
    except Exception as exc:  # kombu wraps redis-py's errors in its own types
        reason = " ".join(str(exc).split()) or exc.__class__.__name__
        raise PodcastError(f"cannot reach the broker at {shown_url(settings.broker)}: {reason}") from None
    return app


def shareable(render: RenderOptions) -> RenderOptions:
    """Render options another machine can use: none of this machine's request slots."""
    return replace(render, request_slots=None)


def gather(app: Celery, handles: Sequence[Any], on_done: Callable[[int, dict], None] | None = None,
           notice: Callable[[str], None] | None = None) -> list[dict]:
    """Wait for every task in *handles*; records in their order, *on_done* as each one ends.

    A task that failed outside our code (its worker's hard time limit) becomes an error
    record. Ctrl-C revokes the tasks not yet done (they do not start; running ones end
    with whole files) and is re-raised.
    """
    from celery import states

    positions = {handle.id: n for n, handle in enumerate(handles)}
    records: dict[int, dict] = {}
    started = time.monotonic()
    try:
        for task_id, meta in _finished(app, list(positions), started, notice):
            record = meta["result"] if meta["status"] == states.SUCCESS else _failed(app, meta)
            records[positions[task_id]] = record
            app.backend.forget(task_id)
            if on_done:
                on_done(positions[task_id], record)
    except BaseException:
        app.control.revoke([h.id for n, h in enumerate(handles) if n not in records])
        raise
    return [records[n] for n in range(len(handles))]


def _finished(app: Celery, ids: list[str], started: float, notice) -> Iterator[tuple[str, dict]]:
    """(task id, result meta) as each task ends; says once when no worker seems to listen."""
    checked = False

    def quiet_check() -> None:
        nonlocal checked
        if checked or time.monotonic() - started < QUIET_SECONDS:
            return
        checked = True
        if notice and not app.control.ping(timeout=1.0):
            notice(f"notice: no worker answers at {shown_url(app.conf.broker_url)}; waiting "
                   f"(start one: podcast worker --broker URL --queue {app.conf.task_default_queue})")

    yield from app.backend.get_many(ids, interval=POLL_SECONDS, on_interval=quiet_check)


def _failed(app: Celery, meta: dict) -> dict:
    exc = app.backend.exception_to_python(meta.get("result"))
    reason = "stopped at the worker's hard time limit" if exc.__class__.__name__ == "TimeLimitExceeded" else \
        f"{exc.__class__.__name__}: {exc}"
    return {"value": None, "error": f"task {meta['status'].lower()} on the worker: {reason}", "seconds": 0.0,
            "worker": None}


def build_many_on_workers(
    sources: Sequence[str | Path],
    out_dir: Path | str,
    script: ScriptOptions,
    render: RenderOptions,
    settings: QueueSettings,
    on_result: Callable[[BatchResult], None] | None = None,
    notice: Callable[[str], None] | None = None,
) -> list[BatchResult]:
    """``build_many`` on the queue's workers: one task per article, results in the order given.

    *out_dir* and the clip cache must be on storage every worker sees, at the same path.
    Relative paths are the caller's: workers read them from this folder, so it must be
    on the shared storage too (or give absolute paths). Failures are results, as in a
    local batch.
    """
    script, render = script.checked(), render.checked()
    app = connect(settings)
    options = options_to_json(script, shareable(render))
    here = os.getcwd()
    handles = [app.send_task(BUILD_TASK, args=(str(s), str(out_dir), options, here), queue=settings.queue)
               for s in sources]

    def result_of(position: int, record: dict) -> BatchResult:
        return BatchResult(str(sources[position]), record["value"], record["error"], record["seconds"])

    def done(position: int, record: dict) -> None:
        if on_result:
            on_result(result_of(position, record))

    records = gather(app, handles, done, notice)
    return [result_of(n, record) for n, record in enumerate(records)]


@dataclass(frozen=True)
class Prepared:
    """A story made ready on a worker: its script (its clips now in the shared cache), or the error."""

    source: str
    script: Script | None
    error: str | None
    engine: str | None
    seconds: float


def prepare_on_workers(
    sources: Sequence[str | Path],
    script: ScriptOptions,
    render: RenderOptions,
    settings: QueueSettings,
    notice: Callable[[str], None] | None = None,
) -> list[Prepared]:
    """Load, summarise and speak each source on the workers; the scripts come back, the clips stay.

    This is a bulletin's fan-out: one task per story. The caller then stitches the
    bulletin itself with ``render_episode`` on the same clip cache, where every story
    segment is a hit, rather than joining the tasks with a Celery chord, because:
    stitching is cheap next to speaking (one mix and encode); the caller waits for the
    result and publishes the feed anyway; a failed story can simply be left out, while
    a chord's callback never runs when one of its tasks fails; and a chord would add a
    task hop and a counter in Redis that a lost worker can leave hanging.

    The clip cache must be shared: with no ``cache_dir`` in *render*, this machine's
    cache folder is sent, and must be on the shared mount for the stitch to hit it.
    """
    from .config import resolve_cache_dir
    from .script import Script

    script, render = script.checked(), render.checked()
    render = shareable(replace(render, cache_dir=resolve_cache_dir(render.cache_dir)))
    app = connect(settings)
    options = options_to_json(script, render)
    here = os.getcwd()
    handles = [app.send_task(PREPARE_TASK, args=(str(s), options, here), queue=settings.queue) for s in sources]
    prepared = []
    for source, record in zip(sources, gather(app, handles, notice=notice), strict=True):
        value = record["value"]
        prepared.append(Prepared(str(source), Script.from_json(value["script"]) if value else None,
                                 record["error"], value["engine"] if value else None, record["seconds"]))
    return prepared


def worker_loglevel(verbosity: int) -> str:
    """The worker's log level for the CLI's -q/-v."""
    return "WARNING" if verbosity < 0 else ("DEBUG" if verbosity > 1 else "INFO")


def default_concurrency() -> int:
    return os.cpu_count() or 1
