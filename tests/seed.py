"""The seed article: the first ``*.txt`` in ``../shared/seed`` beside the checkout, where CI has it.

A fresh clone elsewhere has none, so the tests that read it skip with the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT.parent / "shared" / "seed"


def _find_seed() -> Path | None:
    found = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []
    return found[0] if found else None


#: The seed article, or None when there is none beside this checkout.
SEED: Path | None = _find_seed()


def seed_path() -> Path:
    """The seed article; skips the calling test, saying why, when there is none."""
    if SEED is None:
        pytest.skip(f"no seed article: no *.txt in {SEED_DIR} (../shared/seed beside the checkout)")
    return SEED
