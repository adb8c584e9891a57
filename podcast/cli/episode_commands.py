"""Commands for episodes: build, script, render, batch and publish.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..config import DEFAULT_JOBS, MAX_JOBS
from .option_groups import (
    base_url_option,
    broker_options,
    channel_options,
    config_option,
    feed_options,
    missing_base_url,
    out_option,
    publishing_target,
    render_options,
    report_published,
    script_options,
    site_needs_feed,
    site_option,
    write_show_site,
)
from .shell import cli, print_episode, progress_bar, reporter


@cli.command()
@click.argument("article")
@out_option
@script_options
@render_options
@click.option("--json", "as_json", is_flag=True, help="Print the episode manifest as JSON.")
@feed_options("Publish the episode into this RSS feed right after building.")
@site_option
@click.option("--options-json", default=None, hidden=True,
              help="Script and render options as one JSON object (how batch hands them to each build).")
def build(article: str, out_dir: Path, script_options, render_options, as_json: bool, feed: Path | None,
          base_url: str | None, config_path: Path | None, channel_overrides: dict, with_site: bool,
          options_json: str | None) -> None:
    """Turn ARTICLE (a path, URL or - for stdin) into an MP3 episode."""
    from ..pipeline import build_episode

    if options_json is not None:
        from ..options import options_from_json

        script_options, render_options = options_from_json(options_json)
    site_needs_feed(with_site, feed)
    if feed is not None:  # check the publishing settings before spending time on speech
        channel, base_url = publishing_target(feed, base_url, config_path, channel_overrides)
    with progress_bar("speaking") as progress:
        episode = build_episode(article, out_dir, script_options, render_options,
                                notice=reporter().notice, progress=progress)
    if feed is not None:
        from ..feed import publish_episode

        report_published(publish_episode(episode, feed, base_url, channel, notice=reporter().notice))
        if with_site:
            write_show_site(feed)
    print_episode(episode, as_json)


@cli.command()
@click.argument("article")
@script_options
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
def script(article: str, script_options, as_json: bool) -> None:
    """Print the script for ARTICLE (a path, URL or - for stdin) without speaking it."""
    from ..pipeline import make_script

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
    from ..pipeline import render_episode
    from ..script import Script

    with progress_bar("speaking") as progress:
        episode = render_episode(Script.load(script_path), out_dir, render_options,
                                 notice=reporter().notice, progress=progress)
    print_episode(episode, as_json)


@cli.command()
@click.argument("articles", nargs=-1, required=True, metavar="FILES...|DIR")
@click.option("--jobs", "-j", type=click.IntRange(1, MAX_JOBS), default=DEFAULT_JOBS, help="Articles built at once.")
@out_option
@script_options
@render_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per article.")
@feed_options("Publish the built episodes into this RSS feed at the end.")
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
    from ..batch import build_many, find_articles
    from ..queue import queue_settings

    sources = find_articles(articles)
    site_needs_feed(with_site, feed)
    settings = None if local else queue_settings(broker, queue_name, config_path=config_path)
    if feed is not None:  # check the publishing settings before spending time on speech
        channel, base_url = publishing_target(feed, base_url, config_path, channel_overrides)

    def report(result) -> None:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False) if as_json else result.summary_line())

    if settings is not None:
        from ..queue import build_many_on_workers

        results = build_many_on_workers(sources, out_dir, script_options, render_options, settings,
                                        on_result=report, notice=reporter().notice)
    else:
        results = build_many(sources, out_dir, script_options, render_options, jobs=jobs, on_result=report)
    built = [r for r in results if r.ok]
    failed = len(results) - len(built)
    if feed is not None and built:
        from ..feed import publish_episode

        for result in built:
            report_published(publish_episode(result.manifest, feed, base_url, channel, notice=reporter().notice))
        if with_site:
            write_show_site(feed)
    reporter().notice(f"{len(built)} built, {failed} failed")
    if failed:  # SystemExit passes through click untouched (ctx.exit's code is dropped by main())
        sys.exit(min(failed, 100))


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
    from ..config import load_channel
    from ..feed import publish_episode

    channel = load_channel(config_path, channel_overrides)
    base_url = base_url or channel.base_url or missing_base_url()
    results = []
    for manifest in manifests:
        published = publish_episode(manifest, feed, base_url, channel, notice=reporter().notice)
        report_published(published)
        results.append(published)
    if with_site:
        write_show_site(feed)
    if as_json:
        click.echo(json.dumps([{"feed": str(p.feed), "guid": p.guid, "title": p.title, "added": p.added,
                                "items": p.items, "enclosure_url": p.enclosure_url} for p in results],
                              ensure_ascii=False))
    else:
        click.echo(str(feed))
