"""Page debris out, article structure in: the cleaning pass of stage 1.

Every loader (text, Markdown, HTML) turns its input into raw blocks, a paragraph
or a short line each. ``clean_blocks`` drops what a listener must never hear
(embedded tweets, links, credits, bylines, cookie and webmail notices, teaser
blocks, and the page's furniture: captions, menus, section labels, share buttons,
newsletter prompts, image file names), cuts what is glued to the story's text
(labels like "update/video", captions with their credit, wire datelines), turns
liveblog time stamps into section headings, and collects what the debris still tells
us: the publication date and the publisher's name. The text rules are in ``rules``,
the recognisers in ``recognisers``; both are offered from here too.
"""

from __future__ import annotations

import re

from . import debris
from .recognisers import (  # noqa: F401 - offered here
    TEASER_MAX_WORDS,
    is_bullet_line,
    is_byline,
    is_cookie_or_webmail_notice,
    is_embed_caption,
    is_image_file_name,
    is_menu,
    is_newsletter_prompt,
    is_page_furniture,
    is_photo_caption,
    is_photo_credit,
    is_section_label,
    is_share_button,
    is_time_ago,
    is_tweet,
    is_ui_label,
    liveblog_stamp,
    menu_runs,
    publisher_from_dateline,
    resumes_story,
    stamp_heading,
    without_glued_caption,
    without_glued_label,
    without_image_file_names,
    without_inline_credit,
    without_wire_dateline,
)
from .records import Block, Cleaned
from .rules import (  # noqa: F401 - offered here
    LIST_ITEM_MAX_WORDS,
    collapse,
    is_date_line,
    is_lead_in,
    list_item,
    looks_like_heading,
    normalize_quotes,
    parse_date,
    same_headline,
    separate_glued_sentences,
    split_site_suffix,
    without_links_and_handles,
    words,
)


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
