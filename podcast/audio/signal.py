"""Signal helpers in numpy, one clip at a time: reading and resampling a clip, its voiced
level, the look-ahead limiter and edge fades."""

from __future__ import annotations

import math
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PodcastError
from ..ffmpeg import configure_pydub
from .pcm import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH

if TYPE_CHECKING:  # numpy loads lazily: ``podcast --help`` must not pay for it
    import numpy as np

#: The limiter's look-ahead and release window: 10 ms, in blocks of 32 samples.
LIMITER_WINDOW = 441
LIMITER_BLOCK = 32
#: Raised-cosine fade at each clip's edges, so no clip starts or stops with a click.
EDGE_FADE_SECONDS = 0.005


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
