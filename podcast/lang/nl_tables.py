"""Data tables for Dutch: abbreviations, symbols, acronyms, numbers and script templates.

Logic lives in ``nl.py``; this module only holds data, so a newsroom can extend
the tables without touching the rules.
"""

from __future__ import annotations

#: Abbreviations written out before speech (espeak-ng spells "o.a." letter by letter).
#: Also used by the sentence splitter: a full stop after these does not end a sentence.
ABBREVIATIONS: dict[str, str] = {
    "o.a.": "onder andere",
    "dhr.": "de heer",
    "mevr.": "mevrouw",
    "mw.": "mevrouw",
    "bijv.": "bijvoorbeeld",
    "bv.": "bijvoorbeeld",
    "enz.": "enzovoort",
    "etc.": "etcetera",
    "d.w.z.": "dat wil zeggen",
    "m.b.t.": "met betrekking tot",
    "i.p.v.": "in plaats van",
    "t.o.v.": "ten opzichte van",
    "n.a.v.": "naar aanleiding van",
    "m.i.v.": "met ingang van",
    "i.v.m.": "in verband met",
    "z.s.m.": "zo snel mogelijk",
    "e.d.": "en dergelijke",
    "m.n.": "met name",
    "a.s.": "aanstaande",
    "jl.": "jongstleden",
    "ca.": "circa",
    "nr.": "nummer",
    "blz.": "bladzijde",
    "incl.": "inclusief",
    "excl.": "exclusief",
    "resp.": "respectievelijk",
    "mln.": "miljoen",
    "mld.": "miljard",
    "prof.": "professor",
    "dr.": "doctor",
    "drs.": "doctorandus",
    "mr.": "meester",
    "ir.": "ingenieur",
    "ing.": "ingenieur",
    "t/m": "tot en met",
    "z.g.a.n.": "zo goed als nieuw",
}

#: Month abbreviations, written out after a day number ("12 aug. 2024").
MONTH_ABBREVIATIONS: dict[str, str] = {
    "jan": "januari",
    "feb": "februari",
    "febr": "februari",
    "mrt": "maart",
    "apr": "april",
    "jun": "juni",
    "jul": "juli",
    "aug": "augustus",
    "sep": "september",
    "sept": "september",
    "okt": "oktober",
    "nov": "november",
    "dec": "december",
}

MONTHS: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)

WEEKDAYS: tuple[str, ...] = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")

#: Currency signs before or after an amount; the word follows the amount in speech.
CURRENCIES: dict[str, str] = {"€": "euro", "$": "dollar", "£": "pond"}

#: Symbols replaced by words wherever they stand.
SYMBOLS: dict[str, str] = {
    "%": "procent",
    "&": "en",
    "𝕏": "X",
    "°C": "graden",
    "°": "graden",
    "±": "ongeveer",
    "+": "plus",
    "=": "is",
    "½": "een half",
}

#: Units after a number: "3 km" -> "3 kilometer".
UNITS: dict[str, str] = {
    "km/u": "kilometer per uur",
    "km/h": "kilometer per uur",
    "km": "kilometer",
    "m": "meter",
    "cm": "centimeter",
    "mm": "millimeter",
    "kg": "kilo",
    "g": "gram",
    "u": "uur",
    "min": "minuten",
    "sec": "seconden",
    "ha": "hectare",
    "kWh": "kilowattuur",
    "MW": "megawatt",
}

#: Acronyms that Dutch speakers pronounce as a word. espeak-ng reads the
#: capitalised form ("Navo") as a word, so these are written that way.
ACRONYMS_AS_WORDS: frozenset[str] = frozenset({
    "NAVO", "NATO", "UNESCO", "UNICEF", "NASA", "FIFA", "UEFA", "HAVO", "MAVO", "PABO", "VARA",
    "AVRO", "NIBUD", "COVID", "OPEC", "NOVA", "INTERPOL", "EFTA", "WAO", "ROC", "BOA", "SIRE",
    "AIDS",
})

#: Acronyms with a spoken form of their own.
ACRONYMS_SPOKEN: dict[str, str] = {
    "DDOS": "dee-dos",
    "DDoS": "dee-dos",
    "PvdA": "pee vee dee aa",
}

#: Capitalised words that are not acronyms and must be left alone.
NOT_ACRONYMS: frozenset[str] = frozenset({"I", "A", "X", "II", "III", "IV", "VI", "OK"})

#: Dutch number words, for ordinals ("3e" -> "derde") and scores.
UNITS_WORDS: tuple[str, ...] = (
    "nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen",
    "tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien",
    "achttien", "negentien",
)
TENS_WORDS: tuple[str, ...] = (
    "", "tien", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig",
)
#: Irregular ordinals; the rest add "de" (up to 19) or "ste".
ORDINAL_WORDS: dict[int, str] = {1: "eerste", 3: "derde", 8: "achtste"}

#: Segment phrasing for the script. Keys are shared by every language.
TEMPLATES: dict[str, str] = {
    "intro_day": "Welkom bij {show}, met het nieuws van {weekday} {date}.",
    "intro_month": "Welkom bij {show}, met nieuws uit {date}.",
    "intro_undated": "Welkom bij {show}.",
    "headline": "{title}",
    "outro": "Dat was {show}. Dit verhaal kwam van {source}. Tot de volgende keer.",
    "outro_unknown_source": "Dat was {show}. Dit verhaal is gebaseerd op het oorspronkelijke artikel. Tot de volgende keer.",
    "chapter_intro": "Intro",
    "chapter_headline": "Kopregel",
    "chapter_point": "Punt {n}",
    "chapter_outro": "Afsluiting",
}

#: Abbreviations that may end a sentence: after them a capital starts a new one.
SENTENCE_FINAL_ABBREVIATIONS: frozenset[str] = frozenset({"enz.", "etc.", "e.d.", "jl.", "a.s."})

#: More abbreviations the sentence splitter must not split after (besides every key of
#: ABBREVIATIONS); these are left as written in speech.
NON_FINAL_ABBREVIATIONS: frozenset[str] = frozenset({
    "st.", "vs.", "vgl.", "evt.", "zgn.", "gem.", "max.", "min.", "o.b.v.", "m.u.v.", "v.", "pag.",
    "tel.", "afb.", "art.", "lid.", "hr.", "sr.", "jr.", "ds.", "bc.", "kl.", "ong.", "vnl.", "nl.",
})

#: Surname particles: "J. De Wever" keeps the initial with the name.
NAME_PARTICLES: frozenset[str] = frozenset({"De", "Van", "Den", "Der", "Ter", "Ten", "Le", "La", "Du", "Di", "Vande", "Vanden"})

#: Prepositions that open a phrase a title can do without ("na drie jaar bouwen", "voor twee jaar").
PREPOSITIONS: frozenset[str] = frozenset({
    "aan", "achter", "bij", "binnen", "boven", "door", "in", "langs", "met", "na", "naar", "naast", "om", "onder",
    "op", "over", "per", "rond", "sinds", "tegen", "tijdens", "tot", "tussen", "uit", "van", "vanaf", "vanwege",
    "volgens", "voor", "zonder",
})

#: Words that open a subordinate or second clause: a title from the lead stops before them.
CLAUSE_OPENERS: frozenset[str] = frozenset({
    "omdat", "nadat", "terwijl", "zodat", "waardoor", "waarna", "doordat", "hoewel", "zodra", "maar", "want",
    "tenzij", "voordat",
})

#: Words that open a sentence and never stand in a person's name: after a photo credit glued
#: into the text ("© Lotte Hendriks Het museum …") the story resumes at the first of them.
#: "De" is left out: it is a name particle as well ("Bart De Wever").
SENTENCE_OPENERS: frozenset[str] = frozenset({
    "Het", "Een", "Er", "Dit", "Dat", "Deze", "Die", "Ook", "Op", "In", "Bij", "Na", "Volgens", "Vanaf", "Sinds",
    "Tijdens", "Hij", "Zij", "Ze", "Zijn", "Haar", "Hun", "Wij", "We", "Ik", "Wie", "Wat", "Waar", "Toen", "Nu",
})

# --- points that stand on their own (podcast/standalone.py) ------------------------------

#: First words with which a sentence continues the one before it: "Dit meldt de politie.",
#: "Ze vrezen …", "Nu kan dat alleen als …". Read alone, the listener asks: what, who, why now?
LEANING_OPENERS: frozenset[str] = frozenset({
    "dat", "dit", "die", "deze", "daar", "daarom", "daardoor", "hierdoor", "daarna", "daarbij", "daarmee",
    "hiermee", "daarvoor", "hiervoor", "daarnaast", "daarop", "hierop", "bovendien", "ook", "maar", "toch",
    "zo", "hij", "zij", "ze", "hun", "zijn", "haar", "dus", "en", "want", "nu", "toen", "verder", "echter",
    "wel", "zulke", "zo'n", "zo’n", "beiden", "beide",
    # English articles
    "this", "that", "these", "those", "he", "she", "they", "it", "but", "also", "so", "his", "her", "their",
})
#: Two-word openers that point back the same way: "De twee …" (which two?).
LEANING_OPENING_PAIRS: frozenset[str] = frozenset({"de twee", "de drie", "het stel", "the two"})
#: Phrases anywhere in a sentence that point back at the one before: "het grootste deel" of what?
LEANING_PHRASES: tuple[str, ...] = (
    "daardoor", "hierdoor", "daarmee", "hiermee", "daarvoor", "hiervoor", "het grootste deel", "de rest",
    "volgens hem", "volgens haar", "volgens hen", "volgens hun", "een groot deel van dat", "van dat geld",
)
#: Demonstratives that point at a thing named just before: "die vergoeding", "deze regels".
DEMONSTRATIVES: frozenset[str] = frozenset({"die", "deze", "zulke", "zo'n", "zo’n"})
#: People named by their role once introduced: "de wethouder" is someone the listener must have met.
ROLE_NOUNS: frozenset[str] = frozenset({
    "wethouder", "burgemeester", "minister", "staatssecretaris", "premier", "woordvoerder", "woordvoerster",
    "directeur", "directrice", "voorzitter", "bestuurder", "eigenaar", "eigenaresse", "trainer", "verdachte",
    "slachtoffer", "bewoner", "bewoonster", "man", "vrouw", "jongen", "meisje", "agent", "onderzoeker",
    "gedeputeerde", "advocaat", "rechter", "officier", "huisarts", "arts", "chauffeur", "bestuurster",
    "coach", "speler", "zanger", "zangeres", "oprichter", "ondernemer", "boer", "bakker", "kapitein",
})
#: Verbs and words that say who speaks: a quote with one of them (and a name) is attributed.
SAYING_WORDS: tuple[str, ...] = (
    "zegt", "zei", "zeggen", "zeiden", "aldus", "volgens", "vertelt", "vertelde", "vertellen", "laat weten",
    "liet weten", "laten weten", "stelt", "stelde", "schrijft", "schreef", "reageert", "reageerde",
    "benadrukt", "benadrukte", "verklaart", "verklaarde", "meldt", "meldde", "vindt", "vond", "antwoordt",
    "antwoordde", "roept", "riep", "waarschuwt", "waarschuwde", "twittert", "tweette", "legt uit",
    "legde uit", "erkent", "erkende", "zucht", "zuchtte", "lacht", "lachte", "klinkt het", "noemt", "noemde",
    "says", "said", "according to", "told", "adds", "added",
)
#: Speakers that name no one: a quote "…, zegt ze." needs the sentence that says who she is.
PRONOUN_SPEAKERS: frozenset[str] = frozenset({
    "hij", "zij", "ze", "die", "men", "he", "she", "they", "het", "dat", "dit", "u", "je", "jij", "wij", "we",
    "ik", "i",
})
#: A list item read after its lead-in starts in lower case when its first word is one of these
#: ("De btw gaat omhoog" → "…: de btw gaat omhoog"); a name ("Schiphol …") keeps its capital.
LIST_ITEM_LOWER: frozenset[str] = frozenset({
    "de", "het", "een", "er", "in", "op", "voor", "met", "bij", "van", "naar", "uit", "over", "tot", "geen",
    "meer", "minder", "alle", "elke", "ieder", "iedere", "wie", "wat", "twee", "drie", "vier", "vijf", "zes",
    "nieuwe", "extra", "gratis", "ook", "the", "a", "an",
})
#: Things a sentence names by a generic word once the sentence before named them: "Rijkswaterstaat
#: sluit de Afsluitdijk. De weg gaat zondag weer open." Only inside a paragraph (see standalone.py).
GENERIC_REFERENCES: frozenset[str] = frozenset({
    "weg", "straat", "brug", "plan", "plannen", "besluit", "maatregel", "maatregelen", "regeling", "gebouw",
    "pand", "zaak", "bedrijf", "voorstel", "onderzoek", "project", "actie", "wedstrijd", "dier", "wet",
})
