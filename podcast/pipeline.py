"""The whole job, stage after stage: what the CLI, batch jobs and tests all call."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .article import load_article
from .audio import Chapter
from .config import DEFAULT_OUT_DIR, DEFAULT_SHOW_NAME
from .errors import PodcastError
from .fsutil import atomic_write_text, ensure_writable_dir, slugify
from .script import Script, write_script
from .summarize import summarize

#: Namespace for episode GUIDs: the same article always gets the same GUID.
EPISODE_NAMESPACE = uuid.UUID("5b0c3a6e-8f0e-5d7a-9a35-6e0d3c1f2b41")


@dataclass(frozen=True)
class Episode:
    """A finished episode and the files that came with it."""

    audio: Path
    duration: float
    title: str
    engine: str
    script: Path
    guid: str
    manifest: Path
    chapters: tuple[Chapter, ...] = ()
    transcript: Path | None = None
    chapters_json: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: As ffmpeg's ebur128 measured the final MP3 (None for silence).
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    #: Segments whose speech came from the clip cache rather than the engine.
    clips_cached: int = 0

    def to_manifest(self) -> dict:
        """The JSON object ``build --json`` prints and ``publish`` reads."""
        return {
            "audio": str(self.audio),
            "duration": round(self.duration, 3),
            "title": self.title,
            "engine": self.engine,
            "script": str(self.script),
            "transcript": str(self.transcript) if self.transcript else None,
            "chapters": str(self.chapters_json) if self.chapters_json else None,
            "guid": self.guid,
            **self.extra,
        }


def episode_stem(script: Script) -> str:
    """The file-name stem: the article's date (if any) and an ASCII slug of its title."""
    slug = slugify(script.title)
    return f"{script.date}-{slug}" if script.date else slug


def episode_guid(script: Script) -> str:
    """A GUID that stays the same when the same article is rebuilt."""
    return str(uuid.uuid5(EPISODE_NAMESPACE, f"{script.date or ''}|{script.title.strip()}"))


def source_comment(source: str) -> str:
    """The ID3 comment: a URL as is, a local file by its name only (no private paths)."""
    if not source or source in ("-", "stdin"):
        return ""
    if source.startswith(("http://", "https://")):
        return f"Bron: {source}"
    return f"Bron: {Path(source).name}"


def make_script(
    source: str,
    length: float = 75.0,
    show: str = DEFAULT_SHOW_NAME,
    full: bool = False,
    summarizer: str = "extractive",
    llm_url: str | None = None,
    llm_model: str | None = None,
    language: str | None = None,
) -> Script:
    """Article -> summary -> script, without speaking it; ``full`` reads the whole article instead.

    *summarizer* is ``extractive`` (offline, the default) or ``llm`` (an OpenAI-compatible
    chat endpoint at *llm_url*); *language* (``nl``/``en``) overrides detection.
    """
    if summarizer not in ("extractive", "llm"):
        raise PodcastError(f"unknown summarizer: {summarizer} (choose extractive or llm)")
    if summarizer == "llm" and not llm_url and not full:
        raise PodcastError("--summarizer llm needs --llm-url (an OpenAI-compatible endpoint)")
    article = load_article(source, language=language)
    if full:
        from .readout import write_full_script

        return write_full_script(article, show=show)
    if summarizer == "llm":
        from .llm import DEFAULT_MODEL, summarize_with_llm

        summary = summarize_with_llm(article, llm_url or "", model=llm_model or DEFAULT_MODEL, length=length)
    else:
        summary = summarize(article, length=length)
    return write_script(summary, show=show)


def render_episode(
    script: Script,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    engine: str = "auto",
    cache_dir: Path | str | None = None,
    bitrate: str = "96k",
    notice=None,
    progress=None,
    concurrency: int = 4,
    cover: Path | str | None = None,
    music: Path | str | None = None,
) -> Episode:
    """Speak *script* and produce the MP3, script JSON and manifest in *out_dir*.

    *progress* is called with (segments spoken, segments in all); *concurrency*
    bounds the gTTS requests in flight (1-8). *cover* is a JPEG/PNG for the ID3 tag
    (default: one drawn for the show); *music* a bed under intro and outro.
    Next to the MP3 go ``.vtt`` and ``.srt`` transcripts and a ``.chapters.json``.
    """
    from .audio import Part, Tags, check_bitrate, check_music, produce_episode
    from .cover import episode_cover
    from .ffmpeg import ffmpeg_binary
    from .speech import speak_script
    from .transcript import SpokenText, build_cues, write_transcripts

    # An ffmpeg that cannot do the job, or a bad --bitrate, --cover or --music, fails before any speaking.
    ffmpeg_binary(notice)
    bitrate = check_bitrate(bitrate)
    art = episode_cover(script.show, cover)
    check_music(music)

    out = ensure_writable_dir(Path(out_dir))
    stem = episode_stem(script)
    kwargs = {"notice": notice} if notice else {}
    spoken = speak_script(script, engine=engine, cache_dir=Path(cache_dir) if cache_dir else None,
                          progress=progress, concurrency=concurrency, **kwargs)
    script_path = atomic_write_text(out / f"{stem}.script.json", script.to_json())
    tags = Tags(
        title=script.title,
        artist=script.show,
        album=script.show,
        date=script.date,
        comment=source_comment(script.source),
        language=script.language,
    )
    produced = produce_episode(
        [Part(clip.path, seg.kind, seg.chapter) for clip, seg in zip(spoken.clips, script.segments, strict=True)],
        out / f"{stem}.mp3",
        tags,
        bitrate=bitrate,
        cover=(art.data, art.mime),
        music=Path(music) if music else None,
    )
    cues = build_cues(
        [SpokenText(script.segments[p.index].text, p.start, p.end) for p in produced.placements],
        produced.stings,
        script.language,
    )
    texts = write_transcripts(out / stem, cues, produced.chapters)
    episode = Episode(
        audio=produced.path,
        duration=produced.duration,
        title=script.title,
        engine=spoken.engine,
        script=script_path,
        guid=episode_guid(script),
        manifest=out / f"{stem}.episode.json",
        chapters=produced.chapters,
        transcript=texts.vtt,
        chapters_json=texts.chapters,
        loudness_lufs=produced.integrated_lufs,
        true_peak_dbtp=produced.true_peak,
        clips_cached=sum(clip.cached for clip in spoken.clips),
    )
    atomic_write_text(episode.manifest, json.dumps(episode.to_manifest(), ensure_ascii=False, indent=2) + "\n")
    return episode


def build_episode(
    source: str,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    engine: str = "auto",
    cache_dir: Path | str | None = None,
    length: float = 75.0,
    show: str = DEFAULT_SHOW_NAME,
    bitrate: str = "96k",
    notice=None,
    full: bool = False,
    progress=None,
    concurrency: int = 4,
    cover: Path | str | None = None,
    music: Path | str | None = None,
    summarizer: str = "extractive",
    llm_url: str | None = None,
    llm_model: str | None = None,
    language: str | None = None,
) -> Episode:
    """Article in, episode out: ``script`` then ``render``; ``full`` reads the whole article."""
    ensure_writable_dir(Path(out_dir))
    script = make_script(source, length=length, show=show, full=full, summarizer=summarizer,
                         llm_url=llm_url, llm_model=llm_model, language=language)
    return render_episode(script, out_dir, engine=engine, cache_dir=cache_dir, bitrate=bitrate, notice=notice,
                          progress=progress, concurrency=concurrency, cover=cover, music=music)
