"""Stage 3: turn a summary into a script of spoken segments, with chapters."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .config import DEFAULT_SHOW_NAME
from .errors import PodcastError
from .lang import get_language
from .summarize import Summary

SEGMENT_KINDS = ("intro", "headline", "lead", "point", "section", "outro")

DUTCH_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


@dataclass(frozen=True)
class Segment:
    """One stretch of speech: its kind, its readable text, its chapter title."""

    kind: str
    text: str
    chapter: str


@dataclass(frozen=True)
class Script:
    """What the episode says, in order. JSON in and out."""

    title: str
    language: str
    date: str | None
    segments: tuple[Segment, ...]
    show: str = DEFAULT_SHOW_NAME
    source: str = ""

    def to_json(self) -> str:
        data = {
            "title": self.title,
            "language": self.language,
            "date": self.date,
            "show": self.show,
            "source": self.source,
            "segments": [asdict(s) for s in self.segments],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str, name: str = "script") -> Script:
        try:
            data = json.loads(text)
            segments = tuple(
                Segment(kind=str(s["kind"]), text=str(s["text"]), chapter=str(s.get("chapter") or s["kind"]))
                for s in data["segments"]
            )
            script = cls(
                title=str(data["title"]),
                language=str(data.get("language") or "nl"),
                date=data.get("date"),
                segments=segments,
                show=str(data.get("show") or DEFAULT_SHOW_NAME),
                source=str(data.get("source") or ""),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise PodcastError(f"not a valid script JSON: {name} ({exc.__class__.__name__}: {exc})") from None
        if not any(s.text.strip() for s in script.segments):
            raise PodcastError(f"script has no text to speak: {name}")
        return script

    @classmethod
    def load(cls, path: Path | str) -> Script:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise PodcastError(f"script not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise PodcastError(f"cannot read script {path}: {exc}") from None
        return cls.from_json(text, str(path))


def spoken_date(iso: str | None, language: str = "nl") -> str | None:
    """``2024-08-12`` -> ``12 augustus 2024``; ``2024-08`` -> ``augustus 2024``."""
    if not iso:
        return None
    parts = iso.split("-")
    months = DUTCH_MONTHS if language == "nl" else ENGLISH_MONTHS
    try:
        year, month = int(parts[0]), int(parts[1])
        name = months[month - 1]
    except (ValueError, IndexError):
        return None
    if len(parts) > 2:
        return f"{int(parts[2])} {name} {year}"
    return f"{name} {year}"


def source_name(source: str) -> str:
    """A name for the outro credit: a site's host, or a file's stem."""
    if source.startswith(("http://", "https://")):
        from urllib.parse import urlparse

        return urlparse(source).hostname or source
    if source in ("", "-", "stdin"):
        return "ingezonden artikel"
    return Path(source).stem.replace("_", " ")


def write_script(summary: Summary, show: str = DEFAULT_SHOW_NAME) -> Script:
    """Wrap the key points in an intro, headline and outro."""
    lang = get_language(summary.language)
    t = lang.templates
    date = spoken_date(summary.date, lang.code)
    intro = t["intro"].format(show=show, date=date) if date else t["intro_undated"].format(show=show)
    segments = [
        Segment("intro", intro, t["chapter_intro"]),
        Segment("headline", t["headline"].format(title=summary.title.rstrip(".")), t["chapter_headline"]),
    ]
    for n, point in enumerate(summary.points, start=1):
        kind = "lead" if n == 1 else "point"
        segments.append(Segment(kind, point.text, t["chapter_point"].format(n=n)))
    segments.append(Segment("outro", t["outro"].format(show=show, source=source_name(summary.source)), t["chapter_outro"]))
    return Script(
        title=summary.title,
        language=lang.code,
        date=summary.date,
        segments=tuple(segments),
        show=show,
        source=summary.source,
    )
