"""Language packs: sentence splitting, stopwords, script templates and speakable text."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from ..errors import PodcastError

SUPPORTED = ("nl", "en")


@dataclass(frozen=True)
class Language:
    """What the pipeline needs to know about one language."""

    code: str
    module: ModuleType

    def split_sentences(self, text: str) -> list[str]:
        return self.module.split_sentences(text)

    def speakable(self, text: str) -> str:
        return self.module.speakable(text)

    @property
    def templates(self) -> dict[str, str]:
        return self.module.TEMPLATES

    @property
    def stopwords(self) -> frozenset[str]:
        return self.module.stopwords()


#: Frequent function words per language: enough to tell Dutch from English.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "nl": frozenset([
        "de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "voor", "met", "zijn", "er",
        "ook", "maar", "naar", "bij", "als", "wordt", "heeft",
    ]),
    "en": frozenset([
        "the", "a", "and", "of", "to", "is", "that", "not", "on", "for", "with", "are", "was", "it", "be",
        "by", "as", "has", "have", "this", "from",
    ]),
}


def detect_language(text: str) -> str:
    """``nl`` or ``en``, by counting function words; Dutch when in doubt."""
    tokens = [t.lower() for t in text.split()]
    counts = {code: sum(t in words for t in tokens) for code, words in FUNCTION_WORDS.items()}
    return "en" if counts["en"] > 1.5 * counts["nl"] + 2 else "nl"


def get_language(code: str) -> Language:
    """The language pack for *code* (``nl`` or ``en``)."""
    code = (code or "nl").lower().split("-")[0]
    if code == "nl":
        from . import nl as module
    elif code == "en":
        from . import en as module
    else:
        raise PodcastError(f"unsupported language: {code} (supported: {', '.join(SUPPORTED)})")
    return Language(code, module)
