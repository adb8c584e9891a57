"""Options shared by several commands, and the decorators that turn groups of them into records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..config import DEFAULT_OUT_DIR
from ..errors import PodcastError
from .shell import reporter


def out_option(func):
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=DEFAULT_OUT_DIR,
        help="Directory for the episode files.",
    )(func)


#: Channel settings a command line may override: (Channel field, option, help).
CHANNEL_OPTIONS = (
    ("title", "--channel-title", "Podcast name [default: podcast.toml's title]."),
    ("description", "--channel-description", "What the podcast is about."),
    ("author", "--author", "Who makes it (itunes:author)."),
    ("email", "--email", "Owner's e-mail (itunes:owner)."),
    ("language", "--channel-language", "Language code of the feed."),
    ("category", "--category", "Apple Podcasts category, e.g. News."),
    ("subcategory", "--subcategory", "Apple Podcasts subcategory, e.g. 'Daily News'."),
    ("image", "--image", "Cover art: http(s) URL or local square PNG/JPEG, 1400-3000 px."),
    ("link", "--link", "Website of the podcast."),
)


def channel_options(func):
    """Options that override podcast.toml; the command gets them as ``channel_overrides``."""
    import functools

    names = [field for field, _, _ in CHANNEL_OPTIONS] + ["explicit", "locked"]

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        overrides = {name: kwargs.pop(f"channel_{name}") for name in names}
        return func(*args, channel_overrides=overrides, **kwargs)

    wrapper = click.option("--locked/--unlocked", "channel_locked", default=None, show_default=False,
                           help="podcast:locked: forbid other platforms to import the feed.")(wrapper)
    wrapper = click.option("--explicit/--no-explicit", "channel_explicit", default=None,
                           show_default=False, help="Mark the podcast explicit.")(wrapper)
    for field, flag, help_text in reversed(CHANNEL_OPTIONS):
        wrapper = click.option(flag, f"channel_{field}", default=None, show_default=False,
                               help=help_text)(wrapper)
    return wrapper


def config_option(func):
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        show_default=False,
        help="Channel settings file [default: ./podcast.toml if present].",
    )(func)


def base_url_option(func):
    return click.option(
        "--base-url",
        default=None,
        show_default=False,
        help="URL the feed's folder is served at [default: podcast.toml's base_url].",
    )(func)


def site_option(func):
    """``--site``: rewrite the show's web pages beside the feed after publishing (needs --feed)."""
    return click.option("--site", "with_site", is_flag=True,
                        help="Also rewrite the show's web pages beside the feed (see `podcast site`).")(func)


def site_needs_feed(with_site: bool, feed: Path | None) -> None:
    """Refuse ``--site`` without ``--feed`` before any work is done."""
    if with_site and feed is None:
        raise PodcastError("--site needs --feed: the site is made from the feed")


def write_show_site(feed: Path, out_dir: Path | None = None):
    """Write the show's pages for *feed* and say so on stderr; what ``--site`` and ``podcast site`` do."""
    from ..site import write_site

    site = write_site(feed, out_dir, notice=reporter().notice)
    reporter().notice(f"wrote the site for {site.episodes} episode{'s' if site.episodes != 1 else ''} "
                      f"to {site.out_dir}")
    return site


def script_options(func):
    """How the article becomes a script; the command gets them as one ``script_options`` record.

    Shown defaults are read from :class:`ScriptOptions`, their only home.
    """
    import functools

    from ..options import LANGUAGES, LENGTH_RANGE, SUMMARIZERS, ScriptOptions

    names = ("length", "show", "language", "summarizer", "llm_url", "llm_model", "full")

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        values = {name: kwargs.pop(name) for name in names}
        values["language"] = None if values["language"] == "auto" else values["language"]
        return func(*args, script_options=ScriptOptions(**values).checked(), **kwargs)

    options = [
        click.option("--length", type=click.FloatRange(*LENGTH_RANGE), default=ScriptOptions.length,
                     help="Target seconds of speech."),
        click.option("--show", default=ScriptOptions.show, help="Show name spoken in intro and outro."),
        click.option("--full", is_flag=True, default=ScriptOptions.full,
                     help="Read the whole article, its sections as chapters, not a summary."),
        click.option("--language", type=click.Choice(["auto", *LANGUAGES]), default="auto",
                     help="Article language; auto detects Dutch or English."),
        click.option("--summarizer", type=click.Choice(SUMMARIZERS), default=ScriptOptions.summarizer,
                     help="extractive: offline key sentences; llm: an OpenAI-compatible chat model."),
        click.option("--llm-url", default=ScriptOptions.llm_url, show_default=False,
                     help="OpenAI-compatible endpoint for --summarizer llm, e.g. http://localhost:11434."),
        click.option("--llm-model", default=ScriptOptions.llm_model, help="Model name for --summarizer llm."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def render_options(func):
    """How the script becomes an episode; the command gets them as one ``render_options`` record.

    Shown defaults are read from :class:`RenderOptions`, their only home.
    """
    import functools

    from ..options import ENGINES, MAX_CONCURRENCY, RenderOptions

    names = ("engine", "cache_dir", "bitrate", "cover", "music", "concurrency")

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        values = {name: kwargs.pop(name) for name in names}
        return func(*args, render_options=RenderOptions(**values).checked(), **kwargs)

    options = [
        click.option("--engine", type=click.Choice(ENGINES), default=RenderOptions.engine,
                     help="Speech engine; auto uses gTTS when Google answers, else espeak-ng."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     show_default=False,
                     help="Clip cache directory [default: $PODCAST_CACHE_DIR or the user cache dir]."),
        click.option("--bitrate", default=RenderOptions.bitrate, help="MP3 bitrate (CBR)."),
        click.option("--cover", type=click.Path(path_type=Path), default=None, show_default=False,
                     help="Cover art (JPEG or PNG) [default: one drawn for the show]."),
        click.option("--music", type=click.Path(path_type=Path), default=None, show_default=False,
                     help="Music bed under the intro and outro, ducked under speech."),
        click.option("--concurrency", type=click.IntRange(1, MAX_CONCURRENCY), default=RenderOptions.concurrency,
                     help="gTTS requests in flight at once (Google rate-limits eager clients); "
                          "a batch shares them among its jobs."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def broker_options(func):
    """Where a command sends its work (podcast/queue/); the command gets ``broker``, ``queue``, ``local``."""
    options = [
        click.option("--broker", default=None, show_default=False, metavar="URL",
                     help="Send the work to Celery workers through this Redis broker, e.g. redis://HOST:6379/0 "
                          "[default: $PODCAST_BROKER_URL, else podcast.toml's [queue] broker, else none: "
                          "work here]."),
        click.option("--queue", "queue_name", default=None, show_default=False, metavar="NAME",
                     help="The workers' queue [default: podcast.toml's [queue] queue, else podcast]."),
        click.option("--local", is_flag=True, help="Work here even when a broker is configured."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def publishing_target(feed: Path, base_url: str | None, config_path: Path | None,
                      channel_overrides: dict):
    """The channel and base URL to publish with, checked (the feed too) before any work is done."""
    from ..config import load_channel
    from ..feed import normalize_base_url, read_feed

    channel = load_channel(config_path, channel_overrides)
    base_url = normalize_base_url(base_url or channel.base_url or missing_base_url())
    read_feed(feed)
    return channel, base_url


def missing_base_url() -> str:
    raise PodcastError("no base URL for the feed: pass --base-url or set base_url in podcast.toml")


def report_published(published) -> None:
    verb = "added" if published.added else "updated"
    reporter().notice(f"{verb} '{published.title}' in {published.feed} "
                      f"({published.items} episode{'s' if published.items != 1 else ''})")


def feed_options(help_text: str) -> Callable:
    """``--feed`` with its base URL, podcast.toml and channel overrides (see ``publishing_target``)."""
    feed_option = click.option("--feed", type=click.Path(dir_okay=False, path_type=Path), default=None,
                               show_default=False, help=help_text)

    def decorate(func):
        return feed_option(base_url_option(config_option(channel_options(func))))

    return decorate


def record_options(keyword: str, make: Callable[[dict], object], options: list) -> Callable:
    """A decorator adding *options* to a command, which gets them as one record under *keyword*.

    *make* builds the record from the options' values (by parameter name) and checks it.
    """
    import functools

    # The parameter name click gives each option, read off a throwaway function it decorates.
    names = [option(lambda: None).__click_params__[0].name for option in options]

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return func(*args, **{keyword: make({name: kwargs.pop(name) for name in names})}, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def bulletin_options(func):
    """How a bulletin chooses its stories, as one ``bulletin_options`` record (defaults from its class)."""
    from ..options import BULLETIN_LENGTH_RANGE, MAX_STORIES, TIMEOUT_RANGE, BulletinOptions

    def make(values: dict) -> BulletinOptions:
        since = values.pop("since")
        return BulletinOptions(**values, since=None if since == "last" else since).checked()

    return record_options("bulletin_options", make, [
        click.option("--stories", type=click.IntRange(1, MAX_STORIES), default=BulletinOptions.stories,
                     help="At most this many stories, most important first."),
        click.option("--length", type=click.FloatRange(*BULLETIN_LENGTH_RANGE), default=BulletinOptions.length,
                     help="Target seconds of the whole bulletin; each story gets its share."),
        click.option("--since", default="last",
                     help="last: what no bulletin has seen (the state file); or a date (2026-12-03, "
                          "2026-12-03T07:00): what was published since then."),
        click.option("--edition", default=None, show_default=False,
                     help="Edition label; the same show, date and edition update one feed item "
                          "[default: the next number of the day]."),
        click.option("--timeout", type=click.FloatRange(*TIMEOUT_RANGE), default=BulletinOptions.timeout,
                     help="Seconds to wait for each feed or page."),
        click.option("--state", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     show_default=False, help="State file of what was broadcast [default: beside FEED, else in --out]."),
    ])(func)
