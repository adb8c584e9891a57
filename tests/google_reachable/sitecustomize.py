"""Google "reachable" in every Python process: put this folder on PYTHONPATH.

It answers gTTS's requests to translate.google.* at the `requests` layer, in gTTS's
own wire format (tests/fake_google.py), and lets every other request through. Running
the suite this way shows that no test passes only because this machine cannot reach
Google: `.ci/run` does it once, and a laptop with internet behaves the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, for tests.fake_google


def _install() -> None:
    try:
        import responses

        from tests.fake_google import FakeGoogle
    except ImportError:  # a process of another project's, or pip before the test extra is in
        return
    mock = responses.RequestsMock(assert_all_requests_are_fired=False, passthru_prefixes=("http", "https"))
    FakeGoogle(cheap=True).install(mock)
    mock.start()


_install()
