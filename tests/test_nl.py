"""Dutch language rules: speakable text (table-tested), sentence splitting, number words."""

from __future__ import annotations

import pytest

from podcast.lang import detect_language, get_language, nl

SPEAKABLE_CASES = [
    # abbreviations
    ("Dhr. Jansen was er ook.", "De heer Jansen was er ook."),
    ("Mevr. De Vries zegt het.", "Mevrouw De Vries zegt het."),
    ("Er waren o.a. ministers.", "Er waren onder andere ministers."),
    ("Denk aan bijv. fietsen.", "Denk aan bijvoorbeeld fietsen."),
    ("Boeken, cd's enz. De winkel sluit.", "Boeken, cd's enzovoort. De winkel sluit."),
    ("fruit, brood enz.", "fruit, brood enzovoort."),
    ("Het gaat i.p.v. de bus.", "Het gaat in plaats van de bus."),
    ("Dat is t.o.v. vorig jaar meer.", "Dat is ten opzichte van vorig jaar meer."),
    ("Open t/m zondag.", "Open tot en met zondag."),
    ("Er kwamen ca. 40 mensen.", "Er kwamen circa 40 mensen."),
    ("Het staat op blz. 12.", "Het staat op bladzijde 12."),
    ("prof. Bakker en dr. Smit", "professor Bakker en doctor Smit"),
    # dates and times
    ("Op 12 aug. 2024 ging het mis.", "Op 12 augustus 2024 ging het mis."),
    ("Sinds 3 sept 2023.", "Sinds 3 september 2023."),
    ("Op 1 jan. begint het.", "Op 1 januari begint het."),
    ("Op 12-08-2024 was het druk.", "Op 12 augustus 2024 was het druk."),
    ("Het seizoen 2023-2024.", "Het seizoen 2023 tot 2024."),
    ("Om 22.00 uur sluit de weg.", "Om 22 uur sluit de weg."),
    ("Om 21.30 uur begint het.", "Om 21 uur 30 begint het."),
    ("Vanaf 9:15 is het open.", "Vanaf 9 uur 15 is het open."),
    ("Om 06.05 uur vertrok hij.", "Om 6 uur 5 vertrok hij."),
    # numbers
    ("Er kwamen 600.000 mensen.", "Er kwamen 600000 mensen."),
    ("Het kost 1.250.000 euro.", "Het kost 1250000 euro."),
    ("De sloot is 1,5 meter diep.", "De sloot is 1 komma 5 meter diep."),
    ("De lonen stijgen met 6,5 procent.", "De lonen stijgen met 6 komma 5 procent."),
    ("Het wordt -3 graden.", "Het wordt min 3 graden."),
    ("Het is de 3e keer.", "Het is de derde keer."),
    ("In de 21ste eeuw.", "In de eenentwintigste eeuw."),
    ("De 1e plaats.", "De eerste plaats."),
    ("Voor de 2de keer.", "Voor de tweede keer."),
    ("Het jaar 2024 was warm.", "Het jaar 2024 was warm."),
    # money and symbols
    ("Een kop koffie kost € 5,50.", "Een kop koffie kost 5 euro 50."),
    ("Een kaartje kost €5,-.", "Een kaartje kost 5 euro."),
    ("Het kost € 2,5 miljoen.", "Het kost 2 komma 5 miljoen euro."),
    ("Het kost € 1.200.", "Het kost 1200 euro."),
    ("Een snoepje van € 0,75.", "Een snoepje van 75 cent."),
    ("Ze krijgen 2,50 euro per dag.", "Ze krijgen 2 euro 50 per dag."),
    ("De inflatie is 3,2%.", "De inflatie is 3 komma 2 procent."),
    ("Trump & Musk", "Trump en Musk"),
    ("Te zien op 𝕏.", "Te zien op X."),
    ("Het wordt 30 °C.", "Het wordt 30 graden."),
    ("Je mag er 50 km/u rijden.", "Je mag er 50 kilometer per uur rijden."),
    ("Een omweg van 3 km.", "Een omweg van 3 kilometer."),
    ("Dat kost $ 40.", "Dat kost 40 dollar."),
    # acronyms: spelled versus said as a word
    ("Volgens de NOS is het zo.", "Volgens de N O S is het zo."),
    ("Het KNMI waarschuwt.", "Het K N M I waarschuwt."),
    ("De NAVO vergadert.", "De Navo vergadert."),
    ("De NS en de KLM staken.", "De N S en de K L M staken."),
    ("Een woordvoerder van het RIVM.", "Een woordvoerder van het R I V M."),
    ("Een RIVM-woordvoerder.", "Een R I V M-woordvoerder."),
    ("Een DDOS-aanval.", "Een dee-dos-aanval."),
    ("Leerlingen van de HAVO.", "Leerlingen van de Havo."),
    ("Het CDA en de PvdA.", "Het C D A en de pee vee dee aa."),
    ("Willem II won.", "Willem II won."),
    # quote styles, apostrophes and emoji
    (",,Geld lost niets op'', zegt ze.", "Geld lost niets op, zegt ze."),
    ("‘We kiezen voor snelheid’, zegt ze.", "We kiezen voor snelheid, zegt ze."),
    ("“Dit is mooi”, zegt hij.", "Dit is mooi, zegt hij."),
    ("'Hij komt', zei ze.", "Hij komt, zei ze."),
    ("„Kom snel”, riep hij.", "Kom snel, riep hij."),
    ("auto’s en ’s avonds", "auto's en 's avonds"),
    ("Zo'n tien fietsers.", "Zo'n tien fietsers."),
    ("Eindelijk open! 🚲🎉", "Eindelijk open!"),
]


@pytest.mark.parametrize(("text", "spoken"), SPEAKABLE_CASES, ids=[c[0][:30] for c in SPEAKABLE_CASES])
def test_speakable_dutch(text: str, spoken: str) -> None:
    assert nl.speakable(text) == spoken


def test_speakable_table_is_large_enough() -> None:
    assert len(SPEAKABLE_CASES) >= 40


def test_speakable_goes_through_the_language_pack() -> None:
    assert get_language("nl").speakable("Dhr. Jansen betaalt € 5,50.") == "De heer Jansen betaalt 5 euro 50."


SPLIT_CASES = [
    ("Het was te zien op X. Dat was de bedoeling.", ["Het was te zien op X.", "Dat was de bedoeling."]),
    ("Dhr. Jansen kwam. Hij bleef kort.", ["Dhr. Jansen kwam.", "Hij bleef kort."]),
    ("Er waren o.a. ministers bij. Dat viel op.", ["Er waren o.a. ministers bij.", "Dat viel op."]),
    ("Op 12 aug. 2024 ging het mis. Niemand wist waarom.", ["Op 12 aug. 2024 ging het mis.", "Niemand wist waarom."]),
    ("Volgens J. de Vries klopt het. B. De Wever twijfelt.", ["Volgens J. de Vries klopt het.", "B. De Wever twijfelt."]),
    ("Dat zei mevr. Bakker. Zij is de baas.", ["Dat zei mevr. Bakker.", "Zij is de baas."]),
    ("Hij zei: “Kom hier.” Daarna ging hij weg!", ["Hij zei: “Kom hier.”", "Daarna ging hij weg!"]),
    ("Wat nu? Niemand weet het.", ["Wat nu?", "Niemand weet het."]),
    ("Het was stil... en koud. ’s Avonds vroor het.", ["Het was stil... en koud.", "’s Avonds vroor het."]),
    ("Het kost 2,5 mln. euro. De raad beslist.", ["Het kost 2,5 mln. euro.", "De raad beslist."]),
    ("Boeken, cd's enz. De winkel sluit.", ["Boeken, cd's enz.", "De winkel sluit."]),
    ("Het gebeurde in 2022. De rest volgt.", ["Het gebeurde in 2022.", "De rest volgt."]),
]


@pytest.mark.parametrize(("text", "sentences"), SPLIT_CASES, ids=[c[0][:30] for c in SPLIT_CASES])
def test_split_sentences_dutch(text: str, sentences: list[str]) -> None:
    assert nl.split_sentences(text) == sentences


@pytest.mark.parametrize(
    ("n", "cardinal", "ordinal"),
    [(1, "een", "eerste"), (3, "drie", "derde"), (8, "acht", "achtste"), (12, "twaalf", "twaalfde"),
     (21, "eenentwintig", "eenentwintigste"), (32, "tweeëndertig", "tweeëndertigste"), (100, "honderd", "honderdste"),
     (134, "honderdvierendertig", "honderdvierendertigste")],
)
def test_number_words(n: int, cardinal: str, ordinal: str) -> None:
    assert nl.cardinal_words(n) == cardinal
    assert nl.ordinal_words(n) == ordinal


def test_detect_language() -> None:
    assert detect_language("De gemeente heeft het zwembad gesloten omdat het dak niet veilig is.") == "nl"
    assert detect_language("The council has closed the pool because the roof is not safe for the swimmers.") == "en"


def test_espeak_says_what_the_rules_write() -> None:
    """Ear proxy: espeak-ng speaks the expanded "dhr." longer than letter names would suggest it
    reads the abbreviation, and the expansion changes the audio (real engine, no fake)."""
    from podcast.speech.espeak import EspeakEngine

    engine = EspeakEngine()
    if not engine.available().ok:
        pytest.skip(engine.available().reason)
    voice = engine.voice("nl")
    raw = engine.synthesize("Het kost € 5,50.", voice)
    spoken = engine.synthesize(nl.speakable("Het kost € 5,50."), voice)
    # "euroteken vijf komma vijf nul" is longer than "vijf euro vijftig".
    assert spoken.duration < raw.duration


@pytest.mark.parametrize(("sentence", "title"), [
    # Short enough: the sentence is the title as it stands.
    ("Het zou hét interview moeten worden, maar het werd een fiasco.",
     "Het zou hét interview moeten worden, maar het werd een fiasco"),
    # A phrase before the closing participle goes; the participle carries the news.
    ("De nieuwe fietsbrug over het Amsterdam-Rijnkanaal bij Utrecht is gisteren na drie jaar bouwen geopend.",
     "De nieuwe fietsbrug over het Amsterdam-Rijnkanaal bij Utrecht is gisteren geopend"),
    # A closing phrase goes.
    ("De gemeente Deventer sluit per 1 oktober zwembad De Scheg voor minstens twee jaar.",
     "De gemeente Deventer sluit per 1 oktober zwembad De Scheg"),
    # The subordinate clause after the comma goes, then the phrases nearest the end.
    ("De gemeenteraad van Assen heeft dinsdagavond met grote meerderheid ingestemd met de bouw van een nieuw zwembad"
     " aan de rand van de stad, nadat het oude bad vorig jaar moest sluiten.",
     "De gemeenteraad van Assen heeft dinsdagavond met grote meerderheid ingestemd"),
    # A clause opened by "omdat" without a comma goes too, then a phrase before the participle.
    ("De brandweer van Zwolle heeft zondag de hele middag een loods bij de haven geblust omdat er gas lekte.",
     "De brandweer van Zwolle heeft zondag de hele middag een loods geblust"),
    # No phrase to drop without taking the clause's own words: the first twelve and an ellipsis.
    ("Het water in de Maas bij Venlo is woensdag sneller dan verwacht gestegen tot bijna drie meter.",
     "Het water in de Maas bij Venlo is woensdag sneller dan verwacht…"),
])
def test_a_title_from_the_lead_is_its_main_clause_in_twelve_words(sentence: str, title: str) -> None:
    assert nl.main_clause(sentence, 12) == title
    assert len(title.split()) <= 12
