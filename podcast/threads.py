"""A bounded pool of worker threads that lets Ctrl-C end the run within moments.

``concurrent.futures`` joins its worker threads when the interpreter exits, so a
Ctrl-C would wait for every request in flight (and its retries). These workers
are daemon threads instead: the main thread stops them through a ``StopGate``
and leaves. Workers put finished work in its final place (a cache file) only
inside ``gate.commit()``, and ``gate.close()`` waits for commits already under
way, so an interrupted run never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from .errors import Cancelled

Item = TypeVar("Item")
Result = TypeVar("Result")

#: How often the main thread wakes while waiting, so signals are handled promptly.
POLL_SECONDS = 0.2


class StopGate:
    """A stop flag plus a lock around the moments workers write results into place."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self._commit_lock = threading.Lock()

    @contextlib.contextmanager
    def commit(self) -> Iterator[None]:
        """Hold this while writing a result into place; raises Cancelled once stopped."""
        with self._commit_lock:
            if self.stop.is_set():
                raise Cancelled()
            yield

    def close(self) -> None:
        """Stop the workers and wait until no commit is in progress (none start after)."""
        self.stop.set()
        with self._commit_lock:
            pass


def run_bounded(
    work: Callable[[Item], Result],
    items: Iterable[Item],
    workers: int,
    gate: StopGate | None = None,
) -> Iterator[tuple[Item, Result]]:
    """Run *work* on each item with at most *workers* threads; yield ``(item, result)`` as each ends.

    Items start in the order given. The first exception a worker raises stops the
    rest and is raised here; so is KeyboardInterrupt in the main thread. Either
    way (and when the caller stops iterating) the gate is closed before leaving.
    """
    gate = gate or StopGate()
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    todo = list(items)
    for item in todo:
        inbox.put(item)
    outbox: queue.SimpleQueue = queue.SimpleQueue()

    def worker() -> None:
        while not gate.stop.is_set():
            try:
                item = inbox.get_nowait()
            except queue.Empty:
                return
            try:
                outbox.put((item, work(item), None))
            except BaseException as exc:  # handed to the main thread, which decides
                outbox.put((item, None, exc))

    for n in range(max(1, min(workers, len(todo)))):
        threading.Thread(target=worker, name=f"podcast-thread-{n}", daemon=True).start()
    pending = len(todo)
    try:
        while pending:
            try:
                item, result, exc = outbox.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            pending -= 1
            if exc is not None:
                raise exc
            yield item, result
    except BaseException:
        gate.close()
        raise


class OrderedFeed(Generic[Item]):
    """Items put by position in any order, from any thread; iterated in position order,
    each as soon as it and all before it are in. :meth:`close` with an exception ends the
    iteration with that exception (the run is stopping)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._items: dict[int, Item] = {}
        self._ready = threading.Condition()
        self._error: BaseException | None = None

    def put(self, position: int, item: Item) -> None:
        with self._ready:
            self._items[position] = item
            self._ready.notify_all()

    def close(self, error: BaseException) -> None:
        with self._ready:
            self._error = error
            self._ready.notify_all()

    def __iter__(self) -> Iterator[Item]:
        for position in range(self.count):
            with self._ready:
                while position not in self._items and self._error is None:
                    self._ready.wait(POLL_SECONDS)
                if self._error is not None:
                    raise self._error
                item = self._items.pop(position)
            yield item


class Alongside(Generic[Result]):
    """*work* run in a daemon thread beside the caller's; :meth:`result` waits for it.

    A daemon, like the pool's workers, so Ctrl-C in the main thread is never held up by it;
    the caller stops it (through whatever *work* listens to) and waits before leaving.
    """

    def __init__(self, work: Callable[[], Result], name: str = "podcast-alongside") -> None:
        self._result: Result | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], Result]) -> None:
        try:
            self._result = work()
        except BaseException as exc:  # handed to the caller, which decides
            self.error = exc

    def wait(self) -> None:
        """Wait until *work* has ended, however it ended."""
        while self._thread.is_alive():
            self._thread.join(POLL_SECONDS)

    def result(self) -> Result:
        """*work*'s result, or its exception raised here."""
        self.wait()
        if self.error is not None:
            raise self.error
        return self._result  # type: ignore[return-value]
