"""Placing clips in the episode: stings, pauses, the music bed, streamed into a PCM file.

Each cached clip (a mono 16-bit WAV at the engine's rate) is read (``signal``),
levelled and put at the mix's level (``level``), then appended to a PCM file between
synthesised stings and pauses. Clips are short
and separated by silence, so processing them one at a time is exact, and the whole
episode is never held in memory (an 80-minute episode is 420 MB of PCM).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import PodcastError
from ..ffmpeg import run_ffmpeg
from ..fsutil import require_file
from .level import (
    CLIP_LEVEL_DB,
    STEER_AFTER_SECONDS,
    STEER_BEHIND_CLIPS,
    STEER_SLACK_SECONDS,
    Leveller,
    level_clip,
)
from .meter import SUBBLOCK
from .pcm import SAMPLE_RATE, SAMPLE_WIDTH, db_to_gain, silence, to_pcm
from .signal import limit, moving_mean, read_clip, voiced_rms

if TYPE_CHECKING:  # numpy loads lazily: ``podcast --help`` must not pay for it
    import numpy as np
#: A sting's own peaks are limited this far above the speech's RMS level, before the gain:
#: its shape, as the chime has always had it.
PEAK_ABOVE_LEVEL_DB = 11.0

#: Silence after each kind of segment, in seconds.
PAUSE_AFTER: dict[str, float] = {
    "intro": 0.7,
    "headline": 0.9,
    "lead": 0.7,
    "point": 0.6,
    "section": 0.9,
    "outro": 0.6,
}
DEFAULT_PAUSE = 0.6

#: The stings: (start second, frequency in Hz) of each note; all notes ring out.
INTRO_STING_NOTES: tuple[tuple[float, float], ...] = (
    (0.00, 523.25), (0.16, 659.25), (0.32, 783.99), (0.48, 1046.50),
)
OUTRO_STING_NOTES: tuple[tuple[float, float], ...] = (
    (0.00, 1046.50), (0.16, 783.99), (0.32, 659.25), (0.48, 523.25),
)
STING_SECONDS = 1.8
#: Harmonics of each note (multiple, relative amplitude): a soft bell-like tone.
STING_HARMONICS: tuple[tuple[float, float], ...] = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12), (4.0, 0.05))
NOTE_ATTACK_SECONDS = 0.012
NOTE_DECAY_SECONDS = 0.38
#: Stings sit a little under the voice.
STING_LEVEL_DB = CLIP_LEVEL_DB - 3.0
STING_GAP = 0.3
FINAL_SILENCE = 0.4

#: Non-speech time before the first clip and after the last pause (kept as names the
#: tests use to account for every second of an episode).
LEAD_IN = STING_SECONDS + STING_GAP
TAIL = STING_SECONDS + FINAL_SILENCE

#: The music bed: its level alone and under speech, relative to the voice.
BED_LEVEL_DB = CLIP_LEVEL_DB - 6.0
BED_DUCK_DB = 16.0
BED_DUCK_RAMP_SECONDS = 0.35
BED_FADE_IN_SECONDS = 0.6
BED_FADE_OUT_SECONDS = 1.5
#: How long the bed keeps playing after the intro's last word.
BED_INTRO_OVERHANG = 1.0


@dataclass(frozen=True)
class Placed:
    """Where one segment's speech sits in the episode, in seconds."""

    index: int
    start: float
    end: float



@dataclass(frozen=True)
class Part:
    """One clip to place in the episode: the cached WAV, its segment kind and chapter."""

    path: Path
    kind: str
    chapter: str = ""


@lru_cache(maxsize=4)
def synth_sting(notes: tuple[tuple[float, float], ...], seconds: float = STING_SECONDS) -> np.ndarray:
    """A short chime: bell-like notes that ring out, levelled just under the voice.

    Cached per process (the result is read-only): every episode uses the same two.
    """
    import numpy as np

    n = int(round(seconds * SAMPLE_RATE))
    out = np.zeros(n, dtype=np.float32)
    for onset, freq in notes:
        first = int(round(onset * SAMPLE_RATE))
        local = np.arange(n - first, dtype=np.float32) / SAMPLE_RATE
        envelope = np.minimum(1.0, local / NOTE_ATTACK_SECONDS) * np.exp(-local / NOTE_DECAY_SECONDS)
        phase = (2 * np.pi * freq) * local
        tone = sum(amp * np.sin(phase * mult) for mult, amp in STING_HARMONICS)
        out[first:] += envelope * tone
    # Ring out to silence over the last 30 % so the sting ends without a cut.
    tail = int(n * 0.3)
    out[-tail:] *= np.linspace(1.0, 0.0, tail, dtype=np.float32) ** 2
    out *= np.float32(db_to_gain(STING_LEVEL_DB) / max(voiced_rms(out, floor_db=-60.0), 1e-9))
    sting = limit(out, db_to_gain(CLIP_LEVEL_DB + PEAK_ABOVE_LEVEL_DB))
    sting.flags.writeable = False
    return sting


# --- the timeline --------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """What was written to the PCM file, in seconds."""

    duration: float
    placements: tuple[Placed, ...]
    stings: tuple[tuple[float, float], ...]


class TimelineWriter:
    """Writes the episode's timeline piece by piece: intro sting, each clip and its pause as it
    comes, outro sting and tail, all at the final level (see :class:`Leveller`). The intro
    sting is written with the first clip, once the gain is known."""

    def __init__(self, sink: BinaryIO, pause_after: dict[str, float] = PAUSE_AFTER) -> None:
        self.sink, self.pause_after = sink, pause_after
        self.leveller = Leveller()
        self.written = 0  # samples
        self.placements: list[Placed] = []
        self.stings: list[tuple[float, float]] = []

    def put(self, sound: np.ndarray | None = None, pause: float = 0.0) -> tuple[float, float]:
        start = self.written
        pcm = silence(pause) if sound is None else to_pcm(sound)
        self.sink.write(pcm)
        self.written += len(pcm) // SAMPLE_WIDTH
        return start / SAMPLE_RATE, self.written / SAMPLE_RATE

    def _begin(self) -> None:
        self.stings.append(self.put(self.leveller.sound(synth_sting(INTRO_STING_NOTES))))
        self.put(pause=STING_GAP)

    def add(self, part: Part, levelled: np.ndarray) -> Placed:
        """Place *part*, whose clip *levelled* has been through :func:`level_clip`."""
        self.leveller.learn(levelled)
        if not self.stings:
            self._begin()
        start, end = self.put(self.leveller.place(levelled))
        placed = Placed(len(self.placements), start, end)
        self.placements.append(placed)
        self.put(pause=self.pause_after.get(part.kind, DEFAULT_PAUSE))
        return placed

    def end(self) -> Timeline:
        if not self.stings:
            self._begin()
        self.stings.append(self.put(self.leveller.sound(synth_sting(OUTRO_STING_NOTES))))
        self.put(pause=FINAL_SILENCE)
        return self.timeline()

    def timeline(self) -> Timeline:
        return Timeline(self.written / SAMPLE_RATE, tuple(self.placements), tuple(self.stings))


#: Pieces of PCM, in order, for whatever follows the mix (the encoder).
Push = Callable[[bytes], None]
#: With a music bed, what stays unpushed before the latest clip: the outro's bed starts up
#: to BED_FADE_IN_SECONDS (on a 100 ms grid) before the last clip, and a clip is not known
#: to be the last until the parts run out.
BED_HOLD_SECONDS = BED_FADE_IN_SECONDS + 0.2


def stream_episode(parts: Iterable[Part], pcm: BinaryIO, push: Push, music: Path | None = None,
                   reading: Callable[[float], float | None] | None = None) -> tuple[Timeline, list[Part]]:
    """Mix *parts* as they come into *pcm* (a file opened ``w+b``) and *push* what is final.

    Without music every piece is final once written. With a music bed, what the bed will
    still change is held back: everything until the intro's bed is mixed in, then the
    latest clip and :data:`BED_HOLD_SECONDS` before it; the outro's bed is mixed when the
    parts run out. *reading* gives the encoder's measure of the MP3 up to a point (seconds),
    which each clip's level follows (:meth:`Leveller.steer`): the point is fixed by the
    timeline (the end of the clip STEER_BEHIND_CLIPS before, and at least
    STEER_SLACK_SECONDS behind what was pushed), so the same parts make the same episode however fast things run.
    Returns the timeline and the parts in the order placed.
    """
    writer = TimelineWriter(pcm)
    pushed = 0  # samples
    intro_mixed = music is None

    def push_until(sample: int) -> None:
        nonlocal pushed
        if sample <= pushed:
            return
        pcm.flush()
        at = pcm.tell()
        pcm.seek(pushed * SAMPLE_WIDTH)
        push(pcm.read((sample - pushed) * SAMPLE_WIDTH))
        pcm.seek(at)
        pushed = sample

    placed: list[Part] = []
    for part in parts:
        levelled = level_clip(read_clip(part.path))  # the costly part, done before any wait
        if reading is not None and len(writer.placements) >= STEER_BEHIND_CLIPS:
            point = min(writer.placements[-STEER_BEHIND_CLIPS].end, pushed / SAMPLE_RATE - STEER_SLACK_SECONDS)
            if point >= STEER_AFTER_SECONDS:
                writer.leveller.steer(reading(point))
        writer.add(part, levelled)
        placed.append(part)
        if not intro_mixed:
            region = bed_regions(writer.placements, None)[0]
            if region[1] * SAMPLE_RATE <= writer.written:
                pcm.flush()
                mix_bed_regions(pcm, Path(music), writer.timeline(), [region], writer.leveller)
                intro_mixed = True
        if music is None:
            push_until(writer.written)
        elif intro_mixed:  # this clip may be the last: its outro bed may start just before it
            push_until(int(writer.placements[-1].start * SAMPLE_RATE) - int(BED_HOLD_SECONDS * SAMPLE_RATE))
    timeline = writer.end()
    if music is not None and timeline.placements:
        pcm.flush()
        regions = bed_regions(timeline.placements, timeline.duration)
        mix_bed_regions(pcm, Path(music), timeline, regions if not intro_mixed else regions[1:], writer.leveller)
    push_until(writer.written)
    return timeline, placed


# --- the music bed -------------------------------------------------------------------


def _music_pcm(path: Path, seconds: float) -> bytes:
    """The first *seconds* of a music file as episode-format PCM, or a one-line error."""
    require_file(path, "music file")
    try:
        pcm = run_ffmpeg(
            ["-t", f"{seconds:.3f}", "-i", str(path), "-vn", "-f", "s16le", "-acodec", "pcm_s16le",
             "-ar", str(SAMPLE_RATE), "-ac", "1", "pipe:1"],
            what=f"reading music file {path}",
        )
    except PodcastError:
        pcm = b""
    if not pcm:
        raise PodcastError(f"music file is not audio ffmpeg can read: {path}")
    return pcm


def check_music(path: Path | str | None) -> None:
    """Fail early, before any speaking, when ``--music`` is missing or not audio."""
    if path is not None:
        _music_pcm(Path(path), 0.2)


def decode_music(path: Path, seconds: float) -> np.ndarray:
    """The first *seconds* of a music file as float32 samples (looped if shorter)."""
    import numpy as np

    pcm = _music_pcm(Path(path), seconds)
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
    rms = voiced_rms(x)
    if rms == 0.0:
        raise PodcastError(f"music file has no audible audio: {path}")
    n = int(round(seconds * SAMPLE_RATE))
    return np.resize(x, n) * np.float32(db_to_gain(BED_LEVEL_DB) / rms)


def bed_envelope(length: int, speech: Iterable[tuple[int, int]], fade_in: bool, fade_out: bool) -> np.ndarray:
    """The bed's gain over a region: full alone, ducked under speech, faded at the ends."""
    import numpy as np

    target = np.ones(length, dtype=np.float32)
    pad = int(BED_DUCK_RAMP_SECONDS * SAMPLE_RATE / 2)
    for start, end in speech:
        target[max(0, start - pad): min(length, end + pad)] = db_to_gain(-BED_DUCK_DB)
    ramp = int(BED_DUCK_RAMP_SECONDS * SAMPLE_RATE) | 1
    gain = moving_mean(target, ramp) if length > ramp else target
    if fade_in:
        n = min(length, int(BED_FADE_IN_SECONDS * SAMPLE_RATE))
        gain[:n] *= np.linspace(0.0, 1.0, n, dtype=np.float32)
    if fade_out:
        n = min(length, int(BED_FADE_OUT_SECONDS * SAMPLE_RATE))
        gain[length - n:] *= np.linspace(1.0, 0.0, n, dtype=np.float32) ** 2
    return gain


def bed_regions(placements: Sequence[Placed], duration: float | None) -> list[tuple[float, float]]:
    """Where the bed plays, in seconds: under the intro (sting and first clip, and a second
    more) and under the outro (from just before the last clip). With *duration* None (the
    episode still being written) only the intro's, as far as it reaches."""
    end = math.inf if duration is None else duration

    def on_grid(seconds: float) -> float:  # whole 100 ms blocks, so the meter can re-measure them
        return min(-(-int(seconds * SAMPLE_RATE) // SUBBLOCK) * SUBBLOCK / SAMPLE_RATE, end)

    first, last = placements[0], placements[-1]
    intro = (0.0, on_grid(first.end + BED_INTRO_OVERHANG))
    if duration is None:
        return [intro]
    outro_start = max(intro[1], last.start - BED_FADE_IN_SECONDS)
    outro = (int(outro_start * SAMPLE_RATE) // SUBBLOCK * SUBBLOCK / SAMPLE_RATE, duration)
    return [intro, outro] if outro[0] < outro[1] else [intro]


def mix_bed_regions(handle: BinaryIO, music: Path, timeline: Timeline, regions: Sequence[tuple[float, float]],
                    leveller: Leveller) -> None:
    """Mix the music under *regions* of the PCM file *handle* (open for reading and writing),
    in place, at the mix's level (*leveller*'s gain and limiter). The first region
    (starting at 0) is the intro's."""
    import numpy as np

    at = handle.tell()
    for start, end in regions:
        a, b = int(round(start * SAMPLE_RATE)), int(round(end * SAMPLE_RATE))
        handle.seek(a * SAMPLE_WIDTH)
        voice = np.frombuffer(handle.read((b - a) * SAMPLE_WIDTH), dtype="<i2").astype(np.float32) / 32768.0
        bed = decode_music(music, end - start)
        speech = [
            (int(p.start * SAMPLE_RATE) - a, int(p.end * SAMPLE_RATE) - a)
            for p in timeline.placements if p.end * SAMPLE_RATE > a and p.start * SAMPLE_RATE < b
        ]
        intro = a == 0
        envelope = bed_envelope(len(voice), speech, fade_in=not intro, fade_out=True)
        if intro:  # under the intro sting the music starts with the episode
            n = min(len(envelope), int(BED_FADE_IN_SECONDS * SAMPLE_RATE / 3))
            envelope[:n] *= np.linspace(0.0, 1.0, n, dtype=np.float32)
        mixed = leveller.limit(voice + bed[: len(voice)] * envelope * leveller.gain)
        handle.seek(a * SAMPLE_WIDTH)
        handle.write(to_pcm(mixed))
    handle.flush()
    handle.seek(at)
