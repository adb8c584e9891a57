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
