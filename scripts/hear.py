#!/usr/bin/env python3
"""Listen to an episode: print what Whisper base hears and how far that is from the script.

    python scripts/hear.py EPISODE.mp3                # script and chapters found next to the MP3
    python scripts/hear.py EPISODE.mp3 SCRIPT.json    # against this script
    python scripts/hear.py clip.wav --no-script       # just the transcript

With the episode's ``.chapters.json`` beside it, each chapter is heard on its own
and gets a line: word error rate, letter distance (0 same, 1 nothing alike),
title, then what was heard. Handy to rank voices: lower is better heard. Needs
the test extra (faster-whisper and the Whisper base packages); runs offline.
The model folder is put together once under the user cache (``--model-dir``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hearing  # noqa: E402  (needs ROOT on the path)


def sibling(audio: Path, suffix: str) -> Path:
    """``x.mp3`` -> ``x<suffix>``: the files ``podcast build`` writes next to an episode."""
    return audio.with_name(audio.stem + suffix)


def load_chapters(path: Path):
    """The chapter list of a ``.chapters.json`` (Podcasting 2.0) as podcast Chapter records."""
    from podcast.audio import Chapter

    data = json.loads(path.read_text(encoding="utf-8"))
    marks = data["chapters"]
    return [Chapter(str(m["title"]), float(m["startTime"]), float(m.get("endTime") or nxt["startTime"]))
            for m, nxt in zip(marks, marks[1:] + [{"startTime": 1e9}], strict=True)]


def default_model_dir() -> Path:
    import platformdirs

    from podcast.config import APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME)) / "whisper"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("audio", type=Path, help="the episode (MP3, WAV: anything ffmpeg reads)")
    parser.add_argument("script", type=Path, nargs="?",
                        help="the script JSON (default: <episode>.script.json next to it)")
    parser.add_argument("--no-script", action="store_true", help="only print the transcript")
    parser.add_argument("--language", default=None, help="language to hear (default: the script's, else nl)")
    parser.add_argument("--beam", type=int, default=hearing.BEAM_SIZE, help="beam size (default: %(default)s)")
    parser.add_argument("--model-dir", type=Path, default=None,
                        help="where the model folder is put together (default: the user cache)")
    args = parser.parse_args(argv)

    from podcast.errors import PodcastError
    from podcast.script import Script

    script_path = args.script or sibling(args.audio, ".script.json")
    try:
        if not args.audio.is_file():
            raise PodcastError(f"audio not found: {args.audio}")
        script = None if args.no_script or not (args.script or script_path.is_file()) else Script.load(script_path)
        language = args.language or (script.language if script else "nl")
        started = time.monotonic()
        model = hearing.load_model(hearing.assemble_model(args.model_dir or default_model_dir()))
        audio = hearing.decode_audio(args.audio)
    except PodcastError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    guess, probability = hearing.detect_language(model, audio)
    print(f"# {len(audio) / hearing.SAMPLE_RATE:.1f} s of audio; Whisper's language guess: "
          f"{guess} ({probability:.2f})", file=sys.stderr)

    chapters_path = sibling(args.audio, ".chapters.json")
    if script is not None and chapters_path.is_file():
        heard_chapters = hearing.hear_chapters(model, audio, script, load_chapters(chapters_path), args.beam)
        for chapter in heard_chapters:
            print(f"{chapter.wer:5.2f} {chapter.distance:5.2f}  {chapter.title}\n             {chapter.heard}")
        heard = " ".join(c.heard for c in heard_chapters)
    else:
        heard = hearing.transcribe(model, audio, language, args.beam).text
        print(heard)
    if script is not None:
        wer = hearing.word_error_rate(hearing.script_reference(script), heard, script.language)
        print(f"WER {wer:.3f} against {script_path}")
    print(f"# heard in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
