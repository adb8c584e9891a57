"""Find ffmpeg (system, else the imageio-ffmpeg wheel) and run it.

The imageio-ffmpeg wheel ships no ffprobe, so nothing here depends on one:
decoding goes straight to raw PCM through ffmpeg itself.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from .config import environment
from .errors import PodcastError


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg binary: $PODCAST_FFMPEG, else ffmpeg on PATH, else imageio-ffmpeg's."""
    configured = environment().ffmpeg
    if configured:
        return configured
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:  # pragma: no cover - the wheel is a dependency
        raise PodcastError(f"ffmpeg not found: install ffmpeg or imageio-ffmpeg ({exc})") from None


@lru_cache(maxsize=1)
def configure_pydub() -> None:
    """Point pydub at our ffmpeg before importing it, so it prints no missing-ffmpeg warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="Couldn't find ffprobe", category=RuntimeWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*audioop.*")
        from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()


def ffmpeg_command(*args: str, loglevel: str = "error") -> list[str]:
    """An ffmpeg command line: our binary, quiet, never reading the terminal, then *args*."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, *args]


def failure(what: str, stderr: bytes | str, returncode: int | None) -> PodcastError:
    """ffmpeg's failure as one line: *what* failed, with ffmpeg's last line as the reason."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = text.strip().splitlines()
    return PodcastError(f"{what} failed: {lines[-1] if lines else f'exit code {returncode}'}")


def run_ffmpeg(args: list[str], input_bytes: bytes | None = None, what: str = "ffmpeg") -> bytes:
    """Run ffmpeg quietly; return stdout or raise PodcastError with ffmpeg's last line."""
    proc = subprocess.run(ffmpeg_command(*args), input=input_bytes, capture_output=True, check=False)
    if proc.returncode != 0:
        raise failure(what, proc.stderr, proc.returncode)
    return proc.stdout


def ffmpeg_log(args: list[str], what: str = "ffmpeg") -> str:
    """Run ffmpeg at log level info and return what it logged (filters such as ebur128 report there)."""
    proc = subprocess.run(ffmpeg_command(*args, loglevel="info"), capture_output=True, check=False)
    if proc.returncode != 0:
        raise failure(what, proc.stderr, proc.returncode)
    return proc.stderr.decode("utf-8", "replace")


def decode_to_pcm(source: Path | bytes, sample_rate: int, channels: int = 1) -> bytes:
    """Decode any audio file (or bytes) to signed 16-bit little-endian PCM."""
    from_bytes = isinstance(source, (bytes, bytearray))
    return run_ffmpeg(
        ["-i", "pipe:0" if from_bytes else str(source), "-f", "s16le", "-acodec", "pcm_s16le",
         "-ar", str(sample_rate), "-ac", str(channels), "pipe:1"],
        input_bytes=bytes(source) if from_bytes else None,
        what="decoding audio" if from_bytes else f"decoding {source}",
    )
