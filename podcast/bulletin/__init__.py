"""A news bulletin: the new stories from the sources a newsroom follows, in one episode.

Sources -> items (podcast/sources.py) -> stories, merged and ranked (``stories``) -> each
story's text (``writer.compose_story``) -> one Script (``writer.bulletin_script``) -> the
ordinary render, publish and state (``state``). A bulletin is a Script like any other,
with a ``story`` index on its segments, so ``render``, the clip cache, the audio stage,
the transcript and the feed serve it unchanged.

The per-story steps (:func:`compose_story`, :func:`speak_story`) take only records, so a
queue worker can run them; joining the clips into one episode stays with the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..config import DEFAULT_OUT_DIR
from ..errors import PodcastError
from ..fsutil import atomic_write_text, ensure_writable_dir
from ..lazy import lazy_getattr
from ..options import (
    DEFAULT_BULLETIN_OPTIONS,
    DEFAULT_RENDER_OPTIONS,
    DEFAULT_SCRIPT_OPTIONS,
    LENGTH_RANGE,
    BulletinOptions,
    RenderOptions,
    ScriptOptions,
)
from ..records import Episode, episode_stem
from .sources import FETCH_WORKERS, Item, read_sources
from .state import BroadcastState, read_state, state_lock, state_path, write_state

if TYPE_CHECKING:
    from ..config import Channel
    from ..feed import Published
    from ..script import Script, ScriptStory
    from ..speech import SpokenScript
    from .stories import Story
    from .writer import StoryText

#: Names this package offers from its modules, loaded on first use (PEP 562): a run that
#: finds nothing new never loads the summarizer, the script writer or their patterns.
_LAZY = {"Story": "stories", "rank_stories": "stories", "StoryText": "writer", "bulletin_script": "writer",
         "date_line": "writer", "compose_story": "writer", "write_story": "writer"}


__getattr__ = lazy_getattr(__name__, _LAZY, globals())


__all__ = ["Bulletin", "BulletinOptions", "Story", "StoryText", "build_bulletin", "bulletin_script", "date_line",
           "new_items", "rank_stories", "speak_story", "story_options", "compose_here", "compose_stories", "compose_story", "write_story"]

Notice = Callable[[str], None]
Progress = Callable[[int, int], None]


class StoryWorkers(Protocol):
    """Somewhere else that writes and speaks a bulletin's stories (``build_bulletin(workers=…)``)."""

    def write(self, stories: Sequence[Story], script: ScriptOptions,
              bulletin: BulletinOptions) -> list[StoryText | PodcastError]:
        """Each story's text, in order; a story that could not be written is its error."""

    def speak(self, script: Script, render: RenderOptions) -> RenderOptions:
        """Speak each story's part of *script* into the clip cache; the options to stitch it with."""


@dataclass(frozen=True)
class Bulletin:
    """What a bulletin run did: the stories it told, the files it wrote, or that there was nothing new."""

    stories: tuple[ScriptStory, ...]
    warnings: tuple[str, ...]
    state: Path
    script: Script | None = None
    script_path: Path | None = None
    episode: Episode | None = None
    published: Published | None = None
    #: Set when nothing was new: since when ("the last bulletin, 2026-12-03 07:00 UTC", a date).
    nothing_new_since: str | None = None

    def to_json(self) -> dict:
        """``build --json``'s manifest plus ``stories`` (and ``script`` for a script-only run)."""
        data = self.episode.to_manifest() if self.episode else {}
        if self.script_path and not self.episode:
            data["script"] = str(self.script_path)
        data["stories"] = [s.to_data() for s in self.stories]
        if self.nothing_new_since:
            data["nothing_new_since"] = self.nothing_new_since
        return data


def new_items(items: Sequence[Item], state: BroadcastState, since: dt.datetime | None,
              now: dt.datetime | None = None) -> list[Item]:
    """The items to consider: published since *since* when given, else those no bulletin has seen
    (and those whose article failed to load, once they are due to be tried again)."""
    if since is not None:
        return [item for item in items if item.published_at is None or item.published_at >= since]
    now = now or dt.datetime.now(dt.timezone.utc)
    unseen = [item for item in items if state.is_new(item.key, now)]
    if not unseen or not state.stories:
        return unseen
    from .stories import already_told

    told = state.told_words()
    return [item for item in unseen if not already_told(item, told)]


def story_options(script: ScriptOptions, bulletin: BulletinOptions, count: int) -> ScriptOptions:
    """The script options for one of *count* stories: its share of the bulletin's length."""
    from .writer import FRAME_SECONDS

    low, high = LENGTH_RANGE
    share = (bulletin.length - FRAME_SECONDS) / max(1, count)
    return replace(script, length=min(high, max(low, share)), full=False)


def speak_story(script: Script, story: int, render: RenderOptions = DEFAULT_RENDER_OPTIONS,
                notice: Notice | None = None) -> SpokenScript:
    """Speak the segments of one story into the clip cache (a worker's share of the speech).

    Rendering the whole script afterwards finds these clips cached and only stitches them.
    """
    from ..speech import speak_script

    render = render.checked()
    part = replace(script, segments=tuple(s for s in script.segments if s.story == story))
    if not part.segments:
        raise PodcastError(f"the script has no story {story}")
    kwargs = {"notice": notice} if notice else {}
    return speak_script(part, render, **kwargs)


#: Writes a wave of stories, each into its text or the error that stopped it, in order.
WaveWriter = Callable[[Sequence["Story"], ScriptOptions, BulletinOptions], "list[StoryText | PodcastError]"]


def compose_here(wave: Sequence[Story], script: ScriptOptions, bulletin: BulletinOptions) -> list[StoryText | PodcastError]:
    """Each story of *wave* written in this process, a few at once (their pages are fetched)."""
    from ..threads import run_bounded
    from .writer import compose_story

    def attempt(n: int) -> StoryText | PodcastError:
        try:
            return compose_story(wave[n], script, bulletin)
        except PodcastError as exc:
            return exc

    results = dict(run_bounded(attempt, range(len(wave)), FETCH_WORKERS))
    return [results[n] for n in range(len(wave))]


def compose_stories(stories: Sequence[Story], script: ScriptOptions, bulletin: BulletinOptions,
                  warn: Notice | None = None, writer: WaveWriter = compose_here,
                  ) -> tuple[list[tuple[Story, StoryText]], set[str]]:
    """The first ``bulletin.stories`` stories that can be told, in rank order, written by *writer*.

    A story whose articles all fail is reported to *warn* and the next one takes its place.
    Returns the told stories with their text, and the keys of the items that failed.
    """
    wanted = min(bulletin.stories, len(stories))
    options = story_options(script, bulletin, wanted)
    told: list[tuple[Story, StoryText]] = []
    failed: set[str] = set()
    waiting = list(stories)
    while waiting and len(told) < wanted:
        wave, waiting = waiting[:wanted - len(told)], waiting[wanted - len(told):]
        for story, result in zip(wave, writer(wave, options, bulletin), strict=True):
            if isinstance(result, PodcastError):
                failed.update(story.keys)
                if warn:
                    warn(f"warning: story skipped: {result}")
            else:
                told.append((story, result))
    return told, failed


def _since_text(state: BroadcastState, since: dt.datetime | None) -> str:
    if since is not None:
        return since.isoformat(timespec="minutes")
    if state.last:
        moment = dt.datetime.fromisoformat(state.last).astimezone()
        return f"the last bulletin ({moment.strftime('%Y-%m-%d %H:%M %Z')})"
    return "the first bulletin"


def build_bulletin(
    sources: Iterable[str],
    out_dir: Path | str = DEFAULT_OUT_DIR,
    script: ScriptOptions = DEFAULT_SCRIPT_OPTIONS,
    render: RenderOptions = DEFAULT_RENDER_OPTIONS,
    bulletin: BulletinOptions = DEFAULT_BULLETIN_OPTIONS,
    *,
    feed: Path | str | None = None,
    base_url: str | None = None,
    channel: Channel | None = None,
    script_only: bool = False,
    notice: Notice | None = None,
    warn: Notice | None = None,
    progress: Progress | None = None,
    now: dt.datetime | None = None,
    workers: StoryWorkers | None = None,
) -> Bulletin:
    """Read *sources*, choose what is new, and make (and publish into *feed*) one bulletin episode.

    Failing sources and stories are reported to *warn* and left out; when no source can
    be read at all, PodcastError. Nothing new: a Bulletin with ``nothing_new_since`` and
    no file written. ``script_only`` writes the script and marks nothing as broadcast (with
    *feed*, it reads the state beside it, and publishes nothing). With *workers* (for
    example the Celery workers of podcast/queue/send.py's ``BulletinWorkers``), the stories
    are written and spoken there, and stitched, published and recorded here; the bulletin
    knows nothing of how they reach them.
    """
    script, render, bulletin = script.checked(), render.checked(), bulletin.checked()
    sources = list(sources)
    if not sources:
        raise PodcastError("no sources given")
    out = ensure_writable_dir(Path(out_dir))
    feed = Path(feed) if feed is not None else None
    if feed is not None:
        from ..feed import read_feed

        read_feed(feed)  # a damaged feed stops the run before any work
    now = now or dt.datetime.now(dt.timezone.utc).astimezone()
    since = bulletin.since_moment()
    path = state_path(bulletin.state, feed, out)
    warnings: list[str] = []

    def warned(message: str) -> None:
        warnings.append(message)
        if warn:
            warn(message)

    def nothing_new(state: BroadcastState) -> Bulletin:
        return Bulletin((), tuple(warnings), path, nothing_new_since=_since_text(state, since))

    with state_lock(path, notice):
        state = read_state(path)
        known = frozenset(k for k in state.items if not state.is_new(k, now)) if since is None else frozenset()
        reads = read_sources(sources, script.language, bulletin.timeout, warned, known)
        items = [item for read in reads for item in read.items]
        if not items:
            raise PodcastError(f"no source could be read ({len(reads)} tried)")
        fresh = new_items(items, state, since, now)
        if not fresh:
            return nothing_new(state)
        from .stories import rank_stories, story_words
        from .writer import bulletin_script

        ranked = rank_stories(fresh, now)
        told, failed = compose_stories(ranked, script, bulletin, warned, workers.write if workers else compose_here)
        if not told:
            return nothing_new(state)
        day = now.date()
        edition = bulletin.edition.strip() if bulletin.edition else state.next_edition(day)
        languages = [text.language for _, text in told]
        language = script.language or max(languages, key=languages.count)  # ties: the first story's
        written = bulletin_script([text for _, text in told], script.show, day, edition, language)
        if script_only:
            script_path = atomic_write_text(out / f"{episode_stem(written)}.script.json", written.to_json())
            return Bulletin(written.stories, tuple(warnings), path, written, script_path)
        from ..pipeline import render_episode

        if workers:
            render = workers.speak(written, render)
        episode = render_episode(written, out, render, notice=notice, progress=progress)
        published = None
        if feed is not None:
            from ..feed import publish_episode

            published = publish_episode(episode, feed, base_url, channel, notice=notice)
        edition_id = f"{day.isoformat()}#{edition}"
        state.record(
            seen=[item.key for item in fresh if item.key not in failed],
            told={key: edition_id for story, _ in told for key in story.keys},
            failed=failed,
            stories=[{"title": text.title, "edition": edition_id, "words": sorted(story_words(story.lead))}
                     for story, text in told],
            day=day, edition=edition, now=now, present={item.key for item in items},
        )
        write_state(path, state)
    return Bulletin(written.stories, tuple(warnings), path, written, episode.script, episode, published)
