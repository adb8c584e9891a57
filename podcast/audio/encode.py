"""Encoding the episode with ffmpeg: gain, safety limiter, MP3, and the measure-and-correct loop."""

from __future__ import annotations

import contextlib
import math
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import Cancelled, PodcastError
from ..ffmpeg import Ffmpeg, failure, ffmpeg_binary, ffmpeg_command, ffmpeg_log
from ..options import DEFAULT_BITRATE
from .pcm import CHANNELS, SAMPLE_RATE, db_to_gain

TARGET_LUFS = -16.0
MAX_TRUE_PEAK_DB = -1.0
#: The final MP3 may miss the target by this much before it is encoded again.
LOUDNESS_TOLERANCE_LU = 0.3
#: Sample-peak ceiling of ffmpeg's safety limiter in the encode. The clips are already
#: limited well below it, so it only catches what mixing and gain left over.
SAFETY_CEILING_DB = -1.8
#: A corrected encode aims its true peak this far under the limit.
TRUE_PEAK_MARGIN_DB = 0.3
#: Past this error, after every correction, the build fails: Apple's tolerance.
ACCEPTABLE_ERROR_LU = 1.0
#: Encodes after the first, at most (each measured); one is the rule, two are rare.
MAX_CORRECTIONS = 2


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


#: Longest wait for the meter to reach a point in the episode (it trails the mix by well under
#: a second of work; past this, the mix goes on without that reading).
READING_TIMEOUT = 30.0
#: One per-frame line of ebur128: the time measured and the integrated loudness so far.
RUNNING_READING = re.compile(r"\bt:\s*([\d.]+)\s.*?\sI:\s*(-?[\d.]+|-inf) LUFS")


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


def _pcm_input(path: Path | None) -> list[str]:
    """The episode's raw PCM as ffmpeg input: a file, or with None the standard input."""
    return ["-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", str(CHANNELS), "-i", str(path) if path else "pipe:0"]


def check_bitrate(bitrate: str) -> str:
    """``96k``, ``128k`` or ``96000``; LAME's CBR range is 8 to 320 kbps."""
    match = re.fullmatch(r"\s*(\d+)\s*([kK]?)\s*", str(bitrate))
    kbps = None if not match else int(match.group(1)) if match.group(2) else int(match.group(1)) / 1000
    if kbps is None or not 8 <= kbps <= 320:
        raise PodcastError(f"bitrate must be between 8k and 320k (e.g. 96k), not {bitrate!r}")
    return f"{int(kbps)}k"


class Encoding:
    """One MP3 encode in flight: gain, a safety limiter, CBR mono MP3 into *target*, measured.

    ffmpeg's tee muxer writes the encoded frames to *target* and, the same frames, to a
    pipe into a second ffmpeg that decodes them and runs ebur128. The measurement runs
    alongside the encode (on the other core) instead of after it, and reads what the file
    holds. The PCM comes from *source*, a file, or with None from :meth:`write` as the mix
    produces it, so the encode runs while the episode is still being spoken.
    """

    def __init__(self, target: Path, gain_db: float, bitrate: str = DEFAULT_BITRATE,
                 ceiling_db: float | None = SAFETY_CEILING_DB, source: Path | None = None) -> None:
        """*ceiling_db* None: no gain and no limiter, for a mix already at its level and limited
        (the first encode; its true peak is measured like any other's)."""
        import tempfile

        chain = [] if ceiling_db is None else ["-af", (
            f"volume={gain_db:.2f}dB,"
            f"alimiter=limit={db_to_gain(ceiling_db):.4f}:attack=1:release=50:level=disabled"
        )]
        # Run in the target's directory: only its plain name goes through the tee's escaping.
        target = Path(target).resolve()
        outputs = f"[f=mp3:write_xing=1:id3v2_version=0:write_id3v1=0]./{_tee_escape(target.name)}|[f=mp3]pipe:1"
        encode = ffmpeg_command(
            *_pcm_input(Path(source).resolve() if source else None), *chain, "-map", "0:a",
            "-ar", str(SAMPLE_RATE), "-ac", "1", "-codec:a", "libmp3lame", "-b:a", bitrate, "-f", "tee", "-y",
            outputs,
        )
        self.ffmpeg = ffmpeg_binary()
        streaming = source is None
        # Decoding starts at the first frame (no seconds of probing), so it follows the encode closely.
        measure = ffmpeg_command("-probesize", "32", "-analyzeduration", "0", "-f", "mp3", "-i", "pipe:0",
                                 "-af", self.ffmpeg.ebur128(per_frame=streaming),
                                 "-f", "null", "-", loglevel="info")
        # The encoder's log goes to a file: a pipe nobody reads while the PCM is written could
        # fill and stall. The meter's is read as it comes (its running reading, see below).
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish/abort
        self._meter_lines: list[str] = []
        #: The meter's running readings: (seconds of MP3 measured, integrated LUFS so far), one
        #: every 100 ms of audio, and whether it has said its last.
        self._readings: list[tuple[float, float]] = []
        self._meter_done = False
        self._new_reading = threading.Condition()
        self.encoder = subprocess.Popen(encode, stdin=subprocess.PIPE if streaming else subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=self._log, cwd=target.parent)
        try:
            self.meter = subprocess.Popen(measure, stdin=self.encoder.stdout, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE)
        except BaseException:
            self.abort()
            raise
        self.encoder.stdout.close()  # the meter holds it now
        self._reader = threading.Thread(target=self._read_meter, name="podcast-meter-log", daemon=True)
        self._reader.start()

    def _read_meter(self) -> None:
        """Keep the meter's summary lines apart from its per-frame readings."""
        try:
            for raw in self.meter.stderr:
                line = raw.decode("utf-8", "replace")
                frame = RUNNING_READING.search(line)
                if frame is None:
                    self._meter_lines.append(line)
                    continue
                reading = (float(frame.group(1)), -math.inf if frame.group(2) == "-inf" else float(frame.group(2)))
                with self._new_reading:
                    self._readings.append(reading)
                    self._new_reading.notify_all()
        finally:
            with self._new_reading:
                self._meter_done = True
                self._new_reading.notify_all()

    def reading_at(self, seconds: float, timeout: float = READING_TIMEOUT) -> float | None:
        """The MP3's integrated loudness over its first *seconds* (the first reading at or past
        them), waiting for the meter to get there; None if it never does (no per-frame
        readings, a meter that ended, or *timeout*). The answer depends only on the audio, not
        on how fast anything ran, so what follows from it is the same on every run."""
        import bisect

        deadline = time.monotonic() + timeout
        with self._new_reading:
            while True:
                at = bisect.bisect_left(self._readings, (seconds, -math.inf))
                if at < len(self._readings):
                    return self._readings[at][1]
                left = deadline - time.monotonic()
                if self._meter_done or left <= 0:
                    return None
                self._new_reading.wait(min(left, 0.2))

    def write(self, pcm: bytes) -> None:
        """Feed the next PCM; an encoder that has stopped is reported by :meth:`finish`."""
        with contextlib.suppress(BrokenPipeError):
            self.encoder.stdin.write(pcm)

    def finish(self, stop: threading.Event | None = None) -> Loudness:
        """End the input, wait for both processes and read the measurement (or raise).

        With *stop* set meanwhile, both are killed and :class:`Cancelled` raised.
        """
        if self.encoder.stdin:
            with contextlib.suppress(BrokenPipeError):
                self.encoder.stdin.close()
        for proc in (self.encoder, self.meter):
            while True:
                try:
                    proc.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    if stop is not None and stop.is_set():
                        self.abort()
                        raise Cancelled() from None
        self._reader.join()
        encode_errors, meter_log = self._read(self._log), "".join(self._meter_lines)
        if self.meter.returncode != 0:  # checked first: a meter that died also breaks the encoder's pipe
            raise failure(_measuring(self.ffmpeg), meter_log, self.meter.returncode)
        if self.encoder.returncode != 0:
            raise failure(f"encoding MP3 with {self.ffmpeg.label}", encode_errors, self.encoder.returncode)
        return parse_ebur128(meter_log, self.ffmpeg.label)

    @staticmethod
    def _read(log) -> str:
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
        log.close()
        return text

    def abort(self) -> None:
        """Kill both processes (the caller discards the target)."""
        for proc in (self.encoder, getattr(self, "meter", None)):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
        if self.encoder.stdin:
            with contextlib.suppress(OSError):
                self.encoder.stdin.close()
        self._log.close()


def encode_mp3(pcm_path: Path, target: Path, gain_db: float, bitrate: str = DEFAULT_BITRATE,
               ceiling_db: float = SAFETY_CEILING_DB) -> Loudness:
    """Encode the whole PCM file *pcm_path* into *target* (see :class:`Encoding`) and measure it."""
    encoding = Encoding(target, gain_db, bitrate, ceiling_db, source=Path(pcm_path))
    try:
        return encoding.finish()
    except BaseException:
        encoding.abort()
        raise


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
