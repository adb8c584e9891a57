"""Broadcast-grade audio, checked on episodes built in this test run.

Every episode is built once per session (the seed article, the bundled example,
and the example again with --music, --cover and --bitrate) and read back the way
a podcast app would: ffmpeg's ebur128 for loudness, ffmpeg's ffmetadata dump (what
ffprobe shows) and mutagen for tags and chapters, the files next to the MP3 for
transcripts and chapters JSON.
"""

from __future__ import annotations

import io
import json
import math
import re
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import pytest

from podcast import RenderOptions, build_episode
from podcast.audio import (
    SAMPLE_RATE,
    STING_SECONDS,
    Part,
    Placed,
    chapter_element_ids,
    limit,
    measure_file,
    place_chapters,
    resample,
)
from podcast.cover import MAX_COVER_SIZE, MIN_COVER_SIZE, draw_cover, load_cover
from podcast.errors import PodcastError
from podcast.ffmpeg import decode_to_pcm, ffmpeg_exe
from podcast.script import Script

from .conftest import EXAMPLE, audio_seconds, run_cli
from .seed import SEED, seed_path

#: The product aims at -16 ±0.3 LUFS (encoded again when further off); a test that accepted
#: Apple's ±1 would pass a target moved by most of a decibel.
LOUDNESS_TEST_TOLERANCE = 0.5


# --- reading an episode back ---------------------------------------------------------


@dataclass(frozen=True)
class FfChapter:
    start: float
    end: float
    title: str


def ffmetadata(mp3: Path) -> tuple[dict[str, str], list[FfChapter]]:
    """Global tags and chapters as ffmpeg reads them (the same parser ffprobe uses)."""
    text = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(mp3), "-f", "ffmetadata", "-"],
        capture_output=True, check=True,
    ).stdout.decode("utf-8")
    head, *sections = text.split("[CHAPTER]")
    tags = dict(line.split("=", 1) for line in head.splitlines()[1:] if "=" in line)
    chapters = []
    for section in sections:
        fields = dict(line.split("=", 1) for line in section.strip().splitlines() if "=" in line)
        num, den = (int(x) for x in fields["TIMEBASE"].split("/"))
        chapters.append(FfChapter(int(fields["START"]) * num / den, int(fields["END"]) * num / den,
                                  fields.get("title", "")))
    return tags, chapters


def vtt_cues(text: str) -> list[tuple[float, float, list[str]]]:
    """(start, end, lines) of each WebVTT cue."""
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    assert text.startswith("WEBVTT\n")
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.splitlines()
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        start, end = (seconds(t.strip()) for t in lines[timing].split("-->"))
        cues.append((start, end, lines[timing + 1:]))
    return cues


def sine_music(path: Path, seconds: float = 6.0) -> Path:
    """A little synthesised music file (chords of sines) as MP3, made with ffmpeg."""
    import numpy as np

    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.18, 329.63))
    pcm = (chord / 3 * 0.5 * 32767).astype("<i2").tobytes()
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1",
         "-i", "pipe:0", "-b:a", "128k", "-y", str(path)],
        input=pcm, check=True,
    )
    return path


def window(pcm: bytes, start: float, end: float) -> bytes:
    """The 16-bit mono samples between *start* and *end* seconds (negative: from the end)."""
    frames = len(pcm) // 2
    first, last = (int(t * SAMPLE_RATE) % frames if t < 0 else int(t * SAMPLE_RATE) for t in (start, end))
    return pcm[first * 2: last * 2]


def rms_db(pcm: bytes) -> float:
    import numpy as np

    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768
    return 10 * math.log10(max(np.mean(x * x), 1e-12))


# --- episodes built once per session -------------------------------------------------


@pytest.fixture(scope="session")
def episodes(tmp_path_factory, shared_cache: Path) -> dict:
    """The seed article and the bundled example, built offline with espeak-ng."""
    built = {"example": build_episode(str(EXAMPLE), tmp_path_factory.mktemp("example"),
                                      render=RenderOptions(engine="espeak", cache_dir=shared_cache))}
    if SEED is not None:
        built["seed"] = build_episode(str(SEED), tmp_path_factory.mktemp("seed"),
                                      render=RenderOptions(engine="espeak", cache_dir=shared_cache))
    return built


@pytest.fixture(scope="session")
def dressed(tmp_path_factory, shared_cache: Path) -> dict:
    """The example with a music bed, a cover (a PNG) and 128 kbps, through the library in this process
    (the CLI's --music, --cover and --bitrate are checked by the error cases below)."""
    from PIL import Image

    work = tmp_path_factory.mktemp("dressed")
    music = sine_music(work / "muziek.mp3")
    cover = work / "hoes.png"
    Image.new("RGB", (1500, 1500), (200, 30, 60)).save(cover)
    episode = build_episode(str(EXAMPLE), work / "out", render=RenderOptions(
        engine="espeak", cache_dir=shared_cache, music=music, cover=cover, bitrate="128k"))
    return {"manifest": episode.to_manifest(), "cover": cover}


@pytest.fixture(params=["seed", "example"])
def episode(request, episodes: dict):
    if request.param not in episodes:
        seed_path()
    return episodes[request.param]


# --- acceptance: loudness, format, tags, chapters, transcript ---------------------------


def test_loudness_is_minus_16_lufs_with_true_peak_under_minus_1(episode) -> None:
    measured = measure_file(episode.audio)  # ffmpeg ebur128 on the final MP3
    assert abs(measured.integrated - -16.0) <= LOUDNESS_TEST_TOLERANCE
    assert measured.true_peak <= -1.0


def test_mono_44k_cbr_96k_by_default(episode) -> None:
    from mutagen.mp3 import MP3, BitrateMode

    info = MP3(str(episode.audio)).info
    assert (info.channels, info.sample_rate, info.bitrate) == (1, 44100, 96000)
    assert info.bitrate_mode == BitrateMode.CBR  # from LAME's Info tag
    assert abs(audio_seconds(episode.audio) - episode.duration) < 0.3


def test_tags_title_artist_album_genre_date_and_cover(episode) -> None:
    from mutagen.id3 import ID3
    from PIL import Image

    script = Script.load(episode.script)
    tags, _ = ffmetadata(episode.audio)
    assert tags["title"] == script.title
    assert tags["artist"] == tags["album"] == script.show
    assert tags["genre"] == "Podcast"
    assert tags["date"] == script.date and script.date
    assert tags["comment"] == f"Bron: {Path(script.source).name}"  # the file name, never a private path
    id3 = ID3(str(episode.audio))
    assert id3["TLAN"].text == ["dut"]
    (picture,) = id3.getall("APIC")
    assert picture.type == 3 and picture.mime == "image/jpeg"
    with Image.open(io.BytesIO(picture.data)) as image:
        assert image.format == "JPEG"
        assert image.width == image.height and MIN_COVER_SIZE <= image.width <= MAX_COVER_SIZE


def test_chapters_in_order_inside_the_audio_matching_the_script(episode) -> None:
    _, chapters = ffmetadata(episode.audio)
    heard = audio_seconds(episode.audio)
    assert len(chapters) >= 3
    assert chapters[0].start == 0
    for before, after in zip(chapters, chapters[1:], strict=False):
        assert before.start < after.start and before.end == pytest.approx(after.start, abs=0.001)
    assert all(0 <= c.start < c.end <= heard + 0.05 for c in chapters)
    script = Script.load(episode.script)
    titles = [s.chapter for i, s in enumerate(script.segments) if i == 0 or s.chapter != script.segments[i - 1].chapter]
    assert [c.title for c in chapters] == titles


def test_chapters_json_starts_at_zero_and_matches_id3_one_for_one(episode) -> None:
    from mutagen.id3 import ID3

    manifest = json.loads(episode.manifest.read_text())
    assert Path(manifest["chapters"]) == episode.chapters_json and episode.chapters_json.is_file()
    document = json.loads(episode.chapters_json.read_text())
    assert document["version"] == "1.2.0"
    marks = document["chapters"]
    assert marks[0]["startTime"] == 0
    id3 = ID3(str(episode.audio))
    toc = id3.getall("CTOC")[0]
    chaps = [id3[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert len(chaps) == len(marks) >= 3
    for mark, chap in zip(marks, chaps, strict=True):
        assert chap.sub_frames["TIT2"].text == [mark["title"]]
        assert chap.start_time == round(mark["startTime"] * 1000)
        assert chap.end_time == round(mark["endTime"] * 1000)


def test_transcript_follows_the_audio_to_its_end(episode) -> None:
    manifest = json.loads(episode.manifest.read_text())
    assert Path(manifest["transcript"]) == episode.transcript and episode.transcript.suffix == ".vtt"
    cues = vtt_cues(episode.transcript.read_text())
    heard = audio_seconds(episode.audio)
    assert abs(cues[-1][1] - heard) <= 1.0
    assert all(a[0] <= b[0] and a[1] <= b[0] + 0.001 for a, b in zip(cues, cues[1:], strict=False))
    assert all(len(line) <= 65 for _, _, lines in cues for line in lines)
    # Every word of the script is in the transcript, in order.
    script = Script.load(episode.script)
    spoken = " ".join(" ".join(lines) for _, _, lines in cues if lines != ["[muziek]"])
    assert spoken.split() == " ".join(s.text for s in script.segments).split()
    srt = episode.transcript.with_suffix(".srt").read_text()
    assert srt.count(" --> ") == len(cues)
    assert re.match(r"1\n00:00:00,000 --> 00:00:0\d,\d{3}\n", srt)


def test_stings_open_and_close_the_episode(episodes: dict) -> None:
    episode = episodes["example"]
    pcm = decode_to_pcm(episode.audio, SAMPLE_RATE)
    intro = window(pcm, 0.2, STING_SECONDS * 0.6)
    outro = window(pcm, -(STING_SECONDS + 0.4), -1.0)
    assert rms_db(intro) > -40 and rms_db(outro) > -40  # a chime, not silence
    cues = vtt_cues(episode.transcript.read_text())
    assert cues[0][2] == ["[muziek]"] and cues[-1][2] == ["[muziek]"]


# --- options: --music, --cover, --bitrate --------------------------------------------


def test_music_bed_cover_and_bitrate_options(dressed: dict, episodes: dict) -> None:
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    mp3 = Path(dressed["manifest"]["audio"])
    assert MP3(str(mp3)).info.bitrate == 128000
    measured = measure_file(mp3)
    assert abs(measured.integrated - -16.0) <= LOUDNESS_TEST_TOLERANCE and measured.true_peak <= -1.0
    (picture,) = ID3(str(mp3)).getall("APIC")
    assert picture.mime == "image/png" and picture.data == dressed["cover"].read_bytes()
    # The bed plays under the intro sting and is ducked (not gone) under the intro speech,
    # while the middle of the episode is the same speech with or without music.
    plain = decode_to_pcm(episodes["example"].audio, SAMPLE_RATE)
    bedded = decode_to_pcm(mp3, SAMPLE_RATE)
    chapters = episodes["example"].chapters
    gap = (STING_SECONDS - 0.05, STING_SECONDS + 0.25)  # the pause between sting and first words
    assert rms_db(window(bedded, *gap)) > rms_db(window(plain, *gap)) + 20
    middle = (chapters[2].start + 0.5, chapters[2].end - 0.5)
    assert abs(rms_db(window(bedded, *middle)) - rms_db(window(plain, *middle))) < 1.0
    assert abs(len(bedded) - len(plain)) < SAMPLE_RATE * 2 * 0.1


@pytest.mark.parametrize(
    ("option", "make", "message"),
    [
        ("--cover", lambda p: p.write_text("geen plaatje"), "cover is not a JPEG or PNG image: {path}"),
        ("--cover", None, "cover not found: {path}"),
        ("--music", None, "music file not found: {path}"),
        ("--music", lambda p: p.write_text("geen muziek"), "music file is not audio ffmpeg can read: {path}"),
        ("--bitrate", None, "bitrate must be between 8k and 320k (e.g. 96k), not 'veel'"),
    ],
    ids=["cover-text", "cover-missing", "music-missing", "music-text", "bitrate"],
)
def test_bad_options_fail_in_one_line(tmp_path: Path, shared_cache: Path, option, make, message) -> None:
    path = tmp_path / "bestand.jpg"
    if make:
        make(path)
    value = "veel" if option == "--bitrate" else str(path)
    out = tmp_path / "out"
    result = run_cli("build", str(EXAMPLE), "--out", str(out), "--cache-dir", str(shared_cache),
                     "--engine", "espeak", option, value)
    assert result.returncode == 1
    assert result.stderr.decode() == f"error: {message.format(path=path)}\n"
    assert not out.exists() or list(out.iterdir()) == []  # refused before speaking a word


def test_gif_cover_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    gif = tmp_path / "hoes.gif"
    Image.new("RGB", (1400, 1400)).save(gif)
    with pytest.raises(PodcastError, match=r"^cover is not a JPEG or PNG image: .*hoes\.gif \(GIF\)$"):
        load_cover(gif)


# --- the parts on their own ----------------------------------------------------------


def test_default_cover_is_a_square_jpeg_that_names_the_show() -> None:
    from PIL import Image

    cover = draw_cover("Het Nieuws in het Kort")
    assert cover.mime == "image/jpeg"
    with Image.open(io.BytesIO(cover.data)) as image:
        assert image.format == "JPEG" and image.size == (1400, 1400)
    assert draw_cover("Het Nieuws in het Kort").data == cover.data  # same bytes every run
    assert draw_cover("Een ander programma").data != cover.data
    with pytest.raises(PodcastError):
        draw_cover("x", size=800)


def test_cover_text_never_draws_missing_glyph_boxes() -> None:
    from podcast.cover import _font, drawable_text

    font = _font(100)
    assert drawable_text("Het Café – ĳs voor € 2", font) == "Het Cafe - ijs voor EUR 2"
    assert drawable_text("Nieuws & Duiding", font) == "Nieuws & Duiding"


def test_limiter_keeps_every_sample_under_the_ceiling() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    x = (rng.standard_normal(50_000) * 0.3).astype(np.float32)
    y = limit(x, 0.5)
    assert np.abs(y).max() <= 0.5 + 1e-6
    quiet = np.abs(x) < 0.05
    assert np.abs(y[quiet] - x[quiet]).max() < 0.05  # only near the peaks does it act much


def test_a_missed_target_is_corrected_by_gain_and_a_peak_overshoot_by_the_ceiling() -> None:
    from podcast.audio import Loudness, correction, needs_correction

    assert not needs_correction(Loudness(-16.2, -1.5))
    # The product's tolerance is 0.3 LU either side: just inside is left, just outside is encoded again.
    assert not needs_correction(Loudness(-16.28, -2.0)) and not needs_correction(Loudness(-15.72, -2.0))
    assert needs_correction(Loudness(-16.32, -2.0)) and needs_correction(Loudness(-15.68, -2.0))
    assert needs_correction(Loudness(-16.6, -2.0)) and needs_correction(Loudness(-16.0, -0.8))
    quiet = correction(Loudness(-16.6, -2.0), ceiling_db=-1.8)
    assert quiet.gain_db == pytest.approx(0.6) and quiet.ceiling_db == -1.8
    peaky = correction(Loudness(-16.0, -0.8), ceiling_db=-1.8)
    assert peaky.gain_db == pytest.approx(0.0) and peaky.ceiling_db == pytest.approx(-2.3)


def test_resample_keeps_length_and_pitch() -> None:
    import numpy as np

    for rate in (22050, 24000, 16000):
        t = np.arange(rate) / rate
        tone = np.sin(2 * np.pi * 440 * t).astype(np.float32)
        out = resample(tone, rate)
        assert len(out) == SAMPLE_RATE
        spectrum = np.abs(np.fft.rfft(out))
        assert abs(np.argmax(spectrum) - 440) <= 1


def test_chapters_merge_segments_and_tile_the_episode() -> None:
    parts = [Part(Path("a"), "intro", "Intro"), Part(Path("b"), "headline", "Kop"),
             Part(Path("c"), "point", "Kop"), Part(Path("d"), "outro", "Slot")]
    placed = [Placed(0, 2.0, 4.0), Placed(1, 5.0, 7.0), Placed(2, 7.5, 9.0), Placed(3, 10.0, 12.0)]
    chapters = place_chapters(parts, placed, 14.5)
    assert [(c.title, c.start, c.end) for c in chapters] == [
        ("Intro", 0.0, 4.5), ("Kop", 4.5, 9.5), ("Slot", 9.5, 14.5)]
    assert chapter_element_ids(3) == ["ch00", "ch01", "ch02"]
    assert chapter_element_ids(120)[-1] == "ch119" and len(set(map(len, chapter_element_ids(120)))) == 1


def test_clip_at_another_rate_lands_at_its_real_length(tmp_path: Path) -> None:
    """A 24 kHz clip (gTTS's rate) takes its real time in the episode, and the transcript follows."""
    import numpy as np

    from podcast.audio import Tags, produce_episode

    clip = tmp_path / "clip.wav"
    t = np.arange(24000 * 3) / 24000
    voice = (np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t)) * 0.3 * 32767).astype("<i2")
    with wave.open(str(clip), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(24000)
        wav.writeframes(voice.tobytes())
    produced = produce_episode([(clip, "intro", "Intro"), (clip, "point", "Punt 1"), (clip, "outro", "Slot")],
                               tmp_path / "ep.mp3", Tags("Titel", "Show", "Show"))
    assert [round(p.end - p.start, 2) for p in produced.placements] == [3.0, 3.0, 3.0]
    assert abs(audio_seconds(produced.path) - produced.duration) < 0.1
    assert abs(produced.integrated_lufs - -16.0) <= LOUDNESS_TEST_TOLERANCE and produced.true_peak <= -1.0
    assert [c.title for c in produced.chapters] == ["Intro", "Punt 1", "Slot"]


def test_a_shows_drawn_cover_is_drawn_once_and_kept_apart_from_the_clips(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import podcast.cover
    from podcast.config import environment

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user"))
    monkeypatch.setenv("PODCAST_CACHE_DIR", str(tmp_path / "clips"))
    environment.cache_clear()
    drawn: list[str] = []
    real = podcast.cover.draw_cover
    monkeypatch.setattr(podcast.cover, "draw_cover", lambda show: drawn.append(show) or real(show))
    try:
        first = podcast.cover.default_cover("De Ochtendbrief")
        again = podcast.cover.default_cover("De Ochtendbrief")
        other = podcast.cover.default_cover("De Avondbrief")
    finally:
        environment.cache_clear()
    assert drawn == ["De Ochtendbrief", "De Avondbrief"]
    assert again == first and first.data == real("De Ochtendbrief").data and other.data != first.data
    assert len(list((tmp_path / "user" / "podcast" / "covers").glob("*.jpg"))) == 2
    assert not (tmp_path / "clips").exists()
