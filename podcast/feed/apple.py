"""Apple's rules for the cover: a square JPEG or PNG of 1400-3000 px, where the feed finds it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Channel
from ..errors import PodcastError
from ..fsutil import atomic_write_bytes
from .vocabulary import file_url, is_under

if TYPE_CHECKING:
    pass


DEFAULT_COVER_NAME = "cover.jpg"  # podcast.cover draws JPEG


COVER_MIN_PX, COVER_MAX_PX = 1400, 3000


def check_cover(path: Path) -> bytes:
    """Apple's cover rules: a square PNG or JPEG of 1400 to 3000 pixels. Returns its bytes."""
    import io

    from PIL import Image

    from ..cover import load_cover

    cover = load_cover(path)
    with Image.open(io.BytesIO(cover.data)) as image:
        width, height = image.size
    if width != height or not COVER_MIN_PX <= width <= COVER_MAX_PX:
        raise PodcastError(
            f"cover image must be square, {COVER_MIN_PX} to {COVER_MAX_PX} pixels; {path} is {width}x{height}"
        )
    return cover.data


def channel_image_url(channel: Channel, feed_dir: Path, base_url: str) -> str:
    """The URL of the cover: the configured URL, a local file placed by the feed, or a drawn one.

    A drawn cover is made once: an existing ``cover.jpg`` by the feed is kept, so
    replacing that file by hand is a way to change the art.
    """
    image = channel.image.strip()
    if image.startswith(("http://", "https://")):
        return image
    if image:
        source = Path(image).expanduser()
        data = check_cover(source)
        if is_under(source, feed_dir):
            return file_url(base_url, source, feed_dir)
        # Served files live by the feed: copy it there.
        placed = feed_dir / f"cover{source.suffix.lower()}"
        if not placed.is_file() or placed.read_bytes() != data:
            atomic_write_bytes(placed, data)
        return file_url(base_url, placed, feed_dir)
    from ..cover import draw_cover

    cover = feed_dir / DEFAULT_COVER_NAME
    if not cover.is_file():
        atomic_write_bytes(cover, draw_cover(channel.title).data)
    return file_url(base_url, cover, feed_dir)
