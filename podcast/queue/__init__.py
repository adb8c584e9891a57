"""Many machines: the same jobs as Celery tasks, with Redis as broker and result backend.

The optional extra ``podcast[queue]``. The queue only moves work and results: each task
calls the library functions a local run calls (``build_episode`` for a batch's article;
``compose_story`` and ``speak_story`` for a bulletin's story) and returns a small JSON
record. The caller turns the records into podcast/batch.py's ``BatchResult`` (so
``batch --broker`` prints a local batch's lines), or stitches the bulletin, and publishes
the feed itself, once, at the end.

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
  fails at once and is reported. A task whose workers died under it three times
  is reported too, so a message that kills workers is not handed around forever.
- *Time limits.* The soft limit stops a task cleanly (its temporary files removed) and
  reports it; the hard limit a little later ends the process.

Three modules: ``settings`` (where the work goes, and the Celery app), ``worker`` (the
tasks and ``podcast worker``), ``send`` (the caller's side: ``batch --broker``, and
``bulletin --broker``'s fan-out per story).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_getattr

if TYPE_CHECKING:
    from .send import BulletinWorkers, build_many_on_workers, connect
    from .settings import QueueSettings, make_app, queue_settings
    from .worker import default_concurrency, run_worker, worker_loglevel

#: Names offered from the modules, loaded on first use: a command that only asks whether a
#: broker is configured (``queue.settings``) loads neither the tasks nor logging.
_LAZY = {"BulletinWorkers": "send", "build_many_on_workers": "send", "connect": "send",
         "QueueSettings": "settings", "make_app": "settings", "queue_settings": "settings",
         "default_concurrency": "worker", "run_worker": "worker", "worker_loglevel": "worker"}

__getattr__ = lazy_getattr(__name__, _LAZY, globals())

__all__ = ["BulletinWorkers", "QueueSettings", "build_many_on_workers", "connect", "default_concurrency", "make_app",
           "queue_settings", "run_worker", "worker_loglevel"]
