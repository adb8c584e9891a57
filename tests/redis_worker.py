"""A real redis-server on 127.0.0.1 and real ``podcast worker`` processes, for the queue tests.

Debian's redis-server (.ci/run installs it). Without it, the tests that need it skip
with the reason; in CI (CI=true) they fail instead, since a skip there hides a gap.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, cli_env

START_SECONDS = 30.0


def redis_server_binary() -> str:
    """The redis-server to run; skips (fails in CI) when this machine has none."""
    found = shutil.which("redis-server")
    if found:
        return found
    reason = "redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


@contextlib.contextmanager
def redis_server(workdir: Path) -> Iterator[str]:
    """A redis-server of our own on a free port of 127.0.0.1, nothing saved to disk; its URL."""
    binary = redis_server_binary()
    workdir.mkdir(parents=True, exist_ok=True)
    for _ in range(5):  # another process may take the free port before redis binds it
        port = _free_port()
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir), "--logfile", str(workdir / "redis.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_SECONDS
        while proc.poll() is None and not _answers(port) and time.monotonic() < deadline:
            time.sleep(0.05)
        if proc.poll() is None and _answers(port):
            break
        _end(proc)
    else:
        raise RuntimeError(f"redis-server did not start; see {workdir / 'redis.log'}")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _end(proc)


def _end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Worker:
    """``podcast worker`` in its own process group (so a test can kill it and its pool at once)."""

    def __init__(self, broker: str, name: str, log: Path, *args: str, env: dict | None = None,
                 cpu: int | None = None) -> None:
        self.name = name
        self.log = log
        log.parent.mkdir(parents=True, exist_ok=True)
        # *cpu*: run the worker (and every process it starts) on that core alone (util-linux's taskset).
        pinned = ["taskset", "--cpu-list", str(cpu)] if cpu is not None else []
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                [*pinned, sys.executable, "-m", "podcast", "worker", "--broker", broker, "--name", name,
                 "--concurrency", "1", *args],
                env=cli_env(env), cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self) -> Worker:
        deadline = time.monotonic() + START_SECONDS
        while f"{self.name} ready." not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker {self.name} did not start:\n{self.text()}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """kill -9 of the worker and its pool processes: what a machine that dies does to them."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        """A warm shutdown (SIGTERM), then whatever is left of the group is killed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(20)
        self.kill()

    def succeeded(self) -> int:
        return self.text().count(" succeeded in ")


@contextlib.contextmanager
def workers(broker: str, folder: Path, names: tuple[str, ...], *args: str,
            env: dict | None = None, pin: bool = False) -> Iterator[list[Worker]]:
    """Workers started together, ready, and stopped at the end; *pin*: each on a core of its own."""
    started = [Worker(broker, name, folder / f"{name.split('@')[0]}.log", *args, env=env, cpu=n if pin else None)
               for n, name in enumerate(names)]
    try:
        yield [w.wait_ready() for w in started]
    finally:
        for w in started:
            w.stop()
