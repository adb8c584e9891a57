"""Stage 5: stitch clips into one episode, set its loudness, encode MP3, write ID3 tags.

The episode is built as a stream: each cached clip (a mono 16-bit WAV at the
engine's rate) is read with pydub, brought to one format (mono, 16-bit, 44.1 kHz), levelled and peak-limited on its
own with numpy, then appended to a temporary PCM file between synthesised stings
and pauses. Clips are short and separated by silence, so processing them one at a
time is exact, and the whole episode is never held in memory (an 80-minute
episode is 420 MB of PCM).

Loudness is measured, not guessed, without extra passes over the audio: a BS.1770
meter (the K-weighting filter applied by FFT) follows each piece as it is written,
so the episode's loudness is known when the last clip is in. The one encode applies
the gain that brings it to -16 LUFS, while a second ffmpeg measures the MP3 frames
with ``ebur128`` as they come out of the encoder. If the MP3 misses the target, it
is encoded again with the error as gain; if its true peak exceeds -1 dBTP, with a
lower limiter ceiling (rarely more than once).

The timeline: intro sting, the clips with pauses by segment kind, outro sting. An
optional music bed is mixed under intro and outro, ducked under speech.
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .errors import PodcastError
from .ffmpeg import configure_pydub, failure, ffmpeg_command, ffmpeg_log, run_ffmpeg
from .fsutil import atomic_path, require_file

if TYPE_CHECKING:  # numpy loads lazily: ``podcast --help`` must not pay for it
    import numpy as np

SAMPLE_RATE = 44100
SAMPLE_WIDTH = 2
CHANNELS = 1

TARGET_LUFS = -16.0
MAX_TRUE_PEAK_DB = -1.0
#: The final MP3 may miss the target by this much before it is encoded again.
LOUDNESS_TOLERANCE_LU = 0.3
#: LAME at 96-160 kbps reads about 0.4 LU quieter than the PCM it was fed (measured on
#: espeak-ng and gTTS speech); the first encode aims that much higher, the final
#: measurement checks the result.
ENCODER_LOSS_LU = 0.4
#: Sample-peak ceiling of ffmpeg's safety limiter in the encode. The clips are already
#: limited well below it, so it only catches what mixing and gain left over.
SAFETY_CEILING_DB = -1.8
#: A corrected encode aims its true peak this far under the limit.
TRUE_PEAK_MARGIN_DB = 0.3
#: Encodes after the first, at most (each measured); one is the rule, two are rare.
MAX_CORRECTIONS = 2
DEFAULT_BITRATE = "96k"

#: Every clip is levelled to this RMS (over its voiced 50 ms frames) ...
CLIP_LEVEL_DB = -20.0
#: ... within this many dB of its own level, so a whisper is not pumped up to a shout.
MAX_LEVEL_GAIN_DB = 12.0
#: ... and its peaks are limited to this far above that level. Speech reads 2-3 LU
#: below its RMS, so peaks land near -2 dBFS once the episode is at -16 LUFS.
PEAK_ABOVE_LEVEL_DB = 11.0
#: The limiter's look-ahead and release window: 10 ms, in blocks of 32 samples.
LIMITER_WINDOW = 441
LIMITER_BLOCK = 32
#: Raised-cosine fade at each clip's edges, so no clip starts or stops with a click.
EDGE_FADE_SECONDS = 0.005

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
class Chapter:
    """A chapter of the finished episode, in seconds (whole milliseconds)."""

    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Part:
    """One clip to place in the episode: the cached WAV, its segment kind and chapter."""

    path: Path
    kind: str
    chapter: str = ""


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
class Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 reads them."""

    integrated: float
    true_peak: float


@dataclass(frozen=True)
class Produced:
    """The encoded MP3, its duration and where everything landed."""

    path: Path
    duration: float
    placements: tuple[Placed, ...]
    integrated_lufs: float | None
    true_peak: float | None = None
    chapters: tuple[Chapter, ...] = ()
    stings: tuple[tuple[float, float], ...] = ()


# --- signal helpers (numpy, one clip at a time) -------------------------------------


def db_to_gain(db: float) -> float:
    return 10 ** (db / 20)


def _smooth_size(n: int) -> int:
    """The smallest 2^a·3^b·5^c at or above *n*: an FFT size numpy handles fast."""
    best = 1 << max(0, (n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best = min(best, p)
            p35 *= 3
        p5 *= 5
    return best


def resample(x: np.ndarray, rate: int, to: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling by FFT (the clip is padded to a fast FFT size)."""
    import numpy as np

    if rate == to or len(x) == 0:
        return x
    g = math.gcd(rate, to)
    up, down = to // g, rate // g
    blocks = _smooth_size(-(-len(x) // down))
    padded = np.zeros(blocks * down, dtype=np.float32)
    padded[: len(x)] = x
    out = np.fft.irfft(np.fft.rfft(padded), blocks * up) * (up / down)
    return out[: int(round(len(x) * to / rate))].astype(np.float32)


def read_clip(path: Path) -> np.ndarray:
    """A cached WAV clip as float32 samples at 44.1 kHz, mono.

    pydub reads the clip and brings it to mono 16-bit, whatever the engine wrote;
    the rate change is a band-limited FFT resample, cleaner than audioop's ``ratecv``.
    """
    import numpy as np

    configure_pydub()
    from pydub import AudioSegment

    try:
        with open(path, "rb") as handle:
            segment = AudioSegment.from_wav(handle)
    except (OSError, EOFError, wave.Error, IndexError) as exc:
        raise PodcastError(f"cannot read clip {path}: {exc}") from None
    segment = segment.set_channels(CHANNELS).set_sample_width(SAMPLE_WIDTH)
    x = np.frombuffer(segment.raw_data, dtype="<i2").astype(np.float32) / 32768.0
    return resample(x, segment.frame_rate)


def voiced_rms(x: np.ndarray, frame: int = SAMPLE_RATE // 20, floor_db: float = -50.0) -> float:
    """RMS over the 50 ms frames louder than *floor_db*: the level of the speech itself."""
    import numpy as np

    usable = len(x) // frame * frame
    if usable == 0:
        return 0.0
    energy = np.mean(np.square(x[:usable].reshape(-1, frame), dtype=np.float64), axis=1)
    voiced = energy[energy > 10 ** (floor_db / 10)]
    return float(np.sqrt(voiced.mean())) if len(voiced) else 0.0


def moving_max(a: np.ndarray, window: int) -> np.ndarray:
    """Maximum over a centred window of odd length, in O(n) (van Herk / Gil-Werman)."""
    import numpy as np

    n, half = len(a), window // 2
    extra = -(n + 2 * half) % window
    padded = np.concatenate([np.zeros(half, a.dtype), a, np.zeros(half + extra, a.dtype)])
    blocks = padded.reshape(-1, window)
    prefix = np.maximum.accumulate(blocks, axis=1).ravel()
    suffix = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.maximum(suffix[:n], prefix[window - 1 : window - 1 + n])


def moving_mean(a: np.ndarray, window: int) -> np.ndarray:
    """Mean over a centred window of odd length; the edges repeat the end values."""
    import numpy as np

    half = window // 2
    padded = np.concatenate([np.full(half, a[0]), a, np.full(half, a[-1])])
    sums = np.concatenate([[0.0], np.cumsum(padded, dtype=np.float64)])
    return ((sums[window:] - sums[:-window]) / window).astype(np.float32)


def limit(x: np.ndarray, ceiling: float, window: int = LIMITER_WINDOW) -> np.ndarray:
    """A look-ahead brick-wall limiter: no sample leaves above *ceiling*.

    It works on the peaks of 32-sample blocks. The gain each block needs is spread
    over the window around it (a moving minimum, one block wider than the smoothing),
    smoothed with a moving mean, and interpolated back to every sample. Every gain
    that reaches a peak's sample, averaged or interpolated, is at most what that peak
    needs, so the peak ends at or below the ceiling while the gain moves smoothly (no
    clicks, little distortion). Working on blocks keeps it cheap for long episodes.
    """
    import numpy as np

    n = len(x)
    blocks = -(-n // LIMITER_BLOCK)
    magnitude = np.zeros(blocks * LIMITER_BLOCK, dtype=np.float32)
    magnitude[:n] = np.abs(x)
    peaks = magnitude.reshape(blocks, LIMITER_BLOCK).max(axis=1) if n else magnitude
    if n == 0 or peaks.max() <= ceiling:
        return x
    needed = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    radius = max(1, window // (2 * LIMITER_BLOCK))
    held = 1.0 - moving_max(1.0 - needed, 2 * (radius + 1) + 1)  # moving minimum
    smooth = moving_mean(held, 2 * radius + 1)
    centres = np.arange(blocks) * LIMITER_BLOCK + (LIMITER_BLOCK - 1) / 2
    gain = np.interp(np.arange(n, dtype=np.float32), centres, smooth).astype(np.float32)
    return (x * gain).astype(np.float32)


def fade_edges(x: np.ndarray, seconds: float = EDGE_FADE_SECONDS) -> np.ndarray:
    """Raised-cosine fade-in and fade-out of *seconds* at both ends."""
    import numpy as np

    n = min(int(seconds * SAMPLE_RATE), len(x) // 2)
    if n <= 0:
        return x
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))).astype(np.float32)
    y = x.copy()
    y[:n] *= ramp
    y[-n:] *= ramp[::-1]
    return y


def level_clip(x: np.ndarray) -> np.ndarray:
    """Bring a clip to the common speech level and limit its peaks above it."""
    rms = voiced_rms(x)
    if rms > 0:
        gain_db = CLIP_LEVEL_DB - 20 * math.log10(rms)
        x = x * db_to_gain(max(-MAX_LEVEL_GAIN_DB, min(MAX_LEVEL_GAIN_DB, gain_db)))
    return fade_edges(limit(x, db_to_gain(CLIP_LEVEL_DB + PEAK_ABOVE_LEVEL_DB)))


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


# --- loudness metering (ITU-R BS.1770-4, as ffmpeg's ebur128 filter does it) ---------

#: The K-weighting filter's analogue prototypes: a high shelf (+4 dB above ~1.7 kHz)
#: and the RLB high-pass at 38 Hz, as libebur128 derives them for any sample rate.
SHELF_HZ, SHELF_GAIN_DB, SHELF_Q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
HIGHPASS_HZ, HIGHPASS_Q = 38.13547087602444, 0.5003270373238773
#: Gating: 400 ms blocks every 100 ms, absolute gate -70 LUFS, relative gate -10 LU.
SUBBLOCK = SAMPLE_RATE // 10
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
#: The filter runs as an FIR by FFT overlap-add: its impulse response has died out
#: (below 1e-9) well within this many taps, and blocks of one size share one response.
K_TAPS = 4096
K_BLOCK = 1 << 15


def k_weighting_coefficients(rate: int = SAMPLE_RATE) -> tuple[tuple[float, ...], ...]:
    """(b, a) of the shelf, then (b, a) of the high-pass, by the bilinear transform."""
    k = math.tan(math.pi * SHELF_HZ / rate)
    vh = 10 ** (SHELF_GAIN_DB / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / SHELF_Q + k * k
    shelf_b = ((vh + vb * k / SHELF_Q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / SHELF_Q + k * k) / a0)
    shelf_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / SHELF_Q + k * k) / a0)
    k = math.tan(math.pi * HIGHPASS_HZ / rate)
    a0 = 1 + k / HIGHPASS_Q + k * k
    high_b = (1.0, -2.0, 1.0)
    high_a = (1.0, 2 * (k * k - 1) / a0, (1 - k / HIGHPASS_Q + k * k) / a0)
    return shelf_b, shelf_a, high_b, high_a


@lru_cache(maxsize=1)
def _k_block_response() -> np.ndarray:
    """The K-weighting filter, truncated to :data:`K_TAPS`, at the rfft bins of a block."""
    import numpy as np

    size = 1 << 16
    z = np.exp(-1j * np.pi * np.arange(size // 2 + 1) / (size / 2))  # z^-1 on the unit circle
    shelf_b, shelf_a, high_b, high_a = k_weighting_coefficients()

    def biquad(b, a):
        return (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)

    impulse = np.fft.irfft(biquad(shelf_b, shelf_a) * biquad(high_b, high_a), size)[:K_TAPS]
    return np.fft.rfft(impulse, K_BLOCK)


def k_weighted(x: np.ndarray) -> np.ndarray:
    """*x* through the K-weighting filter, with its decaying tail appended (overlap-add)."""
    import numpy as np

    step = K_BLOCK - K_TAPS
    blocks = max(1, -(-len(x) // step))
    padded = np.zeros(blocks * step)
    padded[: len(x)] = x
    filtered = np.fft.irfft(np.fft.rfft(padded.reshape(blocks, step), K_BLOCK, axis=1) * _k_block_response(),
                            K_BLOCK, axis=1)
    out = np.zeros((blocks + 1) * step)
    out[: blocks * step] = filtered[:, :step].ravel()
    out[step:].reshape(blocks, step)[:, :K_TAPS] += filtered[:, step:]
    return out[: len(x) + K_TAPS]


class LoudnessMeter:
    """Integrated loudness of a timeline that is written piece by piece.

    It keeps only the K-weighted energy of every 100 ms of the episode (36,000 numbers
    for an hour), so it measures an episode of any length without holding its audio.
    Pieces are separated by silence, so filtering each one on its own is exact up to
    the filter's tail, which is added where it falls.
    """

    def __init__(self) -> None:
        import numpy as np

        self._energy = np.zeros(1024)

    def _ensure(self, blocks: int) -> None:
        import numpy as np

        if blocks > len(self._energy):
            grown = np.zeros(max(blocks, 2 * len(self._energy)))
            grown[: len(self._energy)] = self._energy
            self._energy = grown

    def add(self, x: np.ndarray, offset: int) -> None:
        """Add the piece *x* that starts *offset* samples into the episode."""
        import numpy as np

        if len(x) == 0:
            return
        first, lead = divmod(offset, SUBBLOCK)
        filtered = k_weighted(x)
        blocks = -(-(lead + len(filtered)) // SUBBLOCK)
        squared = np.zeros(blocks * SUBBLOCK)
        squared[lead: lead + len(filtered)] = filtered
        np.square(squared, out=squared)
        sums = squared.reshape(blocks, SUBBLOCK).sum(axis=1)
        self._ensure(first + len(sums))
        self._energy[first: first + len(sums)] += sums

    def replace(self, x: np.ndarray, offset: int) -> None:
        """Measure *x* instead of what was added from *offset* on (a whole number of blocks)."""
        first = offset // SUBBLOCK
        self._energy[first: first + -(-len(x) // SUBBLOCK)] = 0.0
        self.add(x, offset)

    def integrated(self, samples: int) -> float:
        """Gated integrated loudness (LUFS) of the first *samples* of the episode."""
        import numpy as np

        blocks_total = -(-samples // SUBBLOCK)
        self._ensure(blocks_total)
        energy = self._energy[:blocks_total]
        if len(energy) < 4:
            return float("-inf")
        block_power = np.convolve(energy, np.ones(4), mode="valid") / (4 * SUBBLOCK)
        loudness = -0.691 + 10 * np.log10(np.maximum(block_power, 1e-20))
        gated = block_power[loudness > ABSOLUTE_GATE_LUFS]
        if len(gated) == 0:
            return float("-inf")
        relative = -0.691 + 10 * math.log10(gated.mean()) + RELATIVE_GATE_LU
        kept = block_power[(loudness > ABSOLUTE_GATE_LUFS) & (loudness > relative)]
        return -0.691 + 10 * math.log10(kept.mean())


def to_pcm(x: np.ndarray) -> bytes:
    import numpy as np

    return np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes()


def silence(seconds: float) -> bytes:
    frames = int(round(seconds * SAMPLE_RATE))
    return b"\0" * (frames * SAMPLE_WIDTH * CHANNELS)


# --- the timeline --------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    """What was written to the PCM file, in seconds."""

    duration: float
    placements: tuple[Placed, ...]
    stings: tuple[tuple[float, float], ...]


def stream_timeline(parts: Sequence[Part], sink: BinaryIO, meter: LoudnessMeter | None = None,
                    pause_after: dict[str, float] = PAUSE_AFTER) -> Timeline:
    """Write intro sting, clips with pauses by kind, outro sting and a tail to *sink*.

    Every sound written is also fed to *meter*, so the episode's loudness is known
    when the last clip is written, without reading the file again.
    """
    written = 0  # samples

    def put(sound: np.ndarray | None = None, pause: float = 0.0) -> tuple[float, float]:
        nonlocal written
        start = written
        if sound is None:
            pcm = silence(pause)
        else:
            pcm = to_pcm(sound)
            if meter is not None:
                meter.add(sound, start)
        sink.write(pcm)
        written += len(pcm) // SAMPLE_WIDTH
        return start / SAMPLE_RATE, written / SAMPLE_RATE

    stings = [put(synth_sting(INTRO_STING_NOTES))]
    put(pause=STING_GAP)
    placements = []
    for index, part in enumerate(parts):
        start, end = put(level_clip(read_clip(part.path)))
        placements.append(Placed(index, start, end))
        put(pause=pause_after.get(part.kind, DEFAULT_PAUSE))
    stings.append(put(synth_sting(OUTRO_STING_NOTES)))
    put(pause=FINAL_SILENCE)
    return Timeline(written / SAMPLE_RATE, tuple(placements), tuple(stings))


def place_chapters(parts: Sequence[Part], placements: Sequence[Placed], duration: float) -> tuple[Chapter, ...]:
    """Chapters from the clips' real positions: consecutive clips of one chapter merge.

    The first chapter starts at 0 (it holds the intro sting); every later one starts
    halfway through the pause before its first words, and each ends where the next
    begins, the last at the end of the audio.
    """
    starts: list[tuple[str, float]] = []
    previous_end = 0.0
    for placed in placements:
        title = parts[placed.index].chapter or parts[placed.index].kind
        if not starts or starts[-1][0] != title:
            start = 0.0 if not starts else (previous_end + placed.start) / 2
            starts.append((title, math.floor(start * 1000) / 1000))
        previous_end = placed.end
    end_ms = math.floor(duration * 1000) / 1000
    return tuple(
        Chapter(title, start, starts[i + 1][1] if i + 1 < len(starts) else end_ms)
        for i, (title, start) in enumerate(starts)
    )


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


def mix_bed(pcm_path: Path, music: Path, timeline: Timeline, meter: LoudnessMeter | None = None) -> None:
    """Mix the music under the intro (sting and first clip) and the outro (last clip and sting).

    Only those two stretches are read back from the PCM file, mixed and written in place
    (and measured again by *meter*).
    """
    import numpy as np

    if not timeline.placements:
        return
    first, last = timeline.placements[0], timeline.placements[-1]

    def on_grid(seconds: float) -> float:  # whole 100 ms blocks, so the meter can re-measure them
        return min(-(-int(seconds * SAMPLE_RATE) // SUBBLOCK) * SUBBLOCK / SAMPLE_RATE, timeline.duration)

    intro = (0.0, on_grid(first.end + BED_INTRO_OVERHANG))
    outro_start = max(intro[1], last.start - BED_FADE_IN_SECONDS)
    outro = (int(outro_start * SAMPLE_RATE) // SUBBLOCK * SUBBLOCK / SAMPLE_RATE, timeline.duration)
    regions = [intro, outro] if outro[0] < outro[1] else [intro]
    longest = max(end - start for start, end in regions)
    bed = decode_music(music, longest)
    with open(pcm_path, "r+b") as handle:
        for number, (start, end) in enumerate(regions):
            a, b = int(round(start * SAMPLE_RATE)), int(round(end * SAMPLE_RATE))
            handle.seek(a * SAMPLE_WIDTH)
            voice = np.frombuffer(handle.read((b - a) * SAMPLE_WIDTH), dtype="<i2").astype(np.float32) / 32768.0
            speech = [
                (int(p.start * SAMPLE_RATE) - a, int(p.end * SAMPLE_RATE) - a)
                for p in timeline.placements if p.end * SAMPLE_RATE > a and p.start * SAMPLE_RATE < b
            ]
            envelope = bed_envelope(len(voice), speech, fade_in=number > 0, fade_out=True)
            if number == 0:  # under the intro sting the music starts with the episode
                n = min(len(envelope), int(BED_FADE_IN_SECONDS * SAMPLE_RATE / 3))
                envelope[:n] *= np.linspace(0.0, 1.0, n, dtype=np.float32)
            mixed = limit(voice + bed[: len(voice)] * envelope, db_to_gain(CLIP_LEVEL_DB + PEAK_ABOVE_LEVEL_DB))
            handle.seek(a * SAMPLE_WIDTH)
            handle.write(to_pcm(mixed))
            if meter is not None:
                meter.replace(mixed, a)


# --- loudness and encoding -----------------------------------------------------------


def parse_ebur128(text: str) -> Loudness:
    """The integrated loudness and true peak from ffmpeg's ebur128 summary."""
    summary = text[text.rfind("Summary:"):]
    loudness = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not loudness or not peak:
        raise PodcastError("could not measure loudness (ffmpeg ebur128 gave no summary)")
    return Loudness(float(loudness.group(1)), float(peak.group(1)))


def measure_loudness(input_args: list[str]) -> Loudness:
    """Integrated loudness and true peak of an ffmpeg input, as ebur128 reads them."""
    return parse_ebur128(
        ffmpeg_log([*input_args, "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"])
    )


def measure_file(path: Path) -> Loudness:
    """Loudness and true peak of an audio file (e.g. the final MP3)."""
    return measure_loudness(["-i", str(path)])


def _pcm_input(path: Path) -> list[str]:
    return ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(path)]


def check_bitrate(bitrate: str) -> str:
    """``96k``, ``128k`` or ``96000``; LAME's CBR range is 8 to 320 kbps."""
    match = re.fullmatch(r"\s*(\d+)\s*([kK]?)\s*", str(bitrate))
    kbps = None if not match else int(match.group(1)) if match.group(2) else int(match.group(1)) / 1000
    if kbps is None or not 8 <= kbps <= 320:
        raise PodcastError(f"bitrate must be between 8k and 320k (e.g. 96k), not {bitrate!r}")
    return f"{int(kbps)}k"


def encode_mp3(pcm_path: Path, target: Path, gain_db: float, bitrate: str = DEFAULT_BITRATE,
               ceiling_db: float = SAFETY_CEILING_DB) -> Loudness:
    """Apply gain and a safety limiter, encode CBR mono MP3 into *target*, and measure it.

    ffmpeg's tee muxer writes the encoded frames to *target* and, the same frames, to a
    pipe into a second ffmpeg that decodes them and runs ebur128. The measurement runs
    alongside the encode (on the other core) instead of after it, and reads what the
    file holds.
    """
    chain = (
        f"volume={gain_db:.2f}dB,"
        f"alimiter=limit={db_to_gain(ceiling_db):.4f}:attack=1:release=50:level=disabled"
    )
    # Run in the target's directory: only its plain name goes through the tee's escaping.
    target = Path(target).resolve()
    outputs = f"[f=mp3:write_xing=1:id3v2_version=0:write_id3v1=0]./{_tee_escape(target.name)}|[f=mp3]pipe:1"
    encode = ffmpeg_command(
        *_pcm_input(Path(pcm_path).resolve()), "-af", chain, "-map", "0:a", "-ar", str(SAMPLE_RATE), "-ac", "1",
        "-codec:a", "libmp3lame", "-b:a", bitrate, "-f", "tee", "-y", outputs,
    )
    measure = ffmpeg_command("-f", "mp3", "-i", "pipe:0", "-af", "ebur128=peak=true:framelog=quiet",
                             "-f", "null", "-", loglevel="info")
    encoder = subprocess.Popen(encode, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=target.parent)
    try:
        meter = subprocess.run(measure, stdin=encoder.stdout, capture_output=True, check=False)
    finally:
        encoder.stdout.close()
        encode_errors = encoder.stderr.read().decode("utf-8", "replace").strip()
        encoder.stderr.close()
        encoder.wait()
    if encoder.returncode != 0:
        raise failure("encoding MP3", encode_errors, encoder.returncode)
    return parse_ebur128(meter.stderr.decode("utf-8", "replace"))


def _tee_escape(path: str) -> str:
    """A file name as the tee muxer's output list needs it ([, ], |, : and \\ escaped)."""
    return re.sub(r"([\\\[\]|:])", r"\\\1", path)


@dataclass(frozen=True)
class Correction:
    """How the next encode changes: more or less gain, a lower limiter ceiling."""

    gain_db: float
    ceiling_db: float


def correction(measured: Loudness, ceiling_db: float) -> Correction:
    """What brings a measured MP3 onto target: the loudness error as gain, and a true
    peak above the limit (MP3 overshoot) as that much lower a limiter ceiling, which
    costs far less loudness than turning the whole episode down."""
    excess = measured.true_peak - (MAX_TRUE_PEAK_DB - TRUE_PEAK_MARGIN_DB)
    return Correction(TARGET_LUFS - measured.integrated, ceiling_db - max(0.0, excess))


def needs_correction(measured: Loudness) -> bool:
    return (abs(measured.integrated - TARGET_LUFS) > LOUDNESS_TOLERANCE_LU
            or measured.true_peak > MAX_TRUE_PEAK_DB)


# --- cover and tags ------------------------------------------------------------------


def write_tags(path: Path, tags: Tags, chapters: Sequence[Chapter] = (),
               cover: tuple[bytes, str] | None = None) -> None:
    """Write ID3v2.4: text frames, cover art (APIC) and chapters (CTOC + CHAP).

    Version 2.4, because its TDRC frame holds a date like ``2024-08`` whole (2.3's
    TYER keeps only the year) and its text may be UTF-8.
    """
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        PRIV,
        TALB,
        TCON,
        TDRC,
        TIT2,
        TLAN,
        TPE1,
        CTOCFlags,
        ID3NoHeaderError,
        PictureType,
    )

    try:
        id3 = ID3(str(path))
    except ID3NoHeaderError:
        id3 = ID3()
    language = "dut" if tags.language == "nl" else "eng"
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TCON(encoding=3, text=tags.genre))
    if tags.date:
        id3.add(TDRC(encoding=3, text=tags.date))
    if tags.comment:
        id3.add(COMM(encoding=3, lang=language, desc="", text=tags.comment))
    id3.add(TLAN(encoding=3, text=language))
    if cover:
        data, mime = cover
        id3.add(APIC(encoding=3, mime=mime, type=PictureType.COVER_FRONT, desc="Cover", data=data))
    if chapters:
        ids = chapter_element_ids(len(chapters))
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=3, text="Chapters")]))
        longest = max(len(c.title.encode("utf-16-le")) for c in chapters)
        for element_id, chapter in zip(ids, chapters, strict=True):
            # mutagen writes frames of equal rank shortest first, then by element ID. With
            # titles in UTF-16 (two bytes a character, however they are saved) and a PRIV
            # sub-frame (players ignore it) taking up the difference, every CHAP has one
            # length, so the equal-width IDs keep them in time order in the file, as
            # ffprobe lists them.
            padding = PRIV(owner=CHAPTER_PADDING_OWNER,
                           data=b"\0" * (longest - len(chapter.title.encode("utf-16-le"))))
            id3.add(CHAP(element_id=element_id, start_time=int(round(chapter.start * 1000)),
                         end_time=int(round(chapter.end * 1000)), start_offset=0xFFFFFFFF,
                         end_offset=0xFFFFFFFF, sub_frames=[TIT2(encoding=1, text=chapter.title), padding]))
    id3.save(str(path), v2_version=4)


CHAPTER_PADDING_OWNER = "podcast:padding"


def chapter_element_ids(count: int) -> list[str]:
    """``ch00``, ``ch01``, …: IDs of one width, so they sort in chapter order."""
    width = max(2, len(str(count - 1)))
    return [f"ch{i:0{width}d}" for i in range(count)]


# --- the whole stage -----------------------------------------------------------------


def _as_part(item: Part | tuple) -> Part:
    return item if isinstance(item, Part) else Part(*item)


def produce_episode(
    clips: Sequence[Part | tuple],
    target: Path,
    tags: Tags,
    bitrate: str = DEFAULT_BITRATE,
    cover: tuple[bytes, str] | None = None,
    music: Path | None = None,
) -> Produced:
    """Stitch *clips* into a loudness-normalised, tagged MP3 with chapters.

    *clips* are :class:`Part` records (or ``(path, kind[, chapter])`` tuples); *cover*
    is image bytes and their MIME type; *music* an optional bed under intro and outro.
    """
    parts = [_as_part(c) for c in clips]
    bitrate = check_bitrate(bitrate)
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix=".podcast-", dir=target.parent) as tmpdir:
        pcm_path = Path(tmpdir) / "episode.pcm"
        meter = LoudnessMeter()
        with open(pcm_path, "wb") as sink:
            timeline = stream_timeline(parts, sink, meter)
        if music is not None:
            mix_bed(pcm_path, Path(music), timeline, meter)
        loudness = meter.integrated(int(round(timeline.duration * SAMPLE_RATE)))
        staged = Path(tmpdir) / "episode.mp3"
        gain = 0.0 if loudness == float("-inf") else TARGET_LUFS - loudness + ENCODER_LOSS_LU
        ceiling = SAFETY_CEILING_DB
        final = encode_mp3(pcm_path, staged, gain, bitrate, ceiling)
        for _ in range(MAX_CORRECTIONS):
            if loudness == float("-inf") or not needs_correction(final):
                break
            fix = correction(final, ceiling)
            gain, ceiling = gain + fix.gain_db, fix.ceiling_db
            final = encode_mp3(pcm_path, staged, gain, bitrate, ceiling)
        chapters = place_chapters(parts, timeline.placements, timeline.duration)
        write_tags(staged, tags, chapters, cover)
        with atomic_path(target) as tmp:
            staged.replace(tmp)
    return Produced(
        path=target,
        duration=timeline.duration,
        placements=timeline.placements,
        integrated_lufs=None if final.integrated == float("-inf") else final.integrated,
        true_peak=None if final.true_peak == float("-inf") else final.true_peak,
        chapters=chapters,
        stings=timeline.stings,
    )
