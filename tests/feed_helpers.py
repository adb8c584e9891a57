"""Episodes for feed tests without speaking them: a small real MP3 plus script and manifest.

Publishing reads only files and sizes, so these stand in for built episodes
where the audio itself does not matter (concurrency, escaping, merging).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

BASE_URL = "http://127.0.0.1:8765/podcast/"
_MP3_CACHE: dict[int, bytes] = {}


def small_mp3(seconds: int = 1) -> bytes:
    """A real MP3 of silence, made once per length with the project's ffmpeg."""
    if seconds not in _MP3_CACHE:
        import subprocess
        import tempfile

        from podcast.ffmpeg import ffmpeg_exe

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "s.mp3"
            subprocess.run(
                [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono",
                 "-t", str(seconds), "-b:a", "96k", str(out)],
                check=True,
            )
            _MP3_CACHE[seconds] = out.read_bytes()
    return _MP3_CACHE[seconds]


def fake_episode(
    folder: Path,
    title: str,
    date: str | None = "2025-03-14",
    seconds: int = 1,
    padding: int = 0,
    chapters: list[tuple[float, str]] | None = None,
    transcript: bool = False,
) -> Path:
    """Write an episode's MP3, script, optional chapters/transcript and manifest; return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"ep-{uuid.uuid5(uuid.NAMESPACE_URL, title).hex[:10]}"
    audio = folder / f"{stem}.mp3"
    audio.write_bytes(small_mp3(seconds) + b"\0" * padding)
    script = {
        "title": title,
        "language": "nl",
        "date": date,
        "show": "Testshow",
        "source": "https://nieuws.example.nl/artikel?id=1&x=2",
        "segments": [
            {"kind": "intro", "text": "Welkom bij de testshow.", "chapter": "Intro"},
            {"kind": "headline", "text": title, "chapter": "Kopregel"},
            {"kind": "lead", "text": f"Eerste punt over {title}.", "chapter": "Punt 1"},
            {"kind": "point", "text": "Tweede punt: de gemeente <zegt> \"ja\" & de provincie nee.",
             "chapter": "Punt 2"},
            {"kind": "outro", "text": "Dat was het.", "chapter": "Afsluiting"},
        ],
    }
    script_path = folder / f"{stem}.script.json"
    script_path.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
    chapters_path = None
    if chapters is not None:
        chapters_path = folder / f"{stem}.chapters.json"
        chapters_path.write_text(json.dumps({
            "version": "1.2.0",
            "chapters": [{"startTime": start, "title": name} for start, name in chapters],
        }), encoding="utf-8")
    transcript_path = None
    if transcript:
        transcript_path = folder / f"{stem}.vtt"
        transcript_path.write_text("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nWelkom.\n", encoding="utf-8")
    manifest = {
        "audio": str(audio),
        "duration": float(seconds),
        "title": title,
        "engine": "espeak",
        "script": str(script_path),
        "transcript": str(transcript_path) if transcript_path else None,
        "chapters": str(chapters_path) if chapters_path else None,
        "guid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"guid:{title}")),
    }
    manifest_path = folder / f"{stem}.episode.json"
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest_path
