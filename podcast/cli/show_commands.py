"""Commands for a show: bulletin, worker, engines, init, site, feed check and serve.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..config import DEFAULT_SHOW_NAME
from ..errors import PodcastError
from ..lang import SUPPORTED as LANGUAGES
from .option_groups import (
    base_url_option,
    broker_options,
    bulletin_options,
    channel_options,
    config_option,
    feed_options,
    out_option,
    publishing_target,
    render_options,
    report_published,
    site_needs_feed,
    site_option,
    write_show_site,
)
from .shell import cli, describe_episode, progress_bar, reporter


@cli.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@out_option
@bulletin_options
@click.option("--show", default=DEFAULT_SHOW_NAME, help="Show name spoken in the intro and outro.")
@click.option("--language", type=click.Choice(["auto", *LANGUAGES]), default="auto",
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
    from ..bulletin import build_bulletin
    from ..options import ScriptOptions
    from ..queue import queue_settings

    script_options = ScriptOptions(show=show, language=None if language == "auto" else language).checked()
    site_needs_feed(with_site, feed)
    settings = None if local else queue_settings(broker, queue_name, config_path=config_path)
    workers = None
    if settings is not None:  # an unreachable broker is one line before any work or folder
        from ..queue.send import BulletinWorkers

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
        report_published(result.published)
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
    from ..queue import default_concurrency, queue_settings, run_worker, worker_loglevel

    settings = queue_settings(broker, queue_name, time_limit, config_path, retry_delay)
    if settings is None:
        raise PodcastError("no broker: pass --broker, set PODCAST_BROKER_URL or [queue] broker in podcast.toml")
    run_worker(settings, concurrency or default_concurrency(), name, worker_loglevel(reporter().verbosity))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def engines(as_json: bool) -> None:
    """List speech engines, whether they work here, and their voices."""
    from ..speech import REGISTRY

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
    from ..config import DEFAULT_CONFIG_FILE, Channel, validate_channel, write_channel_config
    from ..feed import normalize_base_url

    values = {k: v for k, v in channel_overrides.items() if v is not None}
    if base_url:
        values["base_url"] = normalize_base_url(base_url)
    path = write_channel_config(config_path or DEFAULT_CONFIG_FILE, validate_channel(Channel(**values)),
                                force=force)
    reporter().notice(f"wrote {path}; edit it, then: podcast build ARTICLE --feed output/feed.xml")
    click.echo(str(path))


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
    from ..feed import check_feed

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

    from ..serve import make_server, public_url

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
