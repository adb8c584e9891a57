"""The command line: argument parsing, progress and error presentation only.

Every command calls the same library functions a batch job or a test calls.
Heavy imports happen inside the commands, so ``podcast --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from .config import DEFAULT_OUT_DIR, DEFAULT_SHOW_NAME
from .errors import PodcastError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "show_default": True}


class Reporter:
    """Notices and progress on stderr, at the verbosity the user chose."""

    def __init__(self, verbosity: int) -> None:
        self.verbosity = verbosity

    def notice(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)

    def debug(self, message: str) -> None:
        if self.verbosity > 0:
            click.echo(message, err=True)


def reporter() -> Reporter:
    ctx = click.get_current_context()
    return ctx.find_object(Reporter) or Reporter(0)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option("-q", "--quiet", is_flag=True, help="Print only data and errors.")
@click.option("-v", "--verbose", count=True, help="Print more about what happens.")
@click.version_option(package_name="podcast")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: int) -> None:
    """Turn a (Dutch) news article into a spoken podcast episode and feed."""
    ctx.obj = Reporter(-1 if quiet else verbose)


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
    from .site import write_site

    site = write_site(feed, out_dir, notice=reporter().notice)
    reporter().notice(f"wrote the site for {site.episodes} episode{'s' if site.episodes != 1 else ''} "
                      f"to {site.out_dir}")
    return site


def script_options(func):
    """How the article becomes a script; the command gets them as one ``script_options`` record.

    Shown defaults are read from :class:`ScriptOptions`, their only home.
    """
    import functools

    from .options import LENGTH_RANGE, SUMMARIZERS, ScriptOptions

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
        click.option("--language", type=click.Choice(["auto", "nl", "en"]), default="auto",
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

    from .options import ENGINES, MAX_CONCURRENCY, RenderOptions

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


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr, or None when quiet or when stderr is not a terminal."""
    if reporter().verbosity < 0 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)
        after: list[int] = []

        def update(done: int, total: int) -> None:
            if done < total:
                bar.update(task, completed=done, total=total)
            elif not after:  # speech is done; mixing and encoding have no count: a pulsing bar
                bar.update(task, visible=False)
                after.append(bar.add_task("mixing and encoding", total=None))

        yield update


def describe_episode(episode) -> list[str]:
    """What ``-v`` tells about a finished episode: voice, sound, chapters, files.

    Every field may be missing on an episode made by hand, so each is printed only when present.
    """
    from .feed import clock
    from .ffmpeg import ffmpeg_binary

    lines = [f"voice: {episode.engine} ({episode.clips_cached} clips from the cache)"]
    sound = [f"{episode.duration:.1f} s"]
    if episode.loudness_lufs is not None:
        sound.append(f"{episode.loudness_lufs:.1f} LUFS")
    if episode.true_peak_dbtp is not None:
        sound.append(f"true peak {episode.true_peak_dbtp:.1f} dBTP")
    lines.append(f"sound: {', '.join(sound)}")
    ffmpeg = ffmpeg_binary()
    lines.append(f"ffmpeg: {ffmpeg.label}, from {ffmpeg.origin}")
    lines += [f"chapter {clock(c.start)} {c.title}" for c in episode.chapters]
    lines += [f"wrote {path}" for path in (episode.script, episode.transcript, episode.chapters_json, episode.manifest)
              if path]
    return lines


def print_episode(episode, as_json: bool) -> None:
    if reporter().verbosity > 0:
        for line in describe_episode(episode):
            reporter().debug(line)
    if as_json:
        click.echo(json.dumps(episode.to_manifest(), ensure_ascii=False))
    else:
        click.echo(str(episode.audio))


@cli.command()
@click.argument("article")
@out_option
@script_options
@render_options
@click.option("--json", "as_json", is_flag=True, help="Print the episode manifest as JSON.")
@click.option("--feed", type=click.Path(dir_okay=False, path_type=Path), default=None,
              show_default=False, help="Publish the episode into this RSS feed right after building.")
@base_url_option
@config_option
@channel_options
@site_option
@click.option("--options-json", default=None, hidden=True,
              help="Script and render options as one JSON object (how batch hands them to each build).")
def build(article: str, out_dir: Path, script_options, render_options, as_json: bool, feed: Path | None,
          base_url: str | None, config_path: Path | None, channel_overrides: dict, with_site: bool,
          options_json: str | None) -> None:
    """Turn ARTICLE (a path, URL or - for stdin) into an MP3 episode."""
    from .pipeline import build_episode

    if options_json is not None:
        from .options import options_from_json

        script_options, render_options = options_from_json(options_json)
    site_needs_feed(with_site, feed)
    if feed is not None:  # check the publishing settings before spending time on speech
        channel, base_url = publishing_target(feed, base_url, config_path, channel_overrides)
    with progress_bar("speaking") as progress:
        episode = build_episode(article, out_dir, script_options, render_options,
                                notice=reporter().notice, progress=progress)
    if feed is not None:
        from .feed import publish_episode

        _report_published(publish_episode(episode, feed, base_url, channel, notice=reporter().notice))
        if with_site:
            write_show_site(feed)
    print_episode(episode, as_json)


def publishing_target(feed: Path, base_url: str | None, config_path: Path | None,
                      channel_overrides: dict):
    """The channel and base URL to publish with, checked (the feed too) before any work is done."""
    from .config import load_channel
    from .feed import normalize_base_url, read_feed

    channel = load_channel(config_path, channel_overrides)
    base_url = normalize_base_url(base_url or channel.base_url or _missing_base_url())
    read_feed(feed)
    return channel, base_url


def _missing_base_url() -> str:
    raise PodcastError("no base URL for the feed: pass --base-url or set base_url in podcast.toml")


def _report_published(published) -> None:
    verb = "added" if published.added else "updated"
    reporter().notice(f"{verb} '{published.title}' in {published.feed} "
                      f"({published.items} episode{'s' if published.items != 1 else ''})")


@cli.command()
@click.argument("article")
@script_options
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
def script(article: str, script_options, as_json: bool) -> None:
    """Print the script for ARTICLE (a path, URL or - for stdin) without speaking it."""
    from .pipeline import make_script

    result = make_script(article, script_options)
    if as_json:
        click.echo(result.to_json(), nl=False)
        return
    click.echo(result.title)
    for seg in result.segments:
        click.echo(f"[{seg.kind}] {seg.text}")


@cli.command()
@click.argument("script_path", metavar="SCRIPT.json", type=click.Path(path_type=Path))
@out_option
@render_options
@click.option("--json", "as_json", is_flag=True, help="Print the episode manifest as JSON.")
def render(script_path: Path, out_dir: Path, render_options, as_json: bool) -> None:
    """Turn a (hand-edited) SCRIPT.json into an episode."""
    from .pipeline import render_episode
    from .script import Script

    with progress_bar("speaking") as progress:
        episode = render_episode(Script.load(script_path), out_dir, render_options,
                                 notice=reporter().notice, progress=progress)
    print_episode(episode, as_json)


@cli.command()
@click.argument("articles", nargs=-1, required=True, metavar="FILES...|DIR")
@click.option("--jobs", "-j", type=click.IntRange(1, 8), default=2, help="Articles built at once.")
@out_option
@script_options
@render_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per article.")
@click.option("--feed", type=click.Path(dir_okay=False, path_type=Path), default=None,
              show_default=False, help="Publish the built episodes into this RSS feed at the end.")
@base_url_option
@config_option
@channel_options
@site_option
@broker_options
def batch(articles: tuple[str, ...], jobs: int, out_dir: Path, script_options, render_options,
          as_json: bool, feed: Path | None, base_url: str | None, config_path: Path | None,
          channel_overrides: dict, with_site: bool, broker: str | None, queue_name: str | None,
          local: bool) -> None:
    """Turn many articles (files, or every article file in DIR) into episodes.

    Prints one line per article as it finishes. A failing article does not stop
    the others; the exit code is the number that failed (at most 100). With a
    broker, workers on any machine build them (--jobs is theirs to decide); the
    articles, --out and the clip cache must then be on storage they all see.
    """
    from .batch import build_many, find_articles
    from .queue import queue_settings

    sources = find_articles(articles)
    site_needs_feed(with_site, feed)
    settings = None if local else queue_settings(broker, queue_name, config_path=config_path)
    if feed is not None:  # check the publishing settings before spending time on speech
        channel, base_url = publishing_target(feed, base_url, config_path, channel_overrides)

    def report(result) -> None:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False) if as_json else result.summary_line())

    if settings is not None:
        from .queue import build_many_on_workers

        results = build_many_on_workers(sources, out_dir, script_options, render_options, settings,
                                        on_result=report, notice=reporter().notice)
    else:
        results = build_many(sources, out_dir, script_options, render_options, jobs=jobs, on_result=report)
    built = [r for r in results if r.ok]
    failed = len(results) - len(built)
    if feed is not None and built:
        from .feed import publish_episode

        for result in built:
            _report_published(publish_episode(result.manifest, feed, base_url, channel, notice=reporter().notice))
        if with_site:
            write_show_site(feed)
    reporter().notice(f"{len(built)} built, {failed} failed")
    if failed:  # SystemExit passes through click untouched (ctx.exit's code is dropped by main())
        sys.exit(min(failed, 100))


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
    from .options import BULLETIN_LENGTH_RANGE, MAX_STORIES, TIMEOUT_RANGE, BulletinOptions

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


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@out_option
@bulletin_options
@click.option("--show", default=DEFAULT_SHOW_NAME, help="Show name spoken in the intro and outro.")
@click.option("--language", type=click.Choice(["auto", "nl", "en"]), default="auto",
              help="Language of the bulletin and its articles; auto: the articles' own.")
@render_options
@click.option("--script-only", is_flag=True, help="Write the script without speaking it (marks nothing as broadcast).")
@click.option("--json", "as_json", is_flag=True, help="Print the episode manifest and the stories as JSON.")
@feed_options("Publish the bulletin into this RSS feed (the state file goes beside it).")
@site_option
@broker_options
def bulletin(sources: tuple[str, ...], out_dir: Path, bulletin_options, show: str, language: str, render_options,
             script_only: bool, as_json: bool, feed: Path | None, base_url: str | None, config_path: Path | None,
             channel_overrides: dict, with_site: bool, broker: str | None, queue_name: str | None,
             local: bool) -> None:
    """Make one episode of what is new in SOURCE... (RSS/Atom feeds, article URLs or files, folders).

    Each story becomes a chapter: its headline and 1-3 points, the same story from several
    sources told once and credited to all. A source that fails is a warning; nothing new
    exits 0 without writing a file. With a broker, workers on any machine write and speak
    the stories; the bulletin is stitched and published here, and the clip cache must be
    on storage they all see.
    """
    from .bulletin import build_bulletin
    from .options import ScriptOptions
    from .queue import queue_settings

    script_options = ScriptOptions(show=show, language=None if language == "auto" else language).checked()
    site_needs_feed(with_site, feed)
    settings = None if local else queue_settings(broker, queue_name, config_path=config_path)
    workers = None
    if settings is not None:  # an unreachable broker is one line before any work or folder
        from .queue.send import BulletinWorkers

        workers = BulletinWorkers(settings, reporter().notice)
    channel = None
    if feed is not None and not script_only:  # check the publishing settings before any work
        channel, base_url = publishing_target(feed, base_url, config_path, channel_overrides)
    with progress_bar("speaking") as progress:
        result = build_bulletin(sources, out_dir, script_options, render_options, bulletin_options,
                                feed=feed, base_url=base_url, channel=channel,
                                script_only=script_only, notice=reporter().notice,
                                warn=lambda line: click.echo(line, err=True), progress=progress, workers=workers)
    if result.nothing_new_since:
        reporter().notice(f"nothing new since {result.nothing_new_since}")
        if as_json:
            click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    if result.published is not None:
        _report_published(result.published)
        if with_site:
            write_show_site(feed)
    if result.episode is not None and reporter().verbosity > 0:
        for line in describe_episode(result.episode):
            reporter().debug(line)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        click.echo(str(result.episode.audio if result.episode else result.script_path))


@cli.command()
@click.option("--broker", default=None, show_default=False, metavar="URL",
              help="The Redis broker, e.g. redis://HOST:6379/0 [default: $PODCAST_BROKER_URL, "
                   "else podcast.toml's [queue] broker].")
@click.option("--queue", "queue_name", default=None, show_default=False, metavar="NAME",
              help="The queue to take work from [default: podcast.toml's [queue] queue, else podcast].")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, show_default=False,
              help="Articles built at once [default: the number of cores].")
@click.option("--name", default=None, show_default=False,
              help="Worker name; give each worker on one host its own [default: celery@HOSTNAME].")
@click.option("--time-limit", type=click.FloatRange(5), default=None, show_default=False,
              help="Seconds a task may run before it is stopped [default: podcast.toml's [queue] "
                   "time_limit, else 900].")
@click.option("--retry-delay", type=click.FloatRange(0.1), default=30.0,
              help="Seconds before a task that met a rate limit or timeout runs again; doubles each time.")
@config_option
def worker(broker: str | None, queue_name: str | None, concurrency: int | None, name: str | None,
           time_limit: float | None, retry_delay: float, config_path: Path | None) -> None:
    """Run a Celery worker that builds what batch --broker and bulletin --broker send, until stopped.

    Needs the extra podcast[queue]. The --out folders and clip caches named in the
    work must be on storage this machine sees at the same paths as the sender.
    """
    from .queue import default_concurrency, queue_settings, run_worker, worker_loglevel

    settings = queue_settings(broker, queue_name, time_limit, config_path, retry_delay)
    if settings is None:
        raise PodcastError("no broker: pass --broker, set PODCAST_BROKER_URL or [queue] broker in podcast.toml")
    run_worker(settings, concurrency or default_concurrency(), name, worker_loglevel(reporter().verbosity))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def engines(as_json: bool) -> None:
    """List speech engines, whether they work here, and their voices."""
    from .speech import REGISTRY

    rows = []
    for name in REGISTRY.names():
        engine = REGISTRY.get(name)
        state = engine.available()
        rows.append({
            "name": name,
            "available": state.ok,
            "reason": state.reason,
            "languages": list(engine.languages),
            "voices": [v.id for v in engine.voices()],
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        status = "available" if row["available"] else f"unavailable ({row['reason']})"
        click.echo(f"{row['name']:8} {status}; languages: {', '.join(row['languages'])}; "
                   f"voices: {', '.join(row['voices'])}")


@cli.command()
@config_option
@base_url_option
@channel_options
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
def init(config_path: Path | None, base_url: str | None, channel_overrides: dict, force: bool) -> None:
    """Write podcast.toml with the channel settings (Dutch defaults, options override them)."""
    from .config import DEFAULT_CONFIG_FILE, Channel, validate_channel, write_channel_config
    from .feed import normalize_base_url

    values = {k: v for k, v in channel_overrides.items() if v is not None}
    if base_url:
        values["base_url"] = normalize_base_url(base_url)
    path = write_channel_config(config_path or DEFAULT_CONFIG_FILE, validate_channel(Channel(**values)),
                                force=force)
    reporter().notice(f"wrote {path}; edit it, then: podcast build ARTICLE --feed output/feed.xml")
    click.echo(str(path))


@cli.command()
@click.argument("manifests", metavar="MANIFEST.json...", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--feed", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The RSS feed file to add the episodes to (created if missing).")
@base_url_option
@config_option
@channel_options
@site_option
@click.option("--json", "as_json", is_flag=True, help="Print what was published as JSON.")
def publish(manifests: tuple[Path, ...], feed: Path, base_url: str | None, config_path: Path | None,
            channel_overrides: dict, with_site: bool, as_json: bool) -> None:
    """Add episodes (their .episode.json manifests) to FEED, or update them there."""
    from .config import load_channel
    from .feed import publish_episode

    channel = load_channel(config_path, channel_overrides)
    base_url = base_url or channel.base_url or _missing_base_url()
    results = []
    for manifest in manifests:
        published = publish_episode(manifest, feed, base_url, channel, notice=reporter().notice)
        _report_published(published)
        results.append(published)
    if with_site:
        write_show_site(feed)
    if as_json:
        click.echo(json.dumps([{"feed": str(p.feed), "guid": p.guid, "title": p.title, "added": p.added,
                                "items": p.items, "enclosure_url": p.enclosure_url} for p in results],
                              ensure_ascii=False))
    else:
        click.echo(str(feed))


@cli.command()
@click.argument("feed_path", metavar="FEED", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              show_default=False, help="Folder for the pages [default: the feed's folder].")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def site(feed_path: Path, out_dir: Path | None, as_json: bool) -> None:
    """Write the show's static web pages for FEED: index.html and one page per episode."""
    written = write_show_site(feed_path, out_dir)
    if as_json:
        click.echo(json.dumps({"index": str(written.index), "episodes": written.episodes,
                               "pages": [str(p) for p in written.pages]}, ensure_ascii=False))
    else:
        click.echo(str(written.index))


@cli.group()
def feed() -> None:
    """Inspect a podcast feed."""


@feed.command("check")
@click.argument("feed_path", metavar="FEED", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def feed_check(feed_path: Path, as_json: bool) -> None:
    """Check FEED against Apple's requirements and parse it with podcastparser and feedparser."""
    from .feed import check_feed

    report = check_feed(feed_path)
    if as_json:
        click.echo(json.dumps({"feed": str(report.feed), "ok": report.ok, "episodes": report.episodes,
                               "problems": list(report.problems), "warnings": list(report.warnings)},
                              ensure_ascii=False))
    else:
        for problem in report.problems:
            click.echo(f"fail: {problem}")
        for warning in report.warnings:
            click.echo(f"warn: {warning}")
    if not report.ok:
        count = len(report.problems)
        raise PodcastError(f"{feed_path} fails {count} check{'s' if count != 1 else ''}")
    if not as_json:
        click.echo(f"ok: {feed_path}: {report.episodes} episode{'s' if report.episodes != 1 else ''}; "
                   "meets Apple's requirements; podcastparser and feedparser read every episode")


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, help="Port (0 picks a free one).")
@click.option("--host", default="0.0.0.0", help="Address to listen on; 0.0.0.0 lets phones on the network in.")
def serve(directory: Path, port: int, host: str) -> None:
    """Serve DIR (the output folder) so podcast apps on the network can subscribe."""
    from urllib.parse import quote

    from .serve import make_server, public_url

    log = reporter().debug if reporter().verbosity > 0 else None
    server = make_server(directory, host, port, log=log)
    url = public_url(server, host)
    click.echo(url)
    for feed_file in sorted(directory.glob("*.xml")):
        reporter().notice(f"feed: {url}{quote(feed_file.name)}")
    reporter().notice("serving; press Ctrl-C to stop")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        reporter().notice("stopped")
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; user errors become one line on stderr and exit 1."""
    try:
        cli.main(args=argv, prog_name="podcast", standalone_mode=False)
    except PodcastError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except MemoryError:
        click.echo("error: out of memory", err=True)
        sys.exit(1)
    except Exception as exc:  # a bug: still one line, never a traceback, unless asked for
        from .config import environment

        if environment().debug:
            raise
        click.echo(f"error: unexpected {exc.__class__.__name__}: {exc} (a bug in podcast; "
                   "PODCAST_DEBUG=1 shows where)", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
