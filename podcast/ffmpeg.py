"""Choose the ffmpeg a build uses, learn what it can do in one process, and run it.

**Which binary.** By default the imageio-ffmpeg wheel's, even when the user has one on
PATH: it is a known version, the same bytes on every machine (so the same article makes
the same MP3 everywhere: we promise determinism), it starts in about 0.013 s where
Debian 12's ffmpeg 5.1 takes about 0.08 s to load its many shared libraries, and it
encodes about 20% faster. ``PODCAST_FFMPEG`` names another (a path, or a command such
as ``ffmpeg`` looked up on PATH): the user's explicit choice, so one that lacks
something is an error. The ffmpeg on PATH stands in only where the wheel has no
binary for this platform, or where its binary cannot do the job (with a notice).

**What it can do.** Versions differ in what they accept: Debian 12's 5.1 rejects
``ebur128=framelog=quiet``, which newer builds take. One ``ffmpeg -h full`` (every
filter's, encoder's and muxer's options, after a banner with the version) answers
every question at once; the answer is kept per binary (its real path, size and change
time) in the user's cache folder, beside but apart from the clip cache, so a fresh clip
cache (a new ``PODCAST_CACHE_DIR``, a CI job) asks nothing again. The imageio-ffmpeg
wheel ships no ffprobe, so nothing here depends on one: decoding goes straight to raw
PCM through ffmpeg itself.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .config import environment, tool_cache_dir
from .errors import PodcastError

Notice = Callable[[str], None]

#: Bump when the probe or NEEDS change, so cached answers are asked again.
PROBE_VERSION = 2
CAPABILITY_FILE = "ffmpeg-capabilities.json"
PROBE_TIMEOUT = 20.0


@dataclass(frozen=True)
class Need:
    """Something the pipeline asks of ffmpeg: a filter, encoder or muxer, with options it uses.

    An option is ``name`` or ``name=constant`` (the option must accept that named value).
    """

    kind: str
    name: str
    options: tuple[str, ...] = ()

    def describe(self, option: str | None = None) -> str:
        return f"the {self.name} {self.kind}" + (f" option {option}" if option else "")

    @property
    def heading(self) -> str:
        """How ``ffmpeg -h full`` heads this one's options (lower case): the AVClass name.

        Filters go by their name, encoders and muxers add their kind (``libmp3lame
        encoder``, ``Tee muxer``), in every release from 4.4 on.
        """
        name = self.name if self.kind == "filter" else f"{self.name} {self.kind}"
        return f"{name} avoptions:".lower()


#: What every episode needs: the loudness meter with true peak, the safety limiter without
#: its auto-levelling (which would undo our gain), the MP3 encoder, and the tee muxer that
#: lets the encode be measured as it is written.
EBUR128 = Need("filter", "ebur128", ("peak=true",))
NEEDS: tuple[Need, ...] = (
    EBUR128,
    Need("filter", "alimiter", ("limit", "attack", "release", "level")),
    Need("filter", "volume"),
    Need("encoder", "libmp3lame"),
    Need("muxer", "tee"),
)


@dataclass(frozen=True)
class Ffmpeg:
    """One ffmpeg binary and what it can do for us."""

    path: str
    #: Where it came from: ``PODCAST_FFMPEG``, ``imageio-ffmpeg`` or ``PATH``.
    origin: str
    version: str
    #: What it lacks of :data:`NEEDS`, in words; empty when it does the whole job.
    missing: tuple[str, ...] = ()
    #: ebur128's ``framelog`` values: ``quiet`` (newer builds) keeps the per-frame lines out
    #: of the log; ``verbose`` does so on older ones when ffmpeg logs at ``info``.
    framelog_levels: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How messages name it: the path and the version it reports."""
        return f"{self.path} (ffmpeg {self.version})"

    @property
    def usable(self) -> bool:
        return not self.missing

    def ebur128(self, per_frame: bool = False) -> str:
        """The loudness filter as this binary accepts it: true peak, and at log level info
        no per-frame lines, or with *per_frame* one line every 100 ms (the running reading)."""
        for level in (("info",) if per_frame else ("quiet", "verbose")):
            if level in self.framelog_levels:
                return f"ebur128=peak=true:framelog={level}"
        return "ebur128=peak=true"


# --- asking a binary what it offers ----------------------------------------------------


def parse_options(help_text: str) -> dict[str, set[str]]:
    """Option names of one AVOptions block of ffmpeg's help, each with its named constants.

    Options sit at one indentation; the constants an option accepts follow it, indented deeper.
    """
    options: dict[str, set[str]] = {}
    current: str | None = None
    indent = None
    for line in help_text.splitlines():
        match = re.match(r"^(\s+)-?(\w+)\s+(<\w+>)?", line)
        if not match:
            current = None
            continue
        depth = len(match.group(1))
        if match.group(3):  # "   peak   <flags>   ..." : an option
            current, indent = match.group(2), depth
            options.setdefault(current, set())
        elif current is not None and indent is not None and depth > indent:
            options[current].add(match.group(2))
    return options


def option_blocks(full_help: str) -> dict[str, str]:
    """``ffmpeg -h full`` cut into its AVOptions blocks, by heading (lower case).

    A block starts at an unindented line ending in ``AVOptions:`` and runs to the next
    unindented line; a heading met twice (some classes are listed twice) keeps the first.
    """
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in full_help.splitlines():
        if line[:1].strip():  # unindented: a heading, or the end of a block
            heading = line.strip().lower()
            current = blocks.setdefault(heading, []) if heading.endswith("avoptions:") and heading not in blocks \
                else None
        elif current is not None:
            current.append(line)
    return {heading: "\n".join(lines) for heading, lines in blocks.items()}


def lacking(need: Need, options: dict[str, set[str]] | None) -> list[str]:
    """What an offer lacks of *need*, in words (empty: it has all of it)."""
    if options is None:
        return [need.describe()]
    missing = []
    for option in need.options:
        name, _, value = option.partition("=")
        if name not in options or (value and value not in options[name]):
            missing.append(need.describe(option))
    return missing


def read_full_help(path: str, origin: str, banner: str, full_help: str) -> Ffmpeg:
    """What one ``ffmpeg -h full`` says: the version from its banner, and what it lacks of NEEDS."""
    match = re.search(r"ffmpeg version (\S+)", banner)
    if not match:
        last = (banner + full_help).strip().splitlines()[-1:] or ["no output"]
        return Ffmpeg(path, origin, "?", (f"a binary that runs ({last[0][:120]})",))
    blocks = option_blocks(full_help)
    offers = {need: parse_options(blocks[need.heading]) if need.heading in blocks else None for need in NEEDS}
    missing = [words for need, options in offers.items() for words in lacking(need, options)]
    framelog = (offers[EBUR128] or {}).get("framelog", set())
    return Ffmpeg(path, origin, match.group(1), tuple(missing), tuple(sorted(framelog)))


def probe(path: str, origin: str) -> Ffmpeg:
    """Ask the binary at *path* its version and what it offers: one ``ffmpeg -h full``.

    The banner (with the version) goes to stderr, the help to stdout.
    """
    try:
        proc = subprocess.run([path, "-h", "full"], capture_output=True, timeout=PROBE_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return Ffmpeg(path, origin, "?", (f"a binary that runs ({exc.__class__.__name__})",))
    return read_full_help(path, origin, proc.stderr.decode("utf-8", "replace"),
                          proc.stdout.decode("utf-8", "replace"))


def _stamp(path: str) -> list[int | str]:
    """What identifies one build of a binary on disk: its real path, size and change time."""
    real = Path(path).resolve()
    info = real.stat()
    return [str(real), info.st_size, info.st_mtime_ns]


def _still_there(key: str) -> bool:
    """Whether a cached answer's binary is still on disk (answers for removed ones are dropped)."""
    try:
        return Path(json.loads(key)[1]).is_file()
    except (ValueError, IndexError, TypeError):
        return False


def capability_file() -> Path:
    """Where the answers are kept: the user's cache folder, never inside a clip cache."""
    return tool_cache_dir() / CAPABILITY_FILE


def inspect_ffmpeg(path: str, origin: str) -> Ffmpeg:
    """:func:`probe`, answered from the on-disk cache when this very binary was asked before."""
    from .fsutil import atomic_write_text

    try:
        stamp = _stamp(path)
    except OSError as exc:
        return Ffmpeg(path, origin, "?", (f"a binary that exists ({exc.strerror})",))
    key = json.dumps([PROBE_VERSION, *stamp])
    store = capability_file()
    try:
        known = json.loads(store.read_text(encoding="utf-8"))
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    cached = known.get(key)
    if isinstance(cached, dict):
        try:
            return Ffmpeg(path, origin, str(cached["version"]), tuple(cached["missing"]),
                          tuple(cached["framelog_levels"]))
        except (KeyError, TypeError):
            pass
    found = probe(path, origin)
    if found.version != "?":  # a binary that did not run may work next time: don't remember it
        known = {k: v for k, v in known.items() if _still_there(k)}
        known[key] = {k: v for k, v in asdict(found).items() if k not in ("path", "origin")}
        # A read-only cache only costs the probe next time.
        with contextlib.suppress(OSError, PodcastError):
            atomic_write_text(store, json.dumps(known, indent=1) + "\n")
    return found


# --- choosing one ----------------------------------------------------------------------


def _wheel_ffmpeg() -> str | None:
    """The imageio-ffmpeg wheel's binary, or None where the wheel has none for this platform."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return None


def lacking_message(ffmpeg: Ffmpeg) -> str:
    return f"{ffmpeg.label} lacks {', '.join(ffmpeg.missing)}"


def _configured(name: str) -> str:
    """``PODCAST_FFMPEG`` as a path: a bare command name is looked up on PATH."""
    if "/" in name or "\\" in name:
        return name
    return shutil.which(name) or name


def choose_ffmpeg() -> tuple[Ffmpeg, list[str]]:
    """The ffmpeg to use and the notices about any passed over.

    ``PODCAST_FFMPEG`` if set (an error when it cannot do the job), else the wheel's
    (see the module's docstring for why), else the one on PATH. The one on PATH is not
    even run while the wheel's can do the job.
    """
    configured = environment().ffmpeg
    if configured:
        chosen = inspect_ffmpeg(_configured(configured), "PODCAST_FFMPEG")
        if not chosen.usable:
            raise PodcastError(f"PODCAST_FFMPEG={lacking_message(chosen)}; "
                               "point it at ffmpeg 4.4 or later, or unset it to use the bundled one")
        return chosen, []
    notices: list[str] = []
    rejected: list[Ffmpeg] = []
    for find, origin in ((_wheel_ffmpeg, "imageio-ffmpeg"), (lambda: shutil.which("ffmpeg"), "PATH")):
        path = find()
        if not path:
            continue
        candidate = inspect_ffmpeg(path, origin)
        if candidate.usable:
            notices += [f"notice: {lacking_message(r)}; using {candidate.label} instead" for r in rejected]
            return candidate, notices
        rejected.append(candidate)
    if rejected:
        raise PodcastError("; ".join(lacking_message(r) for r in rejected) + "; install ffmpeg 4.4 or later")
    raise PodcastError("ffmpeg not found: install ffmpeg or the imageio-ffmpeg package")


_chosen: Ffmpeg | None = None
_chosen_lock = threading.Lock()


def _stderr_notice(message: str) -> None:
    print(message, file=sys.stderr)


def ffmpeg_binary(notice: Notice | None = None) -> Ffmpeg:
    """The ffmpeg this process uses, chosen on first call; notices go to *notice* then."""
    global _chosen  # one choice per process, like the binary it names
    with _chosen_lock:
        if _chosen is None:
            chosen, notices = choose_ffmpeg()
            for message in notices:
                (notice or _stderr_notice)(message)
            _chosen = chosen
        return _chosen


def forget_choice() -> None:
    """Choose again on the next call (after PATH or PODCAST_FFMPEG changed)."""
    global _chosen
    with _chosen_lock:
        _chosen = None
    environment.cache_clear()
    configure_pydub.cache_clear()


def ffmpeg_exe() -> str:
    """The path of the ffmpeg in use (see :func:`ffmpeg_binary`)."""
    return ffmpeg_binary().path


# --- running it ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def configure_pydub() -> None:
    """Point pydub at our ffmpeg before importing it, so it prints no missing-ffmpeg warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
        warnings.filterwarnings("ignore", message="Couldn't find ffprobe", category=RuntimeWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*audioop.*")
        from pydub import AudioSegment

    AudioSegment.converter = ffmpeg_exe()


def ffmpeg_command(*args: str, loglevel: str = "error") -> list[str]:
    """An ffmpeg command line: our binary, quiet, never reading the terminal, then *args*."""
    return [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, *args]


#: Lines ffmpeg ends many failures with that say nothing of the cause.
GENERIC_FAILURE_LINE = re.compile(r"^(Conversion failed!|Error while processing the decoded data.*|Exiting with.*)$")


def failure(what: str, stderr: bytes | str, returncode: int | None) -> PodcastError:
    """ffmpeg's failure as one line: *what* failed, with ffmpeg's last telling line as the reason."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    telling = [line for line in lines if not GENERIC_FAILURE_LINE.match(line)] or lines
    return PodcastError(f"{what} failed: {telling[-1] if telling else f'exit code {returncode}'}")


def run_ffmpeg(args: list[str], input_bytes: bytes | None = None, what: str = "ffmpeg") -> bytes:
    """Run ffmpeg quietly; return stdout or raise PodcastError with ffmpeg's last line."""
    proc = subprocess.run(ffmpeg_command(*args), input=input_bytes, capture_output=True, check=False)
    if proc.returncode != 0:
        raise failure(what, proc.stderr, proc.returncode)
    return proc.stdout


def ffmpeg_log(args: list[str], what: str = "ffmpeg") -> str:
    """Run ffmpeg at log level info and return what it logged (filters such as ebur128 report there)."""
    proc = subprocess.run(ffmpeg_command(*args, loglevel="info"), capture_output=True, check=False)
    if proc.returncode != 0:
        raise failure(what, proc.stderr, proc.returncode)
    return proc.stderr.decode("utf-8", "replace")


def decode_to_pcm(source: Path | bytes, sample_rate: int, channels: int = 1) -> bytes:
    """Decode any audio file (or bytes) to signed 16-bit little-endian PCM."""
    from_bytes = isinstance(source, (bytes, bytearray))
    return run_ffmpeg(
        ["-i", "pipe:0" if from_bytes else str(source), "-f", "s16le", "-acodec", "pcm_s16le",
         "-ar", str(sample_rate), "-ac", str(channels), "pipe:1"],
        input_bytes=bytes(source) if from_bytes else None,
        what="decoding audio" if from_bytes else f"decoding {source}",
    )
