"""A request budget shared by several processes: a folder of slot files, one lock each.

A batch runs each article in its own process, yet its ``--concurrency`` is one budget
for all of them (Google rate-limits the machine, not the process). The batch makes a
folder with that many slot files; every gTTS request holds the lock of one slot while
it is in flight. Locks are released by the system when a process dies, so a crashed
build never keeps a slot.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import PodcastError
from .base import Cancelled

SLOT_GLOB = "slot-*.lock"
#: How long a request waits between rounds over busy slots.
POLL_SECONDS = 0.01


def make_slots(folder: Path, count: int) -> Path:
    """Create *folder* with *count* slot files; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        (folder / f"slot-{index}.lock").touch()
    return folder


class SharedSlots:
    """Hold one of the slots in *folder* while a request is in flight."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)
        self.paths = sorted(self.folder.glob(SLOT_GLOB))
        if not self.paths:
            raise PodcastError(f"no request slots in {self.folder}")

    @contextlib.contextmanager
    def hold(self, stop: threading.Event | None = None) -> Iterator[int]:
        """Wait for a free slot (or *stop*), hold it for the block; yields its number.

        ``flock`` on a file that is never removed: a lock file deleted on release (as
        some lock libraries do) could let two holders lock two different files of one name.
        """
        import fcntl

        while True:
            for index, path in enumerate(self.paths):
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    continue
                try:
                    yield index
                finally:
                    os.close(fd)  # closing the descriptor releases the lock
                return
            if stop is not None:
                if stop.wait(POLL_SECONDS):
                    raise Cancelled()
            else:
                time.sleep(POLL_SECONDS)
