"""Data tables for Dutch: abbreviations, symbols and script templates."""

from __future__ import annotations

ABBREVIATIONS: dict[str, str] = {
    "o.a.": "onder andere",
    "dhr.": "de heer",
    "mevr.": "mevrouw",
    "bijv.": "bijvoorbeeld",
    "enz.": "enzovoort",
    "d.w.z.": "dat wil zeggen",
    "m.b.t.": "met betrekking tot",
    "i.p.v.": "in plaats van",
    "t.o.v.": "ten opzichte van",
    "aug.": "augustus",
}

SYMBOLS: dict[str, str] = {
    "%": "procent",
    "&": "en",
    "𝕏": "X",
}

TEMPLATES: dict[str, str] = {
    "intro": "Welkom bij {show}. Dit is het nieuws van {date}.",
    "intro_undated": "Welkom bij {show}.",
    "headline": "{title}.",
    "outro": "Dat was {show}. Bron: {source}. Tot de volgende keer.",
    "chapter_intro": "Intro",
    "chapter_headline": "Kopregel",
    "chapter_point": "Punt {n}",
    "chapter_outro": "Afsluiting",
}
