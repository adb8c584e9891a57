"""The tests' own check that a point stands on its own, and that it is faithful to the article.

Written apart from podcast/standalone.py on purpose: emptying or breaking the
summariser's rules must not empty the check. A listener who never saw the page must
be able to follow every point: a quote says who speaks and closes what it opens, the
point does not start mid-thought ("Dit meldt de politie."), a list's lead-in never
comes without its list, and no two sentences are glued together.
"""

from __future__ import annotations

import re

#: First words that continue a sentence the listener did not hear (issue 11's examples and their kin).
DANGLING_STARTS = frozenset({
    "dit", "dat", "die", "deze", "hij", "zij", "ze", "daarom", "nu", "ook", "maar", "daardoor", "hierdoor",
    "daarna", "daarbij", "daarmee", "toch", "dus", "en", "want", "hun", "zijn", "haar", "bovendien",
})
SPEAKING = re.compile(
    r"\b(?:zegt|zei|zeggen|zeiden|aldus|volgens|vertelt|vertelde|laat weten|liet weten|stelt|stelde|schrijft"
    r"|reageert|reageerde|noemt|benadrukt|verklaart|meldt|says|said|according to)\b", re.IGNORECASE)
PRONOUNS = frozenset({"hij", "zij", "ze", "he", "she", "they", "dat", "dit", "het", "de", "een", "volgens", "aldus"})
QUOTED = re.compile(r"[“„\"‘]([^“”\"‘’]*?)[”\"’](?![a-zà-ÿ])")
GLUED = re.compile(r"[a-zà-ÿ]{2}[.!?][”\"’]?[A-ZÀ-Þ]|[”\"]\s*[“„]")
APOSTROPHE = re.compile(r"(?<=[^\W\d_])[’'](?=[^\W\d_])|(?<![^\s(])[’']t\b|(?<![^\s(])[’'][snk]\b")


def marks_balanced(point: str) -> bool:
    """Every opening quote mark has its closing mark (apostrophes in "auto's", "’s avonds" aside)."""
    text = APOSTROPHE.sub("", point)
    straight_opening = len(re.findall(r"(?:^|(?<=[\s(]))[\"']", text))  # a straight mark opens after a space
    opening = text.count("“") + text.count("„") + text.count("‘") + straight_opening
    closing = text.count("”") + text.count("’") + text.count('"') + text.count("'") - straight_opening
    return opening == closing


def quote_attributed(point: str) -> bool:
    """A quote of four words or more comes with who said it, by name or role, not "zegt ze"."""
    quotes = [q for q in QUOTED.findall(APOSTROPHE.sub("", point)) if len(q.split()) >= 4]
    if not quotes:
        return True
    outside = QUOTED.sub(" ", APOSTROPHE.sub("", point))
    if not (SPEAKING.search(outside) or re.search(r"[A-Z]\w+:\s*$", outside.split("  ")[0])):
        return False
    names = [w for w in re.findall(r"[^\W\d_][\w-]*", outside) if w[0].isupper() and w.lower() not in PRONOUNS]
    roles = re.search(r"\b(?:zegt|zei|aldus|volgens|says|said)\s+(?:de|het|een)\s+\w{3,}", outside)
    return bool(names or roles)


def point_problems(point: str) -> list[str]:
    """What keeps *point* from standing on its own; empty when a listener can follow it."""
    problems = []
    if not marks_balanced(point):
        problems.append("unbalanced quote marks")
    if not quote_attributed(point):
        problems.append("quote without its speaker")
    first = re.sub(r"^[\W_]+", "", point).split(" ", 1)[0].lower().rstrip(",")
    if first in DANGLING_STARTS:
        problems.append(f"dangling start {first!r}")
    if point.rstrip().endswith(":"):
        problems.append("lead-in without its list")
    if GLUED.search(point):
        problems.append("sentences glued together")
    return problems


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def faithfulness(point: str, article_text: str) -> float:
    """The share of the point's words that the article has (1.0: every word is the article's)."""
    said = words(point)
    known = set(words(article_text))
    return sum(w in known for w in said) / len(said) if said else 1.0
