"""Transcripts and chapters JSON: cue cutting, timing and the file formats."""

from __future__ import annotations

import json
from pathlib import Path

from podcast.audio import Chapter
from podcast.transcript import (
    MAX_LINE,
    Cue,
    SpokenText,
    build_cues,
    caption_blocks,
    chapters_document,
    segment_cues,
    split_sentences,
    timestamp,
    to_srt,
    to_webvtt,
    wrap_lines,
    write_transcripts,
)

LONG = ("De gemeenteraad besloot dinsdagavond na een lang debat dat de nieuwe fietsbrug over het kanaal "
        "er komt. Wethouder De Vries noemde het “een dag om te onthouden”. Bouwen kost 4,5 miljoen euro! "
        "Klaar is de brug in 2027.")


def test_sentences_split_after_end_marks_only_before_a_capital_or_digit() -> None:
    assert split_sentences(LONG) == [
        "De gemeenteraad besloot dinsdagavond na een lang debat dat de nieuwe fietsbrug over het kanaal er komt.",
        "Wethouder De Vries noemde het “een dag om te onthouden”.",
        "Bouwen kost 4,5 miljoen euro!",
        "Klaar is de brug in 2027.",
    ]
    assert split_sentences("Om 10.30 uur. ’s Avonds niet.") == ["Om 10.30 uur. ’s Avonds niet."]
    assert split_sentences('Hij zei: "Ja." Daarna niets.') == ['Hij zei: "Ja."', "Daarna niets."]


def test_lines_are_at_most_65_characters_and_cues_at_most_two_lines() -> None:
    blocks = caption_blocks(LONG * 3)
    assert all(len(line) <= MAX_LINE for b in blocks for line in b.splitlines())
    assert all(1 <= len(b.splitlines()) <= 2 for b in blocks)
    assert " ".join(b.replace("\n", " ") for b in blocks).split() == (LONG * 3).split()
    assert wrap_lines("x" * 150) == ["x" * 65, "x" * 65, "x" * 20]


def test_cues_share_the_clip_span_by_length() -> None:
    cues = segment_cues(SpokenText("Kort. Dit is een veel langere zin met meer woorden.", 10.0, 16.0))
    assert [c.text for c in cues] == ["Kort.", "Dit is een veel langere zin met meer woorden."]
    assert cues[0].start == 10.0 and cues[-1].end == 16.0 and cues[0].end == cues[1].start
    assert (cues[1].end - cues[1].start) > 5 * (cues[0].end - cues[0].start)


def test_music_cues_and_time_order() -> None:
    cues = build_cues([SpokenText("Welkom.", 2.1, 3.0), SpokenText("Tot ziens.", 5.0, 6.0)],
                      music=[(0.0, 1.8), (6.6, 8.4)], language="nl")
    assert [c.text for c in cues] == ["[muziek]", "Welkom.", "Tot ziens.", "[muziek]"]
    assert build_cues([], music=[(0.0, 1.0)], language="en")[0].text == "[music]"


def test_timestamps() -> None:
    assert timestamp(3723.5) == "01:02:03.500"
    assert timestamp(0.0004, ",") == "00:00:00,000"
    assert timestamp(59.9996) == "00:01:00.000"


def test_webvtt_and_srt_documents() -> None:
    cues = [Cue(0.0, 1.5, "A & B <zijn> er -->"), Cue(1.5, 3.25, "regel een\nregel twee")]
    assert to_webvtt(cues) == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nA &amp; B &lt;zijn&gt; er —&gt;\n\n"
        "2\n00:00:01.500 --> 00:00:03.250\nregel een\nregel twee\n"
    )
    assert to_srt(cues) == (
        "1\n00:00:00,000 --> 00:00:01,500\nA & B <zijn> er ->\n\n"
        "2\n00:00:01,500 --> 00:00:03,250\nregel een\nregel twee\n"
    )


def test_chapters_json_and_files_written_together(tmp_path: Path) -> None:
    chapters = [Chapter("Intro", 0.0, 4.5), Chapter("Kopregel", 4.5, 9.25)]
    assert chapters_document(chapters) == {"version": "1.2.0", "chapters": [
        {"startTime": 0.0, "endTime": 4.5, "title": "Intro"},
        {"startTime": 4.5, "endTime": 9.25, "title": "Kopregel"},
    ]}
    files = write_transcripts(tmp_path / "2025-01-01-aflevering", [Cue(0.0, 1.0, "Hallo.")], chapters)
    assert files.vtt.name == "2025-01-01-aflevering.vtt" and files.vtt.read_text().startswith("WEBVTT\n")
    assert files.srt.name == "2025-01-01-aflevering.srt"
    assert json.loads(files.chapters.read_text())["chapters"][1]["title"] == "Kopregel"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2025-01-01-aflevering.chapters.json", "2025-01-01-aflevering.srt", "2025-01-01-aflevering.vtt"]
