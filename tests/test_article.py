"""Stage 1: loaders (text, Markdown, HTML, URL, stdin), encodings and debris cleaning."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from podcast.article import ARTICLE_MAX_BYTES, load_article, read_source_bytes
from podcast.errors import PodcastError

from .conftest import FIXTURES, run_cli
from .local_http import Route, serve
from .long_text import long_article
from .seed import seed_path

ARTICLES = FIXTURES / "articles"


def article_text(article) -> str:
    """Everything a listener could hear from the article: title, headings and paragraphs."""
    headings = [s.heading or "" for s in article.sections]
    return "\n".join([article.title, *headings, *article.paragraphs])


# (fixture, headline, date, publisher, section headings, debris that must be gone)
LOADER_CASES = [
    ("zwembad_datummarker.txt", "De gemeente Deventer sluit per 1 oktober zwembad De Scheg",
     "2024-09-03", None, [None, "Scheuren in de dakbalken", "Duizenden zwemmers op zoek", "Nieuw bad of renovatie"],
     ["date 2024", "2024-09-03"]),
    ("treinstaking_byline.txt", "Treinstaking legt het noorden van het land plat", "2024-05-14", "RTV Noordoost",
     [None, "Werkdruk en roosters", "Bussen als vervanging", "Volgende stap"],
     ["Door onze verslaggever", "Mirjam Koster", "ANP", "Jeroen Pietersen", "Hollandse Hoogte", "08:12", "•"]),
    ("trainer_tweets.txt", "Heracles ontslaat trainer na vijfde nederlaag op rij", None, None,
     [None, "Opvolger", "Reacties van supporters"],
     ["pic.twitter", "@", "t.co", "https", "February", "Wij danken Jan", "treurige dag", "🖤"]),
    ("storm_liveblog.txt", "Zware storm trekt over het land, code oranje in vijf provincies", None, None,
     [None, "22.15 uur", "21.40 uur", "20.55 uur", "20.10 uur"], []),
    ("ziekenhuis_cookies.txt", "Nieuw ziekenhuis in Almere opent eerste afdelingen", None, None,
     [None, "Verhuizing zonder problemen", "Meer bedden, minder wachten"],
     ["cookie", "Cookie", "webmail", "Akkoord", "toestemming"]),
    ("inflatie_meer_uit.txt", "Inflatie daalt in juni naar 3,2 procent", None, None,
     [None, "Energie goedkoper, diensten duurder", "Gevolgen voor huishoudens"],
     ["Meer uit", "geleden", "gisteren", "Pensioenfondsen", "Huizenprijzen", "Bakkers", "Lees ook", "oogst"]),
    ("schoollunch_herhaalde_kop.txt", "Gratis lunch op tweehonderd basisscholen", "2025-01-12",
     "Dagblad van het Oosten",
     [None, "Broodje, fruit en melk", "Leraren zien verschil", "Zorgen over de toekomst"],
     ["| Dagblad", "12 januari 2025"]),
    ("tram_vlaams.txt", "De Lijn schrapt 300 haltes in Antwerpen", None, None,
     [None, "Sneller, maar verder stappen", "Kritiek van ouderen", "Aanpassingen mogelijk"],
     ["BELGA", "Dirk Vermeulen"]),
    ("hittegolf.md", "KNMI: officieel eerste hittegolf van het jaar", "2024-07-19", "Weerkamer Nederland",
     [None, "Nationaal Hitteplan", "Onweer in het weekend", "Droogte"],
     ["**", "](", "![", "https://", "Vondelpark", "---", ",,", "''", "#"]),
    ("kabinet_embeds.txt", "Kabinet valt over asielbeleid", None, "NOS Nieuws", [None, "Wat nu?"],
     ["19:21", "EPA", "Bart De Wever", "Instagram", "gedeeld door", "politieknu", "Meer over", "Oppositie wil",
      "1 uur geleden"]),
    ("bibliotheek.html", "Bibliotheek Zutphen blijft open dankzij inwoners", "2024-10-08", "Stedendriehoek Nieuws",
     [None, "Crowdfunding in zes weken", "Gemeente wil structurele oplossing"],
     ["cookies", "Home", "Webmail", "Meer uit", "Eefde", "Warnsveld", "©", "Ruben Geels", "Door Sanne Hofman",
      "Alle rechten"]),
    # Credits between the paragraphs of a section, under a heading and after the headline:
    # each would split a section or take a heading's place if it were not dropped.
    ("boerenprotest_fotos.txt", "Boeren rijden met trekkers naar het Malieveld", None, None,
     [None, "Files", "Gesprek met de minister"],
     ["ANP", "Elswijk", "Foto", "EPA", "©", "Hollandse Hoogte", "Mees Dekker", "Beeld", "Reuters"]),
    # An embed's call and signature, a link with its label, a bare link, all between paragraphs.
    ("festival_embeds.txt", "Festival Zomerklanken binnen een uur uitverkocht", None, None, [None, "Doorverkoop"],
     ["Instagram", "gedeeld door", "@", "Bron", "http", "zomerklanken.example", "YouTube", "aftermovie", "t.co"]),
    # Issue 11: a byline with "•" separators above the headline; the headline stays the title.
    ("veerpont_byline_boven_kop.txt", "Veerpont tussen Hansweert en Kruiningen vaart weer na storing", None,
     "Omroep Zeeland", [None, "Reservepont"], ["•", "vandaag", "07:45", "Aangepast", "09:10"]),
    # A section label in capitals and the page's menu above the headline.
    ("woningbouw_sectielabel.txt", "Tilburg bouwt 500 huurwoningen op oud fabrieksterrein", None, None,
     [None, "Wachtlijst"], ["BINNENLAND", "Home", "Buitenland", "Cultuur", "Weer", "|"]),
    # Captions with their credit: above the headline, inline in parentheses, and as headings' look-alikes.
    ("brug_fotobijschriften.txt", "Nieuw brugdeel over het Twentekanaal in één nacht geplaatst", None, None,
     [None, "Open in het voorjaar"],
     ["Volledig scherm", "kraan tilt", "©", "Pieter Vos", "Archieffoto", "winter van 2010", "Gemeente Lochem",
      "(Foto", "ANP"]),
    # Labels glued to the first word of a paragraph.
    ("hoogwater_labels.txt", "Maas stijgt verder, kades in Venlo dicht", None, None, [None, "Hoogtepunt vrijdag"],
     ["update", "video", "LIVE"]),
    # Teaser headings ("Lees ook", "Gerelateerd", "POPULAIR NIEUWS", "Meest gelezen") and their teasers;
    # the story's own heading after a teaser block ("Leesclubs voor ouderen") is kept.
    ("bieb_teasers.txt", "Bibliotheek Emmen gaat ook op zondag open", None, None, [None, "Leesclubs voor ouderen"],
     ["Lees ook", "Gerelateerd", "POPULAIR", "Meest gelezen", "Zwembad in Emmen", "speeltuin", "Klazienaveen",
      "Vrachtwagen", "Raadhuisplein"]),
    # Image file names where the pictures stood: no headings made of them.
    ("dierentuin_bestandsnamen.txt", "Dierentuin Amersfoort verwelkomt jonge olifant", None, None,
     [None, "Naam kiezen"], ["IMG_2034", ".jpg", ".JPG", "DSC00412", "DSC00418", ".jpeg"]),
    # Share buttons and newsletter prompts, above and between the paragraphs.
    ("markt_deelknoppen.txt", "Weekmarkt in Leeuwarden krijgt twintig nieuwe kramen", None, None,
     [None, "Marktkooplieden tevreden"],
     ["Deel dit", "Delen op", "Facebook", "WhatsApp", "nieuwsbrief", "Meld je aan", "mailbox"]),
    # An author's byline with bullets and no date, and a caption with its credit, above the headline.
    ("stadsbus_auteur_bullets.txt", "Hengelo rijdt vanaf maandag alleen nog met elektrische stadsbussen", None, None,
     [None, "Laadpalen bij het station"],
     ["Anna Bos", "•", "Verslaggever", "leestijd", "Kees Bakker", "Foto", "remise aan de Havenstraat", "Archieffoto",
      "ANP"]),
    # A menu laid out one item a line above the headline, and single teaser lines between the paragraphs.
    ("sporthal_menu_teaserregels.txt", "Sporthal in Doetinchem dicht na lekkage in het dak", None, None,
     [None, "Verzekering"],
     ["Regio", "Weer", "Verkeer", "Gerelateerd", "Zutphen", "peuterbad", "Meest gelezen", "Lichtenvoorde"]),
    # A label glued to the headline, a caption closed by its agency, a wire dateline opening the lead.
    ("loods_brand_persbureau.txt", "Grote brand in loods op industrieterrein in Veghel", None, None,
     [None, "Oorzaak onbekend"], ["VIDEO", "Rookwolken", "(ANP)", "VEGHEL", "ANP"]),
    # Captions with their credit glued into paragraphs, at the start of one and between two sentences.
    ("museum_bijschrift_in_tekst.txt", "Museum in Zwolle toont honderd jaar oude schoolplaten", None, None,
     [None, "Kinderen mogen tekenen"],
     ["Volledig scherm", "bezoeker bekijkt", "Lotte Hendriks", "©", "in zijn schuur", "Museum Zwolle"]),
    # No headline: the title is the lead's main clause in at most twelve words, not the whole sentence.
    ("zwembad_zonder_kop.txt", "De gemeenteraad van Assen heeft dinsdagavond met grote meerderheid ingestemd", None,
     None, [None, "Zwemles in Beilen"], []),
    # No headline under a byline: the title comes from the lead, never from the byline.
    ("dijk_byline_zonder_kop.txt", "Het waterschap Vechtstromen versterkt de komende drie jaar elf kilometer dijk",
     None, "RTV Oost", [None, "Fietspad op de dijk"], ["•", "gisteren", "18:02", "Aangepast", "21:40"]),
]

#: Issue 11's fixtures: (fixture, the real paragraphs standing around the debris, kept whole).
KEPT_AROUND_DEBRIS = [
    ("veerpont_byline_boven_kop.txt", ["De veerpont tussen Hansweert en Kruiningen vaart sinds dinsdagochtend"]),
    ("woningbouw_sectielabel.txt", ["De gemeente Tilburg laat 500 sociale huurwoningen bouwen"]),
    ("brug_fotobijschriften.txt", [
        "Bouwers hebben in de nacht van zaterdag op zondag het nieuwe middendeel van de brug bij Lochem op zijn"
        " plaats gelegd. Het stalen deel weegt 240 ton en kwam per schip uit Nijmegen. Het kanaal was tien uur dicht"
        " voor de scheepvaart.",
        "De oude brug was ruim zestig jaar oud en te smal voor vrachtwagens.",
        "Het asfalt en de leuningen volgen in de komende maanden."]),
    ("hoogwater_labels.txt", ["Het water in de Maas stijgt sneller dan verwacht.",
                              "De brandweer legt zandzakken bij de laagste huizen in de binnenstad."]),
    ("bieb_teasers.txt", ["De bibliotheek in het centrum van Emmen is vanaf volgende maand ook op zondag open.",
                          "De gemeente geeft de bibliotheek 60.000 euro per jaar extra",
                          "Op zondagmiddag komt er een leesclub voor ouderen."]),
    ("dierentuin_bestandsnamen.txt", ["In Dierenpark Amersfoort is zondagnacht een olifant geboren.",
                                      "Het is de eerste olifant die in vijftien jaar",
                                      "Bezoekers mogen de komende weken een naam"]),
    ("markt_deelknoppen.txt", ["De woensdagmarkt in Leeuwarden groeit met twintig kramen.",
                               "De weekmarkt verhuist van het Zaailand naar het Wilhelminaplein.",
                               "De vereniging van marktkooplieden is blij met de uitbreiding."]),
    ("stadsbus_auteur_bullets.txt", [
        "Alle stadsbussen in Hengelo rijden vanaf maandag op stroom.",
        "Reizigers merken vooral dat de bussen stiller zijn.",
        "De bussen laden 's nachts op bij de remise"]),
    ("sporthal_menu_teaserregels.txt", [
        "De sporthal De Hoven in Doetinchem is tot de kerstvakantie dicht.",
        "Vijf sportclubs moeten op zoek naar een andere plek om te trainen.",
        "De gemeente weet nog niet wie de schade betaalt."]),
    ("loods_brand_persbureau.txt", [
        "Op industrieterrein De Dubbelen in Veghel heeft dinsdagnacht een grote brand gewoed",
        "Omwonenden moesten ramen en deuren dicht houden vanwege de rook."]),
    ("museum_bijschrift_in_tekst.txt", [
        "Het Stedelijk Museum in Zwolle opent zaterdag een tentoonstelling met tweehonderd oude schoolplaten.",
        "De platen komen uit de verzameling van een gepensioneerde onderwijzer uit Kampen. Hij verzamelde ze vijftig"
        " jaar lang op rommelmarkten. Zijn hele verzameling telt meer dan duizend stuks."]),
    ("zwembad_zonder_kop.txt", [
        "De gemeenteraad van Assen heeft dinsdagavond met grote meerderheid ingestemd met de bouw van een nieuw"
        " zwembad aan de rand van de stad, nadat het oude bad vorig jaar moest sluiten."]),
    ("dijk_byline_zonder_kop.txt", [
        "Het waterschap Vechtstromen versterkt de komende drie jaar elf kilometer dijk langs de Vecht"]),
]
#: The issue 11 fixtures, each in LOADER_CASES with its title and debris.
ISSUE_11_CASES = [c for c in LOADER_CASES if c[0] in dict(KEPT_AROUND_DEBRIS)]


@pytest.mark.parametrize(
    ("name", "title", "date", "publisher", "headings", "debris"), LOADER_CASES, ids=[c[0] for c in LOADER_CASES]
)
def test_fixture_structure_and_debris(name, title, date, publisher, headings, debris) -> None:
    article = load_article(str(ARTICLES / name))
    assert article.title == title
    assert article.date == date
    assert article.publisher == publisher
    assert article.language == "nl"
    assert [s.heading for s in article.sections] == headings
    body = article_text(article)
    for junk in debris:
        assert junk not in body, f"debris {junk!r} survived in {name}"
    # The headline is said once, by the headline segment: never repeated in the body.
    assert all(p.strip().rstrip(".") != title for p in article.paragraphs)


@pytest.mark.parametrize(("name", "kept"), KEPT_AROUND_DEBRIS, ids=[c[0] for c in KEPT_AROUND_DEBRIS])
def test_the_paragraphs_around_the_debris_are_kept(name: str, kept: list[str]) -> None:
    """Each real paragraph starts as the page wrote it: no label, caption or credit glued to it."""
    paragraphs = load_article(str(ARTICLES / name)).paragraphs
    for start in kept:
        assert any(p.startswith(start) for p in paragraphs), f"{name}: lost {start!r}"


@pytest.mark.parametrize(
    ("name", "title", "debris"),
    [(c[0], c[1], c[5]) for c in ISSUE_11_CASES],
    ids=[c[0] for c in ISSUE_11_CASES],
)
def test_the_script_json_has_the_headline_and_no_debris(name: str, title: str, debris: list[str]) -> None:
    """What ``podcast script --json`` gives a listener: the page's headline, and no debris in any segment."""
    import json

    result = run_cli("script", str(ARTICLES / name), "--json")
    assert result.returncode == 0, result.stderr.decode()
    script = json.loads(result.stdout)
    assert script["title"] == title
    for segment in script["segments"]:
        for junk in debris:
            assert junk not in segment["text"] and junk not in (segment.get("chapter") or ""), (name, junk, segment)


@pytest.mark.parametrize(("line", "kind"), [
    ("Volledig scherm Een kraan tilt een brugdeel boven het water. © Anna Bos", "caption"),
    ("Archieffoto: het stadhuis van Assen in de zomer van 2019", "caption"),
    ("Een agent bij het lint rond de loods. Foto: Kees Bakker", "caption"),
    ("BINNENLAND", "label"),
    ("SPORT EN CULTUUR", "label"),
    ("Home | Nieuws | Regio | Sport", "menu"),
    ("Home › Regio › Emmen", "menu"),
    ("Delen op Facebook", "share"),
    ("Deel via WhatsApp", "share"),
    ("Delen op Facebook Delen op WhatsApp Kopieer link", "share"),
    ("Schrijf je in voor onze nieuwsbrief", "newsletter"),
    ("Ontvang elke vrijdag het nieuws uit je buurt in je mailbox.", "newsletter"),
    ("Rookwolken boven het industrieterrein (ANP)", "caption"),
    ("Supporters vieren de titel op het plein (EPA / Jan Smit)", "caption"),
    ("Anna Bos • Verslaggever Twente • 3 min leestijd", "bullets"),
    ("Pieter de Boer · Sportredactie", "bullets"),
    ("IMG_2034.jpg", "file"),
    ("stadhuis-assen_2019-06.webp", "file"),
    # What the rules must leave alone: sentences and headings of the story.
    ("De fotograaf kreeg een prijs voor zijn foto van de brug.", None),
    ("EU", None),
    ("KNMI: officieel eerste hittegolf van het jaar", None),
    ("Delen van de wijk blijven zonder stroom tot vrijdag.", None),
    ("Deel je mening met de gemeente op de inspraakavond.", None),
    ("Wil je weten hoe het verder gaat met de brug? Kijk dan vanavond naar het journaal.", None),
    ("Waterstanden in Venlo, Roermond en Maastricht", None),
    ("Zwemmen / fietsen / wandelen: de gemeente wil meer sport in de wijk.", None),
    ("De prijzen • brood, melk en kaas • stegen vorige maand fors.", None),
    ("Het persbureau meldt dat de brand is geblust (ANP).", None),
])
def test_page_furniture(line: str, kind: str | None) -> None:
    from podcast.article import clean

    found = {
        "caption": clean.is_photo_caption(line), "label": clean.is_section_label(line), "menu": clean.is_menu(line),
        "share": clean.is_share_button(line), "newsletter": clean.is_newsletter_prompt(line),
        "file": clean.is_image_file_name(line), "bullets": clean.is_bullet_line(line),
    }
    assert [k for k, hit in found.items() if hit] == ([kind] if kind else [])
    assert clean.is_page_furniture(line) is bool(kind)


@pytest.mark.parametrize(("line", "kept"), [
    ("update/videoHet water stijgt.", "Het water stijgt."),
    ("LIVEDe brandweer legt zandzakken.", "De brandweer legt zandzakken."),
    ("Update / VideoEen man is aangehouden.", "Een man is aangehouden."),
    ("LIVEBLOG Storm trekt over het land.", "LIVEBLOG Storm trekt over het land."),  # no glued word: left alone
    ("Live Nation organiseert het concert.", "Live Nation organiseert het concert."),
    ("Videobellen wordt populairder.", "Videobellen wordt populairder."),
])
def test_a_label_glued_to_the_first_word_goes(line: str, kept: str) -> None:
    from podcast.article.clean import without_glued_label

    assert without_glued_label(line) == kept


def test_a_credit_in_parentheses_goes_and_the_sentence_stays() -> None:
    from podcast.article.clean import without_inline_credit

    assert without_inline_credit("Het kanaal was tien uur dicht. (Foto: ANP)") == "Het kanaal was tien uur dicht."
    assert without_inline_credit("De brug (1962) gaat dicht.") == "De brug (1962) gaat dicht."


def test_liveblog_stamps_are_structure_not_text() -> None:
    article = load_article(str(ARTICLES / "storm_liveblog.txt"))
    for stamp in ("22.15", "21.40", "20.55", "20.10"):
        assert not any(p.startswith(stamp) for p in article.paragraphs)
    assert article.sections[1].paragraphs[0].startswith("Rijkswaterstaat sluit de Afsluitdijk")


def test_quote_styles_are_kept_readable() -> None:
    dutch = load_article(str(ARTICLES / "treinstaking_byline.txt"))
    assert "“Geld lost de vermoeidheid niet op”, zegt FNV-bestuurder Petra Hoekstra." in dutch.text
    flemish = load_article(str(ARTICLES / "tram_vlaams.txt"))
    assert "‘We kiezen voor snelheid en stiptheid, dat is waar reizigers het meest om vragen’" in flemish.text


def test_inline_handles_and_links_are_removed_but_the_sentence_stays() -> None:
    article = load_article(str(ARTICLES / "trainer_tweets.txt"))
    assert 'Daar schreef de club ook dat De Groot "een fijn mens" is.' in article.text


def test_photo_credits_are_dropped_and_the_text_around_them_kept() -> None:
    article = load_article(str(ARTICLES / "boerenprotest_fotos.txt"))
    # The lead stays one section of two paragraphs: "Foto: EPA" between them is no heading.
    assert article.sections[0].paragraphs[1].startswith("De boeren zijn boos over het plan")
    assert article.sections[2].paragraphs[-1].startswith("De boeren vertrokken rond vijf uur")


@pytest.mark.parametrize(("line", "kept"), [
    ("https://t.co/Zk4Lm8PqR2", None),  # a bare link
    ("@zomerklanken", None),  # a bare handle
    ("Bron: https://www.zomerklanken.example/nieuws", None),  # a link's label, alone without it
    ("Een bericht gedeeld door Zomerklanken (@zomerklanken)", None),  # an embed's signature
    ("A post shared by Zomerklanken (@zomerklanken) on 3 June 2025", None),
    ("Bekijk dit bericht op Instagram", None),  # an embed's call to watch it elsewhere
    ("Watch on YouTube", None),
    ("Volg ons op @zomerklanken. De kaartverkoop begint om tien uur.", "De kaartverkoop begint om tien uur."),
    ("De organisatie (@zomerklanken) meldt dat alles op is.", "De organisatie meldt dat alles op is."),
    ("Het programma staat op de website https://www.zomerklanken.example/programma.",
     "Het programma staat op de website."),  # the link goes, the sentence keeps its full stop
])
def test_links_handles_and_embeds_between_paragraphs(line: str, kept: str | None) -> None:
    from podcast.article import parse_plain_text

    text = f"Festival uitverkocht\n\nAlle kaarten zijn op.\n\n{line}\n\nDe kassa blijft dicht."
    article = parse_plain_text(text, "festival.txt")
    assert article.sections[0].heading is None and len(article.sections) == 1  # no heading made of debris
    assert article.paragraphs == ["Alle kaarten zijn op.", *([kept] if kept else []), "De kassa blijft dicht."]


@pytest.mark.parametrize(("line", "credit"), [
    ("ANP / Rik van Elswijk", True),
    ("Foto: EPA", True),
    ("Beeld: Reuters", True),
    ("© Hollandse Hoogte / Mees Dekker", True),
    ("ANP Foto / Mees Dekker", True),  # an agency and a name-like rest: no entry of its own needed
    ("Reuters/ANP", True),
    ("Getty Images", True),
    ("ANP meldt dat de brand onder controle is.", False),  # a sentence naming an agency
    ("Foto's van de brand gingen het hele land door.", False),
    ("Reuters en de politie", False),
])
def test_photo_credit(line: str, credit: bool) -> None:
    from podcast.article.clean import is_photo_credit

    assert is_photo_credit(line) is credit


@pytest.mark.parametrize("abbreviation", ["jan", "feb", "febr", "mrt", "sep", "sept", "okt", "dec"])
def test_a_date_line_with_an_abbreviated_month_gives_the_date(abbreviation: str) -> None:
    from podcast.article.clean import is_date_line, parse_date
    from podcast.lang.nl_tables import MONTH_ABBREVIATIONS, MONTHS

    line = f"12 {abbreviation}. 2024"
    assert is_date_line(line)
    assert parse_date(line) == f"2024-{MONTHS.index(MONTH_ABBREVIATIONS[abbreviation]) + 1:02d}-12"


def test_a_markdown_heading_that_is_only_a_link_is_dropped() -> None:
    from podcast.article import parse_plain_text

    text = "# Festival uitverkocht\n\nAlle kaarten zijn op.\n\n## https://www.zomerklanken.example\n\nDe kassa blijft dicht."
    article = parse_plain_text(text, "festival.md", markdown=True)
    assert [s.heading for s in article.sections] == [None]


def test_seed_title_is_a_headline_not_the_date_marker() -> None:
    article = load_article(str(seed_path()))
    assert article.date == "2024-08"
    assert "date" not in article.title and "2024" not in article.title
    assert article.title == "Het zou hét interview moeten worden, maar het werd een fiasco"
    assert "pic.twitter" not in article.text and "@cb_doge" not in article.text
    assert "DogeDesigner" not in article.text


def test_seed_sentences_split_after_a_single_capital() -> None:
    article = load_article(str(seed_path()))
    texts = [s.text for s in article.sentences]
    assert "Afgelopen nacht was het gesprek tussen Elon Musk en Donald Trump exclusief te zien op X." in texts
    assert "Dat was in ieder geval de bedoeling." in texts


def test_cp1252_and_bom_encodings(tmp_path: Path) -> None:
    cp = load_article(str(ARTICLES / "terras_cp1252.txt"))
    assert cp.title == "Café in Haarlem wint prijs voor beste terras"
    assert "Gaëlle de Wit" in cp.text and "‘Je zit midden in de stad" in cp.text
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + (ARTICLES / "inflatie_meer_uit.txt").read_bytes())
    assert load_article(str(bom)).title == "Inflatie daalt in juni naar 3,2 procent"


def test_stdin_reads_text_and_html() -> None:
    result = run_cli("script", "-", stdin=(ARTICLES / "bibliotheek.html").read_bytes())
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().splitlines()[0] == "Bibliotheek Zutphen blijft open dankzij inwoners"
    result = run_cli("script", "-", stdin=(ARTICLES / "tram_vlaams.txt").read_bytes())
    assert result.stdout.decode().splitlines()[0] == "De Lijn schrapt 300 haltes in Antwerpen"


def test_page_without_article_text(tmp_path: Path) -> None:
    page = tmp_path / "leeg.html"
    page.write_text("<html><body><nav><a href='/'>Home</a></nav><div class='cookie'>Akkoord</div></body></html>")
    with pytest.raises(PodcastError, match=f"^no article text found in {page}$"):
        load_article(str(page))


def test_text_of_only_debris_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("Akkoord\n\nhttps://t.co/abc\n\n2 uur geleden\n", encoding="utf-8")
    result = run_cli("script", str(junk))
    assert result.returncode == 1
    assert result.stderr.decode() == f"error: no article text found in {junk}\n"


# --- URLs, with a real server on 127.0.0.1 -------------------------------------------------

HTML = (ARTICLES / "bibliotheek.html").read_bytes()


def test_url_loads_the_article_and_credits_the_site() -> None:
    with serve({"/nieuws/bieb": Route(HTML)}) as server:
        article = load_article(f"{server.url}/nieuws/bieb")
    assert article.title == "Bibliotheek Zutphen blijft open dankzij inwoners"
    assert article.publisher == "Stedendriehoek Nieuws"
    assert article.source == f"{server.url}/nieuws/bieb"


def test_url_plain_text_page() -> None:
    body = (ARTICLES / "tram_vlaams.txt").read_bytes()
    with serve({"/a.txt": Route(body, content_type="text/plain; charset=utf-8")}) as server:
        article = load_article(f"{server.url}/a.txt")
    assert article.title == "De Lijn schrapt 300 haltes in Antwerpen"
    assert article.publisher is None


def test_url_that_times_out() -> None:
    with serve({"/traag": Route(HTML, delay=2.0)}) as server:
        url = f"{server.url}/traag"
        with pytest.raises(PodcastError) as caught:
            load_article(url, timeout=0.3)
    assert str(caught.value) == f"timed out after 0.3 s fetching {url}"


def test_url_chunked_page_without_length() -> None:
    with serve({"/stukjes": Route(HTML, chunks=7, send_length=False)}) as server:
        article = load_article(f"{server.url}/stukjes")
    assert article.title == "Bibliotheek Zutphen blijft open dankzij inwoners"


def test_url_too_large_by_header_and_by_stream() -> None:
    big = b"<html><body>" + b"<p>x</p>" * 200_000 + b"</body></html>"
    with serve({"/groot": Route(big), "/stroom": Route(big, send_length=False, chunks=20)}) as server:
        for path in ("/groot", "/stroom"):
            url = f"{server.url}{path}"
            with pytest.raises(PodcastError) as caught:
                load_article(url, max_bytes=1_000_000)
            assert str(caught.value) == f"page too large: {url} (more than 1 MB)"


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(b"\x89PNG\r\n", content_type="image/png"), "not an HTML page: {url} (content type image/png)"),
        (Route(b"nope", status=500, content_type="text/plain"), "{url} answered HTTP 500 Internal Server Error"),
        (Route(b"<html><body><nav>Home</nav></body></html>"), "no article text found in {url}"),
    ],
    ids=["image", "http-500", "no-text"],
)
def test_url_errors_are_one_line(route: Route, message: str) -> None:
    with serve({"/p": route}) as server:
        url = f"{server.url}/p"
        with pytest.raises(PodcastError) as caught:
            load_article(url)
    assert str(caught.value) == message.format(url=url)


def test_url_errors_through_the_cli() -> None:
    with serve({"/groot": Route(b"<p>x</p>" * 700_000)}) as server:
        missing = run_cli("script", f"{server.url}/weg")
        large = run_cli("script", f"{server.url}/groot")
    assert missing.stderr.decode() == f"error: {server.url}/weg answered HTTP 404 Not Found\n"
    assert large.stderr.decode() == f"error: page too large: {server.url}/groot (more than 5 MB)\n"
    assert missing.returncode == large.returncode == 1


def test_only_http_urls() -> None:
    with pytest.raises(PodcastError, match=r"^only http and https URLs are supported, not ftp: ftp://x/a$"):
        load_article("ftp://x/a")


def test_unreachable_host() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PodcastError, match=rf"^cannot connect to fetch http://127.0.0.1:{port}/a$"):
        load_article(f"http://127.0.0.1:{port}/a")


def test_html_extraction_needs_no_network(monkeypatch) -> None:
    """trafilatura runs offline: with every socket connection refused, the HTML file still loads."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network used during HTML extraction")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    article = load_article(str(ARTICLES / "bibliotheek.html"))
    assert article.title == "Bibliotheek Zutphen blijft open dankzij inwoners"


def test_heavy_imports_stay_out_of_help() -> None:
    import subprocess
    import sys

    # Relative to what the interpreter loaded before (a sitecustomize may bring requests along).
    code = ("import sys; before = set(sys.modules); import podcast.cli; "
            "print(sorted(m for m in ('trafilatura', 'requests', 'lxml', 'numpy') if m in sys.modules and m not in before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- the size limit: 5 MB, as for URLs ----------------------------------------------------


def real_text(size: int) -> bytes:
    """*size* bytes of a Dutch news story (ASCII, so any cut is still valid UTF-8)."""
    data = long_article(size // 90).encode("utf-8")
    assert len(data) >= size
    return data[:size]


def refused_in_time(*args: str, stdin: bytes | None = None) -> str:
    """Run the CLI on too large an article: exit 1 within 2 seconds; its stderr."""
    start = time.monotonic()
    result = run_cli(*args, stdin=stdin)
    seconds = time.monotonic() - start
    assert result.returncode == 1, result.stderr.decode()
    assert seconds <= 2.0, f"took {seconds:.1f} s to refuse"
    return result.stderr.decode()


def test_build_refuses_a_14_mb_file_at_once(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(14_000_000)  # sparse: 14 MB on paper, nothing on disk, never read
    stderr = refused_in_time("build", str(big), "--out", str(tmp_path / "out"))
    assert stderr == f"error: article too large: {big} is 14 MB (more than 5 MB)\n"
    assert not list(tmp_path.rglob("*.mp3"))


def test_script_refuses_a_text_file_over_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "lang.txt"
    big.write_bytes(real_text(5_500_000))
    stderr = refused_in_time("script", str(big))
    assert stderr == f"error: article too large: {big} is 5.5 MB (more than 5 MB)\n"


@pytest.mark.parametrize("command", ["script", "build"])
def test_stdin_over_the_limit_is_refused(command: str, tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path / "out")] if command == "build" else []
    stderr = refused_in_time(command, "-", *extra, stdin=real_text(ARTICLE_MAX_BYTES + 1_000_000))
    assert stderr == "error: article too large: stdin is more than 5 MB\n"


def test_the_limit_itself_is_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = real_text(1000)
    at_limit, over = tmp_path / "precies.txt", tmp_path / "over.txt"
    at_limit.write_bytes(text)
    over.write_bytes(text + b" ")
    assert read_source_bytes(str(at_limit), max_bytes=1000) == (text, str(at_limit))
    with pytest.raises(PodcastError) as caught:
        read_source_bytes(str(over), max_bytes=1000)
    assert str(caught.value) == f"article too large: {over} is 1001 bytes (more than 0.001 MB)"

    stdin = io.BytesIO(text + b"x" * 10_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin))
    with pytest.raises(PodcastError, match=r"^article too large: stdin is more than 0.001 MB$"):
        read_source_bytes("-", max_bytes=1000)
    assert stdin.tell() == 1001  # read one byte past the limit, not the whole input
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text)))
    assert read_source_bytes("-", max_bytes=1000) == (text, "stdin")


@pytest.mark.parametrize(("line", "following", "resumes"), [
    ("Leesclubs voor ouderen", "Op zondagmiddag komt er een leesclub voor ouderen. Die begint in maart met een boek over Drenthe.",
     True),
    # Another story's teaser above this story's paragraph: it shares no word with it.
    ("Zwembad in Emmen krijgt nieuw dak",
     "De gemeente geeft de bibliotheek 60.000 euro per jaar extra voor de langere openingstijden.", False),
    # A teaser with its one-line blurb: too short for a paragraph of the story.
    ("Leesclubs voor ouderen", "Elke week een leesclub voor ouderen.", False),
    ("Meest gelezen", "De meest gelezen verhalen van de week over de leesclub voor ouderen in Emmen.", False),
])
def test_a_teaser_block_ends_where_the_story_resumes(line: str, following: str, resumes: bool) -> None:
    from podcast.article.clean import resumes_story

    assert resumes_story(line, following) is resumes


@pytest.mark.parametrize(("line", "publisher"), [
    ("RTV Noordoost • 14 mei 2024, 08:12", "RTV Noordoost"),
    ("NOS Nieuws • vandaag, 19:21", "NOS Nieuws"),
    # An author and a reading time: no newsroom and no date, so no publisher to credit.
    ("Anna Bos • Verslaggever Twente • 3 min leestijd", None),
])
def test_only_a_dateline_names_the_publisher(line: str, publisher: str | None) -> None:
    from podcast.article.clean import publisher_from_dateline

    assert publisher_from_dateline(line) == publisher


def test_a_menu_one_item_a_line_goes_whole_and_headings_stay() -> None:
    from podcast.article.clean import Block, menu_runs

    lines = ["Nieuws", "Regio", "Sport", "Sporthal dicht na lekkage", "De hal is dicht tot de kerst.", "Verzekering",
             "De schade is groot.", "Reacties", "Wat nu?", "De club zoekt een andere zaal."]
    assert menu_runs([Block("para", line) for line in lines]) == {0, 1, 2}


@pytest.mark.parametrize(("line", "kept"), [
    ("VEGHEL (ANP) - Op het terrein woedde een brand.", "Op het terrein woedde een brand."),
    ("DEN HAAG (ANP) – Het kabinet is gevallen.", "Het kabinet is gevallen."),
    ("Het ANP meldt dat de brand is geblust.", "Het ANP meldt dat de brand is geblust."),
])
def test_a_wire_dateline_opening_the_lead_goes(line: str, kept: str) -> None:
    from podcast.article.clean import without_wire_dateline

    assert without_wire_dateline(line) == kept


@pytest.mark.parametrize(("line", "kept"), [
    ("Volledig scherm De kraan boven het kanaal. © Pieter Vos Bouwers hebben de brug gelegd.",
     "Bouwers hebben de brug gelegd."),
    ("Volledig scherm Boeren op het Malieveld. © ANP / Rik van Elswijk De boeren zijn boos.", "De boeren zijn boos."),
    ("Volledig scherm Een bezoeker. © Lotte Hendriks Het Stedelijk Museum opent zaterdag.",
     "Het Stedelijk Museum opent zaterdag."),
    ("Het kabinet viel. Volledig scherm De premier. © EPA Bart De Wever Hij biedt zijn ontslag aan.",
     "Het kabinet viel. Hij biedt zijn ontslag aan."),
    # A caption with nothing after it is a block of its own, for is_photo_caption.
    ("Volledig scherm De kraan boven het kanaal. © Pieter Vos", "Volledig scherm De kraan boven het kanaal. © Pieter Vos"),
])
def test_a_caption_glued_into_a_paragraph_goes_with_its_credit(line: str, kept: str) -> None:
    from podcast.article.clean import without_glued_caption

    assert without_glued_caption(line) == kept


def test_an_image_file_name_in_running_text_goes() -> None:
    from podcast.article.clean import without_image_file_names

    assert without_image_file_names("IMG_2034.jpg In het park is een olifant geboren.") == (
        "In het park is een olifant geboren.")
    assert without_image_file_names("De uitslag staat op www.example.nl.") == "De uitslag staat op www.example.nl."
