"""Stage 2: the extractive summary on ten self-written Dutch fixtures and the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podcast.article import load_article
from podcast.script import write_script
from podcast.summarize import content_words, jaccard, summarize

from .conftest import FIXTURES, run_cli

ARTICLES = FIXTURES / "articles"
SEED = Path("/work/shared/seed/000_0bce933cc10b940a.txt")

#: Text that must never reach a listener, whatever the fixture.
DEBRIS = [
    "@", "http", "www.", "pic.twitter", "t.co/", "cookie", "Cookie", "webmail", "Akkoord", "Meer uit", "geleden",
    "Lees ook", "ANP", "BELGA", "Hollandse Hoogte", "Foto:", "Door onze", "•", "**", "](", ",,", "''", " date ",
]

# fixture -> (headline, facts from the lead, facts from the second half, fixture-specific debris)
CASES = {
    "zwembad_datummarker.txt": (
        "De gemeente Deventer sluit per 1 oktober zwembad De Scheg voor minstens twee jaar",
        ["1 oktober", "1974"], ["renovatie"], ["2024-09-03"]),
    "treinstaking_byline.txt": (
        "Treinstaking legt het noorden van het land plat",
        ["dinsdag", "24 uur"], ["48 uur"], ["Mirjam Koster", "Jeroen Pietersen", "08:12"]),
    "trainer_tweets.txt": (
        "Heracles ontslaat trainer na vijfde nederlaag op rij",
        ["Jan de Groot"], ["nieuwe hoofdtrainer"], ["HeraclesAlmelo", "keesheraclesfan", "February", "Wij danken"]),
    "storm_liveblog.txt": (
        "Zware storm trekt over het land, code oranje in vijf provincies",
        ["code oranje"], ["140 vluchten"], ["22.15", "21.40", "20.55", "20.10"]),
    "ziekenhuis_cookies.txt": (
        "Nieuw ziekenhuis in Almere opent eerste afdelingen",
        ["Stadsziekenhuis Almere", "310 miljoen euro"], ["420 bedden"], ["sessie", "toestemming"]),
    "inflatie_meer_uit.txt": (
        "Inflatie daalt in juni naar 3,2 procent",
        ["3,2 procent"], ["3 procent blijft"], ["Pensioenfondsen", "Huizenprijzen", "boter", "oogst"]),
    "schoollunch_herhaalde_kop.txt": (
        "Gratis lunch op tweehonderd basisscholen",
        ["tweehonderd basisscholen", "elke schooldag"], ["PO-Raad"], ["| Dagblad"]),
    "tram_vlaams.txt": (
        "De Lijn schrapt 300 haltes in Antwerpen",
        ["1 september", "300"], ["slecht te been"], ["Dirk Vermeulen"]),
    "hittegolf.md": (
        "KNMI: officieel eerste hittegolf van het jaar",
        ["hittegolf van 2024", "30 graden"], ["23 graden"], ["Vondelpark", "#"]),
    "kabinet_embeds.txt": (
        "Kabinet valt over asielbeleid",
        ["Het kabinet is gevallen", "asielregels"], ["demissionair"], ["Instagram", "politieknu", "Oppositie"]),
    "bibliotheek.html": (
        "Bibliotheek Zutphen blijft open dankzij inwoners",
        ["hoeft toch niet te sluiten", "180.000 euro"], ["zondagmiddag"],
        ["Home", "Eefde", "Ruben Geels", "Sanne Hofman", "©"]),
}


def spoken(script) -> str:
    return "\n".join(seg.text for seg in script.segments)


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_summary(name: str) -> None:
    headline, lead_facts, later_facts, own_debris = CASES[name]
    article = load_article(str(ARTICLES / name))
    summary = summarize(article)
    script = write_script(summary)
    assert script.title == headline
    kinds = [seg.kind for seg in script.segments]
    assert kinds[:3] == ["intro", "headline", "lead"] and kinds[-1] == "outro"
    assert set(kinds[3:-1]) <= {"point"}

    # 3-5 points, each a sentence of the article, in article order, none repeating the headline.
    sentences = [s.text for s in article.sentences]
    points = [p.text for p in summary.points]
    assert 3 <= len(points) <= 5
    assert all(p in sentences for p in points)
    positions = [sentences.index(p) for p in points]
    assert positions == sorted(positions)
    assert all(p.rstrip(".") != headline for p in points)

    # The key facts: the news from the lead, and the story's second half.
    text = spoken(script)
    for fact in lead_facts + later_facts:
        assert fact in text, f"{name}: missing key fact {fact!r}"
    second_half = [p for p, pos in zip(points, positions, strict=True) if pos >= len(sentences) / 2]
    assert second_half, f"{name}: nothing from the second half"
    assert any(fact in p for p in second_half for fact in later_facts)

    for junk in DEBRIS + own_debris:
        assert junk not in text, f"{name}: debris {junk!r} in the script"


def test_liveblog_points_take_their_time_stamp_as_chapter() -> None:
    script = write_script(summarize(load_article(str(ARTICLES / "storm_liveblog.txt"))))
    chapters = {seg.text: seg.chapter for seg in script.segments}
    assert chapters["Schiphol heeft 140 vluchten geschrapt vanwege de storm."] == "20.10 uur"


def test_seed_article() -> None:
    article = load_article(str(SEED))
    script = write_script(summarize(article))
    assert script.title == "Het zou hét interview moeten worden, maar het werd een fiasco"
    text = spoken(script)
    for junk in ("pic.twitter", "@", "cb_doge", "DogeDesigner", "http", "August 12", "date 2024",
                 "biggest interview", "0bce933cc10b940a"):
        assert junk not in text
    points = [seg.text for seg in script.segments if seg.kind in ("lead", "point")]
    assert 3 <= len(points) <= 5
    sentences = [s.text for s in article.sentences]
    assert all(p in sentences for p in points)
    headline = next(seg.text for seg in script.segments if seg.kind == "headline")
    assert points[0] != headline and points[0].rstrip(".") not in headline
    assert any(sentences.index(p) >= len(sentences) / 2 for p in points)


def test_length_steers_the_number_of_words() -> None:
    article = load_article(str(SEED))
    short = summarize(article, length=30)
    long = summarize(article, length=120)
    words = [sum(len(p.text.split()) for p in s.points) for s in (short, long)]
    assert len(short.points) == 3 and len(long.points) == 5
    assert words[0] < words[1]


def test_near_duplicates_are_dropped() -> None:
    from podcast.article import parse_plain_text

    text = (
        "Dijk bij Kampen wordt verhoogd\n\n"
        "Het waterschap verhoogt de dijk bij Kampen met een meter. Het werk begint in maart.\n\n"
        "Waarom\n\n"
        "De dijk is te laag voor de hoge waterstanden die door de klimaatverandering worden verwacht. "
        "Bewoners krijgen een brief over de werkzaamheden.\n\n"
        "Kosten\n\n"
        "Het project kost 12 miljoen euro en duurt twee jaar. "
        "Het project kost 12 miljoen euro en het duurt twee jaar. "
        "Tijdens het werk blijft het fietspad op de dijk open.\n\n"
        "Reacties\n\n"
        "Bewoners zijn blij dat de dijk veiliger wordt. Een boer vreest dat zijn land tijdelijk onbereikbaar is."
    )
    article = parse_plain_text(text, "dijk.txt")
    summary = summarize(article)
    bags = [content_words(p.text, frozenset()) for p in summary.points]
    assert all(jaccard(a, b) <= 0.5 for i, a in enumerate(bags) for b in bags[i + 1:])
    assert sum("12 miljoen euro" in p.text for p in summary.points) <= 1


def test_same_input_gives_byte_identical_json() -> None:
    runs = [
        run_cli("script", str(path), "--json", env={"PYTHONHASHSEED": seed})
        for path in (SEED, ARTICLES / "bibliotheek.html")
        for seed in ("1", "2")
    ]
    assert all(r.returncode == 0 for r in runs), [r.stderr for r in runs]
    assert runs[0].stdout == runs[1].stdout
    assert runs[2].stdout == runs[3].stdout
    data = json.loads(runs[2].stdout)
    assert set(data) >= {"title", "language", "date", "segments"}
    assert all(set(seg) == {"kind", "text", "chapter"} for seg in data["segments"])


def test_short_article_still_gets_a_lead() -> None:
    from podcast.article import parse_plain_text

    text = "Brug bij Zwolle dicht\n\nDe IJsselbrug bij Zwolle is vanaf maandag dicht. Het duurt lang. Fiets om."
    script = write_script(summarize(parse_plain_text(text, "kort.txt")))
    assert [s.kind for s in script.segments] == ["intro", "headline", "lead", "point", "point", "outro"]
    assert script.segments[2].text == "De IJsselbrug bij Zwolle is vanaf maandag dicht."


def test_default_length_is_about_75_seconds_of_speech(tmp_path: Path, shared_cache: Path) -> None:
    from .conftest import manifest_of

    result = run_cli("build", str(SEED), "--out", str(tmp_path), "--engine", "espeak",
                     "--cache-dir", str(shared_cache), "--json")
    assert result.returncode == 0, result.stderr.decode()
    assert 50 <= manifest_of(result)["duration"] <= 100
