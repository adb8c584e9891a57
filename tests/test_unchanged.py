"""Behaviour held still: the scripts and episodes of every article we know, as digests.

A change of layout (moving code between modules, records and packages) must not change
what the product makes. For the example, every fixture article and the user's seed (when
present), the bytes of ``script --json`` and the episode's manifest (less its paths, which
name this test's folders) are compared with the digests in tests/fixtures/unchanged.json.
Digests only: the seed is the user's text, never copied into the repository.

A change that is meant to alter scripts or audio updates the file on purpose:
``PODCAST_UPDATE_UNCHANGED=1 python -m pytest tests/test_unchanged.py``, and says why in
its commit.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from podcast.options import RenderOptions, ScriptOptions
from podcast.pipeline import build_episode, make_script

from .conftest import EXAMPLE, ROOT
from .seed import SEED

DIGESTS = ROOT / "tests" / "fixtures" / "unchanged.json"
ARTICLES = ROOT / "tests" / "fixtures" / "articles"
#: Manifest fields that name files (this test's folders), left out of the digest.
PATH_FIELDS = ("audio", "script", "transcript", "chapters")


def articles() -> dict[str, Path]:
    found = {"example": EXAMPLE, **{f"fixtures/{p.name}": p for p in sorted(ARTICLES.iterdir()) if p.is_file()}}
    seed = SEED
    if seed is not None:
        found["seed"] = seed
    return found


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def made_of(article: Path, out: Path, cache: Path) -> dict[str, str]:
    script = make_script(str(article), ScriptOptions())
    episode = build_episode(str(article), out, ScriptOptions(), RenderOptions(engine="espeak", cache_dir=cache))
    manifest = {k: v for k, v in episode.to_manifest().items() if k not in PATH_FIELDS}
    return {"script": digest(script.to_json().encode("utf-8")),
            "manifest": digest(json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode("utf-8"))}


def test_every_known_article_makes_the_same_script_and_episode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from podcast.ffmpeg import ffmpeg_binary

    ffmpeg = ffmpeg_binary().version
    # Articles named relative to the checkout, as the script and the guid record them: the
    # digests then hold wherever the repository is cloned.
    monkeypatch.chdir(ROOT)
    made = {name: made_of(Path(os.path.relpath(path, ROOT)), tmp_path / "out", tmp_path / "cache")
            for name, path in articles().items()}
    if os.environ.get("PODCAST_UPDATE_UNCHANGED") == "1":
        kept = json.loads(DIGESTS.read_text(encoding="utf-8")) if DIGESTS.exists() else {}
        kept.update(made, ffmpeg=ffmpeg)
        DIGESTS.write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"wrote {DIGESTS.relative_to(ROOT)}")
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    # Another ffmpeg (PODCAST_FFMPEG) encodes other MP3 bytes; the scripts must still match.
    compared = ("script", "manifest") if expected["ffmpeg"] == ffmpeg else ("script",)
    changed = sorted(name for name in made if any(made[name][k] != expected.get(name, {}).get(k) for k in compared))
    assert changed == [], f"these articles now make other scripts or episodes: {changed}"
    if "seed" not in made:
        assert os.environ.get("CI") != "true", "CI has the seed beside the checkout (../shared/seed)"


def test_every_public_name_still_imports() -> None:
    """The package's public API (``podcast.__all__``) survives any reshuffle of the modules."""
    import podcast

    missing = [name for name in podcast.__all__ if not hasattr(podcast, name)]
    assert missing == []
    assert {"build_episode", "render_episode", "make_script", "publish_episode", "check_feed", "build_bulletin",
            "RenderOptions", "ScriptOptions", "Episode", "Chapter"} <= set(podcast.__all__)
