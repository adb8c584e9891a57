"""`podcast build`: the main job, offline, and its error messages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import EXAMPLE, audio_seconds, manifest_of, run_cli


def test_build_example_offline_writes_playable_episode(tmp_path: Path, shared_cache: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("build", str(EXAMPLE), "--out", str(out), "--cache-dir", str(shared_cache), "--json")
    assert result.returncode == 0, result.stderr.decode()
    manifest = manifest_of(result)
    assert manifest["engine"] == "espeak"
    assert manifest["title"].startswith("De nieuwe fietsbrug")
    mp3 = Path(manifest["audio"])
    assert mp3.parent == out and mp3.suffix == ".mp3"
    assert 20 <= audio_seconds(mp3) <= 300
    assert abs(audio_seconds(mp3) - manifest["duration"]) < 0.5
    assert Path(manifest["script"]).is_file()
    assert {"audio", "duration", "title", "engine", "script", "transcript", "chapters", "guid"} <= set(manifest)
    notice = result.stderr.decode().strip().splitlines()
    assert len(notice) == 1 and "gTTS" in notice[0] and "espeak" in notice[0]


def test_build_without_json_prints_mp3_path(tmp_path: Path, shared_cache: Path) -> None:
    result = run_cli("-q", "build", str(EXAMPLE), "--out", str(tmp_path), "--cache-dir", str(shared_cache))
    assert result.returncode == 0, result.stderr.decode()
    printed = Path(result.stdout.decode().strip())
    assert printed.suffix == ".mp3" and printed.is_file()
    assert result.stderr == b""


def test_verbose_build_reports_sound_and_chapters_on_stderr(tmp_path: Path, shared_cache: Path) -> None:
    result = run_cli("-v", "build", str(EXAMPLE), "--out", str(tmp_path), "--cache-dir", str(shared_cache),
                     "--engine", "espeak")
    assert result.returncode == 0, result.stderr.decode()
    assert Path(result.stdout.decode().strip()).suffix == ".mp3"  # data on stdout, nothing else
    err = result.stderr.decode().splitlines()
    sound = next(line for line in err if line.startswith("sound: "))
    lufs = float(sound.split(", ")[1].split()[0])
    assert abs(lufs + 16) <= 0.5  # the product aims at ±0.3
    chapters = [line for line in err if line.startswith("chapter ")]
    assert chapters[0] == "chapter 0:00 Intro" and len(chapters) >= 3


def test_build_from_stdin(tmp_path: Path, shared_cache: Path) -> None:
    result = run_cli("build", "-", "--out", str(tmp_path), "--cache-dir", str(shared_cache), "--json",
                     stdin=EXAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    assert manifest_of(result)["title"].startswith("De nieuwe fietsbrug")


def test_engine_gtts_offline_fails_with_one_line(tmp_path: Path, cache_dir: Path) -> None:
    result = run_cli("build", str(EXAMPLE), "--out", str(tmp_path), "--cache-dir", str(cache_dir),
                     "--engine", "gtts")  # run_cli's Google refuses connections
    assert result.returncode == 1
    assert result.stderr.decode() == "error: gTTS failed: cannot connect to Google (no network?)\n"
    assert list(tmp_path.glob("*.mp3")) == []


def test_a_machine_without_dns_is_told_so() -> None:
    import requests
    from gtts.tts import gTTSError

    from podcast.speech.gtts import describe_failure

    try:
        try:
            raise requests.exceptions.ConnectionError(
                "HTTPSConnectionPool(host='translate.google.com', port=443): Max retries exceeded "
                "(Caused by NameResolutionError(\"Failed to resolve 'translate.google.com'\"))")
        except requests.exceptions.ConnectionError as cause:
            raise gTTSError("Failed to connect") from cause
    except gTTSError as exc:
        assert describe_failure(exc) == ("cannot resolve translate.google.com (no network?)", False)


def _assert_clean_failure(result, message: str, out: Path, keep: tuple[str, ...] = ()) -> None:
    """One line, exit 1, and nothing left in the folder *out*: no MP3, no partial file, no
    temporary folder; only the entries named in *keep*, which were there before."""
    err = result.stderr.decode()
    assert result.returncode == 1
    assert err == f"error: {message}\n"
    assert out.is_dir(), f"{out} should be a folder"
    assert sorted(p.name for p in out.iterdir() if p.name not in keep) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "article is empty: {path}"),
        (b"  \n\t\n   \n", "article is empty: {path}"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "article is not a text file (binary data): {path}"),
    ],
    ids=["empty", "blank", "binary"],
)
def test_bad_article_files(tmp_path: Path, cache_dir: Path, content: bytes, message: str) -> None:
    article = tmp_path / "artikel.txt"
    article.write_bytes(content)
    out = tmp_path / "out"
    result = run_cli("build", str(article), "--out", str(out), "--cache-dir", str(cache_dir))
    _assert_clean_failure(result, message.format(path=article), out)


def test_missing_article(tmp_path: Path, cache_dir: Path) -> None:
    missing = tmp_path / "bestaat-niet.txt"
    result = run_cli("build", str(missing), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir))
    _assert_clean_failure(result, f"article not found: {missing}", tmp_path / "out")


def test_directory_as_article(tmp_path: Path, cache_dir: Path) -> None:
    result = run_cli("build", str(tmp_path), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir))
    _assert_clean_failure(result, f"article is a directory, not a file: {tmp_path}", tmp_path / "out")


@contextmanager
def unwritable_dir(path: Path) -> Iterator[Path]:
    """A folder this user cannot write into: read-only bits, or for root (who ignores those)
    the immutable attribute, which even root's writes obey."""
    path.mkdir()
    if os.geteuid() != 0:
        path.chmod(0o500)
        try:
            yield path
        finally:
            path.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip(f"as root, a folder can be made unwritable only with chattr +i, which {path.parent} refuses")
    try:
        yield path
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_unwritable_out_dir(tmp_path: Path, cache_dir: Path) -> None:
    with unwritable_dir(tmp_path / "locked") as out:
        result = run_cli("build", str(EXAMPLE), "--out", str(out), "--cache-dir", str(cache_dir))
        _assert_clean_failure(result, f"output directory is not writable: {out}", out)


def test_out_is_a_file(tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "not-a-dir"
    out.write_text("x")
    result = run_cli("build", str(EXAMPLE), "--out", str(out), "--cache-dir", str(cache_dir))
    _assert_clean_failure(result, f"output location is not a directory: {out}", tmp_path, keep=("not-a-dir",))
    assert out.read_text() == "x"


def test_out_under_a_file(tmp_path: Path, cache_dir: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker / "sub"
    result = run_cli("build", str(EXAMPLE), "--out", str(out), "--cache-dir", str(cache_dir))
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"error: cannot create output directory {out}: ")
    assert result.stderr.decode().count("\n") == 1


def test_verbose_printing_handles_an_episode_with_every_optional_field_missing(tmp_path: Path) -> None:
    from podcast.cli import describe_episode
    from podcast.ffmpeg import ffmpeg_binary
    from podcast.records import Episode

    bare = Episode(audio=tmp_path / "a.mp3", duration=12.34, title="T", engine="espeak",
                   script=tmp_path / "a.script.json", guid="g", manifest=tmp_path / "a.episode.json")
    ffmpeg = ffmpeg_binary()
    assert describe_episode(bare) == [
        "voice: espeak (0 clips from the cache)",
        "sound: 12.3 s",
        f"ffmpeg: {ffmpeg.label}, from {ffmpeg.origin}",
        f"wrote {tmp_path / 'a.script.json'}",
        f"wrote {tmp_path / 'a.episode.json'}",
    ]
    assert bare.to_manifest()["transcript"] is None and bare.to_manifest()["chapters"] is None


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch, capsys) -> None:
    import podcast.pipeline
    from podcast.cli import main

    def broken(*args, **kwargs):
        raise TypeError("unsupported format string passed to NoneType.__format__")

    monkeypatch.setattr(podcast.pipeline, "build_episode", broken)
    monkeypatch.delenv("PODCAST_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["-v", "build", str(EXAMPLE), "--json"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "error: unexpected TypeError: unsupported format string passed to NoneType.__format__ "
        "(a bug in podcast; PODCAST_DEBUG=1 shows where)"]


@pytest.mark.parametrize("verbosity", ["-q", None, "-v", "-vv"])
@pytest.mark.parametrize("as_json", [True, False])
def test_every_verbosity_and_output_form_prints_the_episode(verbosity: str | None, as_json: bool, tmp_path: Path,
                                                            shared_cache: Path) -> None:
    """Data on stdout (the MP3's path or the manifest), notices by verbosity on stderr, no traceback."""
    args = ([verbosity] if verbosity else []) + ["build", str(EXAMPLE), "--engine", "espeak", "--out",
                                                 str(tmp_path), "--cache-dir", str(shared_cache)]
    result = run_cli(*args, *(["--json"] if as_json else []))
    assert result.returncode == 0, result.stderr.decode()
    mp3 = Path(manifest_of(result)["audio"]) if as_json else Path(result.stdout.decode().strip())
    assert mp3.is_file() and mp3.suffix == ".mp3"
    err = result.stderr.decode()
    assert "Traceback" not in err
    if verbosity == "-q" or verbosity is None:
        assert err == ""
    else:
        lines = err.splitlines()
        assert re.fullmatch(r"voice: espeak \((0|8) clips from the cache\)", lines[0])  # 0: it ran first
        assert lines[1].startswith("sound: ") and lines[1].endswith(" dBTP")
        assert lines[-1] == f"wrote {mp3.with_suffix('').with_suffix('.episode.json')}"
