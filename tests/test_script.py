"""Stage 3: the script: intro with the date in Dutch, headline, points, outro credit, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podcast.article import load_article, parse_plain_text
from podcast.errors import PodcastError
from podcast.script import Script, Segment, compose_script, intro_text, spoken_date
from podcast.summarize import KeyPoint, Summary, summarize

from .conftest import FIXTURES, manifest_of, run_cli
from .seed import seed_path

ARTICLES = FIXTURES / "articles"


@pytest.mark.parametrize(
    ("iso", "language", "intro"),
    [
        ("2024-08-12", "nl", "Welkom bij De Show, met het nieuws van maandag 12 augustus 2024."),
        ("2025-03-01", "nl", "Welkom bij De Show, met het nieuws van zaterdag 1 maart 2025."),
        ("2024-08", "nl", "Welkom bij De Show, met nieuws uit augustus 2024."),
        (None, "nl", "Welkom bij De Show."),
        ("2024-13-40", "nl", "Welkom bij De Show."),
        ("2024-08-12", "en", "Welcome to De Show, with the news of Monday, August 12, 2024."),
    ],
)
def test_intro_speaks_the_date(iso, language, intro) -> None:
    assert intro_text("De Show", iso, language) == intro


def test_spoken_date() -> None:
    assert spoken_date("2024-05-14") == "14 mei 2024"
    assert spoken_date("2024-05") == "mei 2024"
    assert spoken_date("gisteren") is None


def summary_of(source: str, publisher: str | None) -> Summary:
    point = KeyPoint("De brug is open voor fietsers en voetgangers.", 0, 0, 0)
    return Summary("Brug open", "2025-03-14", source, "nl", (point,), publisher)


@pytest.mark.parametrize(
    ("source", "publisher", "outro"),
    [
        ("x.txt", "RTV Noordoost", "Dat was Het Nieuws in het Kort. Dit verhaal kwam van RTV Noordoost. Tot de volgende keer."),
        ("https://www.example.nl/nieuws/1", None,
         "Dat was Het Nieuws in het Kort. Dit verhaal kwam van example.nl. Tot de volgende keer."),
        ("/data/000_0bce933cc10b940a.txt", None,
         "Dat was Het Nieuws in het Kort. Dit verhaal is gebaseerd op het oorspronkelijke artikel. Tot de volgende keer."),
        ("stdin", None,
         "Dat was Het Nieuws in het Kort. Dit verhaal is gebaseerd op het oorspronkelijke artikel. Tot de volgende keer."),
    ],
)
def test_outro_credits_the_source(source, publisher, outro) -> None:
    script = compose_script(summary_of(source, publisher))
    assert script.segments[-1] == Segment("outro", outro, "Afsluiting")


def test_seed_outro_has_no_file_name_gibberish() -> None:
    seed = seed_path()
    script = compose_script(summarize(load_article(str(seed))))
    outro = script.segments[-1].text
    assert all(part not in outro for part in seed.stem.split("_"))  # "000", "0bce933cc10b940a"
    assert script.source == str(seed)


def test_chapters_follow_the_article_sections() -> None:
    script = compose_script(summarize(load_article(str(ARTICLES / "treinstaking_byline.txt"))))
    chapters = [(seg.kind, seg.chapter) for seg in script.segments]
    assert chapters[0] == ("intro", "Intro")
    assert chapters[1][1] == chapters[2][1] == "Treinstaking legt het noorden van het land plat"
    assert ("point", "Volgende stap") in chapters
    assert chapters[-1] == ("outro", "Afsluiting")


def test_long_headline_gets_a_short_chapter_title() -> None:
    script = compose_script(summarize(load_article(str(seed_path()))))
    headline = script.segments[1]
    assert headline.text == "Het zou hét interview moeten worden, maar het werd een fiasco."
    assert len(headline.chapter) <= 61 and headline.chapter.endswith("…")


def test_json_round_trip_and_shape() -> None:
    script = compose_script(summarize(load_article(str(ARTICLES / "hittegolf.md"))))
    text = script.to_json()
    assert Script.from_json(text) == script
    data = json.loads(text)
    assert data["title"] == "KNMI: officieel eerste hittegolf van het jaar"
    assert data["language"] == "nl" and data["date"] == "2024-07-19"
    assert all(list(seg) == ["kind", "text", "chapter"] for seg in data["segments"])
    # Readable text in the script; the speech step makes it speakable.
    assert any("“Drink genoeg water" in seg["text"] for seg in data["segments"])


def test_bad_script_json_is_one_line_error() -> None:
    with pytest.raises(PodcastError, match=r"^not a valid script JSON: x\.json \(KeyError"):
        Script.from_json('{"title": "t"}', "x.json")


def test_english_article_gets_english_templates() -> None:
    text = (
        "Council closes the city pool for two years\n\n"
        "The city council has closed the public swimming pool for at least two years. The roof of the building "
        "from 1974 is no longer safe, according to engineers who inspected it this summer.\n\n"
        "Clubs look elsewhere\n\n"
        "Seven swimming clubs and eleven primary schools used the pool every week. They will move to pools in "
        "two nearby towns, and a free bus will take the children there.\n\n"
        "Renovation or a new pool\n\n"
        "The council will choose between renovation and a new building before the summer. A renovation would "
        "cost about 14 million euros, while a new pool would cost 22 million euros."
    )
    article = parse_plain_text(text, "pool.txt")
    assert article.language == "en"
    script = compose_script(summarize(article))
    assert script.language == "en"
    assert script.segments[0].text == "Welcome to Het Nieuws in het Kort."
    assert script.segments[-1].text.startswith("That was Het Nieuws in het Kort")
    assert 3 <= sum(seg.kind in ("lead", "point") for seg in script.segments) <= 5


def test_cli_script_prints_readable_text() -> None:
    result = run_cli("script", str(ARTICLES / "storm_liveblog.txt"))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "Zware storm trekt over het land, code oranje in vijf provincies"
    assert lines[1].startswith("[intro] Welkom bij Het Nieuws in het Kort")
    assert lines[-1].startswith("[outro] ")
    assert result.stderr == b""


def test_render_speaks_a_hand_edited_script(tmp_path: Path, shared_cache: Path) -> None:
    made = run_cli("script", str(ARTICLES / "tram_vlaams.txt"), "--json")
    data = json.loads(made.stdout)
    data["segments"] = [seg for seg in data["segments"] if seg["kind"] != "point"]
    data["segments"].insert(-1, {"kind": "point", "text": "Dit punt is met de hand toegevoegd.", "chapter": "Extra"})
    edited = tmp_path / "bewerkt.script.json"
    edited.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli("render", str(edited), "--out", str(tmp_path / "out"), "--engine", "espeak",
                     "--cache-dir", str(shared_cache), "--json")
    assert result.returncode == 0, result.stderr.decode()
    manifest = manifest_of(result)
    assert manifest["title"] == "De Lijn schrapt 300 haltes in Antwerpen"
    spoken = json.loads(Path(manifest["script"]).read_text(encoding="utf-8"))
    assert [seg["kind"] for seg in spoken["segments"]] == ["intro", "headline", "lead", "point", "outro"]
    assert spoken["segments"][3]["text"] == "Dit punt is met de hand toegevoegd."
    assert manifest["duration"] > 5
