"""The command line's shell: the group and its -q/-v, the reporter of notices, the progress bar,
how an episode is shown, and ``main``, which turns every error into one line.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator

import click

from ..errors import PodcastError

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
    from ..feed import clock
    from ..ffmpeg import ffmpeg_binary

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
        from ..config import environment

        if environment().debug:
            raise
        click.echo(f"error: unexpected {exc.__class__.__name__}: {exc} (a bug in podcast; "
                   "PODCAST_DEBUG=1 shows where)", err=True)
        sys.exit(1)
