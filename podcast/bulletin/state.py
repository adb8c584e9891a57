"""What was broadcast: the bulletin's state file, read and written under a lock.

The state lives beside the feed (``.feed.xml.bulletin.json``), else in the output
folder (``.bulletin.json``); hidden, so ``podcast serve`` never hands it out. It
records every item a bulletin has seen and which edition broadcast it, the words of
recent stories (so the same story under a new link is not told again), and how many
editions each day had. A run holds the lock from reading the sources to writing the
state, so two runs at once take turns and never tell a story twice; the state is
written only when an episode is finished, atomically, so a run stopped on the way
(Ctrl-C, a crash) marks nothing as broadcast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PodcastError
from ..fsutil import atomic_write_text

STATE_VERSION = 1
STATE_NAME = ".bulletin.json"
#: Items seen longer ago than this are forgotten, unless a source still offers them.
FORGET_AFTER_DAYS = 30
#: A told story's words are kept this long to recognise it under another link.
STORY_MEMORY_DAYS = 3
#: An item whose article could not be loaded is tried again by runs this much later.
RETRY_FAILED_AFTER = dt.timedelta(hours=1)
#: How long a run waits for another run on the same state to finish.
LOCK_TIMEOUT_SECONDS = 1800.0


@dataclass
class BroadcastState:
    """The state file's content."""

    #: Item key -> {"seen": ISO moment, "edition": the edition that told it, or "failed": when its
    #: article last failed to load}.
    items: dict[str, dict] = field(default_factory=dict)
    #: Recent told stories: {"title", "words" (sorted), "at", "edition"}.
    stories: list[dict] = field(default_factory=list)
    #: Date (ISO) -> editions made that day.
    editions: dict[str, int] = field(default_factory=dict)
    #: When the last bulletin was made (ISO moment).
    last: str | None = None

    def to_json(self) -> str:
        data = {"version": STATE_VERSION, "last": self.last, "editions": self.editions, "stories": self.stories,
                "items": self.items}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def told_words(self) -> list[frozenset[str]]:
        return [frozenset(story.get("words") or ()) for story in self.stories]

    def is_new(self, key: str, now: dt.datetime) -> bool:
        """Never seen; or seen failing (never told), long enough ago to try again."""
        entry = self.items.get(key)
        if entry is None:
            return True
        failed = entry.get("failed")
        return bool(failed) and "edition" not in entry and now - _moment(failed) >= RETRY_FAILED_AFTER

    def next_edition(self, day: dt.date) -> str:
        return str(self.editions.get(day.isoformat(), 0) + 1)

    def record(self, *, seen: Iterable[str], told: dict[str, str], failed: Iterable[str], stories: list[dict],
               day: dt.date, edition: str, now: dt.datetime, present: set[str]) -> None:
        """A finished bulletin: items *seen*, the keys *told* (key -> edition id), those that *failed*,
        its stories and its edition."""
        stamp = now.isoformat(timespec="seconds")
        for key in seen:
            self.items.setdefault(key, {"seen": stamp})
        for key in failed:
            self.items.setdefault(key, {"seen": stamp})["failed"] = stamp
        for key, edition_id in told.items():
            entry = self.items.setdefault(key, {"seen": stamp})
            entry.pop("failed", None)
            entry["edition"] = edition_id
        self.stories += [{**story, "at": stamp} for story in stories]
        if edition.isdigit():
            self.editions[day.isoformat()] = max(self.editions.get(day.isoformat(), 0), int(edition))
        self.last = stamp
        self._forget(now, present)

    def _forget(self, now: dt.datetime, present: set[str]) -> None:
        items_cutoff = now - dt.timedelta(days=FORGET_AFTER_DAYS)
        self.items = {k: v for k, v in self.items.items() if k in present or _moment(v.get("seen")) >= items_cutoff}
        stories_cutoff = now - dt.timedelta(days=STORY_MEMORY_DAYS)
        self.stories = [s for s in self.stories if _moment(s.get("at")) >= stories_cutoff]
        days_cutoff = (now - dt.timedelta(days=FORGET_AFTER_DAYS)).date().isoformat()
        self.editions = {d: n for d, n in self.editions.items() if d >= days_cutoff}


def _moment(text: str | None) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text or "")
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def state_path(state: Path | None, feed: Path | None, out_dir: Path) -> Path:
    """Where the state lives: as given, else beside the feed, else in the output folder."""
    if state is not None:
        return Path(state)
    if feed is not None:
        return Path(feed).parent / f".{Path(feed).name}.bulletin.json"
    return Path(out_dir) / STATE_NAME


def read_state(path: Path) -> BroadcastState:
    """The state at *path* (empty when there is none); PodcastError when it is damaged."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return BroadcastState()
    except (OSError, UnicodeDecodeError) as exc:
        raise PodcastError(f"cannot read the bulletin state {path}: {exc}") from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a bulletin state of this version")
        state = BroadcastState(items=dict(data["items"]), stories=list(data["stories"]),
                               editions={str(k): int(v) for k, v in data["editions"].items()}, last=data.get("last"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PodcastError(f"the bulletin state {path} is damaged ({exc}); fix or remove it "
                           "(then every item counts as new)") from None
    return state


def write_state(path: Path, state: BroadcastState) -> None:
    atomic_write_text(Path(path), state.to_json())


def lock_path(path: Path) -> Path:
    """The state's lock file, hidden like the state."""
    path = Path(path)
    name = path.name if path.name.startswith(".") else f".{path.name}"
    return path.with_name(f"{name}.lock")


@contextlib.contextmanager
def state_lock(path: Path, notice: Callable[[str], None] | None = None,
               timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the state's lock: one bulletin run at a time per state, the others wait their turn."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(path)))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if notice:
            notice(f"waiting for another bulletin run to finish with {path}")
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise PodcastError(f"another bulletin run kept {path} locked for {timeout:.0f} s; "
                               "try again when it is done") from None
    try:
        yield
    finally:
        lock.release()
