"""Whichever ffmpeg a user has: the episode meets its loudness, or the build fails in one line.

The ffmpeg builds users have are played by stand-ins (tests/standin_ffmpeg.py): the
wheel's real ffmpeg behind a script that refuses what an older or stripped build
refuses. By default a build uses the wheel's ffmpeg even with Debian's on PATH; CI
also runs the audio and build tests with ``PODCAST_FFMPEG=ffmpeg``, Debian's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from podcast.audio import Loudness, check_target, measure_file, parse_ebur128
from podcast.errors import PodcastError
from podcast.ffmpeg import (
    EBUR128,
    Ffmpeg,
    capability_file,
    choose_ffmpeg,
    failure,
    lacking,
    option_blocks,
    parse_options,
    read_full_help,
)

from .conftest import EXAMPLE, audio_seconds, cli_env, run_cli
from .standin_ffmpeg import path_with, standin_ffmpeg, wheel_ffmpeg


def ffmpeg_version(path: str) -> str:
    first = subprocess.run([path, "-version"], capture_output=True, check=True).stdout.decode().splitlines()[0]
    return first.split()[2]


def measured(mp3: Path) -> Loudness:
    """ebur128 of the wheel's ffmpeg on *mp3*, independent of the ffmpeg that built it."""
    text = subprocess.run([wheel_ffmpeg(), "-hide_banner", "-nostats", "-i", str(mp3), "-af",
                           "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                          capture_output=True, check=True).stderr.decode()
    return parse_ebur128(text)


def build(out: Path, cache: Path, env: dict[str, str], *extra: str):
    return run_cli(*extra, "build", str(EXAMPLE), "--engine", "espeak", "--out", str(out),
                   "--cache-dir", str(cache), env=env)


@pytest.fixture
def probe_cache(tmp_path: Path) -> dict[str, str]:
    """A user cache folder of this test's own (where the capability answers live), so no
    earlier answer hides a probe."""
    return {"XDG_CACHE_HOME": str(tmp_path / "user-cache")}


@pytest.fixture
def process_env() -> Iterator[pytest.MonkeyPatch]:
    """Environment changes for this process's own choice of ffmpeg, read afresh and undone after."""
    from podcast.config import environment

    environment.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        yield patch
    environment.cache_clear()


# --- whole builds with the ffmpeg builds users have -----------------------------------------


@pytest.mark.parametrize("how", ["path", "command"])
def test_a_build_whose_loudness_cannot_be_measured_fails_in_one_line_and_leaves_no_mp3(
        how: str, tmp_path: Path, shared_cache: Path, probe_cache: dict[str, str]) -> None:
    """PODCAST_FFMPEG as a path, or as a command name found on PATH."""
    standin = standin_ffmpeg(tmp_path / "bin", refuse="ebur128=")
    env = {**probe_cache, **({"PODCAST_FFMPEG": str(standin)} if how == "path"
                             else {"PODCAST_FFMPEG": "ffmpeg", "PATH": path_with(standin.parent)})}
    out = tmp_path / "out"
    result = build(out, shared_cache, env)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"error: measuring loudness with {standin} (ffmpeg {ffmpeg_version(wheel_ffmpeg())}) failed: "
        "Failed to inject frame into filter network: Invalid argument"]
    assert result.stdout == b""
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".mp3" or p.name.startswith(".")) == []


def test_by_default_the_wheels_ffmpeg_builds_and_the_one_on_path_is_not_even_run(
        tmp_path: Path, shared_cache: Path, probe_cache: dict[str, str]) -> None:
    log = tmp_path / "calls.log"
    standin = standin_ffmpeg(tmp_path / "bin", log=log)
    default = {**probe_cache, "PATH": path_with(standin.parent), "PODCAST_FFMPEG": ""}  # even where CI sets it
    result = build(tmp_path / "out", shared_cache, default, "-v")
    assert result.returncode == 0, result.stderr.decode()
    version = ffmpeg_version(wheel_ffmpeg())
    assert f"ffmpeg: {wheel_ffmpeg()} (ffmpeg {version}), from imageio-ffmpeg" in result.stderr.decode().splitlines()
    assert not log.exists()
    loudness = measured(Path(result.stdout.decode().strip()))
    assert abs(loudness.integrated + 16) <= 0.5 and loudness.true_peak <= -1.0


def test_the_ffmpeg_on_path_stands_in_where_the_wheels_cannot_do_the_job(
        tmp_path: Path, probe_cache: dict[str, str], process_env: pytest.MonkeyPatch) -> None:
    import podcast.ffmpeg

    monkeypatch = process_env
    lame = standin_ffmpeg(tmp_path / "wheel", unknown_filter="ebur128")
    good = standin_ffmpeg(tmp_path / "bin")
    monkeypatch.setenv("XDG_CACHE_HOME", probe_cache["XDG_CACHE_HOME"])
    monkeypatch.setenv("PATH", path_with(good.parent))
    monkeypatch.delenv("PODCAST_FFMPEG", raising=False)
    version = ffmpeg_version(wheel_ffmpeg())
    monkeypatch.setattr(podcast.ffmpeg, "_wheel_ffmpeg", lambda: str(lame))
    chosen, notices = choose_ffmpeg()
    assert (chosen.path, chosen.origin) == (str(good), "PATH")
    assert notices == [f"notice: {lame} (ffmpeg {version}) lacks the ebur128 filter; "
                       f"using {good} (ffmpeg {version}) instead"]
    monkeypatch.setattr(podcast.ffmpeg, "_wheel_ffmpeg", lambda: None)  # no binary for this platform
    assert choose_ffmpeg() == (chosen, [])


def test_podcast_ffmpeg_without_the_meter_fails_before_anything_is_spoken_or_written(
        tmp_path: Path, cache_dir: Path, probe_cache: dict[str, str]) -> None:
    standin = standin_ffmpeg(tmp_path / "bin", unknown_filter="ebur128")
    out = tmp_path / "out"
    result = build(out, cache_dir, {**probe_cache, "PODCAST_FFMPEG": str(standin)})
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        f"error: PODCAST_FFMPEG={standin} (ffmpeg {ffmpeg_version(wheel_ffmpeg())}) lacks the ebur128 filter; "
        "point it at ffmpeg 4.4 or later, or unset it to use the bundled one"]
    assert list(out.iterdir()) == [] and not cache_dir.exists()


def test_an_ffmpeg_that_rejects_framelog_quiet_like_debian_12_still_reaches_minus_16(
        tmp_path: Path, shared_cache: Path, probe_cache: dict[str, str]) -> None:
    """Debian 12's ffmpeg 5.1 knows framelog=info|verbose only: the meter is asked accordingly."""
    log = tmp_path / "calls.log"
    standin = standin_ffmpeg(tmp_path / "bin", refuse="framelog=quiet", hide_help_line=r"^\s+quiet\s+-8 ", log=log)
    result = build(tmp_path / "out", shared_cache, {**probe_cache, "PODCAST_FFMPEG": str(standin)}, "-q")
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    loudness = measured(Path(result.stdout.decode().strip()))
    assert abs(loudness.integrated + 16) <= 0.5 and loudness.true_peak <= -1.0
    calls = log.read_text()
    # The meter follows the encode frame by frame (framelog=info), never in the form 5.1 refuses.
    assert "ebur128=peak=true:framelog=info" in calls and "framelog=quiet" not in calls


def test_what_an_ffmpeg_offers_is_asked_in_one_process_once_and_outlives_a_fresh_clip_cache(
        tmp_path: Path, probe_cache: dict[str, str]) -> None:
    log = tmp_path / "calls.log"
    standin = standin_ffmpeg(tmp_path / "bin", log=log)
    choose = [sys.executable, "-c", "from podcast.ffmpeg import ffmpeg_binary as f; b = f(); print(b.origin, b.usable)"]
    for run in range(2):  # each run with a clip cache of its own, as a fresh CI job or worker has
        env = {**probe_cache, "PODCAST_FFMPEG": str(standin), "PODCAST_CACHE_DIR": str(tmp_path / f"clips-{run}")}
        done = subprocess.run(choose, capture_output=True, env=cli_env(env), check=True)
        assert done.stdout.decode().split() == ["PODCAST_FFMPEG", "True"]
    assert log.read_text().splitlines() == ["-h full"]
    store = Path(probe_cache["XDG_CACHE_HOME"]) / "podcast" / "ffmpeg-capabilities.json"
    cached = json.loads(store.read_text())
    assert [entry["missing"] for entry in cached.values()] == [[]]
    assert not (tmp_path / "clips-0").exists()


def test_the_capability_answers_live_in_the_user_cache_whatever_the_clip_cache(
        tmp_path: Path, process_env: pytest.MonkeyPatch) -> None:
    process_env.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    process_env.setenv("PODCAST_CACHE_DIR", str(tmp_path / "clips"))
    assert capability_file() == tmp_path / "user" / "podcast" / "ffmpeg-capabilities.json"


# --- the parts -------------------------------------------------------------------------------

#: Part of ``ffmpeg -h full`` of Debian 12's ffmpeg 5.1 (abridged; ours, typed from its layout).
DEBIAN_5_1_FULL_HELP = """Hyper fast Audio and Video encoder
usage: ffmpeg [options] [[infile options] -i infile]... {[outfile options] -o outfile}...

libmp3lame encoder AVOptions:
  -reservoir         <boolean>    E...A...... use bit reservoir (default true)
Tee muxer AVOptions:
  -use_fifo          <boolean>    E.......... Use fifo pseudo-muxer to separate actual muxers from encoder (default false)
alimiter AVOptions:
   level_in          <double>     ..F.A....T. set input level (from 0.015625 to 64) (default 1)
   limit             <double>     ..F.A....T. set limit (from 0.0625 to 1) (default 1)
   attack            <double>     ..F.A....T. set attack (from 0.1 to 80) (default 5)
   release           <double>     ..F.A....T. set release (from 1 to 8000) (default 50)
   level             <boolean>    ..F.A....T. auto level (default true)
ebur128 AVOptions:
   video             <boolean>    ..FV....... set video output (default false)
   framelog          <int>        ..FVA...... force frame logging level (from INT_MIN to INT_MAX) (default -1)
     info            32           ..FVA...... information logging level
     verbose         40           ..FVA...... verbose logging level
   peak              <flags>      ..F.A...... set peak mode (default 0)
     none                         ..F.A...... disable any peak mode
     sample                       ..F.A...... enable peak-sample mode
     true                         ..F.A...... enable true-peak mode
   dualmono          <boolean>    ..F.A...... treat mono input files as dual-mono (default false)
volume AVOptions:
   volume            <string>     ..F.A....T. set volume adjustment expression (default "1.0")
"""
DEBIAN_5_1_BANNER = "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n"


def test_a_help_answer_is_read_as_options_with_their_values() -> None:
    options = parse_options(option_blocks(DEBIAN_5_1_FULL_HELP)["ebur128 avoptions:"])
    assert options == {"video": set(), "framelog": {"info", "verbose"}, "peak": {"none", "sample", "true"},
                       "dualmono": set()}
    assert lacking(EBUR128, options) == []
    assert lacking(EBUR128, {"peak": {"none", "sample"}}) == ["the ebur128 filter option peak=true"]
    assert lacking(EBUR128, None) == ["the ebur128 filter"]


def test_one_full_help_tells_the_version_and_everything_a_build_needs() -> None:
    debian = read_full_help("/usr/bin/ffmpeg", "PATH", DEBIAN_5_1_BANNER, DEBIAN_5_1_FULL_HELP)
    assert debian == Ffmpeg("/usr/bin/ffmpeg", "PATH", "5.1.9-0+deb12u1", (), ("info", "verbose"))
    without_lame = DEBIAN_5_1_FULL_HELP.replace("libmp3lame encoder AVOptions:", "libshine encoder AVOptions:")
    stripped = read_full_help("ff", "PATH", DEBIAN_5_1_BANNER, without_lame.replace("level             <b", "lvl <b"))
    assert stripped.missing == ("the alimiter filter option level", "the libmp3lame encoder")
    assert read_full_help("ff", "PATH", "", "not ffmpeg at all\n").missing == (
        "a binary that runs (not ffmpeg at all)",)


def test_the_meter_is_asked_in_the_form_each_build_accepts() -> None:
    def ffmpeg(*levels: str) -> Ffmpeg:
        return Ffmpeg("ffmpeg", "PATH", "x", (), levels)

    assert ffmpeg("info", "quiet", "verbose").ebur128() == "ebur128=peak=true:framelog=quiet"
    assert ffmpeg("info", "verbose").ebur128() == "ebur128=peak=true:framelog=verbose"
    assert ffmpeg().ebur128() == "ebur128=peak=true"


SUMMARY = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         {i} LUFS
    Threshold: -26.4 LUFS

  True peak:
    Peak:      {peak} dBFS
"""


def test_a_loudness_reading_that_is_missing_unreadable_or_silent_is_an_error() -> None:
    assert parse_ebur128(SUMMARY.format(i="-16.1", peak="-1.9"), "ff") == Loudness(-16.1, -1.9)
    with pytest.raises(PodcastError) as missing:
        parse_ebur128("Error reinitializing filters!\n", "/usr/bin/ffmpeg (ffmpeg 5.1)")
    assert str(missing.value) == ("cannot measure loudness: the ebur128 filter of /usr/bin/ffmpeg (ffmpeg 5.1) "
                                  "gave no summary")
    with pytest.raises(PodcastError) as unreadable:
        parse_ebur128(SUMMARY.format(i="n/a", peak="-1.9"), "ff")
    assert str(unreadable.value) == "cannot measure loudness: cannot read the ebur128 summary of ff"
    for i, peak in (("-inf", "-inf"), ("-16.0", "-inf"), ("-inf", "-3.0")):
        with pytest.raises(PodcastError) as silent:
            parse_ebur128(SUMMARY.format(i=i, peak=peak), "ff")
        assert str(silent.value) == "cannot measure loudness: the ebur128 filter of ff heard no audio (-inf LUFS)"


def test_an_episode_still_off_target_after_its_corrections_fails_the_build() -> None:
    for fine in (Loudness(-16.0, -1.0), Loudness(-15.0, -2.0), Loudness(-17.0, -5.0)):
        check_target(fine)
    for off in (Loudness(-14.9, -2.0), Loudness(-17.1, -2.0), Loudness(-16.0, -0.9), Loudness(-48.1, -33.9)):
        with pytest.raises(PodcastError, match=r"^the episode reads .* LUFS with a true peak of .* dBTP after 3 "
                                               r"encodes with .*; the target is -16 ±1 LUFS and at most -1 dBTP$"):
            check_target(off)


def test_ffmpeg_failures_name_the_telling_line_not_the_generic_last_one() -> None:
    stderr = ("Error reinitializing filters!\nFailed to inject frame into filter network: Invalid argument\n"
              "Error while processing the decoded data for stream #0:0\nConversion failed!\n")
    assert str(failure("measuring", stderr, 1)) == \
        "measuring failed: Failed to inject frame into filter network: Invalid argument"
    assert str(failure("encoding", b"", 139)) == "encoding failed: exit code 139"


def test_ci_runs_the_suite_with_the_ffmpeg_it_means_to() -> None:
    """.ci/run runs the suite with Debian's ffmpeg on PATH (the wheel's is used), the audio and
    build tests with ``PODCAST_FFMPEG=ffmpeg`` (Debian's), and again with none on PATH."""
    expected = os.environ.get("PODCAST_EXPECT_FFMPEG")
    if not expected:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must say which ffmpeg the suite runs with (PODCAST_EXPECT_FFMPEG)")
        pytest.skip("PODCAST_EXPECT_FFMPEG is not set (CI sets it for each of its runs)")
    chosen, notices = choose_ffmpeg()
    assert (chosen.origin, chosen.usable, notices) == (expected, True, [])


# --- the encoder's own rules -------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [
    ("96k", "96k"), ("128K", "128k"), ("96000", "96k"), (" 64 k ", "64k"), ("8k", "8k"), ("320k", "320k"),
])
def test_bitrates_are_read_in_the_forms_people_write_them(given: str, expected: str) -> None:
    from podcast.audio import check_bitrate

    assert check_bitrate(given) == expected


@pytest.mark.parametrize("bad", ["7k", "321k", "veel", "", "96kk", "-96k", "1000", "96 kbps"])
def test_bitrates_outside_lames_range_are_one_line_errors(bad: str) -> None:
    from podcast.audio import check_bitrate

    with pytest.raises(PodcastError) as error:
        check_bitrate(bad)
    assert str(error.value) == f"bitrate must be between 8k and 320k (e.g. 96k), not {bad!r}"


def test_an_episode_file_name_with_the_tee_muxers_special_characters_is_written(tmp_path: Path) -> None:
    """The encode writes through ffmpeg's tee muxer, whose output list gives [ ] | : \\ a meaning."""
    import numpy as np

    from podcast.audio import SAMPLE_RATE, encode_mp3, to_pcm

    seconds = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
    tone = (0.1 * np.sin(2 * np.pi * 440 * seconds) * (0.6 + 0.4 * np.sin(2 * np.pi * 2 * seconds))).astype(np.float32)
    pcm = tmp_path / "tone.pcm"
    pcm.write_bytes(to_pcm(tone))
    target = tmp_path / "uitzending [1]: a|b.mp3"
    loudness = encode_mp3(pcm, target, gain_db=0.0, bitrate="64k")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tone.pcm", "uitzending [1]: a|b.mp3"]
    assert loudness == measure_file(target)  # the meter read the very frames the file holds
    assert abs(audio_seconds(target) - 3.0) < 0.1


def test_the_last_ebur128_summary_is_the_one_read() -> None:
    """ffmpeg logs a summary per filter instance; the measurement is the final one."""
    earlier = SUMMARY.format(i="-30.0", peak="-9.0")
    assert parse_ebur128(SUMMARY.format(i="-16.1", peak="-1.9").removeprefix("[Parsed_ebur128_0 @ 0x1] "), "ff") == \
        Loudness(-16.1, -1.9)  # a log that starts with the summary
    assert parse_ebur128(earlier + SUMMARY.format(i="-16.1", peak="-1.9"), "ff") == Loudness(-16.1, -1.9)


def test_measuring_something_that_is_not_audio_names_the_ffmpeg(tmp_path: Path) -> None:
    from podcast.ffmpeg import ffmpeg_binary

    not_audio = tmp_path / "leeg.mp3"
    not_audio.write_bytes(b"geen geluid")
    with pytest.raises(PodcastError) as error:
        measure_file(not_audio)
    assert str(error.value).startswith(f"measuring loudness with {ffmpeg_binary().label} failed: ")
