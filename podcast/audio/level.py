"""Levelling: each clip brought to one loudness of its own, then to the mix's final level.

The mix is made at the level the episode ends at, so the encoder adds nothing, and its
gain is known from the first clip on: :class:`Leveller` learns it there, and follows the
encoder's measure of the MP3 so far for the clips still to come.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .encode import TARGET_LUFS
from .meter import LoudnessMeter
from .pcm import db_to_gain
from .signal import fade_edges, limit, voiced_rms

if TYPE_CHECKING:  # numpy loads lazily: ``podcast --help`` must not pay for it
    import numpy as np

#: Every clip is first brought to this loudness of its own (BS.1770, gated) ...
CLIP_LOUDNESS_LUFS = -22.8
#: ... a clip too short to measure to this RMS (over its voiced 50 ms frames) ...
CLIP_LEVEL_DB = -20.0
#: ... within this many dB of its own level, so a whisper is not pumped up to a shout.
MAX_LEVEL_GAIN_DB = 12.0
#: The mix is made at its final level: every sound gets the episode's gain, then its peaks
#: are limited to this (sample peak), which leaves room for inter-sample peaks and the
#: MP3's overshoot under -1 dBTP; the encode's own limiter sits just above, as a net.
MIX_PEAK_DB = -2.0
#: What every clip should read once its gain and limiter are on: the episode's target plus
#: what the MP3 encode takes, which depends on the material: about 0.25 LU for espeak-ng's
#: clips, 0.5 for speech that came as a 32 kbps MP3 (gTTS). Between the two, and with the
#: steering below, the first encodes of the fixture articles, the example and the seed read
#: -15.9 to -16.1 LUFS with either engine: no second encode.
MIX_LOUDNESS_LUFS = -15.6
#: The limiter's usual cost on speech brought from CLIP_LOUDNESS_LUFS to the mix level
#: (espeak-ng: about 1.8 LU): the gain used until a clip long enough to measure has come.
LIMITER_COST_LU = 1.8
#: Steering by the encoder's running measure (Leveller.steer): from this many seconds of
#: MP3 on, the clips to come get STEER_FACTOR times the error so far, at most STEER_LIMIT_DB.
STEER_AFTER_SECONDS = 3.0
#: ... read at least this far behind what the encoder has been given, which it has surely
#: encoded and measured by then (LAME and the decoder hold back well under a second).
STEER_SLACK_SECONDS = 1.0
#: ... and at the end of the clip this many before the one to be placed, so the mix rarely
#: waits for the meter.
STEER_BEHIND_CLIPS = 3
STEER_FACTOR = 3.0
STEER_LIMIT_DB = 1.5
#: Tries at finding the gain that lands the first measurable clip on MIX_LOUDNESS_LUFS.
GAIN_SEARCH_STEPS = 4


def clip_loudness(x: np.ndarray) -> float:
    """A clip's own gated BS.1770 loudness (LUFS); ``-inf`` when shorter than one 400 ms block."""
    meter = LoudnessMeter()
    meter.add(x, 0)
    return meter.integrated(len(x))


def level_clip(x: np.ndarray) -> np.ndarray:
    """Bring a clip to the common speech loudness :data:`CLIP_LOUDNESS_LUFS` of its own.

    Clips shorter than a measuring block get the RMS level that speech usually reads so.
    """
    rms = voiced_rms(x)
    if rms > 0:
        loudness = clip_loudness(x)
        gain_db = (CLIP_LOUDNESS_LUFS - loudness if math.isfinite(loudness)
                   else CLIP_LEVEL_DB - 20 * math.log10(rms))
        x = x * db_to_gain(max(-MAX_LEVEL_GAIN_DB, min(MAX_LEVEL_GAIN_DB, gain_db)))
    return x


class Leveller:
    """Levels each clip and puts it at the mix's final level: gain, then the peak limiter.

    The gain is learnt on the first clip long enough to measure: the one that, with the
    limiter's cost on this voice, lands that clip on :data:`MIX_LOUDNESS_LUFS`. Every later
    clip, stings and bed get the same gain. So the episode's loudness is known from its
    first clip on, for any voice, and the encoder can run while the rest is spoken.
    """

    def __init__(self) -> None:
        self.gain_db: float | None = None
        #: What steering adds to the learnt gain for the clips still to come.
        self.offset_db = 0.0
        self.ceiling = db_to_gain(MIX_PEAK_DB)

    @property
    def gain(self) -> float:
        import numpy as np

        base = self.gain_db if self.gain_db is not None else self.default_gain_db()
        return np.float32(db_to_gain(base + self.offset_db))

    @staticmethod
    def default_gain_db() -> float:
        return MIX_LOUDNESS_LUFS - CLIP_LOUDNESS_LUFS + LIMITER_COST_LU

    def learn(self, levelled: np.ndarray) -> None:
        """Find the gain on one clip already at CLIP_LOUDNESS_LUFS (nothing to learn from a short one)."""
        if self.gain_db is not None or not math.isfinite(clip_loudness(levelled)):
            return
        gain_db = self.default_gain_db()
        for _ in range(GAIN_SEARCH_STEPS):
            reached = clip_loudness(limit(levelled * db_to_gain(gain_db), self.ceiling))
            miss = MIX_LOUDNESS_LUFS - reached
            if abs(miss) < 0.05:
                break
            # The limiter takes part of any change, so overshoot it a little.
            gain_db += max(-6.0, min(6.0, 1.5 * miss if miss > 0 else miss))
        self.gain_db = gain_db

    def steer(self, measured: float | None) -> None:
        """Follow the encoder's measure of the MP3 so far (integrated LUFS, or None).

        What the encoder takes differs a little with the material, so the clips still to come
        get up to STEER_LIMIT_DB more or less gain, STEER_FACTOR times the error so far, which
        brings the whole episode's reading close to TARGET_LUFS; a step between clips stays
        far below what a listener hears across a pause.
        """
        if measured is None or self.gain_db is None or not math.isfinite(measured):
            return
        error = TARGET_LUFS - measured
        self.offset_db = max(-STEER_LIMIT_DB, min(STEER_LIMIT_DB, STEER_FACTOR * error))

    def place(self, levelled: np.ndarray) -> np.ndarray:
        """A clip from :func:`level_clip` at the mix's level, its edges faded."""
        return fade_edges(self.limit(levelled * self.gain))

    def sound(self, x: np.ndarray) -> np.ndarray:
        """A sting or a stretch of bed: the same gain, the same limiter."""
        return self.limit(x * self.gain)

    def limit(self, x: np.ndarray) -> np.ndarray:
        return limit(x, self.ceiling)
