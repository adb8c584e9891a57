"""The bulletin tests' newsroom: our own feeds and article pages, served on 127.0.0.1.

Three feeds that work (Omroep Oost, RSS with a ``content:encoded``-only item and an item
whose page answers 404; Dagblad Midden, Atom; Noord Nieuws, RSS), one slower than any
test's timeout and one malformed. Omroep Oost and Dagblad Midden carry one story (the
closed IJssel bridge) under different links and wordings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .local_http import Route, serve

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bulletin"
#: Each feed's article pages (the 404 page is simply not served).
PAGES: dict[str, tuple[str, ...]] = {
    "oost": ("ijsselbrug", "zwembad", "boeren"),
    "midden": ("brug-zwolle", "woningen", "trein", "museum"),
    "noord": ("veerpont", "kamers", "windpark", "ijsbaan"),
    "traag": ("overstroming",),
}
WORKING = ("oost", "midden", "noord")
#: Seconds the slow feed waits before it answers: longer than the tests' --timeout.
SLOW_SECONDS = 3.0
FEED_TYPES = {"midden": "application/atom+xml; charset=utf-8"}
#: Stories the working feeds tell: the shared bridge story once, the 404 item never.
STORIES = 10
BRIDGE_CREDITS = ["Dagblad Midden", "Omroep Oost"]
DIKE_TITLE = "Waterschap versterkt dijk langs de IJssel bij Olst"  # content:encoded only
NEW_TITLE = "IJsbaan in Groningen opent het seizoen"


@dataclass
class Newsroom:
    url: str
    routes: dict[str, Route]

    def feed(self, name: str) -> str:
        return f"{self.url}/{name}.xml"

    def sources(self) -> list[str]:
        """The three working feeds, the slow one and the malformed one."""
        return [self.feed(name) for name in (*WORKING, "traag", "kapot")]

    def put_feed(self, name: str, extra: str = "") -> None:
        text = (FIXTURES / f"{name}.xml").read_text(encoding="utf-8").replace("<!--NEW-->", extra)
        self.routes[f"/{name}.xml"] = Route(
            body=text.replace("{base}", self.url).encode("utf-8"),
            content_type=FEED_TYPES.get(name, "application/rss+xml; charset=utf-8"),
            delay=SLOW_SECONDS if name == "traag" else 0.0,
        )

    def add_new_item(self) -> None:
        """Noord Nieuws publishes one more story, on top of its feed."""
        self.put_feed("noord", (FIXTURES / "ijsbaan-item.xml").read_text(encoding="utf-8"))


@contextmanager
def newsroom() -> Iterator[Newsroom]:
    routes: dict[str, Route] = {}
    with serve(routes) as server:
        room = Newsroom(server.url, routes)
        for name in (*WORKING, "traag", "kapot"):
            room.put_feed(name)
        for feed, pages in PAGES.items():
            for page in pages:
                routes[f"/{feed}/{page}.html"] = Route(body=(FIXTURES / "pages" / f"{page}.html").read_bytes())
        yield room
