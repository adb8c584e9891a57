"""Atomic file writing: the one place that puts files into their final location.

Every writer goes through here, so an interrupted run never leaves a half-written
MP3, feed or cache entry under its real name.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .errors import PodcastError


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to *target*; rename it over *target* on success.

    The temporary file lives in the same directory, so the final ``os.replace``
    is atomic. On any exception (KeyboardInterrupt included) it is removed.
    """
    target = Path(target)
    ensure_writable_dir(target.parent)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix or f".part{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


#: Where writers keep work in progress: hidden names beside the target (``.NAME.*.part*``
#: from atomic_path, ``.podcast-*`` folders from the audio stage). Only a killed process
#: leaves them behind.
TEMPORARY_PREFIX = ".podcast-"


def is_temporary(path: Path) -> bool:
    """Whether *path* is a writer's work in progress, never a finished file."""
    name = Path(path).name
    return name.startswith(TEMPORARY_PREFIX) or (name.startswith(".") and ".part" in name)


def remove_stale_temporaries(directory: Path, older_than: float) -> list[Path]:
    """Remove the work in progress in *directory* untouched for *older_than* seconds; what went.

    A process killed mid-write (kill -9, a lost queue worker) leaves it; one that old
    belongs to no live writer when no writer may run longer (a queue task's time limit).
    """
    import shutil
    import time

    removed = []
    limit = time.time() - older_than
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not is_temporary(Path(entry.path)) or entry.stat(follow_symlinks=False).st_mtime > limit:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:  # another worker removed it first, or it is not ours to remove
            continue
    return removed


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    """Write *data* to *target* atomically and return *target*."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def atomic_write_text(target: Path, text: str) -> Path:
    """Write UTF-8 *text* to *target* atomically and return *target*."""
    return atomic_write_bytes(target, text.encode("utf-8"))


def ensure_writable_dir(directory: Path) -> Path:
    """Create *directory* if needed and check that we may write there.

    Raises PodcastError with a message naming the directory otherwise.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise PodcastError(f"output location is not a directory: {directory}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PodcastError(f"cannot create output directory {directory}: {exc.strerror}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise PodcastError(f"output directory is not writable: {directory}")
    return directory


def require_file(path: Path | str, what: str) -> Path:
    """*path* as a Path when it names an existing file, else a one-line PodcastError.

    *what* names the file for people: "article", "cover", "music file".
    """
    path = Path(path)
    if not path.exists():
        raise PodcastError(f"{what} not found: {path}")
    if path.is_dir():
        raise PodcastError(f"{what} is a directory, not a file: {path}")
    return path


def slugify(text: str, max_length: int = 60) -> str:
    """An ASCII file-name slug, as Apple requires for enclosure URLs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        # Cut at a word boundary, so names stay readable.
        cut = slug[: max_length + 1].rfind("-")
        slug = slug[: cut if cut > max_length // 2 else max_length].rstrip("-")
    return slug or "episode"
