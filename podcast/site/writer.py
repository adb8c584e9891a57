"""Writing the show's static pages: index.html, one page per episode, the stylesheet and the script.

Jinja2 renders the pages with autoescaping on, so every title, description and cue is
text, never markup. Each file is written atomically, under the feed's lock, so a page
always matches one version of the feed and a reader never sees half a page. Pages this
site wrote before for episodes no longer in the feed are removed; the list of them is
kept in a hidden file that ``podcast serve`` never hands out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

from ..errors import PodcastError
from ..feed import clock, feed_lock, read_feed
from ..fsutil import atomic_write_text, ensure_writable_dir
from ..lang import SUPPORTED, get_language
from .reader import ShowContents, read_show

#: The files every site carries besides its pages (from podcast/site/static/).
STATIC_FILES = ("site.css", "site.js")
#: Pages this site wrote, so a rewrite can remove those of episodes that left the feed.
PAGES_RECORD = ".site.json"


#: The pages' interface text, per show language (the feed's <language>); English for others.
LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "skip": "Naar de inhoud", "subscribe": "Abonneren", "feed_url": "Adres van de feed",
        "copy": "Kopieer", "copied": "Het adres is gekopieerd.", "copy_failed": "Kopiëren lukte niet; "
        "selecteer het adres en kopieer het zelf.", "open_app": "Open in je podcast-app",
        "subscribe_hint": "Plak het adres in je podcast-app, of open de show daar meteen.",
        "episodes": "Afleveringen", "no_episodes": "Er zijn nog geen afleveringen.",
        "all_episodes": "Alle afleveringen", "listen": "Luister", "duration": "Duur",
        "download": "Download de MP3", "no_audio": "Je browser speelt deze audio niet af.",
        "chapters": "Hoofdstukken", "chapters_hint": "Kies een hoofdstuk om daarheen te springen.",
        "transcript": "Uitgeschreven tekst",
        "transcript_hint": "De zin die je hoort is gemarkeerd; kies een zin om daarheen te springen.",
        "sources": "Bronnen", "read_story": "Lees het artikel", "published": "Verschenen op",
        "made_with": "Gemaakt met podcast",
    },
    "en": {
        "skip": "Skip to content", "subscribe": "Subscribe", "feed_url": "Feed address",
        "copy": "Copy", "copied": "The address was copied.", "copy_failed": "Copying failed; "
        "select the address and copy it yourself.", "open_app": "Open in your podcast app",
        "subscribe_hint": "Paste the address into your podcast app, or open the show there at once.",
        "episodes": "Episodes", "no_episodes": "There are no episodes yet.",
        "all_episodes": "All episodes", "listen": "Listen", "duration": "Duration",
        "download": "Download the MP3", "no_audio": "Your browser cannot play this audio.",
        "chapters": "Chapters", "chapters_hint": "Choose a chapter to jump to it.",
        "transcript": "Transcript",
        "transcript_hint": "The line you hear is highlighted; choose a line to jump to it.",
        "sources": "Sources", "read_story": "Read the story", "published": "Published on",
        "made_with": "Made with podcast",
    },
}


@dataclass(frozen=True)
class Site:
    """What :func:`write_site` wrote."""

    out_dir: Path
    index: Path
    pages: tuple[Path, ...]
    episodes: int


def human_date(moment: dt.datetime | None, language: str) -> str:
    """``1 april 2025`` (or ``1 April 2025``): the date as listeners read it."""
    if moment is None:
        return ""
    months = get_language(language if language in SUPPORTED else "en").module.MONTHS
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def iso_duration(seconds: float | None) -> str:
    """``PT1M11S``: a duration for ``<time datetime>``."""
    total = max(0, round(seconds or 0))
    return f"PT{total // 3600}H{total % 3600 // 60}M{total % 60}S"


def podcast_app_link(feed_url: str) -> str:
    """``podcast://host/feed.xml``: the scheme podcast apps register (the feed URL without its scheme)."""
    return "podcast://" + feed_url.split("://", 1)[-1] if feed_url else ""


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("podcast.site", "templates"),
        autoescape=True,  # every page is HTML: titles, descriptions and cues are always text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["clock"] = clock
    env.filters["iso_duration"] = iso_duration
    env.filters["seconds"] = lambda value: f"{float(value):.3f}"
    return env


def _static(name: str) -> str:
    return resources.files("podcast.site").joinpath("static", name).read_text(encoding="utf-8")


def _previous_pages(out_dir: Path) -> list[str]:
    try:
        pages = json.loads((out_dir / PAGES_RECORD).read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    # Only plain page names this site could have written: never a path that leaves the folder.
    return [p for p in pages if isinstance(p, str) and p.endswith(".html") and "/" not in p
            and "\\" not in p and not p.startswith(".") and p != "index.html"]


def render_site(contents: ShowContents) -> dict[str, str]:
    """Every file of the site by name: index.html, the episode pages and the static files."""
    env = _environment()
    show = contents.show
    common = {
        "show": show,
        # A namespace, not the dict: in a template ``t.copy`` must be the label, not dict.copy.
        "t": SimpleNamespace(**LABELS.get(show.language, LABELS["en"])),
        "lang": show.language,
        "date": lambda moment: human_date(moment, show.language),
    }
    files = {"index.html": env.get_template("index.html").render(
        episodes=contents.episodes, app_link=podcast_app_link(show.feed_url), **common)}
    page = env.get_template("episode.html")
    for episode in contents.episodes:
        files[episode.page] = page.render(episode=episode, **common)
    for name in STATIC_FILES:
        files[name] = _static(name)
    return files


def write_site(feed_path: Path | str, out_dir: Path | str | None = None,
               notice: Callable[[str], None] | None = None) -> Site:
    """Write the show's static site for the feed at *feed_path* into *out_dir* (default: the feed's folder).

    Reads only what publishing wrote (the feed, and the transcripts and chapters it names),
    under the feed's lock, and writes every page atomically. *notice* hears about
    episodes the site cannot show.
    """
    feed = Path(feed_path)
    out = ensure_writable_dir(Path(out_dir) if out_dir is not None else feed.parent)
    with feed_lock(feed):
        tree = read_feed(feed, purpose="write the site of")
        if tree is None:
            raise PodcastError(f"feed not found: {feed}")
        contents = read_show(tree, feed, out)
        skipped = len(tree.getroot().find("channel").findall("item")) - len(contents.episodes)
        if skipped and notice:
            notice(f"notice: left out {skipped} item{'s' if skipped != 1 else ''} of {feed}: "
                   "no audio the site can link")
        files = render_site(contents)
        for name, text in files.items():
            atomic_write_text(out / name, text)
        pages = [e.page for e in contents.episodes]
        for stale in set(_previous_pages(out)) - set(pages):
            (out / stale).unlink(missing_ok=True)
        atomic_write_text(out / PAGES_RECORD, json.dumps({"pages": pages}, indent=1) + "\n")
    return Site(out_dir=out, index=out / "index.html", pages=tuple(out / p for p in pages),
                episodes=len(contents.episodes))
