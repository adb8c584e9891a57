"""Encoding the episode with ffmpeg: gain, safety limiter, MP3, and the measure-and-correct loop."""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import PodcastError
from ..ffmpeg import Ffmpeg, failure, ffmpeg_binary, ffmpeg_command, ffmpeg_log
from .pcm import CHANNELS, SAMPLE_RATE, db_to_gain

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
#: Past this error, after every correction, the build fails: Apple's tolerance.
ACCEPTABLE_ERROR_LU = 1.0
#: Encodes after the first, at most (each measured); one is the rule, two are rare.
MAX_CORRECTIONS = 2
DEFAULT_BITRATE = "96k"


@dataclass(frozen=True)
class Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 reads them."""

    integrated: float
    true_peak: float




def parse_ebur128(text: str, tool: str = "ffmpeg") -> Loudness:
    """The integrated loudness and true peak from the summary of *tool*'s ebur128 filter.

    A summary that is missing or unparseable is an error, and so is one that reads
    silence: every episode holds at least its stings and one spoken segment, so
    ``-inf`` means the measurement saw no audio, not that the episode is quiet.
    """
    at = text.rfind("Summary:")
    if at < 0:
        raise PodcastError(f"cannot measure loudness: the ebur128 filter of {tool} gave no summary")
    summary = text[at:]
    loudness = re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not loudness or not peak:
        raise PodcastError(f"cannot measure loudness: cannot read the ebur128 summary of {tool}")
    measured = Loudness(float(loudness.group(1)), float(peak.group(1)))
    if math.isinf(measured.integrated) or math.isinf(measured.true_peak):
        raise PodcastError(f"cannot measure loudness: the ebur128 filter of {tool} heard no audio (-inf LUFS)")
    return measured


def _measuring(ffmpeg: Ffmpeg) -> str:
    return f"measuring loudness with {ffmpeg.label}"


def measure_loudness(input_args: list[str]) -> Loudness:
    """Integrated loudness and true peak of an ffmpeg input, as ebur128 reads them."""
    ffmpeg = ffmpeg_binary()
    log = ffmpeg_log([*input_args, "-af", ffmpeg.ebur128(), "-f", "null", "-"], what=_measuring(ffmpeg))
    return parse_ebur128(log, ffmpeg.label)


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
    ffmpeg = ffmpeg_binary()
    measure = ffmpeg_command("-f", "mp3", "-i", "pipe:0", "-af", ffmpeg.ebur128(), "-f", "null", "-",
                             loglevel="info")
    encoder = subprocess.Popen(encode, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=target.parent)
    try:
        meter = subprocess.run(measure, stdin=encoder.stdout, capture_output=True, check=False)
    finally:
        encoder.stdout.close()
        encode_errors = encoder.stderr.read().decode("utf-8", "replace").strip()
        encoder.stderr.close()
        encoder.wait()
    if meter.returncode != 0:  # checked first: a meter that died also breaks the encoder's pipe
        raise failure(_measuring(ffmpeg), meter.stderr, meter.returncode)
    if encoder.returncode != 0:
        raise failure(f"encoding MP3 with {ffmpeg.label}", encode_errors, encoder.returncode)
    return parse_ebur128(meter.stderr.decode("utf-8", "replace"), ffmpeg.label)


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


def check_target(measured: Loudness) -> None:
    """Fail loudly when the final MP3 is still off target: a build never reports a wrong episode."""
    if abs(measured.integrated - TARGET_LUFS) > ACCEPTABLE_ERROR_LU or measured.true_peak > MAX_TRUE_PEAK_DB:
        raise PodcastError(
            f"the episode reads {measured.integrated:.1f} LUFS with a true peak of {measured.true_peak:.1f} dBTP "
            f"after {MAX_CORRECTIONS + 1} encodes with {ffmpeg_binary().label}; the target is "
            f"{TARGET_LUFS:g} ±{ACCEPTABLE_ERROR_LU:g} LUFS and at most {MAX_TRUE_PEAK_DB:g} dBTP"
        )
