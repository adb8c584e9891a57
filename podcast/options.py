"""Build options as two frozen records: how the script is written, and how it is rendered.

They hold the only copy of each default. The CLI builds them once from its options
(whose shown defaults are read from here), library callers pass them, and batch
children (and, later, workers on other machines) receive them as JSON.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .config import DEFAULT_SHOW_NAME
from .engines import ENGINE_CHOICES
from .errors import PodcastError
from .lang import SUPPORTED

#: Target speech length, in seconds, that a summary may ask for.
LENGTH_RANGE = (15.0, 600.0)
SUMMARIZERS = ("extractive", "llm")
LANGUAGES = SUPPORTED
ENGINES = ENGINE_CHOICES
#: gTTS requests in flight: never more than this in one build or batch (Google rate-limits).
MAX_CONCURRENCY = 8
#: Target seconds of speech for an episode's summary.
DEFAULT_LENGTH = 75.0
DEFAULT_BITRATE = "96k"
#: Seconds to wait for a page or feed.
FETCH_TIMEOUT = 10.0


@dataclass(frozen=True)
class ScriptOptions:
    """How an article becomes a script."""

    #: Target seconds of speech for a summary.
    length: float = DEFAULT_LENGTH
    #: The show's name, spoken in the intro and outro.
    show: str = DEFAULT_SHOW_NAME
    #: ``nl`` or ``en``; None detects the article's language.
    language: str | None = None
    summarizer: str = "extractive"
    #: An OpenAI-compatible chat endpoint, for ``summarizer="llm"``.
    llm_url: str | None = None
    llm_model: str = "llama3.1"
    #: Read the whole article instead of a summary.
    full: bool = False

    def checked(self) -> ScriptOptions:
        """These options, or a one-line error for the first that cannot work."""
        low, high = LENGTH_RANGE
        if not low <= float(self.length) <= high:
            raise PodcastError(f"length must be between {low:g} and {high:g} seconds, not {self.length:g}")
        if self.summarizer not in SUMMARIZERS:
            raise PodcastError(f"unknown summarizer: {self.summarizer} (choose {' or '.join(SUMMARIZERS)})")
        if self.language not in (None, *LANGUAGES):
            raise PodcastError(f"unknown language: {self.language} (choose {', '.join(LANGUAGES)} or auto)")
        if self.summarizer == "llm" and not self.llm_url and not self.full:
            raise PodcastError("--summarizer llm needs --llm-url (an OpenAI-compatible endpoint)")
        return self


@dataclass(frozen=True)
class RenderOptions:
    """How a script becomes an episode."""

    #: ``auto`` (gTTS when Google answers, else espeak-ng), ``gtts`` or ``espeak``.
    engine: str = "auto"
    #: The clip cache; None: $PODCAST_CACHE_DIR, else the user cache directory.
    cache_dir: Path | None = None
    bitrate: str = DEFAULT_BITRATE
    #: JPEG or PNG cover for the ID3 tag; None draws one for the show.
    cover: Path | None = None
    #: A music bed under the intro and outro.
    music: Path | None = None
    #: gTTS requests in flight at once (1 to MAX_CONCURRENCY).
    concurrency: int = 4
    #: A folder of request slots shared by several builds (a batch's jobs), so that
    #: together they keep at most ``concurrency`` requests in flight; None: this build alone.
    request_slots: Path | None = None

    def checked(self) -> RenderOptions:
        """These options, or a one-line error for the first that cannot work."""
        if self.engine not in ENGINES:
            raise PodcastError(f"unknown engine: {self.engine} (choose from {', '.join(ENGINES)})")
        if not 1 <= self.concurrency <= MAX_CONCURRENCY:
            raise PodcastError(f"concurrency must be between 1 and {MAX_CONCURRENCY}, not {self.concurrency}")
        return self


#: The defaults as values (records are frozen, so one instance serves every caller).
DEFAULT_SCRIPT_OPTIONS = ScriptOptions()
DEFAULT_RENDER_OPTIONS = RenderOptions()

#: Fields that hold paths: JSON carries them as strings.
PATH_FIELDS = frozenset({"cache_dir", "cover", "music", "request_slots"})


def _to_data(options: ScriptOptions | RenderOptions) -> dict[str, Any]:
    return {k: (str(v) if k in PATH_FIELDS and v is not None else v) for k, v in asdict(options).items()}


def _from_data(cls: type, data: Any, what: str) -> Any:
    if not isinstance(data, dict):
        raise PodcastError(f"{what} must be a JSON object")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise PodcastError(f"unknown {what}: {', '.join(unknown)}")
    values = {k: (Path(v) if k in PATH_FIELDS and v is not None else v) for k, v in data.items()}
    try:
        return replace(cls(), **values).checked()
    except TypeError as exc:
        raise PodcastError(f"bad {what}: {exc}") from None


def options_to_json(script: ScriptOptions, render: RenderOptions) -> str:
    """Both records as one JSON object, ``{"script": {...}, "render": {...}}``."""
    return json.dumps({"script": _to_data(script), "render": _to_data(render)}, ensure_ascii=False, sort_keys=True)


def options_from_json(text: str) -> tuple[ScriptOptions, RenderOptions]:
    """The records back from :func:`options_to_json`; unknown or bad fields are one-line errors."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise PodcastError(f"build options are not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise PodcastError("build options must be a JSON object")
    return (_from_data(ScriptOptions, data.get("script", {}), "script option"),
            _from_data(RenderOptions, data.get("render", {}), "render option"))


#: Stories in one bulletin, and its target length in seconds.
MAX_STORIES = 20
BULLETIN_LENGTH_RANGE = (30.0, 1800.0)
#: Seconds to wait for each feed or page a bulletin reads (as ``build`` waits for a URL).
TIMEOUT_RANGE = (0.1, 120.0)


@dataclass(frozen=True)
class BulletinOptions:
    """How a bulletin chooses and tells its stories (the script and render records do the rest)."""

    #: At most this many stories, most important first.
    stories: int = 6
    #: Target seconds of speech for the whole bulletin; each story gets its share.
    length: float = 180.0
    #: Seconds to wait for each feed or page.
    timeout: float = FETCH_TIMEOUT
    #: ``None``: what is new since the last bulletin (the state file); else an ISO date or
    #: date and time: the items published since then, whatever was broadcast.
    since: str | None = None
    #: The edition's label; None: the next number of the day.
    edition: str | None = None
    #: The state file; None: beside the feed, else in the output folder.
    state: Path | None = None

    def checked(self) -> BulletinOptions:
        """These options, or a one-line error for the first that cannot work."""
        if not 1 <= self.stories <= MAX_STORIES:
            raise PodcastError(f"stories must be between 1 and {MAX_STORIES}, not {self.stories}")
        low, high = BULLETIN_LENGTH_RANGE
        if not low <= float(self.length) <= high:
            raise PodcastError(f"bulletin length must be between {low:g} and {high:g} seconds, not {self.length:g}")
        low, high = TIMEOUT_RANGE
        if not low <= float(self.timeout) <= high:
            raise PodcastError(f"timeout must be between {low:g} and {high:g} seconds, not {self.timeout:g}")
        if self.edition is not None and not self.edition.strip():
            raise PodcastError("edition must not be empty")
        self.since_moment()
        return self

    def since_moment(self) -> datetime.datetime | None:
        """``since`` as an aware moment (a date means its midnight, local time); None: since the last bulletin."""
        if self.since is None or self.since == "last":
            return None
        try:
            moment = datetime.datetime.fromisoformat(self.since.strip())
        except ValueError:
            raise PodcastError(f"--since takes 'last' or a date like 2026-12-03 or 2026-12-03T07:00, "
                               f"not {self.since!r}") from None
        return moment if moment.tzinfo else moment.astimezone()


DEFAULT_BULLETIN_OPTIONS = BulletinOptions()
