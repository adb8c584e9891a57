"""``podcast serve``: a small static server for the output folder.

Podcast apps need more than ``python -m http.server``: HEAD, byte ranges
(206, and 416 past the end), the right content types, and CORS for the
transcripts and chapters web players fetch. It refuses every path that would
leave the folder (dot segments, encoded or not, empty segments, backslashes,
NUL bytes, symlinks pointing out) and hidden files such as the feed's lock.
"""

from __future__ import annotations

import contextlib
import email.utils
import os
import re
import socket
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import PodcastError

#: Content types by file-name ending; the longest matching ending wins.
CONTENT_TYPES: dict[str, str] = {
    ".chapters.json": "application/json+chapters",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".xml": "application/rss+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",  # RFC 9239: text/javascript, not application/javascript
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
#: Endings web players fetch with script (transcripts, chapters, feeds): they get CORS headers.
CORS_ENDINGS = (".vtt", ".srt", ".json", ".xml", ".rss")
CHUNK_BYTES = 64 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def content_type(name: str) -> str:
    """The Content-Type for a file name."""
    lower = name.lower()
    for ending in sorted(CONTENT_TYPES, key=len, reverse=True):
        if lower.endswith(ending):
            return CONTENT_TYPES[ending]
    return DEFAULT_CONTENT_TYPE


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """A Range header against a file of *size* bytes.

    Returns (first, last) inclusive for one satisfiable range, ``"unsatisfiable"``
    for a range past the end, and None to send the whole file (no header, a
    syntax we do not follow, or several ranges: RFC 9110 lets a server ignore them).
    """
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if not match or (not match[1] and not match[2]):
        return None
    if not match[1]:  # suffix: the last N bytes
        count = int(match[2])
        if count == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - count), size - 1
    first = int(match[1])
    if first >= size:
        return "unsatisfiable"
    last = int(match[2]) if match[2] else size - 1
    if last < first:  # invalid, so ignored
        return None
    return first, min(last, size - 1)


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """The file a request path names inside *root*, or None if it tries to leave it.

    Decodes percent-escapes once, then refuses ``.``/``..`` and empty segments,
    backslashes, NUL bytes and hidden names, and finally checks that the real
    path (symlinks followed) is still inside the real *root*.
    """
    path = urlsplit(raw_path).path
    if not path.startswith("/") or "\\" in path:
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\\" in decoded or "\x00" in decoded:
        return None
    segments = decoded[1:].split("/")
    if segments[-1] == "":
        segments = segments[:-1]  # a trailing slash names the folder itself
    if any(s in ("", ".", "..") or s.startswith(".") for s in segments):
        return None
    real_root = root.resolve()
    try:
        candidate = real_root.joinpath(*segments).resolve()
    except (OSError, RuntimeError, ValueError):  # symlink loops, bad names
        return None
    if candidate != real_root and not candidate.is_relative_to(real_root):
        return None
    return candidate


class PodcastRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD for the files in ``server.root``; nothing else."""

    server_version = "podcast-serve"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_OPTIONS(self) -> None:
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Range")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _cors_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges")

    def _refuse(self, status: HTTPStatus, send_body: bool) -> None:
        body = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _serve(self, send_body: bool) -> None:
        root: Path = self.server.root  # type: ignore[attr-defined]
        target = resolve_request_path(root, self.path)
        if target is None:
            self._refuse(HTTPStatus.FORBIDDEN, send_body)
            return
        if target.is_dir():
            index = target / "index.html"
            if not index.is_file():
                self._refuse(HTTPStatus.NOT_FOUND, send_body)
                return
            target = index
        try:
            handle = open(target, "rb")  # noqa: SIM115 - closed below, after streaming
        except (FileNotFoundError, NotADirectoryError):
            self._refuse(HTTPStatus.NOT_FOUND, send_body)
            return
        except OSError:
            self._refuse(HTTPStatus.FORBIDDEN, send_body)
            return
        with handle:
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            wanted = parse_range(self.headers.get("Range"), size)
            if wanted == "unsatisfiable":
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if wanted is None:
                first, last = 0, size - 1
                self.send_response(HTTPStatus.OK)
            else:
                first, last = wanted  # type: ignore[misc]
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
            length = max(0, last - first + 1)
            self.send_header("Content-Type", content_type(target.name))
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("X-Content-Type-Options", "nosniff")  # browsers trust the types above
            self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
            if target.name.lower().endswith(CORS_ENDINGS):
                self._cors_headers()
            self.end_headers()
            if not send_body:
                return
            handle.seek(first)
            remaining = length
            while remaining > 0:
                chunk = handle.read(min(CHUNK_BYTES, remaining))
                if not chunk:
                    break
                self.wfile.write(chunk)
                remaining -= len(chunk)

    def handle(self) -> None:
        # Players hang up mid-file all the time (seeking, skipping): that is not an error.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError, TimeoutError):
            super().handle()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        log = self.server.log  # type: ignore[attr-defined]
        if log is not None:
            log(f"{self.address_string()} {format % args}")


class PodcastServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one folder."""

    daemon_threads = True

    def __init__(self, root: Path, address: tuple[str, int], log: Callable[[str], None] | None = None):
        self.root = Path(root).resolve()
        self.log = log
        super().__init__(address, PodcastRequestHandler)


def make_server(directory: Path | str, host: str = "0.0.0.0", port: int = 8000,
                log: Callable[[str], None] | None = None) -> PodcastServer:
    """A server for *directory* on *host*:*port* (port 0 picks a free one); not yet serving."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PodcastError(f"not a directory: {directory}")
    try:
        return PodcastServer(directory, (host, port), log=log)
    except OSError as exc:
        raise PodcastError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


@contextlib.contextmanager
def running_server(directory: Path | str, host: str = "127.0.0.1", port: int = 0, log=None):
    """Serve *directory* in a background thread for the duration of a ``with`` block."""
    server = make_server(directory, host, port, log)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def lan_address() -> str:
    """This machine's address on the local network (for the phone), else 127.0.0.1.

    Connecting a UDP socket sends nothing; it only asks the kernel for a route.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def public_url(server: PodcastServer, host: str) -> str:
    """The URL to give a phone for this server."""
    port = server.server_address[1]
    shown = lan_address() if host in ("0.0.0.0", "", "::") else host
    return f"http://{shown}:{port}/"
