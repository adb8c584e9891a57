"""The command line: argument parsing, progress and error presentation only.

Every command calls the same library functions a batch job or a test calls.
Heavy imports happen inside the commands, so ``podcast --help`` stays instant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .config import DEFAULT_OUT_DIR, DEFAULT_SHOW_NAME
from .errors import PodcastError

ENGINE_CHOICES = ["auto", "gtts", "espeak"]
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


def engine_option(func):
    return click.option(
        "--engine",
        type=click.Choice(ENGINE_CHOICES),
        default="auto",
        help="Speech engine; auto uses gTTS when Google answers, else espeak-ng.",
    )(func)


def cache_option(func):
    return click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Clip cache directory [default: $PODCAST_CACHE_DIR or the user cache dir].",
        show_default=False,
    )(func)


def out_option(func):
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=DEFAULT_OUT_DIR,
        help="Directory for the episode files.",
    )(func)


def print_episode(episode, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(episode.to_manifest(), ensure_ascii=False))
    else:
        click.echo(str(episode.audio))


@cli.command()
@click.argument("article")
@out_option
@engine_option
@cache_option
@click.option("--length", type=click.FloatRange(15, 600), default=75.0, help="Target seconds of speech.")
@click.option("--show", default=DEFAULT_SHOW_NAME, help="Show name spoken in intro and outro.")
@click.option("--bitrate", default="96k", help="MP3 bitrate (CBR).")
@click.option("--json", "as_json", is_flag=True, help="Print the episode manifest as JSON.")
def build(article: str, out_dir: Path, engine: str, cache_dir: Path | None, length: float,
          show: str, bitrate: str, as_json: bool) -> None:
    """Turn ARTICLE (a path, URL or - for stdin) into an MP3 episode."""
    from .pipeline import build_episode

    episode = build_episode(
        article, out_dir, engine=engine, cache_dir=cache_dir, length=length, show=show,
        bitrate=bitrate, notice=reporter().notice,
    )
    print_episode(episode, as_json)


@cli.command()
@click.argument("article")
@click.option("--length", type=click.FloatRange(15, 600), default=75.0, help="Target seconds of speech.")
@click.option("--show", default=DEFAULT_SHOW_NAME, help="Show name spoken in intro and outro.")
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
def script(article: str, length: float, show: str, as_json: bool) -> None:
    """Print the script for ARTICLE without speaking it."""
    from .pipeline import make_script

    result = make_script(article, length=length, show=show)
    if as_json:
        click.echo(result.to_json(), nl=False)
        return
    click.echo(result.title)
    for seg in result.segments:
        click.echo(f"[{seg.kind}] {seg.text}")


@cli.command()
@click.argument("script_path", metavar="SCRIPT.json", type=click.Path(path_type=Path))
@out_option
@engine_option
@cache_option
@click.option("--bitrate", default="96k", help="MP3 bitrate (CBR).")
@click.option("--json", "as_json", is_flag=True, help="Print the episode manifest as JSON.")
def render(script_path: Path, out_dir: Path, engine: str, cache_dir: Path | None, bitrate: str,
           as_json: bool) -> None:
    """Turn a (hand-edited) SCRIPT.json into an episode."""
    from .pipeline import render_episode
    from .script import Script

    episode = render_episode(
        Script.load(script_path), out_dir, engine=engine, cache_dir=cache_dir, bitrate=bitrate,
        notice=reporter().notice,
    )
    print_episode(episode, as_json)


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


if __name__ == "__main__":
    main()
