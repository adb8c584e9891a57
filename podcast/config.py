"""Configuration: the one place that reads environment variables and podcast.toml."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

APP_NAME = "podcast"
DEFAULT_SHOW_NAME = "Het Nieuws in het Kort"
DEFAULT_OUT_DIR = Path("output")
#: Articles a batch builds at once, by default and at most (here, beside the other defaults
#: the command line shows, so that ``podcast --help`` loads nothing more to show them).
DEFAULT_JOBS = 2
MAX_JOBS = 8


@dataclass(frozen=True)
class Environment:
    """Settings taken from environment variables, read once per process."""

    cache_dir: Path | None
    ffmpeg: str | None
    #: Hidden: send gTTS's requests to this base URL (a local stand-in for Google in tests).
    gtts_url: str | None = None
    #: PODCAST_DEBUG=1: an unexpected error shows its traceback instead of one line.
    debug: bool = False
    #: PODCAST_BROKER_URL: the Redis broker of the queue's workers (podcast/queue/).
    broker_url: str | None = None


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Read the PODCAST_* environment variables once."""
    cache = os.environ.get("PODCAST_CACHE_DIR")
    return Environment(
        cache_dir=Path(cache).expanduser() if cache else None,
        ffmpeg=os.environ.get("PODCAST_FFMPEG") or None,
        gtts_url=os.environ.get("PODCAST_GTTS_URL") or None,
        debug=os.environ.get("PODCAST_DEBUG", "").lower() in {"1", "true", "yes"},
        broker_url=os.environ.get("PODCAST_BROKER_URL") or None,
    )


def user_cache_dir() -> Path:
    """Where podcast keeps what it can compute again: ``$PODCAST_CACHE_DIR``, else the user cache dir."""
    return environment().cache_dir or tool_cache_dir()


def tool_cache_dir() -> Path:
    """Where podcast keeps what it learns of the machine's tools (what an ffmpeg can do) and
    what it derives once (a show's drawn cover): the user cache dir, even when
    ``$PODCAST_CACHE_DIR`` moves the clips elsewhere, so a fresh clip cache does not ask
    or draw again. ``XDG_CACHE_HOME`` moves it."""
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME))


def resolve_cache_dir(option: Path | str | None = None) -> Path:
    """The clip cache: ``--cache-dir``, else ``$PODCAST_CACHE_DIR``, else the user cache dir."""
    if option:
        return Path(option).expanduser()
    env = environment().cache_dir
    return env if env else user_cache_dir() / "clips"


# --- The channel: podcast.toml -------------------------------------------------------

DEFAULT_CONFIG_FILE = Path("podcast.toml")

#: Apple Podcasts' categories and their subcategories (the names Apple accepts, verbatim).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition",
                         "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
             "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion",
                                "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey",
               "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness",
               "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}


@dataclass(frozen=True)
class Channel:
    """The podcast as a whole: what the feed's <channel> says about it.

    ``image`` is an http(s) URL, a local PNG/JPEG file, or empty for a drawn
    default cover. ``base_url`` is where the feed's folder is served.
    """

    title: str = DEFAULT_SHOW_NAME
    description: str = "Elke dag het nieuws in een paar minuten: een korte gesproken samenvatting van één artikel."
    author: str = DEFAULT_SHOW_NAME
    email: str = ""
    language: str = "nl"
    category: str = "News"
    subcategory: str = "Daily News"
    explicit: bool = False
    image: str = ""
    base_url: str = ""
    link: str = ""
    locked: bool = True


#: The fields of podcast.toml's [channel] table, in the order ``podcast init`` writes them.
CHANNEL_FIELDS: tuple[str, ...] = tuple(Channel.__dataclass_fields__)

#: What ``podcast init`` writes above each field.
CHANNEL_FIELD_COMMENTS: dict[str, str] = {
    "title": "Name of the podcast",
    "description": "What the podcast is about (podcast apps show this)",
    "author": "Who makes it (itunes:author)",
    "email": "Owner's e-mail address (itunes:owner); Apple mails here to verify ownership",
    "language": "Language code of the episodes",
    "category": "Apple Podcasts category and subcategory, spelled as Apple does",
    "subcategory": "",
    "explicit": "true if episodes contain explicit content",
    "image": "Cover art: an http(s) URL or a local square PNG/JPEG of 1400-3000 px; empty draws one",
    "base_url": "URL of the folder the feed and episodes are served from, e.g. http://192.168.1.10:8000/",
    "link": "Website of the podcast (defaults to base_url)",
    "locked": "podcast:locked: other platforms may not import this feed",
}


def validate_channel(channel: Channel) -> Channel:
    """Check the values a feed cannot do without; raise PodcastError naming the first bad one."""
    from .errors import PodcastError

    if not channel.title.strip():
        raise PodcastError("channel title is empty (set title in podcast.toml or pass --channel-title)")
    if not channel.description.strip():
        raise PodcastError("channel description is empty (set description in podcast.toml)")
    if channel.category not in APPLE_CATEGORIES:
        raise PodcastError(f"unknown Apple Podcasts category: {channel.category!r}")
    subs = APPLE_CATEGORIES[channel.category]
    if channel.subcategory and channel.subcategory not in subs:
        choices = ", ".join(subs) if subs else "none"
        raise PodcastError(
            f"unknown subcategory {channel.subcategory!r} for {channel.category} (choose from: {choices})"
        )
    if channel.email and "@" not in channel.email:
        raise PodcastError(f"not an e-mail address: {channel.email!r}")
    return channel


def load_channel(path: Path | str | None = None, overrides: dict | None = None) -> Channel:
    """The channel from podcast.toml (``path``, else ./podcast.toml if present), then *overrides*.

    An explicitly named file must exist; the default one may be missing (defaults
    apply). Overrides whose value is None are ignored, so CLI options that were
    not given leave the file's value alone.
    """
    from .errors import PodcastError

    values: dict = {}
    config = Path(path) if path is not None else DEFAULT_CONFIG_FILE
    if config.is_file():
        values = _read_channel_table(config)
    elif path is not None:
        raise PodcastError(f"config file not found: {config}")
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    return validate_channel(Channel(**values))


def _read_toml(config: Path) -> dict:
    """A podcast.toml as a dict, or a one-line error."""
    import sys

    from .errors import PodcastError

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(config.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PodcastError(f"cannot read config {config}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise PodcastError(f"config is not valid TOML: {config} ({exc})") from None


def _read_channel_table(config: Path) -> dict:
    """The [channel] table of a podcast.toml, type-checked against Channel's fields."""
    from .errors import PodcastError

    data = _read_toml(config)
    table = data.get("channel", {})
    if not isinstance(table, dict):
        raise PodcastError(f"config {config}: [channel] must be a table")
    values = {}
    for key, value in table.items():
        if key not in CHANNEL_FIELDS:
            raise PodcastError(f"config {config}: unknown channel setting {key!r}")
        expected = type(getattr(Channel(), key))
        if not isinstance(value, expected):
            raise PodcastError(f"config {config}: {key} must be a {'boolean' if expected is bool else 'string'}")
        values[key] = value
    image = values.get("image", "")
    if image and not image.startswith(("http://", "https://")) and not Path(image).expanduser().is_absolute():
        # A local cover is named relative to the config file, not to wherever we run.
        values["image"] = str(config.parent / image)
    return values


#: podcast.toml's [queue] table: its settings and the types they take.
QUEUE_FIELDS: dict[str, tuple[type, ...]] = {"broker": (str,), "queue": (str,), "time_limit": (int, float)}


def load_queue_table(path: Path | str | None = None) -> dict:
    """The [queue] table of podcast.toml (``path``, else ./podcast.toml if present), type-checked.

    Settings for the Celery workers (podcast/queue/): ``broker``, ``queue``, ``time_limit``.
    """
    from .errors import PodcastError

    config = Path(path) if path is not None else DEFAULT_CONFIG_FILE
    if not config.is_file():
        if path is not None:
            raise PodcastError(f"config file not found: {config}")
        return {}
    table = _read_toml(config).get("queue", {})
    if not isinstance(table, dict):
        raise PodcastError(f"config {config}: [queue] must be a table")
    for key, value in table.items():
        if key not in QUEUE_FIELDS:
            raise PodcastError(f"config {config}: unknown queue setting {key!r}")
        if not isinstance(value, QUEUE_FIELDS[key]) or isinstance(value, bool):
            kind = "string" if QUEUE_FIELDS[key] == (str,) else "number"
            raise PodcastError(f"config {config}: queue {key} must be a {kind}")
    return table


def channel_toml(channel: Channel) -> str:
    """podcast.toml text for *channel*, with a comment above each setting."""
    import json

    lines = ["# podcast.toml: the channel of your podcast feed.",
             "# Command-line options (--base-url, --author, ...) override these values.", "",
             "[channel]"]
    for key in CHANNEL_FIELDS:
        comment = CHANNEL_FIELD_COMMENTS.get(key)
        if comment:
            lines.append(f"# {comment}")
        value = getattr(channel, key)
        # A JSON string is a valid TOML basic string: same quotes and escapes.
        rendered = ("true" if value else "false") if isinstance(value, bool) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key} = {rendered}")
    return "\n".join(lines) + "\n"


def write_channel_config(path: Path | str, channel: Channel | None = None, force: bool = False) -> Path:
    """Write podcast.toml for *channel* (defaults if None); refuse to overwrite unless *force*."""
    from .errors import PodcastError
    from .fsutil import atomic_write_text

    path = Path(path)
    if path.exists() and not force:
        raise PodcastError(f"config already exists: {path} (use --force to overwrite)")
    if path.is_dir():
        raise PodcastError(f"config path is a directory: {path}")
    channel = validate_channel(channel or Channel())
    image = channel.image
    if image and not image.startswith(("http://", "https://")) and not Path(image).is_absolute():
        # podcast.toml names a local cover relative to itself (see _read_channel_table).
        relative = os.path.relpath(Path(image).resolve(), path.parent.resolve())
        channel = replace(channel, image=Path(relative).as_posix())
    return atomic_write_text(path, channel_toml(channel))
