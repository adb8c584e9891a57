"""Data tables: what page debris around a (Dutch) news article looks like.

The rules that use these live in ``clean.py``. Patterns are compiled once and
matched against whole blocks (paragraphs or short lines) unless noted.
"""

from __future__ import annotations

import re

from ..lang import en, nl_tables

_MONTHS_NL = "|".join(nl_tables.MONTHS)
_MONTHS_EN = "|".join(en.MONTHS)
_MONTHS_SHORT = "|".join(nl_tables.MONTH_ABBREVIATIONS)  # one table: what is found here, parse_date can read

#: The date marker some scrapers put before the first paragraph: " date 2024-08 ".
DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b\s*", re.IGNORECASE)

#: A Dutch date written out: "12 januari 2025", "12 aug. 2024", "12-01-2025".
WRITTEN_DATE = re.compile(
    rf"\b(\d{{1,2}})\s+({_MONTHS_NL}|{_MONTHS_SHORT})\.?\s+(\d{{4}})\b", re.IGNORECASE
)
NUMERIC_DATE = re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{4})\b")

#: An embedded tweet: its picture link or its signature line.
TWEET_MARKERS = (
    re.compile(r"pic\.twitter\.com/\S+", re.IGNORECASE),
    re.compile(rf"[—–-]\s*[^—–()]{{1,60}}\(@\w{{1,30}}\)\s*(?:{_MONTHS_EN}|{_MONTHS_NL})\s+\d{{1,2}},?\s+\d{{4}}\s*$"),
    re.compile(rf"[—–-]\s*[^—–()]{{1,60}}\(@\w{{1,30}}\)\s*\d{{1,2}}\s+(?:{_MONTHS_NL})\s+\d{{4}}\s*$"),
)

#: What an embed leaves when its player is gone: a block opening with a call to watch it on
#: the platform ("Bekijk dit bericht op Instagram", "Bekijk de video op YouTube …", "Watch on
#: YouTube"). Its signature ("Een bericht gedeeld door Naam (@naam)") names a handle, which
#: ``clean.without_links_and_handles`` drops.
EMBED_CALL = re.compile(
    r"^(?:Bekijk|Kijk|View|Watch)\b[^.!?]{0,40}?\b(?:op|on)\s+"
    r"(?:Instagram|Facebook|TikTok|YouTube|X|Twitter|Threads|Bluesky|LinkedIn)\b",
    re.IGNORECASE,
)

#: A URL or a handle anywhere in running text. A URL ends before the punctuation that ends
#: its sentence, which stays: "staat op www.example.nl." must not become a heading-like line.
URL = re.compile(
    r"(?:https?://|www\.|\b(?:t\.co|pic\.twitter\.com|bit\.ly)/)\S*[^\s.,;:!?)]", re.IGNORECASE
)
HANDLE_IN_PARENS = re.compile(r"\s*\(@\w{1,30}\)")
HANDLE = re.compile(r"(?<![\w.])@\w{2,30}")

#: Photo agencies and newsrooms whose name opens a photo credit ("EPA Bart De Wever"). An
#: agency followed by name-like words is a credit, so "ANP Foto", "Reuters/ANP" and "Getty
#: Images" need no entries of their own.
CREDIT_AGENCIES = (
    "ANP", "EPA", "AFP", "AP", "Reuters", "Getty", "Hollandse Hoogte", "BELGA",
    "Belga", "Shutterstock", "iStock", "Pro Shots", "ProShots", "Orange Pictures", "NOS", "RTL",
    "Imageselect", "Photonews", "Pixabay", "Unsplash",
)
CREDIT_LABEL = re.compile(
    r"^(?:©\s*)?(?:Foto|Foto's|Beeld|Afbeelding|Illustratie|Video|Fotografie|Bron foto|Archieffoto)"
    r"(?:\s+en\s+\w+)?\s*[:|/©-]",
    re.IGNORECASE,
)
BYLINE_START = re.compile(
    r"^(?:(?:Door|Geschreven door|Bewerkt door)\s+(?:onze|de redactie|redactie|[A-ZÀ-Þ])"
    r"|(?:Tekst(?: en beeld)?|Auteur|Redactie)\s*:|Verslaggever\b|Redactie\b)"
)
#: "RTV Noordoost • 14 mei 2024, 08:12", "NOS Nieuws • vandaag, 19:21".
DATELINE = re.compile(
    r"\s[•·|]\s*(?:vandaag|gisteren|eergisteren|\w+dag|\d{1,2}\s+\w+\.?(?:\s+\d{4})?|\d{1,2}-\d{1,2}-\d{4})\b"
    r"(?:,?\s*\d{1,2}[:.]\d{2})?",
    re.IGNORECASE,
)
#: What makes a line with a bullet a dateline: a clock time or a day ("vandaag, 19:21"), besides a date.
DATELINE_WHEN = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b(?:vandaag|gisteren|eergisteren)\b", re.IGNORECASE)
PUBLISHED = re.compile(
    r"^(?:Gepubliceerd|Geplaatst|Aangepast|Gewijzigd|Bijgewerkt|Laatst bijgewerkt|Update)\b\s*:?",
    re.IGNORECASE,
)
READING_TIME = re.compile(r"^(?:Leestijd\s*:?\s*)?\d+\s*(?:min(?:uten|uut)?|minuten)\.?(?:\s*leestijd)?$", re.IGNORECASE)

#: Cookie and webmail notices.
COOKIE_WORDS = re.compile(r"\bcookie", re.IGNORECASE)
COOKIE_CONTEXT = re.compile(
    r"\b(?:akkoord|accepte|toestemming|instellingen|gebruiken|plaatsen|weigeren|privacy|derden|voorkeuren)",
    re.IGNORECASE,
)
WEBMAIL = re.compile(r"\bwebmail\b", re.IGNORECASE)
PAGE_NOTICES = re.compile(
    r"^(?:Deze inhoud kan (?:helaas )?niet (?:worden )?(?:getoond|weergegeven)"
    r"|Je (?:gebruikt|browser)\b.*\b(?:verouderd|ondersteunt)|Schakel JavaScript in"
    r"|Om deze (?:inhoud|video) te (?:zien|bekijken)|Log in om\b|Word abonnee\b|Abonneer je\b"
    r"|Dit artikel is (?:alleen )?voor abonnees|Lees verder na de advertentie|Advertentie$)",
    re.IGNORECASE,
)
#: Button and menu labels that survive as lines of their own. Labels naming cookies with a
#: setting or consent ("Cookie-instellingen") or webmail are cookie and webmail notices already.
UI_LABELS = frozenset(s.casefold() for s in (
    "Akkoord", "Accepteren", "Alles accepteren", "Accepteer", "Weigeren", "Instellingen", "Cookies",
    "Privacy", "Ja, ik ga akkoord", "Ik ga akkoord", "Inloggen", "Uitloggen",
    "Abonneren", "Abonneer", "Deel dit artikel", "Delen", "Deel", "Lees meer", "Lees verder",
    "Sluiten", "Terug naar boven", "Menu", "Zoeken", "Home", "Advertentie", "Reageer",
    "Volg ons", "Print", "Kopieer link", "Meer nieuws", "Bekijk video", "Bekijk de video",
))

#: Headings that open a block of teasers for other articles.
TEASER_HEADING = re.compile(
    r"^(?:Meer uit|Meer over|Meer nieuws|Meer lezen|Lees ook|Lees meer|Bekijk ook|Ook interessant"
    r"|Gerelateerd|Gerelateerde artikelen|Populair|Meest gelezen|Net binnen|Andere artikelen|Uitgelicht"
    r"|Ook gelezen|Aanbevolen|Tip van de redactie|Dit vind je misschien ook)\b",
    re.IGNORECASE,
)
#: A single teaser line: "Lees ook: Boodschappen weer duurder".
TEASER_LINE = re.compile(
    r"^(?:Lees ook|Lees meer|Bekijk ook|Ook interessant|Luister ook|Kijk ook|Gerelateerd|Meer over|Meest gelezen"
    r"|Populair|Uitgelicht|Ook gelezen|Aanbevolen)\s*[:|»>-]",
    re.IGNORECASE,
)
#: "2 uur geleden", "gisteren", "zojuist": the age of a teaser.
TIME_AGO = re.compile(
    r"^(?:\d+\s+(?:seconden?|minuten?|min|uur|uren|dagen?|weken?)\s+geleden|gisteren|eergisteren|zojuist"
    r"|vandaag|net binnen|(?:gisteren|vandaag),?\s+\d{1,2}[:.]\d{2})$",
    re.IGNORECASE,
)

#: A liveblog time stamp on a line of its own: "21.30", "21:30 uur", "Update 21.30".
LIVEBLOG_STAMP = re.compile(r"^(?:Update\s+)?([01]?\d|2[0-3])[.:]([0-5]\d)(?:\s*uur)?$", re.IGNORECASE)
#: A time stamp opening an update: "21.30 De politie meldt ...".
LIVEBLOG_PREFIX = re.compile(r"^([01]?\d|2[0-3])[.:]([0-5]\d)(?:\s*uur)?\s*[|:–-]?\s+(?=[A-Z“\"‘'])")

#: Headline suffixes naming the site: "Titel | Site", "Titel - Site".
SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+([^|–—-]{2,60})$")

#: Markdown markup.
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
#: A list item's marker at the start of a plain-text line: "- ", "• ", "* ", "– ", "1. ", "2) ".
LIST_MARKER = re.compile(r"^\s*(?:[-–•*▪►]|\d{1,2}[.)])\s+(?=\S)")
#: A sentence end glued to the next sentence's start: "geopend.De", "zei hij.”Het", "blij!Wij".
GLUED_SENTENCE = re.compile(r"((?<![A-Z.])\b[a-zà-ÿ]{2,}[.!?][”\"’]?)(?=[“„\"]?[A-ZÀ-Þ][a-zà-ÿ])")
#: Two quotes glued without a stop: "…blij”“Wij …".
GLUED_QUOTES = re.compile(r"([^\W\d_])([”\"])\s*([“„])")
MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)

# --- page furniture that issue 11 found read aloud --------------------------------------

#: Labels a page glues to the first word of its text: "update/videoHet water …", "LIVEDe brandweer …".
GLUED_LABELS = (
    "liveblog", "live", "update", "updates", "video", "foto's", "fotoserie", "breaking", "net binnen", "exclusief",
    "premium", "plus", "podcast", "column", "analyse", "interview", "achtergrond", "uitgelegd", "opinie",
)
_LABELS = "|".join(re.escape(label) for label in sorted(GLUED_LABELS, key=len, reverse=True))
#: One or more labels ("update/video"), then the capital and small letter of a real first word.
#: The lookahead is case-sensitive, so "LIVEBLOG" (no small letter) and "Liveblog" (no capital) stay.
GLUED_LABEL = re.compile(
    rf"^(?:{_LABELS})(?:\s*/\s*(?:{_LABELS}))*(?=(?-i:[A-ZÀ-Þ][a-zà-ÿ]))",
    re.IGNORECASE,
)
#: What opens a photo caption on its own line: "Volledig scherm …" (a viewer's button glued to
#: the caption), or a credit label ("Foto: …", "Archieffoto: …").
CAPTION_OPENER = re.compile(r"^(?:Volledig scherm|Vergroot|Bekijk foto|Fotoserie)\b", re.IGNORECASE)
#: A credit closing a caption: "… boven het kanaal. © Pieter Vos", "… (Foto: ANP)", "… Foto: Jan Smit".
CAPTION_CREDIT = re.compile(
    r"(?:©\s*[^.!?©]{1,50}|\(\s*(?:Foto|Beeld|Archieffoto|Illustratie)\s*:?[^()]{1,50}\)"
    r"|\b(?:Foto|Beeld|Archieffoto)\s*:\s*[^.!?:]{1,50})\s*$",
    re.IGNORECASE,
)
_AGENCIES = "|".join(re.escape(a) for a in CREDIT_AGENCIES)
#: A caption closed by its agency in parentheses: "Rookwolken boven de loods (ANP)", "(EPA / Jan Smit)".
CAPTION_AGENCY = re.compile(rf"\((?:{_AGENCIES})\b[^()]{{0,40}}\)\s*$")
#: A wire dateline opening the first paragraph: "VEGHEL (ANP) - Op het industrieterrein …".
WIRE_DATELINE = re.compile(rf"^[A-ZÀ-Þ][A-ZÀ-Þ .'/-]{{1,40}}\s*\((?:{_AGENCIES}|DPA|Novum)\)\s*[-–—]\s+")
#: A caption glued into a paragraph: the viewer's button, the caption, then its "©" credit
#: ("Volledig scherm De kraan boven het kanaal. © Pieter Vos Bouwers hebben …").
GLUED_CAPTION = re.compile(r"(?:^|(?<=[.!?”] ))(?:Volledig scherm|Vergroot)\s+(?P<caption>[^©]{1,300}?)©\s*")
#: A credit in parentheses inside running text: "… tien uur dicht. (Foto: ANP)".
INLINE_CREDIT = re.compile(r"\s*\(\s*(?:Foto|Foto's|Beeld|Archieffoto|Illustratie|Video)\s*:[^()]{1,50}\)", re.IGNORECASE)
#: An image's file name on a line of its own: "IMG_2034.jpg", "olifant-amersfoort-2025.JPG".
IMAGE_FILE = re.compile(r"^[\w.\-()]{1,80}\.(?:jpe?g|png|gif|webp|heic|avif|tiff?|bmp|svg)$", re.IGNORECASE)
#: The same file name inside running text, where a scraper glued it to a paragraph.
IMAGE_FILE_IN_TEXT = re.compile(r"(?<!\S)[\w\-()]{1,80}\.(?:jpe?g|png|gif|webp|heic|avif|tiff?|bmp|svg)(?!\S)", re.IGNORECASE)
#: Share buttons: "Delen op Facebook", "Deel via WhatsApp", "Share on X".
_SHARE = (
    r"(?:(?:Deel|Delen|Share|Stuur door)\b(?:\s+(?:dit|dit artikel|het artikel|dit bericht|via|op|met|on))*"
    r"(?:\s+(?:Facebook|WhatsApp|X|Twitter|LinkedIn|e-?mail|mail|Messenger|Pinterest|Telegram|Bluesky|Threads))?"
    r"|Kopieer (?:de )?link|Link gekopieerd)"
)
#: A row of them on one line counts too: "Delen op Facebook Delen op WhatsApp Kopieer link".
SHARE_BUTTON = re.compile(rf"^{_SHARE}(?:\s*[|•·,]?\s*{_SHARE})*$", re.IGNORECASE)
#: A newsletter prompt: a call to sign up ("Schrijf je in …", "Meld je aan …") about a newsletter or mailbox.
NEWSLETTER_CALL = re.compile(
    r"^(?:Schrijf je\b|Meld je\b|Aanmelden\b|Inschrijven\b|Abonneer\b|Ontvang\b|Mis niets\b|Blijf op de hoogte\b"
    r"|Wil je\b|Sign up\b|Subscribe\b)",
    re.IGNORECASE,
)
NEWSLETTER_TOPIC = re.compile(r"\b(?:nieuwsbrief|newsletter|mailbox|inbox|e-?mail|op de hoogte)\b", re.IGNORECASE)
#: Separators between the items of a page menu or breadcrumb: "Home | Nieuws | Sport", "Home › Binnenland".
#: Bullets ("•") set a byline's parts apart instead: ``clean.is_bullet_line``.
MENU_SEPARATOR = re.compile(r"\s+[|›»>/]\s+")
