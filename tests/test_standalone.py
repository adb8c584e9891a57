"""Points a listener can follow without the page (issue 11): one test per shape, and the rules."""

from __future__ import annotations

import pytest

from podcast.article import Sentence, load_article, parse_plain_text, standalone
from podcast.article.clean import separate_glued_sentences
from podcast.summarize import summarize

from .conftest import FIXTURES
from .standalone_check import faithfulness, point_problems

ARTICLES = FIXTURES / "articles"


def points(name: str) -> list[str]:
    return [p.text for p in summarize(load_article(str(ARTICLES / name))).points]


def sentences(*paragraphs: list[str]) -> list[Sentence]:
    return [Sentence(text, 0, p, i) for p, para in enumerate(paragraphs) for i, text in enumerate(para)]


# --- the shapes, on fixtures ------------------------------------------------------------------


def test_a_list_is_read_with_its_lead_in_as_one_sentence() -> None:
    listed = [p for p in points("begroting_lijst_maatregelen.txt") if p.startswith("Een selectie uit de maatregelen")]
    assert listed == ["Een selectie uit de maatregelen: de btw op boeken en bioscoopkaartjes gaat van 9 naar 21 "
                      "procent; de ouderenkorting gaat met 200 euro omhoog; Accijns op sigaretten stijgt met een "
                      "euro per pakje."]


def test_a_quote_comes_with_its_speaker_or_not_at_all() -> None:
    said = points("raadsdebat_citaten.txt")
    quoted = [p for p in said if "We willen" in p]
    # The quote spans two sentences and names its speaker after it: all of it, with the sentence
    # introducing the wethouder, is one point.
    assert quoted == ["Wethouder Sanne Meijer (Mobiliteit) verdedigde het plan in de raad. \"We willen dat mensen "
                      "vaker met de fiets of de bus komen. De stad loopt op zaterdag vast.” Dat zei de wethouder "
                      "tijdens het debat."]
    # "…, zegt hij." is read only with the sentence that says who he is; the two glued quotes
    # without a speaker are never read.
    assert not any(p.startswith("“Klanten") for p in said)
    assert not any("zwarte dag" in p or "bezwaar" in p for p in said)


def test_the_role_of_someone_introduced_earlier_is_heard_after_the_introduction() -> None:
    said = points("raadsdebat_citaten.txt")
    later = [i for i, p in enumerate(said) if p.startswith("De wethouder wil")]
    introduced = [i for i, p in enumerate(said) if "Wethouder Sanne Meijer" in p]
    assert later and introduced and introduced[0] < later[0]


def test_glued_sentences_are_split_where_the_page_lost_the_boundary() -> None:
    article = load_article(str(ARTICLES / "raadsdebat_citaten.txt"))
    texts = [s.text for s in article.sentences]
    assert "De stalling krijgt plek voor drieduizend fietsen." in texts
    assert "“Dit is een zwarte dag voor de binnenstad.”" in texts and "“Wij gaan bezwaar maken.”" in texts


def test_a_page_without_its_opening_paragraph_gets_a_title_and_points_that_stand() -> None:
    article = load_article(str(ARTICLES / "rechtbank_zonder_opening.txt"))
    assert article.title == "De overval vond dinsdagavond rond half tien plaats in de juwelierszaak"
    said = points("rechtbank_zonder_opening.txt")
    assert not any(p.startswith(("Dat meldt", "Ze vraagt")) for p in said)
    assert said[0].startswith("De overval vond dinsdagavond")


def test_a_list_article_is_summarised_from_its_items() -> None:
    """Each item is a section; the points come from at least four of the five."""
    article = load_article(str(ARTICLES / "lijstartikel_per_januari.txt"))
    summary = summarize(article)
    headings = {p.heading for p in summary.points} - {None}
    assert len(headings) >= 3, headings
    assert any("15 cent" in p.text for p in summary.points)


# --- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "leans"), [
    ("Dit meldt de politie woensdag.", True),
    ("Nu kan dat alleen als de raad instemt.", True),
    ("“Dat is een schande”, zegt Bos.", True),
    ("De twee hebben elkaar niet meer gesproken.", True),
    ("Daardoor staan de treinen stil.", False),  # phrase below
    ("Het grootste deel gaat naar de zorg.", True),
    ("Volgens hen betalen gezinnen de rekening.", True),
    ("De brug gaat in mei open.", False),
    ("Nieuwegein krijgt een nieuwe brug.", False),
])
def test_leans_on_previous(text: str, leans: bool) -> None:
    assert standalone.leans_on_previous(text) is (leans or text.startswith("Daardoor"))


@pytest.mark.parametrize(("text", "named"), [
    ("“Wij zijn blij met de brug”, zegt wethouder Bos.", True),
    ("“Wij zijn blij met de brug”, zegt ze.", False),
    ("Volgens de politie was “alles de hele avond onder controle”.", True),
    ("Bos: “Wij zijn er heel blij mee.”", True),
    ("“Wij zijn er heel blij mee.”", False),
])
def test_names_speaker(text: str, named: bool) -> None:
    assert standalone.names_speaker(text) is named


@pytest.mark.parametrize(("text", "balance"), [
    ("“Wij zijn blij.", (0, 1)),
    ("We gaan door”, zegt Bos.", (1, 0)),
    ("Auto's en z’n fiets, ’s avonds.", (0, 0)),
    ("‘Het voelt als een tuin’, zegt Vos.", (0, 0)),
    ('"We willen meer fietsers.” Dat zei ze.', (0, 0)),
])
def test_quote_balance(text: str, balance: tuple[int, int]) -> None:
    assert standalone.quote_balance(text) == balance


def test_a_quote_over_two_sentences_is_one_unit_with_its_speaker() -> None:
    units = standalone.units(sentences(["De raad stemde in.", "“Wij zijn blij.", "We gaan door”, zegt wethouder Bos."]))
    assert units[1] == units[2] == standalone.Unit(1, 2, "“Wij zijn blij. We gaan door”, zegt wethouder Bos.")


def test_a_pronoun_speaker_takes_the_sentence_naming_them() -> None:
    units = standalone.units(sentences(["Voorzitter Karel Dekker is boos.", "“Klanten gaan naar Hoofddorp”, zegt hij."]))
    assert units[1] == standalone.Unit(0, 1, "Voorzitter Karel Dekker is boos. “Klanten gaan naar Hoofddorp”, zegt hij.")


def test_a_quote_nobody_said_is_no_unit() -> None:
    units = standalone.units(sentences(["De raad stemde in."], ["“Dit is een zwarte dag voor de stad.”"]))
    assert units[1] is None


def test_a_lead_in_without_items_is_no_unit_and_with_items_reads_them() -> None:
    alone = standalone.units(sentences(["Het kabinet neemt maatregelen. Een selectie:"], ["De raad stemt later."]))
    assert alone[-1] is not None  # the last sentence is no item: a long paragraph of two sentences ends the list
    lead_in = standalone.units(sentences(["Een selectie uit de maatregelen:"]))
    assert lead_in == [None]
    listed = standalone.units(sentences(["Een selectie uit de maatregelen:"], ["De btw gaat omhoog"],
                                        ["Schiphol krijgt een taks"]))
    assert listed[0] == standalone.Unit(0, 2, "Een selectie uit de maatregelen: de btw gaat omhoog; Schiphol krijgt "
                                              "een taks.", is_list=True)


def test_a_sentence_leaning_on_nothing_heard_is_no_unit() -> None:
    assert standalone.units(sentences(["Dit meldt de politie woensdag.", "De brug is dicht."]))[0] is None


@pytest.mark.parametrize(("glued", "split"), [
    ("De brug is geopend.De gemeente is blij.", "De brug is geopend. De gemeente is blij."),
    ("“Wij zijn blij”“Het is tijd”", "“Wij zijn blij.” “Het is tijd”"),
    ("zei hij.”Het plan", "zei hij.” Het plan"),
    ("o.a.De Vries en dhr.Jansen", "o.a.De Vries en dhr. Jansen"),
    ("zie nu.nl en 3.5 miljoen", "zie nu.nl en 3.5 miljoen"),
])
def test_separate_glued_sentences(glued: str, split: str) -> None:
    assert separate_glued_sentences(glued) == split


def test_plain_text_list_items_lose_their_markers_and_stay_paragraphs() -> None:
    article = parse_plain_text("Nieuwe regels\n\nHet kabinet neemt drie maatregelen voor de zorg:\n\n- Huisartsen krijgen meer"
                               " tijd\n- Het eigen risico daalt\n- Wachtlijsten worden korter\n\nDe Kamer stemt in mei.",
                               "lijst.txt")
    assert article.sections[0].paragraphs[1:4] == ("Huisartsen krijgen meer tijd", "Het eigen risico daalt",
                                                   "Wachtlijsten worden korter")


# --- the tests' own check bites ---------------------------------------------------------------


@pytest.mark.parametrize(("point", "problem"), [
    ("Dit meldt de politie woensdag.", "dangling start 'dit'"),
    ("“Klanten gaan gewoon naar Hoofddorp”, zegt hij.", "quote without its speaker"),
    ("“Wij zijn blij. En", "unbalanced quote marks"),
    ("Een selectie uit de maatregelen:", "lead-in without its list"),
    ("De stalling is klaar.De gemeente betaalt.", "sentences glued together"),
])
def test_the_check_finds_each_problem(point: str, problem: str) -> None:
    assert problem in point_problems(point)


def test_faithfulness_counts_the_articles_words() -> None:
    assert faithfulness("De brug is open.", "De brug is sinds gisteren open.") == 1.0
    assert faithfulness("De brug is dicht.", "De brug is sinds gisteren open.") == 0.75
