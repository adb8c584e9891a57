"""Stage 2: pick the key points of an article (extractive, offline, deterministic).

Sentences are ranked with TextRank over content words (Dutch stopwords out, a
light stemmer), plus their overlap with the headline, their position, and what
makes news (numbers, quotes). The lead point carries the news of the lead; the
other points come one from each part of the rest of the story, so the summary
covers reactions and figures further down instead of reading the first lines.
A sentence repeated word for word counts once, and TextRank links each sentence only
to its neighbours (``RANK_WINDOW`` either side), so a long article costs time and
memory in proportion to its length.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .article import Article, Sentence, standalone
from .article.clean import same_headline
from .lang import get_language
from .options import DEFAULT_LENGTH

WORDS_PER_SECOND = 2.3  # espeak-ng and gTTS read Dutch news at about 140 words a minute
MIN_POINTS = 3
MAX_POINTS = 5
MIN_WORDS = 4
MAX_WORDS = 45
NEAR_DUPLICATE = 0.5  # Jaccard overlap of content words above which two sentences say the same
DAMPING = 0.85
#: Phrases inside a sentence that point back at the sentence before: "het grootste deel"
#: of what? Said without that sentence, the listener cannot tell.
DEPENDENT_PHRASE = re.compile(
    r"\b(?:daardoor|hierdoor|daarmee|hiermee|daarvoor|hiervoor|het grootste deel|de rest)\b",
    re.IGNORECASE,
)
DEPENDENT_PHRASE_FACTOR = 0.75  # milder than an opener's: the phrase may point inside its own sentence
#: A figure: a number (with its unit words), or a spelled-out amount.
FIGURE = re.compile(r"\b\d[\d.,]*(?:\s*(?:miljoen|miljard|procent|euro|%))?|\b(?:miljoen|miljard|procent)\b")
#: Verbs and words that report a reaction; such sentences carry the story's other voices.
REACTION = re.compile(
    r"\b(?:klaagt|klagen|reageert|reageren|waarschuwt|waarschuwen|eist|eisen|pleit|pleiten|vreest|vrezen"
    r"|noemt|noemen|kritiek|boos|teleurgesteld|tevreden|blij|protesteert|protesteren|belooft|beloven"
    r"|complains?|warns?|criticis\w*|promises?)\b",
    re.IGNORECASE,
)
#: Enough to prefer who reacts how over a slightly more central sentence of the same part.
REACTION_BONUS = 0.25
#: A quote whose speaker is only "ze", "hij" or "zij": who that is, the sentence before said.
BARE_ATTRIBUTION = re.compile(r",\s*(?:zegt|zei|aldus)\s+(?:ze|hij|zij)\s*\.?$")
BARE_ATTRIBUTION_FACTOR = 0.5  # the quote's words may be strong; without a speaker they are no news
ITERATIONS = 60
#: Share of content words from which a sentence may be the title written from it (see ``repeats_title``).
TITLE_OVERLAP = 0.5
#: What a list with its lead-in scores above its best item (see ``_lists_over_their_items``).
LIST_BONUS = 0.1
#: Sentences further apart than this are not compared (see ``textrank``).
RANK_WINDOW = 100
#: Sentences opening with these lean on the sentence before; they read badly on their own.
DEPENDENT_OPENERS = frozenset({
    "dat", "dit", "die", "deze", "daar", "daarom", "daardoor", "daarna", "daarbij", "ook", "maar",
    "toch", "wel", "zo", "hij", "zij", "ze", "hun", "zijn", "haar", "dus", "en", "want",
    "this", "that", "he", "she", "they", "it", "but", "also", "so",
})
DEPENDENT_OPENER_FACTOR = 0.6  # a sentence read on its own must not start mid-thought


@dataclass(frozen=True)
class KeyPoint:
    """One sentence of the article, with where it came from."""

    text: str
    section: int
    paragraph: int
    sentence: int
    heading: str | None = None


@dataclass(frozen=True)
class Summary:
    """The lead and the key points, in article order."""

    title: str
    date: str | None
    source: str
    language: str
    points: tuple[KeyPoint, ...]
    publisher: str | None = None


def stem(word: str) -> str:
    """A light Dutch/English stemmer: enough to match "bruggen" with "brug", "fietsers" with "fietser"."""
    for suffix in ("heden", "ingen", "ing", "en", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # "brugg" -> "brug"
    return word


def content_words(text: str, stop: frozenset[str]) -> frozenset[str]:
    """Stems of the words that carry meaning (no stopwords, no tiny words)."""
    return frozenset(
        stem(w) for w in re.findall(r"[^\W_]+", text.lower()) if w not in stop and (len(w) > 2 or w.isdigit())
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def textrank(bags: list[frozenset[str]], window: int = RANK_WINDOW) -> list[float]:
    """TextRank centrality of each sentence, by shared content words (Mihalcea & Tarau 2004).

    A sentence is linked only to the sentences at most *window* places away, so a
    long article costs time and memory in proportion to its length, not its square,
    and text that repeats itself cannot link every copy to every other copy. Up to
    ``window + 1`` sentences that is the full graph, and the scores are the pairwise
    implementation's bit for bit: every sum below adds the same terms in the same order.
    """
    import numpy as np

    n = len(bags)
    if n == 0:
        return []
    reach = min(window, n - 1)
    # A one-word sentence has no links (log 1 = 0): give it no words to share.
    linkable = [bag if len(bag) > 1 else frozenset() for bag in bags]
    # shared[d - 1, i]: the words sentences i and i + d share, counted by set intersection in C.
    flat: list[int] = []
    for i, bag in enumerate(linkable):
        row = [len(bag & other) for other in linkable[i + 1:i + 1 + reach]]
        flat.extend(row)
        flat.extend([0] * (reach - len(row)))
    shared = np.array(flat, dtype=np.float64).reshape(n, reach).T
    del flat
    # math.log as before, not np.log, whose last bit may differ from it.
    logs = np.array([math.log(len(bag)) if bag else 0.0 for bag in linkable])
    # upper[d - 1, i]: the weight of the link between sentences i and i + d (0.0: none).
    upper = np.zeros((reach, n))
    for d in range(1, reach + 1):
        np.divide(shared[d - 1, :n - d], logs[:n - d] + logs[d:], out=upper[d - 1, :n - d],
                  where=shared[d - 1, :n - d] > 0)
    del shared
    # Each sentence's total weight, summed over its neighbours from first to last.
    totals = np.zeros(n)
    for d in range(reach, 0, -1):
        totals[d:] += upper[d - 1, :n - d]
    for d in range(1, reach + 1):
        totals[:n - d] += upper[d - 1, :n - d]
    totals[totals == 0.0] = 1.0  # a sentence without links sends nothing (0 / 1)
    # What sentence i sends to i + d, and what i + d sends back to i: weight / sender's total.
    forward = upper / totals
    backward = np.zeros((reach, n))
    for d in range(1, reach + 1):
        backward[d - 1, :n - d] = upper[d - 1, :n - d] / totals[d:]
    del upper
    scores = np.ones(n)
    for _ in range(ITERATIONS):
        incoming = np.zeros(n)
        for d in range(reach, 0, -1):  # from the sentences before, the furthest first
            incoming[d:] += forward[d - 1, :n - d] * scores[:n - d]
        for d in range(1, reach + 1):  # then from the sentences after, the nearest first
            incoming[:n - d] += backward[d - 1, :n - d] * scores[d:]
        scores = (1 - DAMPING) + DAMPING * incoming
    return (scores / scores.max()).tolist()


def says_no_more(text: str, title_bag: frozenset[str]) -> bool:
    """Whether a sentence tells no name or figure beyond a title written from it.

    A title cut from the lead's main clause may leave out where ("… langs de Vecht tussen
    Ommen en Dalfsen", "aan de Langestraat in Amersfoort"): a sentence adding names or
    figures is still news to the listener; one adding "na drie jaar bouwen" is the title again.
    """
    tokens = re.findall(r"[^\W_]+", text)
    return not any(
        stem(token.lower()) not in title_bag and (k > 0 and token[0].isupper() or any(c.isdigit() for c in token))
        for k, token in enumerate(tokens)
    )


def repeats_title(text: str, bag: frozenset[str], title_bag: frozenset[str]) -> bool:
    """Whether a sentence is the title written from it again: mostly its words, and no name or figure more."""
    return jaccard(bag, title_bag) > TITLE_OVERLAP and says_no_more(text, title_bag)


def is_candidate(sentence: str, title: str) -> bool:
    """A sentence that can stand as a key point: long enough, a statement, not the headline."""
    n = len(sentence.split())
    if not MIN_WORDS <= n <= MAX_WORDS or not sentence[:1].isupper() and sentence[:1] not in "“‘\"'":
        return False
    if re.search(r"@\w|https?://|www\.", sentence):
        return False
    return not same_headline(sentence, title)


def sentence_score(sentence: Sentence, centrality: float, bag: frozenset[str], title_bag: frozenset[str],
                   position: float) -> float:
    """How much a sentence tells: centrality, headline overlap, facts and quotes, minus dependence."""
    text = sentence.text
    score = centrality + 0.8 * (len(bag & title_bag) / len(title_bag) if title_bag else 0.0)
    figures = len(FIGURE.findall(text))
    score += min(0.5, 0.25 * figures)  # numbers are the facts listeners remember
    if REACTION.search(text) and not text.lstrip().startswith(("“", '"', "‘", "'")):
        score += REACTION_BONUS  # who reacts how: the story's other side (a quote has its own bonus)
    score += 0.15 if re.search(r"[“”\"‘’]|\bzegt\b|\bzei\b|\baldus\b|\bsays\b|\bsaid\b", text) else 0.0
    score += 0.2 * (1.0 - position)  # earlier is a little more newsworthy
    score += 0.15 if sentence.index == 0 else 0.0  # a paragraph's first sentence states its topic
    first = re.sub(r"^[\W_]+", "", text).split(" ", 1)[0].lower()
    if first in DEPENDENT_OPENERS:
        score *= DEPENDENT_OPENER_FACTOR  # "Daardoor ...", "Ze ...": it continues a sentence not said
    if DEPENDENT_PHRASE.search(text):
        score *= DEPENDENT_PHRASE_FACTOR  # "het grootste deel", "daardoor": it leans on what came before
    if text.rstrip().endswith("?"):
        score *= 0.5  # a question asked in the article is no news by itself
    if BARE_ATTRIBUTION.search(text):
        score *= BARE_ATTRIBUTION_FACTOR  # a quote whose speaker is only "ze" needs the sentence before
    return score


def point_budget(length: float, title: str) -> int:
    """Words of key points that fit in *length* seconds, after intro, headline and outro."""
    overhead = 30 + len(title.split())
    return max(40, int(length * WORDS_PER_SECOND) - overhead)


def summarize(article: Article, length: float = DEFAULT_LENGTH, max_points: int = MAX_POINTS) -> Summary:
    """Choose 3-5 points in article order that tell the story in about *length* seconds.

    A point is a sentence with what it needs to stand on its own (see ``standalone``):
    the sentence it leans on, the rest of its quote and its speaker, or a list's items.
    """
    lang = get_language(article.language)
    stop = lang.stopwords
    every_sentence = _first_copies(article.sentences)
    unit_of = standalone.units(every_sentence)
    picked = [i for i, s in enumerate(every_sentence) if is_candidate(s.text, article.title) and unit_of[i]]
    if len(picked) < MIN_POINTS:  # a very short article: any sentence but the headline will do
        picked = [i for i, s in enumerate(every_sentence) if not same_headline(s.text, article.title)]
    sentences = [every_sentence[i] for i in picked]
    units = [unit_of[i] or standalone.Unit(i, i, every_sentence[i].text) for i in picked]
    if not article.headline_from_page:
        title_bag = content_words(article.title, stop)
        units = [_after_the_title(u, i, every_sentence, title_bag, stop) for u, i in zip(units, picked, strict=True)]
    max_points = max(1, min(max_points, MAX_POINTS))
    if not sentences:
        return _summary(article, every_sentence, [])
    bags = [content_words(s.text, stop) for s in sentences]
    # A unit of its one sentence has that sentence's words: only longer units are counted again.
    unit_bags = [bags[i] if u.text == sentences[i].text else content_words(u.text, stop) for i, u in enumerate(units)]
    title_bag = content_words(article.title, stop)
    centrality = textrank(bags)
    n = len(sentences)
    scores = [
        sentence_score(_scored_as(s, units[i]), centrality[i], unit_bags[i] if units[i].is_list else bags[i],
                       title_bag, i / max(1, n - 1))
        for i, s in enumerate(sentences)
    ]
    _lists_over_their_items(scores, units, picked)

    def duplicate(i: int, chosen: list[int]) -> bool:
        if not article.headline_from_page and repeats_title(sentences[i].text, bags[i], title_bag):
            return True  # the derived headline already says it
        heard = {k for j in chosen for k in units[j].span}
        if picked[i] in heard:
            return True  # already read as part of another point
        required = units[i].requires
        if required is not None and required not in heard:
            return True  # it names someone by a role the listener has not heard introduced
        # A unit taking a sentence already heard adds its own sentence: compare that alone.
        mine = bags[i] if heard.intersection(units[i].span) else unit_bags[i]
        return any(jaccard(mine, unit_bags[j]) > NEAR_DUPLICATE for j in chosen)

    lead = _lead_index(sentences, scores, article, bags, title_bag)
    chosen = [lead]
    # The other points come from after the lead's paragraph, so the summary moves on;
    # with room for five points, one slot goes to the best further detail of the lead.
    lead_para = (sentences[lead].section, sentences[lead].paragraph)
    rest = [i for i in range(lead + 1, n) if (sentences[i].section, sentences[i].paragraph) != lead_para]
    detail = [i for i in range(lead + 1, n) if (sentences[i].section, sentences[i].paragraph) == lead_para]
    if len(rest) < MIN_POINTS - 1:
        rest, detail = list(range(lead + 1, n)), []
    slots = max_points - 1
    if detail and slots >= 4 and len(rest) >= slots - 1:
        best = max(detail, key=lambda i: (scores[i], -i))
        if not duplicate(best, chosen):
            chosen.append(best)
            slots -= 1
    parts = max(1, min(slots, len(rest)))
    for k in range(parts):
        window = rest[k * len(rest) // parts:(k + 1) * len(rest) // parts]
        ranked = sorted(window, key=lambda i: (-scores[i], i))
        for i in ranked:
            if not duplicate(i, chosen):
                chosen.append(i)
                break
    chosen = _fit_budget(sorted(chosen), units, scores, point_budget(length, article.title), lead)
    return _summary(article, every_sentence, [units[i] for i in sorted(chosen)])


def _after_the_title(unit: standalone.Unit, core: int, sentences: list[Sentence],
                     title_bag: frozenset[str], stop: frozenset[str]) -> standalone.Unit:
    """*unit* without its first sentence when the title written from it was just heard.

    "De brug van 260 meter …" leans on the lead sentence that became the title, and the
    listener heard that title: reading the sentence again after it says the news twice.
    """
    text = sentences[unit.first].text
    if unit.first < core and not unit.is_list and repeats_title(text, content_words(text, stop), title_bag):
        first = unit.first + 1
        return standalone.Unit(first, unit.last, " ".join(s.text for s in sentences[first:unit.last + 1]),
                               unit.requires)
    return unit


def _scored_as(sentence: Sentence, unit: standalone.Unit) -> Sentence:
    """The sentence to score for *unit*: a list's lead-in is worth what its items tell."""
    return Sentence(unit.text, sentence.section, sentence.paragraph, sentence.index) if unit.is_list else sentence


def _lists_over_their_items(scores: list[float], units: list[standalone.Unit], picked: list[int]) -> None:
    """A list read whole scores above each of its items: the list tells all they tell."""
    position = {p: i for i, p in enumerate(picked)}
    for i, unit in enumerate(units):
        if unit.is_list:
            items = [scores[position[k]] for k in unit.span if k in position and position[k] != i]
            scores[i] = max([scores[i], *items]) + LIST_BONUS


def _first_copies(sentences: tuple[Sentence, ...]) -> list[Sentence]:
    """Each sentence at its first place only: a repeat tells the listener nothing new.

    An article pasted twice (or a hundred times) is summarised like the article itself,
    not as copies competing for the points (and crowding the ranking).
    """
    seen: set[str] = set()
    first: list[Sentence] = []
    for sentence in sentences:
        if sentence.text not in seen:
            seen.add(sentence.text)
            first.append(sentence)
    return first


def _lead_index(sentences: list[Sentence], scores: list[float], article: Article,
                bags: list[frozenset[str]], title_bag: frozenset[str]) -> int:
    """The news from the lead: its first sentence, unless the headline already says that.

    When the headline was derived from the lead, the best-scored sentence of the
    opening stretch (first section, at most five sentences) carries the news instead.
    """
    if article.headline_from_page and jaccard(bags[0], title_bag) <= 0.6:
        return 0
    window = [i for i, s in enumerate(sentences[:5]) if s.section <= 1 and not repeats_title(s.text, bags[i], title_bag)]
    if not window:
        return 0
    return max(window, key=lambda i: (scores[i], -i))


def _fit_budget(chosen: list[int], units: list[standalone.Unit], scores: list[float], budget: int,
                lead: int) -> list[int]:
    """Drop the weakest points until the rest fits the budget, keeping at least three and the story's end."""
    def words(ids: list[int]) -> int:
        return sum(len(units[i].text.split()) for i in ids)

    chosen = list(chosen)
    while len(chosen) > MIN_POINTS and words(chosen) > budget:
        last = max(chosen)
        droppable = [i for i in chosen if i not in (lead, last)]
        if not droppable:
            break
        chosen.remove(min(droppable, key=lambda i: (scores[i], -i)))
    return chosen


def _summary(article: Article, sentences: list[Sentence], units: list[standalone.Unit]) -> Summary:
    """The summary of *units*, in article order; units sharing a sentence become one point."""
    merged: list[standalone.Unit] = []
    for unit in sorted(units, key=lambda u: (u.first, u.last)):
        if merged and unit.first <= merged[-1].last:
            previous = merged.pop()
            unit = _joined(previous, unit, sentences)
        merged.append(unit)
    points = []
    for unit in merged:
        s = sentences[unit.first]
        points.append(KeyPoint(standalone.closed(unit.text), s.section, s.paragraph, s.index, article.sections[s.section].heading))
    return Summary(article.title, article.date, article.source, article.language, tuple(points), article.publisher)


def _joined(a: standalone.Unit, b: standalone.Unit, sentences: list[Sentence]) -> standalone.Unit:
    """Two overlapping units as one: the longer text when one holds the other, else their sentences."""
    if b.last <= a.last:
        return a
    if a.first == b.first:
        return b
    text = a.text + " " + " ".join(s.text for s in sentences[a.last + 1:b.last + 1])
    return standalone.Unit(a.first, b.last, text, a.requires)
