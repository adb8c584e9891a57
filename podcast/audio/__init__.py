"""Stage 5: stitch clips into one episode, set its loudness, encode MP3, write ID3 tags.

One concern per module: ``mix`` places and levels clips between stings and pauses (and
the music bed), streamed into a PCM file; ``meter`` follows that stream with a BS.1770
meter; ``encode`` runs one ffmpeg encode measured as it is written, fed as the mix goes
(clips are levelled to a known loudness, so the gain is known before the first clip),
and corrects a miss from the whole file; ``tags``
writes ID3 tags and chapters; ``pcm`` holds the sample format. This module joins them
in :func:`produce_episode` and re-exports the public names.
"""

from __future__ import annotations

import math
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import TEMPORARY_PREFIX, atomic_path
from .encode import (
    DEFAULT_BITRATE,
    ENCODER_LOSS_LU,
    EXPECTED_EPISODE_LUFS,
    LOUDNESS_TOLERANCE_LU,
    MAX_CORRECTIONS,
    MAX_TRUE_PEAK_DB,
    SAFETY_CEILING_DB,
    TARGET_LUFS,
    Correction,
    Encoding,
    Loudness,
    check_bitrate,
    check_target,
    correction,
    encode_mp3,
    measure_file,
    measure_loudness,
    needs_correction,
    parse_ebur128,
)
from .meter import LoudnessMeter, k_weighted, k_weighting_coefficients
from .mix import (
    BED_DUCK_DB,
    CLIP_LEVEL_DB,
    CLIP_LOUDNESS_LUFS,
    DEFAULT_PAUSE,
    FINAL_SILENCE,
    LEAD_IN,
    PAUSE_AFTER,
    STING_GAP,
    STING_SECONDS,
    TAIL,
    Part,
    Placed,
    Timeline,
    TimelineWriter,
    bed_envelope,
    bed_regions,
    check_music,
    clip_loudness,
    decode_music,
    fade_edges,
    level_clip,
    limit,
    mix_bed,
    mix_bed_regions,
    read_clip,
    resample,
    stream_episode,
    stream_timeline,
    synth_sting,
    voiced_rms,
)
from .pcm import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH, db_to_gain, silence, to_pcm
from .tags import Chapter, Tags, chapter_element_ids, place_chapters, write_tags

__all__ = [
    "BED_DUCK_DB", "CHANNELS", "CLIP_LEVEL_DB", "CLIP_LOUDNESS_LUFS", "EXPECTED_EPISODE_LUFS", "Encoding",
    "TimelineWriter", "bed_regions", "clip_loudness", "mix_bed_regions", "stream_episode", "DEFAULT_BITRATE", "DEFAULT_PAUSE", "ENCODER_LOSS_LU",
    "FINAL_SILENCE", "LEAD_IN", "LOUDNESS_TOLERANCE_LU", "MAX_CORRECTIONS", "MAX_TRUE_PEAK_DB", "PAUSE_AFTER",
    "SAFETY_CEILING_DB", "SAMPLE_RATE", "SAMPLE_WIDTH", "STING_GAP", "STING_SECONDS", "TAIL", "TARGET_LUFS",
    "Chapter", "Correction", "Loudness", "LoudnessMeter", "Part", "Placed", "Produced", "Tags", "Timeline",
    "bed_envelope", "chapter_element_ids", "check_bitrate", "check_music", "check_target", "correction", "db_to_gain",
    "decode_music", "encode_mp3", "fade_edges", "k_weighted", "k_weighting_coefficients", "level_clip",
    "limit", "measure_file", "measure_loudness", "mix_bed", "needs_correction", "parse_ebur128",
    "place_chapters", "produce_episode", "read_clip", "resample", "silence", "stream_timeline",
    "synth_sting", "to_pcm", "voiced_rms", "write_tags",
]


@dataclass(frozen=True)
class Produced:
    """The encoded MP3, its duration and where everything landed."""

    path: Path
    duration: float
    placements: tuple[Placed, ...]
    #: ffmpeg's ebur128 reading of the final MP3, which a build never finishes without.
    integrated_lufs: float
    true_peak: float
    chapters: tuple[Chapter, ...] = ()
    stings: tuple[tuple[float, float], ...] = ()



# --- the whole stage -----------------------------------------------------------------


def _as_part(item: Part | tuple) -> Part:
    return item if isinstance(item, Part) else Part(*item)


def produce_episode(
    clips: Iterable[Part | tuple],
    target: Path,
    tags: Tags,
    bitrate: str = DEFAULT_BITRATE,
    cover: tuple[bytes, str] | None = None,
    music: Path | None = None,
    stop: threading.Event | None = None,
) -> Produced:
    """Stitch *clips* into a loudness-normalised, tagged MP3 with chapters.

    *clips* are :class:`Part` records (or ``(path, kind[, chapter])`` tuples), in episode
    order; they may be an iterator that yields each as its speech arrives: every clip is
    mixed and fed to the encoder as it comes, so the episode is nearly done when the last
    one lands. *cover* is image bytes and their MIME type; *music* an optional bed under
    intro and outro; *stop*, once set, ends the work with :class:`~podcast.errors.Cancelled`.
    """
    bitrate = check_bitrate(bitrate)
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix=TEMPORARY_PREFIX, dir=target.parent) as tmpdir:
        pcm_path = Path(tmpdir) / "episode.pcm"
        staged = Path(tmpdir) / "episode.mp3"
        meter = LoudnessMeter()
        # Clips are levelled one by one to a known loudness, so the gain is known now.
        gain, ceiling = TARGET_LUFS - EXPECTED_EPISODE_LUFS + ENCODER_LOSS_LU, SAFETY_CEILING_DB
        encoding = Encoding(staged, gain, bitrate, ceiling)
        try:
            with open(pcm_path, "w+b") as pcm:
                timeline, parts = stream_episode((_as_part(c) for c in clips), pcm, encoding.write, meter, music)
            final = encoding.finish(stop)
        except BaseException:
            encoding.abort()
            raise
        if needs_correction(final):
            # Aim where the whole file's own measure says, as if nothing had been streamed.
            loudness = meter.integrated(int(round(timeline.duration * SAMPLE_RATE)))
            if not math.isinf(loudness):
                gain = TARGET_LUFS - loudness + ENCODER_LOSS_LU
                ceiling = correction(final, ceiling).ceiling_db
            for _ in range(MAX_CORRECTIONS):
                final = encode_mp3(pcm_path, staged, gain, bitrate, ceiling)
                if not needs_correction(final):
                    break
                fix = correction(final, ceiling)
                gain, ceiling = gain + fix.gain_db, fix.ceiling_db
        check_target(final)
        chapters = place_chapters(parts, timeline.placements, timeline.duration)
        write_tags(staged, tags, chapters, cover)
        with atomic_path(target) as tmp:
            staged.replace(tmp)
    return Produced(
        path=target,
        duration=timeline.duration,
        placements=timeline.placements,
        integrated_lufs=final.integrated,
        true_peak=final.true_peak,
        chapters=chapters,
        stings=timeline.stings,
    )
