"""Shared test helpers: real ffmpeg, real espeak-ng, real files."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "podcast" / "examples" / "fietsbrug.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    """A fresh clip cache per test."""
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """A clip cache shared by tests that only need some episode, to keep the suite fast."""
    return tmp_path_factory.mktemp("shared-cache")


def _refusing_url() -> tuple[socket.socket, str]:
    """A local address that refuses connections at once: a port bound, never listened on."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}"


#: Google, for every process a test starts: a port that refuses, so ``auto`` falls back to
#: espeak-ng whether or not this machine reaches the real Google. A test that wants Google
#: to answer says so: a FakeGoogleServer's URL in its env, or `responses` in-process.
_REFUSING_SOCKET, UNREACHABLE_GOOGLE = _refusing_url()


def cli_env(env: dict | None = None) -> dict[str, str]:
    """The environment for a podcast process a test starts: ours, Google refusing, then *env*."""
    return {**os.environ, "PODCAST_GTTS_URL": UNREACHABLE_GOOGLE, **(env or {})}


def interruptible() -> None:
    """``preexec_fn`` for a process a test will interrupt: SIGINT at its default disposition.

    The suite may itself run with SIGINT ignored (a shell starts background jobs that way,
    as a CI runner may), and a child would inherit that and never see Ctrl-C.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None,
            timeout: float | None = None):
    """Run ``python -m podcast`` as a user would, in a separate process (Google refusing unless *env* says).

    *timeout*: seconds after which the process is killed and the test fails (TimeoutExpired).
    """
    full_env = cli_env(env)
    return subprocess.run(
        [sys.executable, "-m", "podcast", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        check=False,
        timeout=timeout,
    )


def audio_seconds(path: Path) -> float:
    """Duration by decoding the whole file with ffmpeg (what a player would hear)."""
    from podcast.ffmpeg import decode_to_pcm

    return len(decode_to_pcm(Path(path), 8000)) / 2 / 8000


def manifest_of(result) -> dict:
    return json.loads(result.stdout.decode())
