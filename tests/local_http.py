"""A real HTTP server on 127.0.0.1 for the article-fetching and LLM tests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    send_length: bool = True
    chunks: int = 1  # body sent in this many pieces (chunked when send_length is False)
    handler: Callable[[dict], tuple[int, dict]] | None = None  # JSON POST handler


@dataclass
class Server:
    """The running server: its base URL and the JSON bodies it received."""

    url: str
    received: list[dict] = field(default_factory=list)


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Server]:
    """Serve *routes* on a free port for the duration of the block."""
    server_state = Server("")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def _route(self) -> Route | None:
            route = routes.get(self.path.split("?")[0])
            if route is None:
                self.send_error(404, "Not Found")
            return route

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            route = self._route()
            if route is None:
                return
            time.sleep(route.delay)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            if route.send_length:
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self._write_pieces(route.body, route.chunks, chunked=False)
            else:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self._write_pieces(route.body, route.chunks, chunked=True)
                self.wfile.write(b"0\r\n\r\n")

        def _write_pieces(self, body: bytes, pieces: int, chunked: bool) -> None:
            size = max(1, -(-len(body) // pieces))
            try:
                for start in range(0, len(body), size):
                    piece = body[start:start + size]
                    if chunked:
                        self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    else:
                        self.wfile.write(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (too large, timed out): that is the point

        def do_POST(self) -> None:  # noqa: N802
            route = self._route()
            if route is None or route.handler is None:
                return
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            server_state.received.append(payload)
            time.sleep(route.delay)
            status, answer = route.handler(payload)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()
