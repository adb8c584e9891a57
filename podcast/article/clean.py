"""Page debris out, article structure in: the cleaning rules of stage 1.

Every loader (text, Markdown, HTML) turns its input into raw blocks, a paragraph
or a short line each. ``clean_blocks`` drops what a listener must never hear
(embedded tweets, links, credits, bylines, cookie and webmail notices, teaser
blocks, and the page's furniture: captions, menus, section labels, share buttons,
newsletter prompts, image file names), cuts what is glued to the story's text
(labels like "update/video", captions with their credit, wire datelines), turns
liveblog time stamps into section headings, and collects what the debris still tells us: the publication date and the publisher's name.
The patterns are data in ``debris.py``; the rules here are small and named.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..lang import nl_tables
from . import debris

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
SHORT_LINE_WORDS = 12
#: How a sentence (or a quote closing one) ends; a line ending otherwise is a heading or a label.
SENTENCE_ENDS = (".", "!", "?", "…", "”", '"', "’", "'")


@dataclass(frozen=True)
class Block:
    """One block of page text: a paragraph, a heading or a liveblog time stamp."""

    kind: str  # "para", "heading", "stamp", "item" (of a list: a paragraph, never a heading)
    text: str
    level: int = 0  # heading level when known (Markdown, HTML); 0 when guessed from shape


@dataclass(frozen=True)
class Cleaned:
    """The blocks that remain, and what the removed debris told us."""

    blocks: tuple[Block, ...]
    date: str | None
    publisher: str | None


# --- small text rules ------------------------------------------------------------------


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


# --- debris recognisers ----------------------------------------------------------------


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
#: A line after a lead-in is one of its items when it is at most this long.
LIST_ITEM_MAX_WORDS = 25
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


# --- the cleaning pass -----------------------------------------------------------------


def clean_blocks(raw: list[Block], split_sentences) -> Cleaned:
    """Drop debris blocks, turn liveblog stamps into structure, keep date and publisher hints."""
    date: str | None = None
    publisher: str | None = None
    kept: list[Block] = []
    in_teasers = False
    prefixed_stamps = sum(1 for b in raw if debris.LIVEBLOG_PREFIX.match(b.text))
    menu = menu_runs(raw)
    in_list = False  # inside the items under a lead-in ("De maatregelen:")
    for n, block in enumerate(raw):
        if n in menu:
            continue
        item = list_item(block.text) if block.kind == "para" else None
        if item is not None:
            block = Block("item", item)
        elif in_list and block.kind == "para" and len(words(block.text)) <= LIST_ITEM_MAX_WORDS:
            block = Block("item", block.text)
        in_list = block.kind == "item" or block.kind == "para" and is_lead_in(block.text)
        text = separate_glued_sentences(collapse(normalize_quotes(block.text)))
        text = without_wire_dateline(without_inline_credit(without_glued_caption(without_glued_label(text))))
        text = without_image_file_names(text)
        if not text:
            continue
        if in_teasers:
            following = raw[n + 1].text if n + 1 < len(raw) else ""
            if (
                block.kind == "heading" and not debris.TEASER_HEADING.search(text) and block.level
                or resumes_story(text, following)
            ):
                in_teasers = False
            elif looks_like_heading(text) or is_time_ago(text) or len(words(text)) <= TEASER_MAX_WORDS:
                continue
            else:
                in_teasers = False
        if (
            is_tweet(text) or is_embed_caption(text) or is_ui_label(text)
            or is_cookie_or_webmail_notice(text) or debris.TEASER_LINE.search(text) or is_time_ago(text)
        ):
            continue
        if debris.TEASER_HEADING.search(text) and (block.kind == "heading" or looks_like_heading(text)):
            in_teasers = True
            continue
        stamp = liveblog_stamp(text)
        if stamp:
            kept.append(Block("stamp", stamp))
            continue
        if is_byline(text) or is_photo_credit(text):
            date = date or parse_date(text)
            if debris.DATELINE.search(text):
                publisher = publisher or publisher_from_dateline(text)
            continue
        if is_page_furniture(text):  # after the bylines, which still tell the date and the publisher
            continue
        if is_date_line(text):
            date = date or parse_date(text)
            continue
        prefix = debris.LIVEBLOG_PREFIX.match(text) if prefixed_stamps >= 2 else None
        if prefix:
            kept.append(Block("stamp", stamp_heading(prefix)))
            text = text[prefix.end():]
        text = without_links_and_handles(text, split_sentences)
        if not text:
            continue
        if block.kind == "heading":
            kept.append(Block("heading", text, block.level))
            continue
        if not re.search(r"[^\W\d_]", text):
            continue  # emoji, numbers or punctuation only
        kept.append(Block("item" if block.kind == "item" else "para", text, block.level))
    return Cleaned(tuple(kept), date, publisher)


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
