"""Stage 5: stitch clips into one episode, set its loudness, encode MP3, write ID3 tags.

One concern per module: ``mix`` places and levels clips between stings and pauses (and
the music bed), streamed into a PCM file; ``meter`` is a BS.1770 meter in numpy
(each clip's own loudness); ``encode`` runs one ffmpeg encode measured as it is written, fed as the mix goes
(the mix comes at its final level, its gain learnt on the first clip),
and corrects a miss from the whole file; ``tags``
writes ID3 tags and chapters; ``pcm`` holds the sample format. This module joins them
in :func:`produce_episode` and re-exports the public names.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import TEMPORARY_PREFIX, atomic_path
from .encode import (
    DEFAULT_BITRATE,
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
from .level import (
    CLIP_LEVEL_DB,
    CLIP_LOUDNESS_LUFS,
    MIX_LOUDNESS_LUFS,
    MIX_PEAK_DB,
    Leveller,
    clip_loudness,
    level_clip,
)
from .meter import LoudnessMeter, k_weighted, k_weighting_coefficients
from .mix import (
    BED_DUCK_DB,
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
    decode_music,
    mix_bed_regions,
    stream_episode,
    synth_sting,
)
from .pcm import CHANNELS, SAMPLE_RATE, SAMPLE_WIDTH, db_to_gain, silence, to_pcm
from .signal import (
    fade_edges,
    limit,
    read_clip,
    resample,
    voiced_rms,
)
from .tags import Chapter, Tags, chapter_element_ids, place_chapters, write_tags

__all__ = [
    "BED_DUCK_DB", "CHANNELS", "CLIP_LEVEL_DB", "CLIP_LOUDNESS_LUFS", "DEFAULT_BITRATE", "DEFAULT_PAUSE",
    "FINAL_SILENCE", "LEAD_IN", "LOUDNESS_TOLERANCE_LU", "MAX_CORRECTIONS", "MAX_TRUE_PEAK_DB",
    "MIX_LOUDNESS_LUFS", "MIX_PEAK_DB", "PAUSE_AFTER", "SAFETY_CEILING_DB", "SAMPLE_RATE", "SAMPLE_WIDTH",
    "STING_GAP", "STING_SECONDS", "TAIL", "TARGET_LUFS",
    "Chapter", "Correction", "Encoding", "Leveller", "Loudness", "LoudnessMeter", "Part", "Placed", "Produced",
    "Tags", "Timeline", "TimelineWriter",
    "bed_envelope", "bed_regions", "chapter_element_ids", "check_bitrate", "check_music", "check_target",
    "clip_loudness", "correction", "db_to_gain", "decode_music", "encode_mp3", "fade_edges", "k_weighted",
    "k_weighting_coefficients", "level_clip", "limit", "measure_file", "measure_loudness", "mix_bed_regions",
    "needs_correction", "parse_ebur128", "place_chapters", "produce_episode", "read_clip", "resample", "silence",
    "stream_episode", "synth_sting", "to_pcm", "voiced_rms", "write_tags",
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


def _load_ahead() -> None:
    """Import what mixing and tagging need now, while the first clip is still being spoken
    (a network engine's first answer takes a while), rather than when it arrives."""
    import mutagen.id3  # noqa: F401
    import numpy  # noqa: F401

    from ..ffmpeg import configure_pydub

    configure_pydub()


def produce_episode(
    clips: Iterable[Part | tuple],
    target: Path,
    tags: Tags,
    bitrate: str = DEFAULT_BITRATE,
    cover: tuple[bytes, str] | Callable[[], tuple[bytes, str]] | None = None,
    music: Path | None = None,
    stop: threading.Event | None = None,
) -> Produced:
    """Stitch *clips* into a loudness-normalised, tagged MP3 with chapters.

    *clips* are :class:`Part` records (or ``(path, kind[, chapter])`` tuples), in episode
    order; they may be an iterator that yields each as its speech arrives: every clip is
    mixed and fed to the encoder as it comes, so the episode is nearly done when the last
    one lands. *cover* is image bytes and their MIME type, or what gives them when the
    tags are written (the caller may still be making it); *music* an optional bed under
    intro and outro; *stop*, once set, ends the work with :class:`~podcast.errors.Cancelled`.
    """
    bitrate = check_bitrate(bitrate)
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix=TEMPORARY_PREFIX, dir=target.parent) as tmpdir:
        pcm_path = Path(tmpdir) / "episode.pcm"
        staged = Path(tmpdir) / "episode.mp3"
        # The mix comes at its final level and limited (mix.Leveller): the first encode adds
        # nothing; a correction adds gain, with the safety limiter.
        gain, ceiling = 0.0, SAFETY_CEILING_DB
        encoding = Encoding(staged, gain, bitrate, ceiling_db=None)
        try:
            _load_ahead()

            with open(pcm_path, "w+b") as pcm:
                timeline, parts = stream_episode((_as_part(c) for c in clips), pcm, encoding.write, music=music,
                                                 reading=encoding.reading_at)
            final = encoding.finish(stop)
        except BaseException:
            encoding.abort()
            raise
        # A miss is encoded again from the whole mix, the measured error corrected.
        for _ in range(MAX_CORRECTIONS):
            if not needs_correction(final):
                break
            fix = correction(final, ceiling)
            gain, ceiling = gain + fix.gain_db, fix.ceiling_db
            final = encode_mp3(pcm_path, staged, gain, bitrate, ceiling)
        check_target(final)
        chapters = place_chapters(parts, timeline.placements, timeline.duration)
        write_tags(staged, tags, chapters, cover() if callable(cover) else cover)
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
