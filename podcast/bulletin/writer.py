"""Stories -> one bulletin Script: the date line, a menu, each story's headline and points, the credits.

:func:`compose_story` does one story's work (load its articles, summarise each, take
1-3 points from them without repeating a fact); it takes only records, so a queue
worker can run it as well as this process. :func:`bulletin_script` puts the told
stories into a Script of the ordinary shape, each segment with its ``story`` index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import PodcastError
from ..lang import get_language
from ..options import BulletinOptions, ScriptOptions
from ..script import Script, ScriptStory, Segment, chapter_title, headline_text
from ..summarize import WORDS_PER_SECOND, content_words, jaccard
from .sources import item_article
from .stories import Story, overlap

#: Points a story gets: at least the lead, at most this many.
MAX_STORY_POINTS = 3
#: Two points share this share of the shorter one's content words: they tell one fact.
SAME_FACT = 0.4
#: A point that shares this much with the headline (Jaccard) only says the headline again.
SAME_AS_HEADLINE = 0.6
#: A story's share of the bulletin grows by this for each further source that carries it.
MORE_SOURCES_SHARE = 0.5
#: Headlines in the menu.
MENU_HEADLINES = 3
#: Seconds of the bulletin that are not stories: date line, menu, credits, stings and pauses.
FRAME_SECONDS = 25.0

#: The bulletin's own phrasing, per language (the language packs hold the months and weekdays).
TEMPLATES: dict[str, dict[str, str]] = {
    "nl": {
        "date_line": "Het is {weekday} {day} {month}.",
        "intro": "{date_line} Dit is {show}.",
        "menu": "In dit bulletin: {headlines}.",
        "and": "en",
        "credit": "Dat melden {sources}.",
        "outro": "Dat was {show}. Het nieuws kwam van {sources}. Tot de volgende keer.",
        "outro_unknown": "Dat was {show}. Tot de volgende keer.",
        "title": "{show}, {weekday} {day} {month} {year}",
        "edition": ", editie {edition}",
        "chapter_intro": "Intro",
        "chapter_outro": "Afsluiting",
    },
    "en": {
        "date_line": "It is {weekday}, {month} {day}.",
        "intro": "{date_line} This is {show}.",
        "menu": "In this bulletin: {headlines}.",
        "and": "and",
        "credit": "{sources} report this.",
        "outro": "That was {show}. The news came from {sources}. Until next time.",
        "outro_unknown": "That was {show}. Until next time.",
        "title": "{show}, {weekday} {month} {day}, {year}",
        "edition": ", edition {edition}",
        "chapter_intro": "Intro",
        "chapter_outro": "Closing",
    },
}
#: Spoken between stories, in turn: neutral ones, and ones naming the section when the feed files
#: the story under one (and it differs from the story before).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "nl": ("Dan ander nieuws.", "Verder in het nieuws.", "En dan dit.", "Ook in het nieuws."),
    "en": ("In other news.", "Also in the news.", "And now this.", "Next."),
}
SECTION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "nl": ("Dan {section}.", "Verder met {section}.", "Naar {section}."),
    "en": ("Now {section}.", "On to {section}.", "Turning to {section}."),
}


@dataclass(frozen=True)
class StoryText:
    """What a bulletin says of one story: its headline, link, credits and 1-3 points."""

    title: str
    url: str | None
    sources: tuple[str, ...]
    points: tuple[str, ...]
    section: str | None = None
    language: str = "nl"

    def to_data(self) -> dict:
        """As JSON data, for a worker to send back."""
        return {**self.__dict__, "sources": list(self.sources), "points": list(self.points)}

    @classmethod
    def from_data(cls, data: dict) -> StoryText:
        return cls(**{**data, "sources": tuple(data["sources"]), "points": tuple(data["points"])})


def same_fact(a: frozenset[str], b: frozenset[str]) -> bool:
    _, share = overlap(a, b)
    return share >= SAME_FACT


def pick_points(headline: str, summaries: Sequence[Sequence[str]], budget_words: int, language: str) -> tuple[str, ...]:
    """1-3 points from the summaries of one story's articles, each summary in turn, none repeating a fact.

    The first summary's lead comes first; after it, the next point comes from the summary
    that has given fewest so far (so a story from two sources is told from both), each
    only when it tells a fact not yet told (a lead elaborates its headline, so only a point
    that merely repeats the headline is left out) and fits *budget_words* (the first new
    fact of each source is told even past the budget: a story carried by two sources is
    told from both).
    """
    stop = get_language(language).stopwords
    headline_words = content_words(headline, stop)
    told: list[frozenset[str]] = []
    chosen: list[str] = []
    used = 0
    cursors = [0] * len(summaries)
    given = [0] * len(summaries)
    while len(chosen) < MAX_STORY_POINTS:
        left = [i for i in range(len(summaries)) if cursors[i] < len(summaries[i])]
        if not left:
            break
        source = min(left, key=lambda i: (given[i], i))
        text = summaries[source][cursors[source]]
        cursors[source] += 1
        words = content_words(text, stop)
        if jaccard(words, headline_words) > SAME_AS_HEADLINE or any(same_fact(words, earlier) for earlier in told):
            continue
        size = len(text.split())
        if given[source] and used + size > budget_words:
            continue  # over the budget; but each source's first new fact is told, so both are heard
        chosen.append(text)
        told.append(words)
        given[source] += 1
        used += size
    return tuple(chosen)


def story_budget(options: ScriptOptions, headline: str, sources: int = 1) -> int:
    """Words of points one story may have: its share of the bulletin, less its headline and transition.

    A story more sources carry matters more: each further source adds half a share.
    """
    share = options.length * (1 + MORE_SOURCES_SHARE * (max(1, sources) - 1))
    return max(12, int(share * WORDS_PER_SECOND) - len(headline.split()) - 4)


def compose_story(story: Story, script: ScriptOptions, bulletin: BulletinOptions) -> StoryText:
    """Load each item's article, summarise it, and take the story's points from all of them.

    *script.length* is this story's share of the bulletin in seconds. An item whose
    article cannot be loaded is left out; when none loads, PodcastError with the first reason.
    """
    summaries: list[tuple[str, ...]] = []
    errors: list[str] = []
    language = script.language
    for item in story.items:
        try:
            article = item_article(item, script.language, bulletin.timeout)
        except PodcastError as exc:
            errors.append(str(exc))
            continue
        language = language or article.language
        summaries.append(tuple(p.text for p in _summarize(article, script).points))
    if not summaries:
        raise PodcastError(errors[0] if errors else f"{story.title!r}: nothing to read")
    language = language or "nl"
    points = pick_points(story.title, summaries, story_budget(script, story.title, len(story.credits)), language)
    return StoryText(story.title, story.url, story.credits, points, story.section, language)


def _summarize(article, options: ScriptOptions):
    if options.summarizer == "llm":
        from ..llm import summarize_with_llm

        return summarize_with_llm(article, options.llm_url or "", model=options.llm_model, length=options.length)
    from ..summarize import summarize

    return summarize(article, length=options.length)


# --- the script -------------------------------------------------------------------------------


def spoken_list(names: Sequence[str], language: str) -> str:
    """``A``, ``A en B``, ``A, B en C``."""
    word = TEMPLATES[language]["and"]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def date_words(day: dt.date, language: str) -> dict[str, str]:
    """The weekday and month of *day* in words, from the language's own tables (never the locale)."""
    module = get_language(language).module
    return {"weekday": module.WEEKDAYS[day.weekday()], "day": str(day.day), "month": module.MONTHS[day.month - 1],
            "year": str(day.year)}


def date_line(day: dt.date, language: str = "nl") -> str:
    """``Het is dinsdag 3 december.``"""
    return TEMPLATES[language]["date_line"].format(**date_words(day, language))


def bulletin_title(show: str, day: dt.date, edition: str, language: str = "nl") -> str:
    """The show, the day and, past the first, the edition: what names the episode (and its guid)."""
    t = TEMPLATES[language]
    title = t["title"].format(show=show, **date_words(day, language))
    return title if edition == "1" else title + t["edition"].format(edition=edition)


def transition(index: int, section: str | None, previous: str | None, language: str) -> str:
    """What leads into story *index* (from 1): the section when known and new, else a neutral line, in turn."""
    if section and section.strip().lower() != (previous or "").strip().lower():
        options = SECTION_TRANSITIONS[language]
        return options[(index - 1) % len(options)].format(section=section.strip())
    options = TRANSITIONS[language]
    return options[(index - 1) % len(options)]


def _chapters(stories: Sequence[StoryText]) -> list[str]:
    """Each story's chapter title: its headline, short; a repeated one numbered, so chapters stay apart."""
    titles: list[str] = []
    for story in stories:
        title = chapter_title(story.title) or "?"
        base, n = title, 2
        while title in titles:
            title, n = f"{base} ({n})", n + 1
        titles.append(title)
    return titles


def bulletin_script(stories: Sequence[StoryText], show: str, day: dt.date, edition: str = "1",
                    language: str = "nl") -> Script:
    """The bulletin: date line and menu, each story (transition, headline, points), the credits."""
    if language not in TEMPLATES:
        language = "nl"
    t = TEMPLATES[language]
    chapters = _chapters(stories)
    menu = spoken_list([c.rstrip("…") for c in chapters[:MENU_HEADLINES]], language)
    segments = [
        Segment("intro", t["intro"].format(date_line=date_line(day, language), show=show), t["chapter_intro"]),
        Segment("menu", t["menu"].format(headlines=menu), t["chapter_intro"]),
    ]
    previous: str | None = None
    for index, (story, chapter) in enumerate(zip(stories, chapters, strict=True)):
        if index:
            segments.append(Segment("transition", transition(index, story.section, previous, language), chapter,
                                    index))
        headline = headline_text(story.title)
        if len(story.sources) > 1:
            headline += " " + t["credit"].format(sources=spoken_list(story.sources, language))
        segments.append(Segment("headline", headline, chapter, index))
        segments += [Segment("point", point, chapter, index) for point in story.points]
        previous = story.section
    credits = list(dict.fromkeys(name for story in stories for name in story.sources))
    outro = (t["outro"].format(show=show, sources=spoken_list(credits, language)) if credits
             else t["outro_unknown"].format(show=show))
    segments.append(Segment("outro", outro, t["chapter_outro"]))
    return Script(
        title=bulletin_title(show, day, edition, language),
        language=language,
        date=day.isoformat(),
        segments=tuple(segments),
        show=show,
        source="",
        stories=tuple(ScriptStory(s.title, s.url, s.sources) for s in stories),
    )


#: The name ``compose_story`` had until it said what it does (it writes no file); kept for callers.
write_story = compose_story
