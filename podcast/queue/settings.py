"""Where the queue's work goes (a Redis URL, a queue name), its time limits, and the Celery app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import environment, load_queue_table
from ..errors import PodcastError

if TYPE_CHECKING:
    from celery import Celery

BUILD_TASK = "podcast.build_article"
WRITE_STORY_TASK = "podcast.write_story"  # the wire name: senders and workers of other versions share it
SPEAK_STORY_TASK = "podcast.speak_story"
DEFAULT_QUEUE = "podcast"
#: Seconds a task may run before it is stopped (podcast.toml [queue] time_limit, or --time-limit).
DEFAULT_TIME_LIMIT = 900.0
MIN_TIME_LIMIT = 5.0
#: The first wait before a task that met a transient error runs again; it doubles each time.
DEFAULT_RETRY_DELAY = 30.0
BROKER_SCHEMES = ("redis://", "rediss://", "redis+socket://")
#: How long the caller waits for the broker to answer before saying it cannot reach it.
CONNECT_TIMEOUT = 5.0
#: A worker's pool process builds this many articles, then is replaced (bounded memory,
#: as a local batch's process per article gives).
TASKS_PER_CHILD = 100


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
    """A Celery app for *settings*: the caller sends through it (by task name), and the worker
    runs it once its tasks are registered (``worker.register_tasks``)."""
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
    return app
