"""`build --full`: the whole article read out, its sections as chapters."""

from __future__ import annotations

from pathlib import Path

import pytest

from podcast.article import load_article
from podcast.readout import MAX_SEGMENT_CHARS, compose_full_script
from podcast.script import Script

from .conftest import audio_seconds, manifest_of, run_cli

LONG_PARAGRAPH = " ".join(
    f"Op dag {n} van de proef reden er {n * 40} bussen zonder bestuurder door de wijk, "
    f"en de reizigers gaven de rit gemiddeld een {6 + n % 4} als rapportcijfer."
    for n in range(1, 13)
)

ARTICLE = f"""Zelfrijdende bussen rijden een maand door Eindhoven

De gemeente Eindhoven heeft een maand lang zelfrijdende bussen laten rijden in de wijk Strijp. De proef moest laten zien of reizigers zo'n bus vertrouwen.

Wat de proef liet zien

{LONG_PARAGRAPH}

De vervoerder wil volgend jaar een tweede proef houden, dan ook in de avonduren.

Wat er nog moet gebeuren

Voordat de bussen echt mogen rijden, moet de wet worden aangepast. Het ministerie verwacht daar twee jaar voor nodig te hebben.
"""


@pytest.fixture(scope="module")
def article_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("full") / "bussen.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_full_script_reads_every_sentence_with_sections_as_chapters(article_file: Path) -> None:
    article = load_article(str(article_file))
    script = compose_full_script(article)
    kinds = [s.kind for s in script.segments]
    assert kinds[:2] == ["intro", "headline"] and kinds[-1] == "outro"
    sections = [s for s in script.segments if s.kind == "section"]
    assert [s.text for s in sections] == ["Wat de proef liet zien", "Wat er nog moet gebeuren"]
    # Every word of every paragraph is read, in order.
    body = " ".join(s.text for s in script.segments if s.kind == "point")
    assert body.split() == " ".join(article.paragraphs).split()
    # Long paragraphs are cut between sentences, so clips stay paragraph-sized.
    assert all(len(s.text) <= MAX_SEGMENT_CHARS for s in script.segments if s.kind == "point")
    assert all(s.text.endswith(".") for s in script.segments if s.kind == "point")
    assert len([s for s in script.segments if s.chapter == "Wat de proef liet zien"]) > 3


def test_build_full_writes_chapters_per_section(article_file: Path, tmp_path: Path, shared_cache: Path) -> None:
    result = run_cli("build", str(article_file), "--full", "--out", str(tmp_path), "--cache-dir",
                     str(shared_cache), "--engine", "espeak", "--json")
    assert result.returncode == 0, result.stderr.decode()
    manifest = manifest_of(result)
    script = Script.load(manifest["script"])
    spoken_chars = sum(len(s.text) for s in script.segments)
    assert spoken_chars > len(LONG_PARAGRAPH)
    heard = audio_seconds(Path(manifest["audio"]))
    assert heard > 60  # the whole text, not a 3-sentence summary
    assert abs(heard - manifest["duration"]) < 0.5

    from mutagen.id3 import ID3

    tags = ID3(manifest["audio"])
    toc = tags.getall("CTOC")[0]
    chapters = {frame.element_id: frame for frame in tags.getall("CHAP")}
    titles = [chapters[cid].sub_frames["TIT2"].text[0] for cid in toc.child_element_ids]
    assert titles[-3:-1] == ["Wat de proef liet zien", "Wat er nog moet gebeuren"]
    starts = [chapters[cid].start_time for cid in toc.child_element_ids]
    assert starts == sorted(starts) and starts[0] == 0
