"""Small, pure text rules shared by the article stage and the summary: words, quotes, headings,
dates, links and handles, glued sentences, headlines.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..lang import nl_tables
from . import debris

HEADING_MAX_WORDS = 12


HEADING_MAX_CHARS = 90


SHORT_LINE_WORDS = 12


#: How a sentence (or a quote closing one) ends; a line ending otherwise is a heading or a label.
SENTENCE_ENDS = (".", "!", "?", "…", "”", '"', "’", "'")


def words(text: str) -> list[str]:
    """The words of *text* (letters or digits)."""
    return re.findall(r"[\w'’-]+", text)


def normalize_quotes(text: str) -> str:
    """Dutch newspaper quotes ,,…'' and German-style „…“ become “…”; Flemish ‘…’ stays."""
    text = _before_last(text, ("''",), lambda head: re.sub(r",,\s?(.+?)\s?''", r"“\1”", head))
    text = _before_last(text, ("“", "”", '"'), lambda head: re.sub(r"„(.+?)[“”\"]", r"“\1”", head))
    return text.replace(",,", "“").replace("''", "”")


def _before_last(text: str, closers: tuple[str, ...], replace: Callable[[str], str]) -> str:
    """*replace* applied to *text* up to its last closing mark; the rest stays as it is.

    A quote ends at a closing mark, so none starts after the last one; an opening mark
    there would make the pattern scan to the end for nothing, once per mark (quadratic).
    """
    cut = max((text.rfind(closer) + len(closer) for closer in closers if closer in text), default=0)
    return replace(text[:cut]) + text[cut:] if cut else text


def collapse(text: str) -> str:
    """One space between words."""
    return " ".join(text.split())


def looks_like_heading(text: str) -> bool:
    """A short line without closing punctuation reads as a heading ("Reacties", "Wat nu?")."""
    text = text.strip()
    if not text or len(text) > HEADING_MAX_CHARS or len(words(text)) > HEADING_MAX_WORDS:
        return False
    if text.endswith("?"):
        return len(words(text)) <= 8
    return not text.endswith((".", "!", ":", ";", ",", "…", "”", '"', "’", "'"))


def parse_date(text: str) -> str | None:
    """The first full Dutch date in *text* as ISO ("14 mei 2024" -> "2024-05-14")."""
    match = debris.WRITTEN_DATE.search(text)
    if match:
        day, month_word, year = match.groups()
        month_word = month_word.lower()
        if month_word in nl_tables.MONTHS:
            month = nl_tables.MONTHS.index(month_word) + 1
        else:
            month = nl_tables.MONTHS.index(nl_tables.MONTH_ABBREVIATIONS[month_word]) + 1
        return _iso(int(year), month, int(day))
    match = debris.NUMERIC_DATE.search(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _iso(year, month, day)
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def is_date_line(text: str) -> bool:
    """A line that is only a date, maybe with a weekday and a time: "Zondag 12 januari 2025, 10:15"."""
    rest = debris.WRITTEN_DATE.sub("", text, count=1)
    if rest == text:
        rest = debris.NUMERIC_DATE.sub("", text, count=1)
        if rest == text:
            return False
    rest = re.sub(r"\b(?:om\s+)?\d{1,2}[:.]\d{2}(?:\s*uur)?\b", "", rest)
    rest = re.sub(r"\b(?:" + "|".join(nl_tables.WEEKDAYS) + r")\b", "", rest, flags=re.IGNORECASE)
    return not re.sub(r"[\s,.|•·:-]", "", rest)


def strip_links_and_handles(text: str) -> str:
    """Remove URLs and "(@handle)" from running text."""
    text = debris.URL.sub("", text)
    text = debris.HANDLE_IN_PARENS.sub("", text)
    text = re.sub(r"\(\s*\)", "", text)
    return collapse(re.sub(r"\s+([,.;:!?])", r"\1", text))


def drop_sentences_with_handles(text: str, split) -> str:
    """Drop the sentences that still name a handle ("volg @nieuws"): a voice cannot say them."""
    if not debris.HANDLE.search(text):
        return text
    return " ".join(s for s in split(text) if not debris.HANDLE.search(s))


def without_links_and_handles(text: str, split) -> str:
    """*text* without its links and handles; "" when what remains is no text to read.

    A sentence keeps its words when a URL or "(@handle)" is cut from it. What goes whole:
    a bare link or handle, a link's label left alone ("Bron:"), and a line that named a
    handle but is no sentence: an embed's signature ("Een bericht gedeeld door Politiek Nu
    (@politieknu)", "A post shared by …"), never a heading of the article.
    """
    if not (debris.URL.search(text) or debris.HANDLE.search(text)):
        return text
    rest = drop_sentences_with_handles(strip_links_and_handles(text), split)
    if len(words(rest)) < 2:
        return ""
    if debris.HANDLE.search(text) and not rest.endswith(SENTENCE_ENDS):
        return ""
    return rest


#: A line after a lead-in is one of its items when it is at most this long.
LIST_ITEM_MAX_WORDS = 25


def is_lead_in(text: str) -> bool:
    """A line introducing a list: it ends in a colon ("Een selectie uit de maatregelen:")."""
    return text.rstrip().endswith(":")


def list_item(text: str) -> str | None:
    """The text of a list item marked as one ("- de btw gaat omhoog", "• …", "2. …"), else None."""
    marker = debris.LIST_MARKER.match(text)
    return text[marker.end():].strip() if marker else None


def separate_glued_sentences(text: str) -> str:
    """A space where the page lost one between two sentences ("…geopend.De gemeente …").

    Two quotes glued without a stop get one ("…blij”“Wij …" → "…blij.” “Wij …"). An
    abbreviation's stops stand between capitals or lower-case letters ("A.B.", "o.a."),
    so they never match.
    """
    text = debris.GLUED_QUOTES.sub(r"\1.\2 \3", text)
    return debris.GLUED_SENTENCE.sub(r"\1 ", text)


def same_headline(a: str, b: str) -> bool:
    """Whether two lines are the same headline, ignoring case, punctuation and spacing."""

    def key(s: str) -> str:
        return re.sub(r"[\W_]+", "", s.casefold())

    return key(a) == key(b) and bool(key(a))


def split_site_suffix(line: str, title: str) -> str | None:
    """ "Titel | Dagblad" repeated after the headline "Titel" -> "Dagblad"; else None."""
    match = debris.SITE_SUFFIX.search(line)
    if match and same_headline(line[:match.start()], title):
        return match.group(1).strip()
    return None
