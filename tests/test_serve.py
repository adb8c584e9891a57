"""`podcast serve`: HEAD, byte ranges, content types, CORS, and no way out of DIR."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from podcast.serve import running_server

from .conftest import cli_env, interruptible

AUDIO = bytes(range(256)) * 400  # 102400 bytes, every offset recognisable
SECRET = b"geheim: dit mag nooit over het netwerk\n"


def raw_request(port: int, target: str, method: str = "GET", headers: dict[str, str] | None = None):
    """Send one request exactly as written (no client-side normalising); return status, headers, body."""
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), parsed, body


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    top = tmp_path_factory.mktemp("serve")
    (top / "secret.txt").write_bytes(SECRET)
    root = top / "site"
    root.mkdir()
    (root / "aflevering.mp3").write_bytes(AUDIO)
    (root / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"><channel/></rss>\n')
    (root / "aflevering.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHallo.\n")
    (root / "aflevering.chapters.json").write_text('{"version": "1.2.0", "chapters": []}')
    (root / ".feed.xml.lock").write_text("")
    (root / "sub").mkdir()
    (root / "sub" / "binnen.txt").write_text("binnen")
    (root / "naar-buiten.txt").symlink_to(top / "secret.txt")
    (root / "sub" / "alias.mp3").symlink_to(root / "aflevering.mp3")
    return root


@pytest.fixture(scope="module")
def port(site: Path):
    with running_server(site, "127.0.0.1", 0) as server:
        yield server.server_address[1]


@pytest.mark.parametrize(
    ("range_header", "first", "last"),
    [("bytes=1000-1999", 1000, 1999), ("bytes=102000-", 102000, 102399), ("bytes=-10", 102390, 102399),
     ("bytes=102300-999999", 102300, 102399)],
)
def test_range_returns_exact_bytes(port: int, range_header: str, first: int, last: int) -> None:
    status, headers, body = raw_request(port, "/aflevering.mp3", headers={"Range": range_header})
    assert status == 206
    assert body == AUDIO[first:last + 1]
    assert headers["content-range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert headers["content-length"] == str(last - first + 1)


def test_range_past_the_end_is_416(port: int) -> None:
    status, headers, body = raw_request(port, "/aflevering.mp3", headers={"Range": f"bytes={len(AUDIO)}-"})
    assert status == 416
    assert headers["content-range"] == f"bytes */{len(AUDIO)}"
    assert body == b""


def test_whole_file_and_head(port: int) -> None:
    status, headers, body = raw_request(port, "/aflevering.mp3")
    assert (status, body, headers["accept-ranges"]) == (200, AUDIO, "bytes")
    status, headers, body = raw_request(port, "/aflevering.mp3", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == str(len(AUDIO)) and headers["content-type"] == "audio/mpeg"


@pytest.mark.parametrize(
    ("path", "expected_type", "cors"),
    [("/aflevering.mp3", "audio/mpeg", False),
     ("/feed.xml", "application/rss+xml; charset=utf-8", True),
     ("/aflevering.vtt", "text/vtt; charset=utf-8", True),
     ("/aflevering.chapters.json", "application/json+chapters", True),
     ("/sub/alias.mp3", "audio/mpeg", False)],
)
def test_content_types_and_cors(port: int, path: str, expected_type: str, cors: bool) -> None:
    status, headers, _ = raw_request(port, path)
    assert status == 200
    assert headers["content-type"] == expected_type
    assert (headers.get("access-control-allow-origin") == "*") is cors


@pytest.mark.parametrize(
    "target",
    ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/sub/..%2f..%2fsecret.txt",
     "/sub/../../secret.txt", "//etc/passwd", "/..\\secret.txt", "/%5c..%5csecret.txt",
     "/naar-buiten.txt", "../secret.txt", "/.feed.xml.lock", "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
     "/%252e%252e/secret.txt", "/aflevering.mp3%00.txt", "http://127.0.0.1/../secret.txt"],
)
def test_refuses_paths_outside_dir(port: int, target: str) -> None:
    status, _, body = raw_request(port, target)
    assert status in (400, 403, 404)
    assert SECRET not in body and b"root:" not in body


def test_inside_paths_still_work(port: int) -> None:
    assert raw_request(port, "/sub/binnen.txt")[2] == b"binnen"
    assert raw_request(port, "/sub/%62innen.txt")[2] == b"binnen"
    assert raw_request(port, "/")[0] == 404  # no directory listings


def test_serve_command_serves_until_interrupted(site: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "podcast", "serve", str(site), "--port", "0", "--host", "127.0.0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env(), preexec_fn=interruptible,
    )
    try:
        url = proc.stdout.readline().decode().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        status, headers, body = raw_request(port, "/feed.xml")
        assert status == 200 and body.startswith(b"<?xml")
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert f"feed: {url}feed.xml" in err.decode()
