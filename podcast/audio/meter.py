"""A BS.1770-4 loudness meter in numpy, for pieces of audio added one after another.

It keeps the K-weighted energy of every 100 ms of what it was given, so it measures a
clip (each clip is levelled by its own loudness) or a timeline of any length without
holding the audio; ffmpeg's ``ebur128`` measures the episode's MP3 itself.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

from .pcm import SAMPLE_RATE

if TYPE_CHECKING:  # numpy loads lazily: ``podcast --help`` must not pay for it
    import numpy as np

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
