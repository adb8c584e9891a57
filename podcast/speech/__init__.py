"""Stage 4: speak a script's segments with one engine, through the clip cache.

Every clip is cached under a key of engine, engine version, voice, language and
speakable text, so a rerun sends nothing already spoken. Engines that speak
through network requests (gTTS) get their requests planned per segment and
sent from a bounded pool of threads; each answer is cached as it arrives, so an
interrupted run resumes where it stopped. Offline engines (espeak-ng) speak
one segment after another: they are fast and keep process-global state.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from ..engines import AUTO_ORDER, ENGINE_MODULES
from ..errors import PodcastError, TransientError
from ..lang import get_language
from ..options import DEFAULT_RENDER_OPTIONS, MAX_CONCURRENCY, RenderOptions
from ..script import Script
from .base import (
    Audio,
    Availability,
    Cancelled,
    Clip,
    Engine,
    EngineUnavailable,
    Registry,
    RequestEngine,
    Voice,
)
from .cache import ClipCache, answer_key, clip_key, wav_duration
from .slots import SharedSlots

__all__ = [
    "Audio", "Availability", "Cancelled", "Clip", "ClipCache", "Engine", "EngineUnavailable",
    "Registry", "RequestEngine", "Voice", "REGISTRY", "MAX_CONCURRENCY",
    "get_engine", "speak_script", "speakable_texts", "SpokenScript",
]

#: Silence standing in for a segment with nothing to say (only punctuation, say).
SILENT_SECONDS = 0.1
SILENCE_RATE = 22050


def _engine_factory(module: str) -> Callable[[], Engine]:
    """What makes the engine of ``podcast.speech.<module>`` (its ``ENGINE``), imported when first used."""

    def make() -> Engine:
        from importlib import import_module

        return import_module(f"{__name__}.{module}").ENGINE()

    return make


#: Every engine of podcast/engines.py's table, created when first asked for.
REGISTRY = Registry()
for _name, _module in ENGINE_MODULES.items():
    REGISTRY.register(_name, _engine_factory(_module))


Notice = Callable[[str], None]
#: Called with (segments done, segments in all) as clips become ready.
Progress = Callable[[int, int], None]
#: Called with (segment index, clip) as each clip of the episode's engine is ready.
OnClip = Callable[[int, Clip], None]


def _stderr_notice(message: str) -> None:
    print(message, file=sys.stderr)


def get_engine(name: str) -> Engine:
    return REGISTRY.get(name)


@dataclass(frozen=True)
class SpokenScript:
    """The clips of a script, one per segment, all from one engine."""

    engine: str
    clips: tuple[Clip, ...]
    #: Fresh synthesis calls: answered requests for network engines, segments for offline ones.
    requests_made: int


def speakable_texts(script: Script) -> list[str]:
    """The text each segment's voice reads: the script's text made speakable."""
    lang = get_language(script.language)
    return [lang.speakable(seg.text) for seg in script.segments]


def has_words(text: str) -> bool:
    """Whether *text* has anything a voice can say (not only punctuation and spaces)."""
    return re.search(r"\w", text) is not None


@dataclass
class _Job:
    """One episode's speech in progress with one engine."""

    engine: Engine
    voice: Voice
    cache: ClipCache
    texts: list[str]
    progress: Progress | None
    on_clip: OnClip | None = None
    clips: dict[int, Clip] = dataclasses.field(default_factory=dict)
    made: int = 0
    version: str = dataclasses.field(init=False, default="")
    #: Whether this engine is the one that speaks the episode: it has spoken once, or has
    #: nothing to speak. Until then no clip is handed on, so a fallback never mixes voices.
    committed: bool = False

    def __post_init__(self) -> None:
        self.version = self.engine.version()  # asked once: it is part of every key

    def key(self, index: int) -> str:
        return clip_key(self.engine.name, self.version, self.voice, self.texts[index])

    def store(self, index: int, audio: Audio) -> None:
        path = self.cache.put(self.key(index), audio)
        self.clips[index] = Clip(path, audio.duration, self.texts[index], self.engine.name, cached=False)
        self.report()
        if self.committed and self.on_clip:
            self.on_clip(index, self.clips[index])

    def commit(self) -> None:
        """This engine speaks the episode: hand on every clip so far, and each one after."""
        if self.committed:
            return
        self.committed = True
        if self.on_clip:
            for index in sorted(self.clips):
                self.on_clip(index, self.clips[index])

    def report(self) -> None:
        if self.progress:
            self.progress(len(self.clips), len(self.texts))

    def result(self) -> SpokenScript:
        return SpokenScript(self.engine.name, tuple(self.clips[i] for i in range(len(self.texts))), self.made)


def _silence() -> Audio:
    return Audio(b"\0\0" * int(SILENCE_RATE * SILENT_SECONDS), SILENCE_RATE)


def _speak_serially(job: _Job, missing: list[int]) -> None:
    for index in missing:
        text = job.texts[index]
        audio = job.engine.synthesize(text, job.voice) if has_words(text) else _silence()
        if has_words(text):
            job.made += 1
            job.commit()  # it spoke, so it is the episode's voice
        job.store(index, audio)


def _speak_by_requests(job: _Job, missing: list[int], concurrency: int, retry, probe_retry,
                       slots: SharedSlots | None = None) -> None:
    """Plan every missing segment's requests, send the uncached ones, assemble each clip when complete.

    A request text that occurs more than once (in one segment or several) is sent once.
    """
    from ..threads import StopGate, run_bounded

    engine: RequestEngine = job.engine  # type: ignore[assignment]
    version = job.version
    plans = {i: engine.plan_requests(job.texts[i]) for i in missing}
    answers: dict[int, list[bytes | None]] = {i: [None] * len(plans[i]) for i in missing}
    waiting = {i: len(plans[i]) for i in missing}
    places: dict[str, list[tuple[int, int]]] = {}  # answer key -> (segment, part) positions
    texts: dict[str, str] = {}
    for i in missing:
        for j, part in enumerate(plans[i]):
            key = answer_key(engine.name, version, job.voice, part)
            places.setdefault(key, []).append((i, j))
            texts[key] = part

    def settle(key: str, answer: bytes) -> None:
        """Put an answer in every place it belongs; store each clip that is now complete."""
        for i, j in places[key]:
            answers[i][j] = answer
            waiting[i] -= 1
            if waiting[i] == 0:
                job.store(i, engine.assemble([a for a in answers[i] if a is not None]))

    for i in missing:
        if not plans[i]:
            job.store(i, _silence())
    todo = []
    for key in places:
        cached = job.cache.get_answer(key)
        if cached is None:
            todo.append(key)
        else:
            settle(key, cached)
    if not todo:
        return
    # The first request goes alone: when Google is unreachable that costs one
    # request, not one per worker, and ``auto`` can fall back at once.
    first = todo[0]
    answer = engine.fetch(texts[first], job.voice, probe_retry or retry, slots=slots)
    job.cache.put_answer(first, answer)
    job.made += 1
    job.commit()  # the service answers: this engine speaks the episode
    settle(first, answer)
    gate = StopGate()

    def fetch(key: str) -> bytes:
        data = engine.fetch(texts[key], job.voice, retry, gate.stop, slots=slots)
        with gate.commit():
            job.cache.put_answer(key, data)
        return data

    try:
        for key, data in run_bounded(fetch, todo[1:], concurrency, gate):
            job.made += 1
            settle(key, data)
    except BaseException:
        gate.close()  # also when Ctrl-C lands here, between results: no worker is left writing
        raise


def _speak_with(
    engine: Engine,
    script: Script,
    cache: ClipCache,
    texts: list[str],
    concurrency: int,
    progress: Progress | None,
    retry=None,
    probe_retry=None,
    slots: SharedSlots | None = None,
    on_clip: OnClip | None = None,
) -> SpokenScript:
    job = _Job(engine, engine.voice(script.language), cache, texts, progress, on_clip)
    for index in range(len(texts)):
        hit = cache.get(job.key(index))
        if hit:
            job.clips[index] = Clip(hit, wav_duration(hit), texts[index], engine.name, cached=True)
    job.report()
    missing = [i for i in range(len(texts)) if i not in job.clips]
    if not missing:
        job.commit()
    elif isinstance(engine, RequestEngine) and engine.max_concurrency > 1:
        workers = max(1, min(concurrency, engine.max_concurrency, MAX_CONCURRENCY))
        _speak_by_requests(job, missing, workers, retry, probe_retry, slots)
    else:
        _speak_serially(job, missing)
    job.commit()  # a script whose missing segments had nothing to say
    return job.result()


def _probe_policy(retry):
    """The first request in ``auto``: two tries at most, and no waiting on a silent host."""
    from .gtts import RetryPolicy

    policy = retry or RetryPolicy()
    return dataclasses.replace(policy, attempts=min(2, policy.attempts), retry_connect_timeouts=False)


def speak_script(
    script: Script,
    options: RenderOptions = DEFAULT_RENDER_OPTIONS,
    *,
    notice: Notice = _stderr_notice,
    progress: Progress | None = None,
    retry=None,
    on_clip: OnClip | None = None,
) -> SpokenScript:
    """Speak every segment with *options*' engine. ``auto`` falls back from gTTS to espeak once.

    ``options.concurrency`` bounds the requests in flight for network engines (at most
    MAX_CONCURRENCY), together with other processes sharing ``options.request_slots``
    when given; the clips go to ``options.cache_dir``. *retry* is the engine's
    RetryPolicy (``None``: its default). *on_clip* is called with (segment index, clip)
    as each clip of the engine that speaks the episode is ready, in the order they come
    (cached ones first), so the audio can be made meanwhile; an exception it raises
    stops the speaking.
    """
    from ..config import resolve_cache_dir

    engine, concurrency, slots = options.engine, options.concurrency, options.request_slots
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise PodcastError(f"concurrency must be between 1 and {MAX_CONCURRENCY}, not {concurrency}")
    cache = ClipCache(resolve_cache_dir(options.cache_dir))
    shared = SharedSlots(slots) if slots else None
    texts = speakable_texts(script)
    if not any(has_words(t) for t in texts):
        raise PodcastError("script has no text to speak")
    if engine != "auto":
        chosen = get_engine(engine)
        if script.language not in chosen.languages:
            raise PodcastError(f"engine {engine} does not speak {script.language}")
        try:
            return _speak_with(chosen, script, cache, texts, concurrency, progress, retry, slots=shared,
                               on_clip=on_clip)
        except EngineUnavailable as exc:  # the same message; a busy engine stays worth a later try
            raise (TransientError if isinstance(exc, TransientError) else PodcastError)(str(exc)) from None
    reasons = []
    for name in AUTO_ORDER:
        candidate = get_engine(name)
        if script.language not in candidate.languages:
            continue
        probe = _probe_policy(retry) if isinstance(candidate, RequestEngine) else None
        try:
            spoken = _speak_with(candidate, script, cache, texts, concurrency, progress, retry, probe,
                                 slots=shared, on_clip=on_clip)
        except EngineUnavailable as exc:
            reasons.append(str(exc))
            continue
        if reasons:
            notice(f"notice: {'; '.join(reasons)}; falling back to {name}")
        return spoken
    raise PodcastError("no speech engine works here: " + "; ".join(reasons))
