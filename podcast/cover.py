"""Cover art: a default square cover drawn in code, or the user's own JPEG or PNG.

Apple asks for a square JPEG or PNG of 1400 to 3000 pixels. The default cover is
drawn with Pillow from the show's name alone, so it is the same for every episode
of a show and the same bytes on every run.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import PodcastError
from .fsutil import require_file

COVER_SIZE = 1400
MIN_COVER_SIZE = 1400
MAX_COVER_SIZE = 3000
#: Background gradient (top, bottom) and the colours of text and waveform.
BACKGROUND_TOP = (18, 32, 74)
BACKGROUND_BOTTOM = (8, 112, 128)
TEXT_COLOUR = (255, 255, 255)
WAVE_COLOUR = (255, 196, 61)
ACCEPTED_FORMATS: dict[str, str] = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Cover:
    """Image bytes and their MIME type, ready for an ID3 APIC frame or a feed."""

    data: bytes
    mime: str

    @property
    def extension(self) -> str:
        return ".png" if self.mime == "image/png" else ".jpg"


#: Stand-ins for characters Pillow's bundled font (Aileron, ASCII and a little more) lacks
#: and that have no plain letter inside them.
GLYPH_STAND_INS: dict[str, str] = {"€": "EUR", "–": "-", "—": "-", "ĳ": "ij", "Ĳ": "IJ", "ß": "ss"}


def _font(size: int):
    from PIL import ImageFont

    return ImageFont.load_default(size=size)  # Pillow's own font: the same on every machine


def _glyph(font, char: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 8), char, font=font, fill=255)
    return image.tobytes()


def drawable_text(text: str, font) -> str:
    """*text* with the characters *font* cannot draw replaced: ``é`` by ``e``, ``€`` by ``EUR``.

    A missing glyph would print as a box, so accents fall back to their base letter.
    """
    import unicodedata

    missing = _glyph(font, "\U0010fffd")
    out = []
    for char in text:
        if char.isspace() or _glyph(font, char) != missing:
            out.append(char)
        elif char in GLYPH_STAND_INS:
            out.append(GLYPH_STAND_INS[char])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            out.append(base if base and _glyph(font, base[0]) != missing else "")
    return "".join(out)


def _wrap_to_width(draw, text: str, font, width: int) -> list[str]:
    """Greedy word wrap by rendered width."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def wave_heights(seed_text: str, bars: int) -> list[float]:
    """Bar heights (0.25-1) for the waveform motif, derived from the show name."""
    digest = hashlib.sha256(seed_text.encode("utf-8")).digest()
    while len(digest) < bars:
        digest += hashlib.sha256(digest).digest()
    return [0.25 + 0.75 * (b / 255) for b in digest[:bars]]


def draw_cover(show: str, size: int = COVER_SIZE) -> Cover:
    """A square JPEG: a gradient, a waveform motif and the show's name."""
    from PIL import Image, ImageDraw

    if not MIN_COVER_SIZE <= size <= MAX_COVER_SIZE:
        raise PodcastError(f"cover size must be {MIN_COVER_SIZE}-{MAX_COVER_SIZE} px, not {size}")
    # The vertical gradient as one column, stretched: far cheaper than a line per row.
    column = Image.new("RGB", (1, size))
    column.putdata([
        tuple(round(a + (b - a) * y / (size - 1)) for a, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM, strict=True))
        for y in range(size)
    ])
    image = column.resize((size, size), Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(image)

    margin = size // 10
    bars = 24
    pitch = (size - 2 * margin) / bars
    centre = int(size * 0.70)
    for i, height in enumerate(wave_heights(show, bars)):
        half = height * size * 0.12
        x0 = margin + i * pitch + pitch * 0.2
        draw.rounded_rectangle([x0, centre - half, x0 + pitch * 0.6, centre + half],
                               radius=pitch * 0.3, fill=WAVE_COLOUR)

    name_size = size // 9
    font = _font(name_size)
    show = drawable_text(show, font)
    lines = _wrap_to_width(draw, show, font, size - 2 * margin)
    def fits(lines: list[str]) -> bool:
        return len(lines) <= 3 and all(draw.textlength(line, font=font) <= size - 2 * margin for line in lines)

    while not fits(lines) and name_size > size // 36:
        name_size = int(name_size * 0.85)
        font = _font(name_size)
        lines = _wrap_to_width(draw, show, font, size - 2 * margin)
    y = margin
    for line in lines:
        draw.text((margin, y), line, font=font, fill=TEXT_COLOUR)
        y += int(name_size * 1.2)
    draw.text((margin, size - margin - size // 24), "podcast", font=_font(size // 24), fill=TEXT_COLOUR)

    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, optimize=True)
    return Cover(buffer.getvalue(), "image/jpeg")


def load_cover(path: Path | str) -> Cover:
    """The user's cover file, checked to be a JPEG or PNG image Pillow can read."""
    from PIL import Image, UnidentifiedImageError

    path = require_file(path, "cover")
    try:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, SyntaxError, ValueError):
        raise PodcastError(f"cover is not a JPEG or PNG image: {path}") from None
    except OSError as exc:
        raise PodcastError(f"cannot read cover {path}: {exc.strerror or exc}") from None
    if kind not in ACCEPTED_FORMATS:
        raise PodcastError(f"cover is not a JPEG or PNG image: {path} ({kind})")
    return Cover(data, ACCEPTED_FORMATS[kind])


#: Bump when draw_cover draws differently, so covers kept from before are drawn again.
DRAWING_VERSION = 1


def default_cover(show: str) -> Cover:
    """The cover drawn for *show*, drawn once and then kept in the user cache folder: the
    same show always gets the same picture, and drawing it costs more than a short build's
    speech. A cache that cannot be read or written only costs the drawing."""
    import contextlib

    from .config import tool_cache_dir
    from .fsutil import atomic_write_bytes

    key = hashlib.sha256(f"{DRAWING_VERSION}\0{COVER_SIZE}\0{show}".encode()).hexdigest()[:32]
    kept = tool_cache_dir() / "covers" / f"{key}.jpg"
    with contextlib.suppress(OSError):
        return Cover(kept.read_bytes(), "image/jpeg")
    cover = draw_cover(show)
    with contextlib.suppress(OSError, PodcastError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(kept, cover.data)
    return cover


def episode_cover(show: str, path: Path | str | None = None) -> Cover:
    """``--cover FILE`` when given, else the default cover drawn for *show*."""
    return load_cover(path) if path else default_cover(show)
