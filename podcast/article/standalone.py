"""Points a listener can follow: each sentence with what it needs to stand on its own.

A listener hears a point without the page. So a sentence that leans on the one before
("Dit meldt de politie.", "Ze vrezen …") comes with that sentence; a quote comes whole,
with its speaker; a list's lead-in ("Een selectie uit de maatregelen:") comes with its
items, read as one sentence ("…: de btw gaat omhoog; de ouderenkorting ook."). What cannot
be made whole within ``MAX_UNIT_WORDS`` is no candidate: the summary picks another sentence.

The predicates are small and pure; ``units`` applies them to an article's sentences.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..lang import nl_tables as tables
from .clean import is_lead_in

if TYPE_CHECKING:
    from .records import Sentence

#: A point made of several sentences stays short enough to follow in one breath or two.
MAX_UNIT_WORDS = 60
#: How far back a chain of leaning sentences is followed ("Ze …" after "Dat …" after the news).
MAX_LEANING_STEPS = 2
#: A list read with its lead-in: at most this many items, each at most ``ITEM_MAX_WORDS`` words.
MAX_LIST_ITEMS = 8
ITEM_MAX_WORDS = 25
#: A quoted stretch of fewer words is a term in quotes ("de zogeheten 'groene golf'"), not a quote.
QUOTE_MIN_WORDS = 4

#: How a spoken sentence may end (a quote's closing mark after its stop included).
SENTENCE_ENDS = (".", "!", "?", "…", "”", '"', "’", "'", "»")
_OPENING = "“„‘«"
_CLOSING = "”’»"
_LEADING_MARKS = re.compile(r"^[\W_]+")
_SAYING = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in tables.SAYING_WORDS) + r")\b", re.IGNORECASE)
_LEANING_PHRASE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in tables.LEANING_PHRASES) + r")\b",
                             re.IGNORECASE)
_ROLE = re.compile(r"\b[Dd]e (" + "|".join(sorted(tables.ROLE_NOUNS)) + r")\b(?!\s+[A-ZÀ-Þ])")
_DEMONSTRATIVE = re.compile(
    r"(?<!^)\b(?:" + "|".join(sorted(tables.DEMONSTRATIVES)) + r")\s+([a-zà-ÿ]{4,})\b", re.IGNORECASE)
_ROLE_MENTION = re.compile(r"\b(" + "|".join(sorted(tables.ROLE_NOUNS)) + r")\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class Unit:
    """The sentences one point is read from (``first`` to ``last``), and the text read.

    ``requires`` is a sentence the listener must have heard in an earlier point: the one
    that introduced the person a role ("de wethouder") refers to.
    """

    first: int
    last: int
    text: str
    requires: int | None = None
    is_list: bool = False

    @property
    def span(self) -> range:
        return range(self.first, self.last + 1)


# --- what a sentence needs ---------------------------------------------------------------


def first_words(text: str, n: int = 1) -> str:
    """The first *n* words of *text*, lower case, without the quote marks before them."""
    return " ".join(_LEADING_MARKS.sub("", text).split()[:n]).lower().rstrip(",.:;!?")


def leans_on_previous(text: str) -> bool:
    """Whether *text* continues a sentence before it: "Dit meldt de politie.", "Daarom …", "De twee …".

    Either by its first word(s) or by a phrase pointing back ("het grootste deel", "daardoor").
    """
    return (
        first_words(text) in tables.LEANING_OPENERS
        or first_words(text, 2) in tables.LEANING_OPENING_PAIRS
        or _LEANING_PHRASE.search(text) is not None
    )


def points_back_at(text: str, previous: str) -> bool:
    """Whether *text* calls something in *previous* "die …" or "deze …": "die vergoeding" after "een vergoeding"."""
    said = {_stem(w) for w in _WORD.findall(previous.lower())}
    return any(_stem(noun) in said for noun in _DEMONSTRATIVE.findall(text))


def _stem(word: str) -> str:
    return word[:-2] if word.endswith("en") and len(word) > 5 else word


def generic_reference(text: str) -> bool:
    """Whether *text* opens with a generic name for something said before: "De weg gaat …", "Het plan …"."""
    words = first_words(text, 2).split()
    return len(words) == 2 and words[0] in ("de", "het") and words[1] in tables.GENERIC_REFERENCES


def role_reference(text: str) -> str | None:
    """The role *text* names a person by without naming them ("de wethouder"), or None."""
    match = _ROLE.search(text)
    return match.group(1) if match else None


def quote_marks(text: str) -> list[tuple[int, str]]:
    """Positions of quote marks that open ("open") or close ("close") a quote in *text*.

    Curly marks tell which they are; a straight " opens after a space or at the start and
    closes otherwise. An apostrophe inside a word ("auto’s", "z’n") or before "s", "t", "n",
    "k" ("’s avonds") is no quote mark.
    """
    marks: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch in "’'" and (before.isalnum() and after.isalnum() or re.match(r"[’'][stnk]\b", text[i:i + 3])):
            continue  # an apostrophe
        if ch in _OPENING or ch in "'\"" and (before.isspace() or before in "([") and not after.isspace():
            if ch in "'‘" and not re.match(r".[^\W\d_]", text[i:i + 2]):
                continue
            marks.append((i, "open"))
        elif ch in _CLOSING or ch in "'\"":
            marks.append((i, "close"))
    return marks


def quote_balance(text: str) -> tuple[int, int]:
    """(quotes closed in *text* that it did not open, quotes it opens and leaves open)."""
    unopened = depth = 0
    for _, kind in quote_marks(text):
        if kind == "open":
            depth += 1
        elif depth:
            depth -= 1
        else:
            unopened += 1
    return unopened, depth


def quoted_stretches(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quoted stretch in *text*, marks included, outermost only."""
    stretches: list[tuple[int, int]] = []
    depth, start = 0, 0
    for pos, kind in quote_marks(text):
        if kind == "open":
            if depth == 0:
                start = pos
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                stretches.append((start, pos + 1))
    return stretches


def outside_quotes(text: str) -> tuple[str, int]:
    """*text* without its quoted stretches, and the number of words quoted."""
    kept, quoted, last = [], 0, 0
    for start, end in quoted_stretches(text):
        kept.append(text[last:start])
        quoted = max(quoted, len(_WORD.findall(text[start:end])))
        last = end
    kept.append(text[last:])
    return " … ".join(kept), quoted


def has_quote(text: str) -> bool:
    """Whether *text* quotes someone (a quoted stretch of ``QUOTE_MIN_WORDS`` words or more)."""
    return outside_quotes(text)[1] >= QUOTE_MIN_WORDS


def names_speaker(text: str) -> bool:
    """Whether the quote in *text* says who speaks, by name or role, not by "hij" or "ze".

    Outside the quote stand a word that says someone speaks ("zegt", "volgens", "aldus")
    or a colon introducing the quote, and a speaker: a capitalised word that is no pronoun
    ("wethouder Bos", "De Wever") or a role ("de politie", "een woordvoerder").
    """
    outside, _ = outside_quotes(text)
    if not (_SAYING.search(outside) or re.search(r":\s*…", outside)):
        return False
    for word in _WORD.findall(outside):
        low = word.lower()
        if word[0].isupper() and low not in tables.PRONOUN_SPEAKERS and low not in tables.LEANING_OPENERS and \
                low not in ("de", "het", "een", "volgens", "aldus", "the", "according"):
            return True
    return re.search(r"\b(?:de|het|een|the|a)\s+[^\W\d_]{3,}", outside) is not None


def as_list_item(text: str) -> str:
    """An item to read after its lead-in: no closing stop, lower case when it starts with a common word."""
    item = text.strip().rstrip(".;,")
    first = item.split(" ", 1)[0]
    if first.lower() in tables.LIST_ITEM_LOWER and first[:1].isupper():
        item = first.lower() + item[len(first):]
    return item


def closed(text: str) -> str:
    """*text* ending as a sentence: a list item's line often has no full stop ("De btw gaat omhoog")."""
    text = text.rstrip()
    return text if text.endswith(SENTENCE_ENDS) else text + "."


def list_text(lead_in: str, items: Sequence[str]) -> str:
    """A lead-in and its items as one sentence: "De maatregelen: de btw gaat omhoog; de korting ook."."""
    return f"{lead_in.rstrip()} {'; '.join(as_list_item(i) for i in items)}."


# --- sentences into units ----------------------------------------------------------------


def units(sentences: Sequence[Sentence]) -> list[Unit | None]:
    """For each sentence, the unit a point made from it is read from; None where none stands alone.

    The texts and where each role is named are gathered once, so a long article costs
    time in proportion to its length.
    """
    texts = [s.text for s in sentences]
    mentions: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        for role in {m.lower() for m in _ROLE_MENTION.findall(text)}:
            mentions.setdefault(role, []).append(i)
    return [_unit(sentences, texts, mentions, i) for i in range(len(sentences))]


def _unit(sentences: Sequence[Sentence], texts: list[str], mentions: dict[str, list[int]],
          core: int) -> Unit | None:
    first, last = _whole_quote(sentences, texts, core, core)
    if first is None:
        return None
    steps = 0
    while leans_on_previous(texts[first]) or _speaker_before(texts, first, last) or (
        first > 0 and points_back_at(texts[first], texts[first - 1])
    ) or (first > 0 and _same_paragraph(sentences, first - 1, first) and generic_reference(texts[first])):
        previous = _previous(sentences, first)
        if previous is None or steps >= MAX_LEANING_STEPS or is_lead_in(texts[previous]):
            return None  # it leans on nothing the listener can hear, or on a list
        first, last = _whole_quote(sentences, texts, previous, last)
        if first is None:
            return None
        steps += 1
    span = " ".join(texts[first:last + 1])
    if has_quote(span) and not names_speaker(span):
        following = last + 1
        if following < len(texts) and _same_section(sentences, last, following) and names_speaker(
            span + " " + texts[following]
        ) and len(texts[following].split()) <= 15:
            last = following  # "… zegt ze." → "Dat zegt wethouder Bos." just after
            span = " ".join(texts[first:last + 1])
        else:
            return None
    items: list[int] = []
    requires = _role_introduction(texts, mentions, first, last)
    if requires is not None and requires == first - 1 and _same_section(sentences, requires, first):
        first, requires = requires, None  # the sentence introducing the person is the one before
        span = " ".join(texts[first:last + 1])
    if is_lead_in(texts[last]):
        items = _list_items(sentences, last)
        if not items:
            return None  # a lead-in without its list means nothing
        last = items[-1]
        span = list_text(span, [texts[i] for i in items])
    if len(span.split()) > MAX_UNIT_WORDS and (first, last) != (core, core):
        return None
    return Unit(first, last, span, requires, is_list=bool(items))


def _same_section(sentences: Sequence[Sentence], a: int, b: int) -> bool:
    return sentences[a].section == sentences[b].section


def _previous(sentences: Sequence[Sentence], i: int) -> int | None:
    """The sentence before *i* in the same section (a paragraph's first leans on the last before it)."""
    return i - 1 if i > 0 and _same_section(sentences, i - 1, i) else None


def _same_paragraph(sentences: Sequence[Sentence], a: int, b: int) -> bool:
    return (sentences[a].section, sentences[a].paragraph) == (sentences[b].section, sentences[b].paragraph)


def _whole_quote(sentences: Sequence[Sentence], texts: list[str], first: int, last: int) -> tuple[int | None, int]:
    """*first*..*last* widened within their paragraph until every quote they touch opens and closes."""
    for _ in range(len(texts)):
        unopened, left_open = quote_balance(" ".join(texts[first:last + 1]))
        if not unopened and not left_open:
            return first, last
        if unopened:
            if first == 0 or not _same_paragraph(sentences, first - 1, first):
                return None, last
            first -= 1
        if left_open:
            if last + 1 >= len(texts) or not _same_paragraph(sentences, last, last + 1):
                return None, last
            last += 1
        if len(" ".join(texts[first:last + 1]).split()) > MAX_UNIT_WORDS:
            return None, last
    return None, last


def _speaker_before(texts: Sequence[str], first: int, last: int) -> bool:
    """A quote said by "hij" or "ze" whose speaker the sentence before names."""
    span = " ".join(texts[first:last + 1])
    return has_quote(span) and not names_speaker(span) and _SAYING.search(outside_quotes(span)[0]) is not None \
        and first > 0 and any(w[0].isupper() for w in _WORD.findall(texts[first - 1])[1:])


def _role_introduction(texts: list[str], mentions: dict[str, list[int]], first: int, last: int) -> int | None:
    """The earlier sentence that introduced the person *first*..*last* call by their role, if any."""
    role = role_reference(" ".join(texts[first:last + 1]))
    if role is None:
        return None
    named = mentions.get(role, [])
    before = bisect.bisect_left(named, first)
    return named[before - 1] if before else None  # None: introduced here ("de wethouder van Utrecht")


def _list_items(sentences: Sequence[Sentence], lead_in: int) -> list[int]:
    """The items after a lead-in: the short one-sentence paragraphs that follow it."""
    items: list[int] = []
    i = lead_in + 1
    while i < len(sentences) and len(items) < MAX_LIST_ITEMS:
        s = sentences[i]
        if not _same_section(sentences, lead_in, i) or _same_paragraph(sentences, lead_in, i):
            break
        alone = (i + 1 >= len(sentences) or not _same_paragraph(sentences, i, i + 1))
        if not alone or len(s.text.split()) > ITEM_MAX_WORDS:
            break
        items.append(i)
        i += 1
    return items
