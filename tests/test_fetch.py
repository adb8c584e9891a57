"""Fetching with limits (podcast/fetch.py): redirects, as the URL tests in test_article do the rest."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from podcast.article.fetch import fetch_url
from podcast.errors import PodcastError

PAGE = b"<html><body><p>Een korte pagina.</p></body></html>"


class Redirecting(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        targets = {"/naar-ftp": "ftp://127.0.0.1/bestand", "/verhuisd": "/pagina"}
        if self.path in targets:
            self.send_response(302)
            self.send_header("Location", targets[self.path])
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=iso-8859-1")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@contextmanager
def redirecting_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_redirects_are_followed_over_http_only() -> None:
    with redirecting_server() as url:
        assert fetch_url(f"{url}/verhuisd") == (PAGE, "text/html; charset=iso-8859-1")
        with pytest.raises(PodcastError) as caught:
            fetch_url(f"{url}/naar-ftp")
    assert str(caught.value) == (f"{url}/naar-ftp redirects to ftp://127.0.0.1/bestand: "
                                 "only http and https are followed")
