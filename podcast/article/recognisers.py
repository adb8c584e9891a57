"""Recognisers of page debris, one small named rule each: tweets, embeds, notices, bylines,
credits, captions, menus, labels, share buttons, newsletter prompts, file names, teasers.

The patterns are data in ``debris.py``; the rules here are small and named.
"""

from __future__ import annotations

import re

from ..lang import nl_tables
from . import debris
from .records import Block
from .rules import (
    SENTENCE_ENDS,
    SHORT_LINE_WORDS,
    collapse,
    is_lead_in,
    looks_like_heading,
    parse_date,
    words,
)


def is_tweet(text: str) -> bool:
    """An embedded tweet: a pic.twitter.com link or a "— Name (@handle) August 12, 2024" signature."""
    return any(p.search(text) for p in debris.TWEET_MARKERS)


def is_embed_caption(text: str) -> bool:
    """What an Instagram or YouTube embed leaves behind: "Bekijk dit bericht op Instagram"."""
    return debris.EMBED_CALL.match(text) is not None


def is_cookie_or_webmail_notice(text: str) -> bool:
    """Cookie consent, webmail and "this content cannot be shown" notices."""
    n = len(words(text))
    if debris.COOKIE_WORDS.search(text) and debris.COOKIE_CONTEXT.search(text) and n <= 60:
        return True
    if debris.WEBMAIL.search(text) and n <= 40:
        return True
    return debris.PAGE_NOTICES.search(text) is not None


def is_ui_label(text: str) -> bool:
    """A button or menu label on a line of its own."""
    return text.strip().rstrip(".!?>»›").strip().casefold() in debris.UI_LABELS


def is_byline(text: str) -> bool:
    """ "Door onze verslaggever …", "RTV Noordoost • 14 mei 2024, 08:12", "Gepubliceerd: …"."""
    if len(words(text)) > SHORT_LINE_WORDS or text.rstrip().endswith((".", "!", "?")):
        return False  # bylines and datelines are no sentences
    return bool(
        debris.BYLINE_START.search(text)
        or debris.DATELINE.search(text)
        or debris.PUBLISHED.search(text) and re.search(r"\d", text)
        or debris.READING_TIME.search(text)
    )


def is_photo_credit(text: str) -> bool:
    """ "Foto: ANP / Robin Jansen", "EPA Bart De Wever", "© Hollandse Hoogte"."""
    text = text.strip()
    n = len(words(text))
    if n > 10 or text.endswith((".", "!", "?")) and n > 4:
        return False
    if debris.CREDIT_LABEL.search(text) or text.startswith("©") or text.endswith("©"):
        return True
    for agency in debris.CREDIT_AGENCIES:
        if text == agency or text.startswith((agency + " ", agency + "/", agency + " /")):
            rest = text[len(agency):].strip(" /|-")
            if not rest or _is_name(rest):
                return True
    return False


def _is_name(text: str) -> bool:
    """Two to five words that read as a person's name ("Bart De Wever", "Robin van Lonkhuijsen")."""
    parts = re.split(r"\s*/\s*|\s+", text)
    if not 1 <= len(parts) <= 6:
        return False
    particles = {"van", "de", "der", "den", "het", "ter", "ten", "te", "la", "le", "du", "'t"}
    capitals = [p for p in parts if p.lower() not in particles]
    return bool(capitals) and all(p[:1].isupper() for p in capitals)


CAPTION_MAX_WORDS = 30


SECTION_LABEL_MAX_WORDS = 3


MENU_MIN_ITEMS = 3


MENU_ITEM_MAX_WORDS = 3


BULLET_PART_MAX_WORDS = 6


def without_glued_label(text: str) -> str:
    """ "update/videoHet water stijgt" -> "Het water stijgt": a page label glued to the first word goes."""
    return debris.GLUED_LABEL.sub("", text, count=1)


def without_inline_credit(text: str) -> str:
    """ "… tien uur dicht. (Foto: ANP)" -> "… tien uur dicht.": a credit in parentheses is not read."""
    return collapse(debris.INLINE_CREDIT.sub("", text)) if "(" in text else text


CREDIT_NAME_MAX_WORDS = 6


NAME_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "la", "le", "du", "'t", "/"})


def without_glued_caption(text: str) -> str:
    """A photo caption glued into a paragraph goes with its credit; the story's text stays.

    "Volledig scherm De kraan boven het kanaal. © Pieter Vos Bouwers hebben de brug …"
    -> "Bouwers hebben de brug …". The credit's name runs up to the story's first word:
    the capital word just before the first small word that is no name particle.
    """
    match = debris.GLUED_CAPTION.search(text)
    if not match:
        return text
    rest = text[match.end():].split(" ")
    start = _story_start(rest)
    if start is None:
        return text  # no story after the credit: the whole block is a caption, for is_photo_caption
    return collapse(text[:match.start()] + " " + " ".join(rest[start:]))


def _story_start(tokens: list[str]) -> int | None:
    """Where the story resumes after a credit's name.

    At a word that opens sentences and is never part of a name ("Het", "Een"), or else at
    the capital word just before the first small word that is no name particle.
    """
    for i, token in enumerate(tokens[1:CREDIT_NAME_MAX_WORDS + 1], start=1):
        if token in nl_tables.SENTENCE_OPENERS:
            return i
        if token[:1].islower():
            break
    for i, token in enumerate(tokens[:CREDIT_NAME_MAX_WORDS + 1]):
        if token[:1].islower() and token not in NAME_PARTICLES:
            return i - 1 if i >= 1 and tokens[i - 1][:1].isupper() else None
    return None


def without_image_file_names(text: str) -> str:
    """ "IMG_2034.jpg In het park is …" -> "In het park is …": a file name in running text is not read."""
    return collapse(debris.IMAGE_FILE_IN_TEXT.sub("", text)) if "." in text else text


def without_wire_dateline(text: str) -> str:
    """ "VEGHEL (ANP) - Op het terrein …" -> "Op het terrein …": a wire's place and agency are no news to hear."""
    return debris.WIRE_DATELINE.sub("", text, count=1)


def is_photo_caption(text: str) -> bool:
    """A caption with its viewer button or credit: "Volledig scherm …", "Archieffoto: …", "… © Pieter Vos".

    Longer than a bare credit, so ``is_photo_credit`` misses it; still short, since a
    caption is a line under a picture and never a paragraph of the story.
    """
    if len(words(text)) > CAPTION_MAX_WORDS:
        return False
    return bool(
        debris.CAPTION_OPENER.match(text)
        or debris.CREDIT_LABEL.match(text)
        or debris.CAPTION_CREDIT.search(text)
        or debris.CAPTION_AGENCY.search(text) and not text.endswith(SENTENCE_ENDS)
    )


def is_section_label(text: str) -> bool:
    """A section label from the page's menu in capitals: "BINNENLAND", "POPULAIR NIEUWS".

    A heading of the article is written in ordinary case; a line of one to three words
    whose letters are all capitals (and at least four of them, so an acronym like "EU"
    alone is left to the other rules) is the page's furniture.
    """
    letters = [ch for ch in text if ch.isalpha()]
    return (
        len(letters) >= 4
        and all(ch.isupper() for ch in letters)
        and len(words(text)) <= SECTION_LABEL_MAX_WORDS
        and not re.search(r"\d", text)
    )


def is_menu(text: str) -> bool:
    """A page menu or breadcrumb: "Home | Nieuws | Binnenland | Sport", "Home › Regio › Emmen".

    At least three short items between separators, none of them a sentence.
    """
    items = debris.MENU_SEPARATOR.split(text.strip())
    return (
        len(items) >= MENU_MIN_ITEMS
        and all(1 <= len(words(item)) <= MENU_ITEM_MAX_WORDS for item in items)
        and not text.rstrip().endswith((".", "!", "?"))
    )


def is_bullet_line(text: str) -> bool:
    """A byline or meta line of short parts between "•" or "·": "Anna Bos • Verslaggever binnenland".

    Newsrooms set the author, their role, the reading time and the date apart with bullets;
    a sentence of the story never has them between short parts.
    """
    parts = re.split(r"\s+[•·]\s+", text.strip())
    return (
        len(parts) >= 2
        and all(1 <= len(words(part)) <= BULLET_PART_MAX_WORDS for part in parts)
        and not text.rstrip().endswith((".", "!", "?"))
    )


def is_share_button(text: str) -> bool:
    """A share button: "Delen op Facebook", "Deel via WhatsApp"."""
    return debris.SHARE_BUTTON.match(text.strip().rstrip(":")) is not None


def is_newsletter_prompt(text: str) -> bool:
    """A call to sign up for a newsletter: "Schrijf je in voor onze nieuwsbrief"."""
    return (
        len(words(text)) <= CAPTION_MAX_WORDS
        and debris.NEWSLETTER_CALL.match(text) is not None
        and debris.NEWSLETTER_TOPIC.search(text) is not None
    )


def is_image_file_name(text: str) -> bool:
    """An image's file name left where the picture stood: "IMG_2034.jpg"."""
    return debris.IMAGE_FILE.match(text.strip()) is not None


def is_page_furniture(text: str) -> bool:
    """Any of the page's own lines that are no part of the story (issue 11's debris)."""
    return (
        is_photo_caption(text) or is_section_label(text) or is_menu(text) or is_bullet_line(text)
        or is_share_button(text)
        or is_newsletter_prompt(text) or is_image_file_name(text)
    )


def is_time_ago(text: str) -> bool:
    """A teaser's age: "2 uur geleden", "gisteren"."""
    return debris.TIME_AGO.match(text.strip()) is not None


def liveblog_stamp(text: str) -> str | None:
    """ "21.30" alone on a line -> "21.30 uur" (a section heading, not a number to read)."""
    match = debris.LIVEBLOG_STAMP.match(text.strip())
    return stamp_heading(match) if match else None


def stamp_heading(match: re.Match[str]) -> str:
    """A matched time stamp (hours, minutes) as a section heading: "9:05" -> "09.05 uur"."""
    return f"{int(match.group(1)):02d}.{match.group(2)} uur"


def publisher_from_dateline(text: str) -> str | None:
    """ "RTV Noordoost • 14 mei 2024" -> "RTV Noordoost" (a newsroom, not a person's byline)."""
    parts = re.split(r"\s[•·|]\s", text, maxsplit=1)
    head, rest = parts[0].strip(), parts[1] if len(parts) > 1 else ""
    if debris.BYLINE_START.search(head) or not head or len(words(head)) > 4:
        return None
    # "Anna Bos • 3 min leestijd" names an author and a reading time: no newsroom, no date.
    if not (parse_date(rest) or debris.DATELINE_WHEN.search(rest)):
        return None
    return head


TEASER_MAX_WORDS = 15


STEM_LETTERS = 5


def resumes_story(line: str, next_text: str) -> bool:
    """Whether a heading-like *line* inside a teaser block is the story's own next heading.

    A teaser is a headline among headlines (or with a one-line blurb); a heading the
    article resumes under is followed by a paragraph of the story: several sentences,
    or one longer than any teaser.
    """
    if not looks_like_heading(line) or debris.TEASER_HEADING.search(line) or is_section_label(line):
        return False
    following = collapse(next_text)
    if len(words(following)) <= TEASER_MAX_WORDS or not following.endswith(SENTENCE_ENDS):
        return False
    # A teaser for another story can stand above a paragraph too ("Lees ook" and one teaser);
    # a heading of this story names what its paragraph is about.
    return bool(_stems(line) & _stems(following))


def _stems(text: str) -> set[str]:
    """The first five letters of each longer word: "Leesclubs" and "leesclub" share "leesc"."""
    return {w.casefold()[:STEM_LETTERS] for w in words(text) if len(w) > STEM_LETTERS and w.isalpha()}


MENU_RUN_MIN_LINES = 3


MENU_RUN_ITEM_MAX_WORDS = 2


def menu_runs(raw: list[Block]) -> set[int]:
    """The indices of a page menu laid out one item a line: "Home", "Nieuws", "Regio", "Sport".

    Three or more lines in a row of one or two words, none a sentence nor a liveblog
    time stamp. An article's heading stands alone above its paragraph, so it never forms
    such a run; the run goes whole, so none of its items can become the title.
    """
    found: set[int] = set()
    run: list[int] = []
    for i, block in enumerate([*raw, Block("para", "")]):
        text = collapse(block.text)
        if 1 <= len(words(text)) <= MENU_RUN_ITEM_MAX_WORDS and looks_like_heading(text) and not liveblog_stamp(text) \
                and block.kind != "item":
            run.append(i)
            continue
        after_lead_in = bool(run) and run[0] > 0 and is_lead_in(raw[run[0] - 1].text)
        if len(run) >= MENU_RUN_MIN_LINES and not after_lead_in:  # a list under "De winnaars:" is no menu
            found.update(run)
        run = []
    return found
