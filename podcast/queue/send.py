"""The caller's side: send one task per article, wait, and report as a local batch does."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..batch import BatchResult
from ..errors import PodcastError
from ..options import RenderOptions, ScriptOptions, options_to_json
from .settings import BUILD_TASK, CONNECT_TIMEOUT, PREPARE_TASK, QueueSettings, make_app, shown_url

if TYPE_CHECKING:
    from celery import Celery

    from ..script import Script

POLL_SECONDS = 0.05
#: After this long without a result, the caller checks that some worker listens.
QUIET_SECONDS = 10.0


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
    import redis
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
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        raise PodcastError(f"lost the broker at {shown_url(app.conf.broker_url)} ({exc}); {len(records)} of "
                           f"{len(handles)} results were in, and nothing more was done here") from None
    except BaseException:
        with contextlib.suppress(Exception):  # a broker gone too leaves nothing to revoke with
            app.control.revoke([h.id for n, h in enumerate(handles) if n not in records])
        raise
    return [records[n] for n in range(len(handles))]


def _finished(app: Celery, ids: list[str], started: float,
              notice: Callable[[str], None] | None) -> Iterator[tuple[str, dict]]:
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
    from ..config import resolve_cache_dir
    from ..script import Script

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
