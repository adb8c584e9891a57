"""Stand-ins for the ffmpeg builds users have: a real ffmpeg behind a small shell script
that refuses what an older or stripped build refuses, and answers ``-h`` as it would."""

from __future__ import annotations

import os
import shlex
from pathlib import Path


def wheel_ffmpeg() -> str:
    """The imageio-ffmpeg wheel's binary: always installed, whatever is on PATH."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def standin_ffmpeg(
    folder: Path,
    *,
    refuse: str | None = None,
    unknown_filter: str | None = None,
    hide_help_line: str | None = None,
    log: Path | None = None,
) -> Path:
    """Write ``folder/ffmpeg``, a script in front of the wheel's real ffmpeg.

    *refuse*: any argument containing this text fails as ffmpeg does on an option it
    rejects (exit 1, its error lines). *unknown_filter*: ``-h full`` answers as a build without
    that filter. *hide_help_line*: lines of ``-h`` answers matching this
    (an extended regex) are left out, as in a build without that option value.
    *log*: every call's arguments are appended to this file.
    """
    real = shlex.quote(wheel_ffmpeg())
    lines = ["#!/bin/sh"]
    if log is not None:
        lines.append(f"printf '%s\\n' \"$*\" >> {shlex.quote(str(log))}")
    if refuse:
        lines += [
            'for arg in "$@"; do',
            f"  case \"$arg\" in *{shlex.quote(refuse)}*)",
            # What Debian 12's ffmpeg 5.1 says of ebur128=...:framelog=quiet.
            "    echo 'Error reinitializing filters!' >&2",
            "    echo 'Failed to inject frame into filter network: Invalid argument' >&2",
            "    echo 'Conversion failed!' >&2",
            "    exit 1;;",
            "  esac",
            "done",
        ]
    help_filters = []
    if unknown_filter:  # its block of options left out of the help, as in a build without it
        heading = shlex.quote(f"{unknown_filter} AVOptions:")
        help_filters.append(f"awk -v h={heading} '/^[^ ]/ {{skip = ($0 == h)}} !skip'")
    if hide_help_line:
        help_filters.append(f"grep -v -E {shlex.quote(hide_help_line)}")
    if help_filters:
        lines += [
            'case " $* " in *" -h "*)',
            f"  {real} \"$@\" | {' | '.join(help_filters)}",
            "  exit 0;;",
            "esac",
        ]
    lines.append(f'exec {real} "$@"')
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "ffmpeg"
    script.write_text("\n".join(lines) + "\n")
    script.chmod(0o755)
    return script


def path_with(folder: Path) -> str:
    """PATH with *folder* first, so its ``ffmpeg`` is the one found."""
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"
