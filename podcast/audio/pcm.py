"""The episode's sample format, and PCM bytes in and out of float samples."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads lazily: ``podcast --help`` must not pay for it
    import numpy as np

SAMPLE_RATE = 44100
SAMPLE_WIDTH = 2
CHANNELS = 1


def db_to_gain(db: float) -> float:
    return 10 ** (db / 20)



def to_pcm(x: np.ndarray) -> bytes:
    import numpy as np

    return np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes()


def silence(seconds: float) -> bytes:
    frames = int(round(seconds * SAMPLE_RATE))
    return b"\0" * (frames * SAMPLE_WIDTH * CHANNELS)

