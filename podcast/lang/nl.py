"""Dutch: sentence splitting, stopwords, script templates and speakable-text rules.

Speakable-text rules are small pure functions applied in order by ``speakable``;
the data they use lives in ``nl_tables``. They run at the speech step, so the
script keeps the readable text ("22.00 uur") and the voice gets "22 uur".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from . import nl_tables as tables

TEMPLATES = tables.TEMPLATES
MONTHS = tables.MONTHS
WEEKDAYS = tables.WEEKDAYS

# --- sentences -------------------------------------------------------------------------

#: A possible sentence end: terminal punctuation, closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’'»)\]]*\s+")
_LAST_TOKEN = re.compile(r"(\S+)$")
_NEXT_TOKEN = re.compile(r"^\S+")
_SENTENCE_START = re.compile(r"^(?:[\"“„‘'«(]*[A-ZÀ-ÖØ-Þ0-9]|['’][stkn]\b)")


def _is_abbreviation(token: str) -> bool:
    """Whether *token* (ending in a full stop) is a known abbreviation or an initial."""
    low = token.lower().lstrip("(\"“‘'")
    if low in tables.ABBREVIATIONS or low in tables.NON_FINAL_ABBREVIATIONS:
        return True
    return low.rstrip(".") in tables.MONTH_ABBREVIATIONS


def _is_initial(token: str) -> bool:
    """"J." or "A.B." before a surname."""
    return re.fullmatch(r"(?:[A-Z]\.)+", token.lstrip("(")) is not None


def _ends_sentence(before: str, punct: str, after: str) -> bool:
    """Decide whether the boundary between *before* and *after* ends a sentence.

    Only the last word of *before* and the first word of *after* count.
    """
    if not _SENTENCE_START.match(after):
        return False
    if any(ch in punct for ch in "!?…") or re.search(r"\.[\"”’'»)\]]", punct):
        return True
    token_match = _LAST_TOKEN.search(before + ".")
    token = token_match.group(1) if token_match else ""
    next_match = _NEXT_TOKEN.match(after)
    next_word = next_match.group(0).strip("\"“„‘'«(,.;:") if next_match else ""
    if token.lower() in tables.SENTENCE_FINAL_ABBREVIATIONS:
        return True
    if _is_abbreviation(token):
        return False
    if _is_initial(token):
        # "op X. Dat was" ends a sentence; "J. de Vries" and "B. De Wever" do not.
        return next_word.lower() in stopwords() and next_word not in tables.NAME_PARTICLES
    return True


def split_sentences(text: str) -> list[str]:
    """Split Dutch text into sentences, keeping "dhr.", "o.a.", "12 aug. 2024" and initials inside."""
    text = " ".join(text.split())
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        punct = match.group(0)
        end = match.end()
        if end == len(text):
            break
        # Only the word before the boundary and the word after it decide; slicing no
        # more than those keeps a long paragraph linear (the text has single spaces now).
        before = text[max(start, text.rfind(" ", start, match.start()) + 1):match.start()]
        next_space = text.find(" ", end)
        after = text[end:next_space if next_space >= 0 else len(text)]
        if _ends_sentence(before, punct.rstrip(), after):
            sentences.append(text[start:match.end()].strip())
            start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Dutch stopwords from stopwordsiso, shipped with the package (no download)."""
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("nl"))


# --- numbers as words ------------------------------------------------------------------


def cardinal_words(n: int) -> str:
    """0..999 999 as Dutch words, e.g. 21 -> "eenentwintig", 134 -> "honderdvierendertig"."""
    if n < 20:
        return tables.UNITS_WORDS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        if not unit:
            return tables.TENS_WORDS[tens]
        link = "ën" if tables.UNITS_WORDS[unit].endswith("e") else "en"
        return f"{tables.UNITS_WORDS[unit]}{link}{tables.TENS_WORDS[tens]}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "honderd" if hundreds == 1 else f"{tables.UNITS_WORDS[hundreds]}honderd"
        return head + (cardinal_words(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    head = "duizend" if thousands == 1 else f"{cardinal_words(thousands)}duizend"
    return head + (cardinal_words(rest) if rest else "")


def ordinal_words(n: int) -> str:
    """1 -> "eerste", 3 -> "derde", 21 -> "eenentwintigste", 100 -> "honderdste"."""
    rest = n % 100
    if n >= 100 and rest:
        return cardinal_words(n - rest) + ordinal_words(rest)
    if n in tables.ORDINAL_WORDS:
        return tables.ORDINAL_WORDS[n]
    if n < 20:
        return cardinal_words(n) + "de"
    return cardinal_words(n) + "ste"


# --- speakable-text rules --------------------------------------------------------------

# Alternations built from the tables once, not on every call (the rules run per segment).
_MONTH_ABBREVIATIONS = "|".join(sorted(tables.MONTH_ABBREVIATIONS, key=len, reverse=True))
_CURRENCY_SIGNS = "".join(re.escape(s) for s in tables.CURRENCIES)
_UNITS = "|".join(re.escape(u) for u in sorted(tables.UNITS, key=len, reverse=True))
_SPOKEN_ACRONYMS = "|".join(re.escape(k) for k in tables.ACRONYMS_SPOKEN)


def normalize_apostrophes(text: str) -> str:
    """A curly ’ inside a word ("auto’s", "’s avonds") is an apostrophe, not a quote: make it '."""
    text = re.sub(r"(?<=\w)’(?=\w)", "'", text)
    return re.sub(r"(?<!\w)[‘’](?=(?:s|t|k|n)\b)", "'", text)


def drop_quotes(text: str) -> str:
    """Remove quote marks of every style (,,…'' “…” ‘…’ "…" «…»); keep apostrophes in words."""
    text = re.sub(r",,|''|[“”„‟«»‹›\"‘’]", "", text)
    # ASCII single quotes used as quotes: before a word (not 's, 't, 'n, 'k) or after one.
    text = re.sub(r"(?<!\w)'(?!(?:s|t|k|n)\b)(?=\w)", "", text)
    return re.sub(r"(?<=[\w.,!?])'(?!\w)", "", text)


def expand_abbreviations(text: str) -> str:
    """Write out abbreviations espeak-ng would spell ("dhr." -> "de heer", "o.a." -> "onder andere")."""
    for abbr, full in tables.ABBREVIATIONS.items():
        keep_stop = abbr in tables.SENTENCE_FINAL_ABBREVIATIONS
        for form, words in ((abbr, full), (abbr[0].upper() + abbr[1:], full[0].upper() + full[1:])):
            pattern = rf"(?<![\w.]){re.escape(form)}(?=\s|$|[,;:)])"

            def repl(match: re.Match[str], words: str = words, keep_stop: bool = keep_stop) -> str:
                rest = match.string[match.end():]
                ends = keep_stop and (not rest.strip() or re.match(r"\s+[A-Z]", rest))
                return words + ("." if ends else "")

            text = re.sub(pattern, repl, text)
    return text


def expand_dates(text: str) -> str:
    """ "12 aug. 2024" -> "12 augustus 2024"; "12-08-2024" -> "12 augustus 2024"; "2023-2024" -> "2023 tot 2024"."""
    def month(match: re.Match[str]) -> str:
        return f"{match.group(1)} {tables.MONTH_ABBREVIATIONS[match.group(2).lower()]}"

    text = re.sub(rf"\b(\d{{1,2}})\s+({_MONTH_ABBREVIATIONS})\.?(?=\s|$|[,;])", month, text, flags=re.IGNORECASE)
    text = re.sub(rf"\b({_MONTH_ABBREVIATIONS})\.?(?=\s+\d{{4}}\b)",
                  lambda m: tables.MONTH_ABBREVIATIONS[m.group(1).lower()], text, flags=re.IGNORECASE)

    def numeric(match: re.Match[str]) -> str:
        day, mon, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if not (1 <= day <= 31 and 1 <= mon <= 12):
            return match.group(0)
        return f"{day} {tables.MONTHS[mon - 1]} {year}"

    text = re.sub(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b", numeric, text)
    return re.sub(r"\b(1[89]\d\d|20\d\d)\s?[-–]\s?(1[89]\d\d|20\d\d)\b", r"\1 tot \2", text)


def expand_times(text: str) -> str:
    """ "22.00 uur" -> "22 uur"; "21.30 uur" and "21:30" -> "21 uur 30"."""

    def clock(match: re.Match[str]) -> str:
        hours, minutes = int(match.group(1)), int(match.group(2))
        return f"{hours} uur" if minutes == 0 else f"{hours} uur {minutes}"

    text = re.sub(r"\b([01]?\d|2[0-4])[.:]([0-5]\d)\s*uur\b", clock, text)
    return re.sub(r"\b([01]?\d|2[0-4]):([0-5]\d)\b(?!:)", clock, text)


def expand_money(text: str) -> str:
    """ "€ 5,50" -> "5 euro 50"; "€ 2,5 miljoen" -> "2,5 miljoen euro"; "€ 0,75" -> "75 cent"."""
    def amount(match: re.Match[str]) -> str:
        word = tables.CURRENCIES[match.group(1)]
        whole, cents, scale = match.group(2), match.group(3), match.group(4)
        if scale:
            number = f"{whole},{cents}" if cents and cents not in "-—" else whole
            return f"{number} {scale} {word}"
        if cents and cents not in ("-", "—", "00"):
            if whole == "0" and word == "euro":
                return f"{int(cents)} cent"
            return f"{whole} {word} {cents}"
        return f"{whole} {word}"

    text = re.sub(
        rf"([{_CURRENCY_SIGNS}])\s?(\d+(?:\.\d{{3}})*)(?:,(\d+|-|—))?(?:\s+(miljoen|miljard|duizend)\b)?", amount, text
    )
    return re.sub(r"\b(\d+(?:\.\d{3})*),(\d{2})\s+euro\b", r"\1 euro \2", text)


def expand_numbers(text: str) -> str:
    """ "600.000" -> "600000", "1,5" -> "1 komma 5", "3e" -> "derde", "-3" -> "min 3"."""
    text = re.sub(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d])(?!\.\d)", lambda m: m.group(0).replace(".", ""), text)
    text = re.sub(r"(?<![\d,])(\d+),(\d+)(?![\d,])", r"\1 komma \2", text)
    text = re.sub(r"\b(\d{1,3})(?:e|ste|de)\b", lambda m: ordinal_words(int(m.group(1))), text)
    return re.sub(r"(?<![\w)])-(\d)", r"min \1", text)


def expand_units(text: str) -> str:
    """ "3 km" -> "3 kilometer", "50 km/u" -> "50 kilometer per uur"."""
    return re.sub(rf"(\d)\s?({_UNITS})(?![\w/])", lambda m: f"{m.group(1)} {tables.UNITS[m.group(2)]}", text)


def expand_symbols(text: str) -> str:
    """Replace symbols by words: "%" -> "procent", "&" -> "en", "𝕏" -> "X"."""
    for symbol, word in tables.SYMBOLS.items():
        text = text.replace(symbol, f" {word} ")
    text = text.replace("en/of", "en of")
    return re.sub(r"\s[—–]\s", ", ", text)


def expand_acronyms(text: str) -> str:
    """Spell acronyms letter by letter ("NOS" -> "N O S") unless Dutch says them as a word ("NAVO" -> "Navo")."""

    def acronym(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in tables.ACRONYMS_SPOKEN:
            return tables.ACRONYMS_SPOKEN[word]
        if word in tables.NOT_ACRONYMS:
            return word
        if word in tables.ACRONYMS_AS_WORDS:
            return word.capitalize()
        return " ".join(word)

    # Three capitalised words in a row are shouting, not acronyms: leave those alone.
    if re.search(r"\b[A-Z]{2,}\b(?:\s+\b[A-Z]{2,}\b){2,}", text):
        return text
    return re.sub(rf"(?<![\w-])(?:{_SPOKEN_ACRONYMS}|[A-Z]{{2,6}})(?![\w])", acronym, text)


def drop_unspeakable(text: str) -> str:
    """Drop emoji and other pictographs the voice would name or skip awkwardly."""
    return "".join(
        ch for ch in text
        if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Co") and ch not in "\ufe0f\u200d"
    )


def collapse_whitespace(text: str) -> str:
    """One space between words, none before punctuation."""
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text).strip()


RULES: list[Callable[[str], str]] = [
    normalize_apostrophes,
    drop_quotes,
    expand_abbreviations,
    expand_dates,
    expand_times,
    expand_money,
    expand_numbers,
    expand_units,
    expand_symbols,
    expand_acronyms,
    drop_unspeakable,
    collapse_whitespace,
]


def speakable(text: str) -> str:
    """Apply every rule in RULES, in order, so espeak-ng and gTTS read *text* well."""
    for rule in RULES:
        text = rule(text)
    return text


# --- a title from the lead -------------------------------------------------------------

TITLE_MIN_CLAUSE_WORDS = 4
#: The longest prepositional phrase a title drops ("tot bijna drie meter" is four words).
PHRASE_MAX_WORDS = 5


def main_clause(sentence: str, max_words: int) -> str:
    """The main clause of *sentence* in at most *max_words* words: a title for a page without one.

    The clause stops before a comma or a word opening a second clause ("…, maar het werd
    een fiasco"); while it is too long, the prepositional phrase nearest its end goes, and
    a verb closing the clause stays ("is gisteren na drie jaar bouwen geopend" -> "is
    gisteren geopend"): that verb carries the news.
    """
    tokens = sentence.rstrip(".!?… ").split()
    if len(tokens) <= max_words:
        return " ".join(tokens)
    for i, token in enumerate(tokens):
        if i >= TITLE_MIN_CLAUSE_WORDS and (
            tokens[i - 1].endswith((",", ";", ":")) or token.lower() in tables.CLAUSE_OPENERS
        ):
            tokens = tokens[:i]
            tokens[-1] = tokens[-1].rstrip(",;:")
            break
    while len(tokens) > max_words:
        shorter = _without_last_phrase(tokens)
        if shorter is None:
            return " ".join(tokens[:max_words]) + "…"
        tokens = shorter
    return " ".join(tokens)


def _without_last_phrase(tokens: list[str]) -> list[str] | None:
    """*tokens* without the prepositional phrase nearest the end (a closing verb kept); None if none."""
    end = len(tokens) - 1 if tokens[-1].islower() and _looks_like_verb(tokens[-1]) else len(tokens)
    for i in range(end - 1, max(TITLE_MIN_CLAUSE_WORDS, end - PHRASE_MAX_WORDS) - 1, -1):
        if tokens[i].lower() in tables.PREPOSITIONS:
            return tokens[:i] + tokens[end:]
    return None  # a longer stretch would take the clause's own words (its subject, its adverbs) with it


def _looks_like_verb(token: str) -> bool:
    """A participle or infinitive closing a Dutch clause: "geopend", "gesloten", "worden"."""
    return re.fullmatch(r"\w*ge\w{2,}(?:d|t|en)|\w{3,}en", token) is not None
