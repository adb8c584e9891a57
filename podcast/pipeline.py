"""The whole job, stage after stage: what the CLI, batch jobs and tests all call.

Options come as two records (podcast/options.py): :class:`ScriptOptions` for how the
article becomes a script, :class:`RenderOptions` for how the script becomes an episode.
Callbacks for notices and progress are not options: they belong to the caller.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .article import load_article
from .config import DEFAULT_OUT_DIR
from .errors import Cancelled
from .fsutil import atomic_write_text, ensure_writable_dir
from .options import DEFAULT_RENDER_OPTIONS, DEFAULT_SCRIPT_OPTIONS, RenderOptions, ScriptOptions
from .records import Chapter, Episode, episode_guid, episode_stem, episode_summary
from .script import Script, compose_script
from .summarize import summarize
from .threads import Alongside, OrderedFeed

if TYPE_CHECKING:
    from .audio import Produced

__all__ = ["Chapter", "Episode", "build_episode", "episode_guid", "episode_stem", "make_script",
           "render_episode", "source_comment"]

Notice = Callable[[str], None]
Progress = Callable[[int, int], None]


def source_comment(source: str) -> str:
    """The ID3 comment: a URL as is, a local file by its name only (no private paths)."""
    if not source or source in ("-", "stdin"):
        return ""
    if source.startswith(("http://", "https://")):
        return f"Bron: {source}"
    return f"Bron: {Path(source).name}"


class AudioAlongside:
    """The audio stage in a thread beside the speech, fed clip by clip as they arrive.

    *produce* is called with the clips (an iterable that waits for each in turn), a stop
    event, and what gives the cover when the tags are written (:meth:`give_cover`).
    Should the speech change voices midway (``auto`` falling back after its first engine
    spoke), the audio starts again with the new voice's clips: an episode never mixes voices.
    """

    def __init__(self, produce: Callable[[OrderedFeed, threading.Event, Callable[[], tuple[bytes, str]]], Produced],
                 count: int) -> None:
        from concurrent.futures import Future

        self._produce, self._count = produce, count
        self._engine: str | None = None
        self._cover: Future[tuple[bytes, str]] = Future()
        self._begin()

    def _begin(self) -> None:
        feed: OrderedFeed = OrderedFeed(self._count)
        stop = threading.Event()
        self._feed, self._stop = feed, stop
        self._work = Alongside(lambda: self._produce(feed, stop, self._cover.result), name="podcast-audio")

    def put(self, index: int, engine: str, part: object) -> None:
        """Hand on one clip; raises the audio's own error if it has failed (the speech stops)."""
        if self._work.error is not None:
            raise self._work.error
        if self._engine is not None and engine != self._engine:
            self._end()
            self._begin()
        self._engine = engine
        self._feed.put(index, part)

    def give_cover(self, cover: tuple[bytes, str]) -> None:
        self._cover.set_result(cover)

    def _end(self) -> None:
        self._feed.close(Cancelled())
        self._stop.set()
        self._work.wait()

    def cancel(self) -> None:
        """Stop the audio and wait until it has cleaned up."""
        if not self._cover.done():
            self._cover.set_exception(Cancelled())
        self._end()

    def result(self) -> Produced:
        return self._work.result()


def make_script(source: str, options: ScriptOptions = DEFAULT_SCRIPT_OPTIONS) -> Script:
    """Article -> summary -> script, without speaking it; ``options.full`` reads the whole article."""
    options = options.checked()
    article = load_article(source, language=options.language)
    if options.full:
        from .readout import compose_full_script

        return compose_full_script(article, show=options.show)
    if options.summarizer == "llm":
        from .llm import summarize_with_llm

        summary = summarize_with_llm(article, options.llm_url or "", model=options.llm_model,
                                     length=options.length)
    else:
        summary = summarize(article, length=options.length)
    return compose_script(summary, show=options.show)


def render_episode(
    script: Script,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
    *,
    notice: Notice | None = None,
    progress: Progress | None = None,
) -> Episode:
    """Speak *script* and produce the MP3, script JSON and manifest in *out_dir*.

    *progress* is called with (segments spoken, segments in all). Next to the MP3 go
    ``.vtt`` and ``.srt`` transcripts and a ``.chapters.json``.
    """
    from .audio import Part, Tags, check_bitrate, check_music, produce_episode
    from .cover import default_cover, load_cover
    from .ffmpeg import ffmpeg_binary
    from .speech import Clip, speak_script
    from .transcript import SpokenText, build_cues, write_transcripts

    options = options.checked()
    # An ffmpeg that cannot do the job, or a bad bitrate, cover or music, fails before any speaking.
    ffmpeg_binary(notice)
    bitrate = check_bitrate(options.bitrate)
    own_cover = load_cover(options.cover) if options.cover else None
    check_music(options.music)

    out = ensure_writable_dir(Path(out_dir))
    stem = episode_stem(script)
    tags = Tags(
        title=script.title,
        artist=script.show,
        album=script.show,
        date=script.date,
        comment=source_comment(script.source),
        language=script.language,
    )
    # The audio is made alongside the speech: each clip is mixed and encoded as it comes.
    audio = AudioAlongside(lambda clips, stop, cover: produce_episode(
        clips, out / f"{stem}.mp3", tags, bitrate=bitrate, cover=cover, music=options.music, stop=stop),
        len(script.segments))

    def on_clip(index: int, clip: Clip) -> None:
        segment = script.segments[index]
        audio.put(index, clip.engine, Part(clip.path, segment.kind, segment.chapter))

    kwargs = {"notice": notice} if notice else {}
    try:
        spoken = speak_script(script, options, progress=progress, on_clip=on_clip, **kwargs)
        script_path = atomic_write_text(out / f"{stem}.script.json", script.to_json())
        # This thread is idle while the audio finishes: the default cover is drawn meanwhile.
        art = own_cover or default_cover(script.show)
        audio.give_cover((art.data, art.mime))
        produced = audio.result()
    except BaseException:
        audio.cancel()  # its temporary files are gone when it returns
        raise
    cues = build_cues(
        [SpokenText(script.segments[p.index].text, p.start, p.end) for p in produced.placements],
        produced.stings,
        script.language,
    )
    urls = script.chapter_urls()
    chapters = tuple(replace(c, url=urls.get(c.title)) for c in produced.chapters)
    texts = write_transcripts(out / stem, cues, chapters)
    episode = Episode(
        audio=produced.path,
        duration=produced.duration,
        title=script.title,
        engine=spoken.engine,
        script=script_path,
        guid=episode_guid(script),
        manifest=out / f"{stem}.episode.json",
        chapters=chapters,
        transcript=texts.vtt,
        chapters_json=texts.chapters,
        loudness_lufs=produced.integrated_lufs,
        true_peak_dbtp=produced.true_peak,
        clips_cached=sum(clip.cached for clip in spoken.clips),
        language=script.language,
        date=script.date,
        source=script.source,
        summary=episode_summary(script.title, script.segments),
    )
    atomic_write_text(episode.manifest, json.dumps(episode.to_manifest(), ensure_ascii=False, indent=2) + "\n")
    return episode


def build_episode(
    source: str,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    script: ScriptOptions = DEFAULT_SCRIPT_OPTIONS,
    render: RenderOptions = DEFAULT_RENDER_OPTIONS,
    *,
    notice: Notice | None = None,
    progress: Progress | None = None,
) -> Episode:
    """Article in, episode out: ``make_script`` then ``render_episode``."""
    render = render.checked()
    ensure_writable_dir(Path(out_dir))
    written = make_script(source, script)
    return render_episode(written, out_dir, render, notice=notice, progress=progress)
