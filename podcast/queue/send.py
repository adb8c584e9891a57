"""The caller's side: send one task per article (or per story), wait, and report as a local run does."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PodcastError
from ..options import BulletinOptions, RenderOptions, ScriptOptions, options_to_json
from .settings import (
    BUILD_TASK,
    CONNECT_TIMEOUT,
    SPEAK_STORY_TASK,
    WRITE_STORY_TASK,
    QueueSettings,
    make_app,
    shown_url,
)

if TYPE_CHECKING:
    from celery import Celery

    from ..batch import BatchResult
    from ..bulletin.stories import Story
    from ..bulletin.writer import StoryText
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
    from ..batch import BatchResult

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


class BulletinWorkers:
    """A bulletin's fan-out: each story written, then spoken, by a task on the workers.

    The caller stitches the bulletin itself (``render_episode`` on the shared clip cache,
    where every story's segment is a hit and only the intro, menu and outro are spoken
    there) rather than joining the tasks with a Celery chord, because:

    - stitching is cheap next to speaking: one mix, one loudness pass, one encode;
    - the caller waits for the outcome and publishes the feed and the state file anyway,
      under the bulletin's lock, which must not be held by a task on another machine;
    - a story that cannot be told is simply left out and the next one takes its place,
      while a chord's callback never runs when one of its tasks fails;
    - a chord adds a task hop and a counter in Redis that a lost worker can leave hanging.

    Writing comes before speaking because the script (its transitions and menu) needs
    every story's headline: the workers write the stories, the caller composes the
    script, the workers speak each story's part of it.
    """

    def __init__(self, settings: QueueSettings, notice: Callable[[str], None] | None = None) -> None:
        self.settings = settings.checked()
        self.notice = notice
        self.app = connect(self.settings)  # an unreachable broker stops the bulletin before any work
        self.folder = os.getcwd()

    def write(self, stories: Sequence[Story], script: ScriptOptions,
              bulletin: BulletinOptions) -> list[StoryText | PodcastError]:
        """Each story's text, written on the workers, in order; a story that failed is its error."""
        from ..bulletin.writer import StoryText

        options = options_to_json(script.checked(), RenderOptions())
        handles = [self.app.send_task(WRITE_STORY_TASK, args=(story.to_data(), options, bulletin.timeout, self.folder),
                                      queue=self.settings.queue) for story in stories]
        return [StoryText.from_data(record["value"]) if record["value"] is not None else PodcastError(record["error"])
                for record in gather(self.app, handles, notice=self.notice)]

    def speak(self, script: Script, render: RenderOptions) -> RenderOptions:
        """Speak each story of *script* on the workers into the shared clip cache.

        Returns the render options for the stitch here: the same cache (resolved, as the
        workers saw it), and the engine the workers used when ``auto`` chose one for all,
        so the stitch finds their clips and the episode has one voice. A story whose
        speech failed on the workers is a notice; the stitch speaks it here.
        """
        from ..config import resolve_cache_dir

        render = replace(render.checked(), cache_dir=resolve_cache_dir(render.cache_dir))
        options = options_to_json(ScriptOptions(), shareable(render))
        text = script.to_json()
        indexes = sorted({s.story for s in script.segments if s.story is not None})
        handles = [self.app.send_task(SPEAK_STORY_TASK, args=(text, n, options, self.folder),
                                      queue=self.settings.queue) for n in indexes]
        engines = set()
        for n, record in zip(indexes, gather(self.app, handles, notice=self.notice), strict=True):
            if record["error"]:
                if self.notice:
                    self.notice(f"notice: story {n} was not spoken on the workers ({record['error']}); speaking it here")
            else:
                engines.add(record["value"]["engine"])
        if render.engine == "auto" and len(engines) == 1:
            render = replace(render, engine=engines.pop())
        return render
