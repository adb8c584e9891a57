"""Many articles into episodes: ``podcast batch``.

Each article is built by its own ``podcast build`` process. That keeps memory
per article bounded and independent (a server can run ``--jobs N`` safely),
lets espeak-ng (one voice per process) and ffmpeg work in parallel, and gives
every article the build command's own clean handling of errors and Ctrl-C. A
failing article is reported and the rest go on. The gTTS request budget is
shared: the jobs together keep at most ``concurrency`` requests in flight.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .config import DEFAULT_JOBS, DEFAULT_OUT_DIR, MAX_JOBS
from .errors import PodcastError
from .options import (
    DEFAULT_RENDER_OPTIONS,
    DEFAULT_SCRIPT_OPTIONS,
    RenderOptions,
    ScriptOptions,
    options_to_json,
)

#: What a folder given to ``batch`` contributes: files that look like articles.
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
#: After Ctrl-C, how long builds get to clean up before they are killed.
STOP_GRACE_SECONDS = 5.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class BatchResult:
    """How one article went: its manifest when built, else the one-line error."""

    source: str
    manifest: dict | None
    error: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.manifest is not None

    def summary_line(self) -> str:
        """One line for people: ``ok`` with the MP3, duration and engine, or ``FAIL`` with the reason."""
        if self.manifest is not None:
            m = self.manifest
            return f"ok    {self.source} -> {m['audio']} ({m['duration']:.1f} s, {m['engine']}, {self.seconds:.1f} s)"
        return f"FAIL  {self.source}: {self.error}"

    def to_json(self) -> dict:
        return {"source": self.source, "ok": self.ok, "manifest": self.manifest, "error": self.error,
                "seconds": round(self.seconds, 2)}


def find_articles(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the article files (by suffix, sorted) inside any folder given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES))
        else:
            found.append(path)  # a missing file fails as that article's own error
    if not found:
        raise PodcastError("no articles to build (folders are searched for " + ", ".join(ARTICLE_SUFFIXES) + ")")
    return found


def build_command(source: Path, out_dir: Path, script: ScriptOptions, render: RenderOptions) -> list[str]:
    """The ``podcast build`` command line for one article: the options go as one JSON record."""
    return [sys.executable, "-m", "podcast", "-q", "build", str(source), "--json", "--out", str(out_dir),
            "--options-json", options_to_json(script, render)]


def _error_line(stderr: bytes, code: int) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
    if errors:
        return errors[-1]
    return lines[-1] if lines else f"build exited with code {code}"


def _finish(source: Path, proc: subprocess.Popen, started: float) -> BatchResult:
    out, err = proc.communicate()
    seconds = time.monotonic() - started
    if proc.returncode == 0:
        try:
            return BatchResult(str(source), json.loads(out.decode("utf-8")), None, seconds)
        except ValueError:
            return BatchResult(str(source), None, "build printed no manifest", seconds)
    return BatchResult(str(source), None, _error_line(err, proc.returncode), seconds)


def _interruptible() -> None:
    """In a build's process before it starts: SIGINT back to its default disposition.

    A process started in the background by a shell (or by nohup) inherits SIGINT
    ignored, and Python then installs no KeyboardInterrupt for it; the batch stops its
    builds with SIGINT, so each must hear it, however the batch itself was started.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop(builds: list[subprocess.Popen]) -> None:
    """Ctrl-C: ask each build to stop (it removes its own partial files), then insist."""
    for proc in builds:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for proc in builds:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def build_many(
    sources: Iterable[str | Path],
    out_dir: Path | str = DEFAULT_OUT_DIR,
    script: ScriptOptions = DEFAULT_SCRIPT_OPTIONS,
    render: RenderOptions = DEFAULT_RENDER_OPTIONS,
    jobs: int = DEFAULT_JOBS,
    on_result: Callable[[BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Build every article with up to *jobs* builds at once; results in the order given.

    The builds share one gTTS budget: a folder of ``render.concurrency`` request
    slots that every build's requests take turns on. *on_result* hears about each
    article as it finishes. Failures are results, not exceptions; Ctrl-C stops every
    build (no partial files) and is re-raised.
    """
    import tempfile

    from .speech.slots import make_slots

    script, render = script.checked(), render.checked()
    if not 1 <= jobs <= MAX_JOBS:
        raise PodcastError(f"jobs must be between 1 and {MAX_JOBS}, not {jobs}")
    articles = list(sources)
    with tempfile.TemporaryDirectory(prefix="podcast-batch-") as workspace:
        slots = make_slots(Path(workspace) / "request-slots", render.concurrency)
        shared = replace(render, request_slots=slots)
        return _run(articles, Path(out_dir), script, shared, jobs, on_result)


def _run(articles: list[str | Path], out_dir: Path, script: ScriptOptions, render: RenderOptions, jobs: int,
         on_result: Callable[[BatchResult], None] | None) -> list[BatchResult]:
    waiting = list(enumerate(articles))
    running: list[tuple[int, Path, subprocess.Popen, float]] = []  # (position, article, build, start)
    results: dict[int, BatchResult] = {}
    try:
        while waiting or running:
            while waiting and len(running) < jobs:
                index, source = waiting.pop(0)
                proc = subprocess.Popen(
                    build_command(Path(source), out_dir, script, render),
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    start_new_session=True,  # Ctrl-C reaches us; we pass it on exactly once
                    preexec_fn=_interruptible,
                )
                running.append((index, Path(source), proc, time.monotonic()))
            for entry in list(running):
                index, source, proc, started = entry
                if proc.poll() is None:
                    continue
                running.remove(entry)
                result = _finish(source, proc, started)
                results[index] = result
                if on_result:
                    on_result(result)
            time.sleep(POLL_SECONDS)
    except BaseException:
        _stop([proc for _, _, proc, _ in running])
        raise
    return [results[i] for i in range(len(articles))]
