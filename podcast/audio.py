"""Stage 5: stitch clips into one episode, set its loudness, encode MP3, write ID3 tags.

Clips are brought to one format (44.1 kHz, mono, 16-bit) with pydub and streamed,
one after another, into a temporary PCM file, so the whole episode is never held
in memory and joining costs one pass, not a quadratic ``+`` chain. ffmpeg then
measures the loudness of that file (ebur128) and encodes it with the gain and a
true-peak limiter in a single pass.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import PodcastError
from .ffmpeg import configure_pydub, ffmpeg_exe
from .fsutil import atomic_path

SAMPLE_RATE = 44100
SAMPLE_WIDTH = 2
CHANNELS = 1
BYTES_PER_SECOND = SAMPLE_RATE * SAMPLE_WIDTH * CHANNELS

TARGET_LUFS = -16.0
#: Sample-peak ceiling of the limiter, measured at 4x oversampling; leaves room for
#: the MP3 encoder's overshoot so the final file stays at or below -1 dBTP.
LIMITER_CEILING_DB = -2.0
DEFAULT_BITRATE = "96k"

#: Silence after each kind of segment, in seconds.
PAUSE_AFTER: dict[str, float] = {
    "intro": 0.7,
    "headline": 0.9,
    "lead": 0.7,
    "point": 0.6,
    "section": 0.9,
    "outro": 0.0,
}
LEAD_IN = 0.3
TAIL = 0.5


@dataclass(frozen=True)
class Placed:
    """Where one segment's speech sits in the episode, in seconds."""

    index: int
    start: float
    end: float


@dataclass(frozen=True)
class Tags:
    """ID3 metadata for the episode."""

    title: str
    artist: str
    album: str
    date: str | None = None
    genre: str = "Podcast"
    comment: str = ""
    language: str = "nl"


@dataclass(frozen=True)
class Produced:
    """The encoded MP3, its duration and where every segment landed."""

    path: Path
    duration: float
    placements: tuple[Placed, ...]
    integrated_lufs: float | None


def silence(seconds: float) -> bytes:
    frames = int(round(seconds * SAMPLE_RATE))
    return b"\0" * (frames * SAMPLE_WIDTH * CHANNELS)


def clip_pcm(path: Path) -> bytes:
    """A cached WAV clip as episode-format PCM (pydub does the conversion)."""
    configure_pydub()
    from pydub import AudioSegment

    with open(path, "rb") as handle:
        segment = AudioSegment.from_wav(handle)
    segment = segment.set_channels(CHANNELS).set_sample_width(SAMPLE_WIDTH).set_frame_rate(SAMPLE_RATE)
    return segment.raw_data


def stream_timeline(
    clips: Iterable[tuple[Path, str]], sink, pause_after: dict[str, float] = PAUSE_AFTER
) -> Iterator[Placed]:
    """Write lead-in, clips and pauses to *sink*; yield each clip's placement as it goes."""
    written = 0
    lead = silence(LEAD_IN)
    sink.write(lead)
    written += len(lead)
    for index, (path, kind) in enumerate(clips):
        pcm = clip_pcm(path)
        start = written / BYTES_PER_SECOND
        sink.write(pcm)
        written += len(pcm)
        yield Placed(index, start, written / BYTES_PER_SECOND)
        gap = silence(pause_after.get(kind, 0.6))
        sink.write(gap)
        written += len(gap)
    tail = silence(TAIL)
    sink.write(tail)


def _ffmpeg_info(args: list[str]) -> str:
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", *args]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    text = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise PodcastError(f"ffmpeg failed: {text.strip().splitlines()[-1] if text.strip() else proc.returncode}")
    return text


def measure_loudness(input_args: list[str]) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter reads them."""
    text = _ffmpeg_info([*input_args, "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"])
    summary = text[text.rfind("Summary:"):]
    loudness = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not loudness or not peak:
        raise PodcastError("could not measure loudness (ffmpeg ebur128 gave no summary)")
    return float(loudness.group(1)), float(peak.group(1))


def measure_file(path: Path) -> tuple[float, float]:
    """Loudness and true peak of an audio file (e.g. the final MP3)."""
    return measure_loudness(["-i", str(path)])


def _pcm_input(path: Path) -> list[str]:
    return ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(path)]


def encode_mp3(pcm_path: Path, target: Path, gain_db: float, bitrate: str = DEFAULT_BITRATE) -> None:
    """Apply gain and a true-peak limiter, encode CBR mono MP3, atomically into *target*."""
    ceiling = 10 ** (LIMITER_CEILING_DB / 20)
    # Limit at 4x the sample rate so inter-sample (true) peaks are caught too.
    chain = (
        f"volume={gain_db:.2f}dB,aresample={SAMPLE_RATE * 4},"
        f"alimiter=limit={ceiling:.4f}:attack=1:release=60:level=disabled,aresample={SAMPLE_RATE}"
    )
    with atomic_path(target) as tmp:
        _ffmpeg_info(
            [*_pcm_input(pcm_path), "-af", chain, "-ar", str(SAMPLE_RATE), "-ac", "1",
             "-codec:a", "libmp3lame", "-b:a", bitrate, "-write_xing", "1", "-id3v2_version", "3",
             "-f", "mp3", "-y", str(tmp)]
        )


def write_tags(path: Path, tags: Tags) -> None:
    """Write ID3v2 title, artist, album, date, genre, comment and language."""
    from mutagen.id3 import COMM, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, ID3NoHeaderError

    try:
        id3 = ID3(str(path))
    except ID3NoHeaderError:
        id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TCON(encoding=3, text=tags.genre))
    if tags.date:
        id3.add(TDRC(encoding=3, text=tags.date))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="dut" if tags.language == "nl" else "eng", desc="", text=tags.comment))
    id3.add(TLAN(encoding=3, text="dut" if tags.language == "nl" else "eng"))
    id3.save(str(path), v2_version=3)


def produce_episode(
    clips: list[tuple[Path, str]],
    target: Path,
    tags: Tags,
    bitrate: str = DEFAULT_BITRATE,
) -> Produced:
    """Stitch *clips* (cached WAV path, segment kind) into a loudness-normalised, tagged MP3."""
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix=".podcast-", dir=target.parent) as tmpdir:
        pcm_path = Path(tmpdir) / "episode.pcm"
        with open(pcm_path, "wb") as sink:
            placements = tuple(stream_timeline(clips, sink))
        duration = pcm_path.stat().st_size / BYTES_PER_SECOND
        loudness, _peak = measure_loudness(_pcm_input(pcm_path))
        gain = 0.0 if loudness == float("-inf") else TARGET_LUFS - loudness
        staged = Path(tmpdir) / "episode.mp3"
        encode_mp3(pcm_path, staged, gain, bitrate)
        write_tags(staged, tags)
        with atomic_path(target) as tmp:
            staged.replace(tmp)
    return Produced(target, duration, placements, None if loudness == float("-inf") else TARGET_LUFS)
