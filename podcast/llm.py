"""Optional abstractive summaries through any OpenAI-compatible chat endpoint.

Off by default (``--summarizer llm --llm-url …`` turns it on), e.g. a local
Ollama at ``http://localhost:11434``. It returns the same ``Summary`` record as
the extractive summarizer, so the script keeps its shape: intro, headline, lead,
points, outro. Temperature 0 and a fixed seed ask the model to be repeatable.
"""

from __future__ import annotations

import json
import re

from .article import Article
from .errors import PodcastError
from .options import DEFAULT_LENGTH
from .summarize import MAX_POINTS, WORDS_PER_SECOND, KeyPoint, Summary

DEFAULT_MODEL = "llama3.1"
LLM_TIMEOUT = 120.0
MAX_ARTICLE_CHARS = 12_000

PROMPTS: dict[str, dict[str, str]] = {
    "nl": {
        "system": (
            "Je bent eindredacteur van een nieuwspodcast. Je vat nieuwsartikelen samen in helder, "
            "gesproken Nederlands. Je verzint niets: alles wat je schrijft staat in het artikel."
        ),
        "user": (
            "Vat het artikel hieronder samen in {min_points} tot {max_points} korte zinnen, samen "
            "ongeveer {words} woorden. De eerste zin brengt het nieuws; de andere zinnen vertellen "
            "wat het artikel verder zegt (gevolgen, reacties, cijfers). Schrijf getallen zoals in het artikel. "
            'Antwoord alleen met JSON: {{"points": ["zin 1", "zin 2", ...]}}\n\n'
            "Kop: {title}\n\n{text}"
        ),
    },
    "en": {
        "system": (
            "You are the editor of a news podcast. You summarise news articles in clear spoken English. "
            "You invent nothing: everything you write is in the article."
        ),
        "user": (
            "Summarise the article below in {min_points} to {max_points} short sentences, about {words} "
            "words together. The first sentence gives the news; the others say what the article goes on "
            "to tell (consequences, reactions, figures). "
            'Answer with JSON only: {{"points": ["sentence 1", "sentence 2", ...]}}\n\n'
            "Headline: {title}\n\n{text}"
        ),
    },
}


def chat_url(base: str) -> str:
    """The chat-completions URL for a base URL ("http://localhost:11434" or ".../v1")."""
    base = base.strip().rstrip("/")
    if not re.match(r"^https?://", base):
        raise PodcastError(f"--llm-url must be an http(s) URL, not {base!r}")
    if base.endswith("/chat/completions"):
        return base
    if base.endswith("/v1"):
        return f"{base}/chat/completions"
    return f"{base}/v1/chat/completions"


def build_messages(article: Article, length: float) -> list[dict[str, str]]:
    """The system and user messages asking for a summary of *article*."""
    prompts = PROMPTS.get(article.language, PROMPTS["nl"])
    words = max(40, int(length * WORDS_PER_SECOND) - 40)
    text = article.text[:MAX_ARTICLE_CHARS]
    return [
        {"role": "system", "content": prompts["system"]},
        {"role": "user", "content": prompts["user"].format(
            min_points=3, max_points=MAX_POINTS, words=words, title=article.title, text=text,
        )},
    ]


def parse_points(content: str) -> list[str]:
    """Key points from the model's answer: JSON ``{"points": [...]}``, else one point per line."""
    content = re.sub(r"^```(?:json)?\s*|\s*```$", "", content.strip())
    match = re.search(r"\{.*\}", content, re.DOTALL)
    points: list[str] = []
    if match:
        try:
            data = json.loads(match.group(0))
            raw = data.get("points") if isinstance(data, dict) else None
            if isinstance(raw, list):
                points = [str(p) for p in raw]
        except ValueError:
            points = []
    if not points:
        points = [line for line in content.splitlines() if line.strip()]
    cleaned = []
    for point in points:
        point = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", point).strip().strip('"').strip()
        if point and re.search(r"[^\W\d_]", point):
            cleaned.append(point if point.endswith((".", "!", "?")) else f"{point}.")
    return cleaned[:MAX_POINTS]


def summarize_with_llm(
    article: Article,
    url: str,
    model: str = DEFAULT_MODEL,
    length: float = DEFAULT_LENGTH,
    timeout: float = LLM_TIMEOUT,
    api_key: str | None = None,
) -> Summary:
    """Ask an OpenAI-compatible chat endpoint for the key points of *article*."""
    import requests

    endpoint = chat_url(url)
    payload = {
        "model": model,
        "messages": build_messages(article, length),
        "temperature": 0,
        "seed": 0,
        "stream": False,
    }
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    try:
        response = requests.post(endpoint, json=payload, headers=headers, timeout=timeout)
    except requests.Timeout:
        raise PodcastError(f"LLM endpoint timed out after {timeout:g} s: {endpoint}") from None
    except requests.ConnectionError:
        raise PodcastError(f"LLM endpoint not reachable: {endpoint}") from None
    except requests.RequestException as exc:
        raise PodcastError(f"LLM request failed: {endpoint} ({exc.__class__.__name__})") from None
    if response.status_code >= 400:
        detail = _error_detail(response)
        raise PodcastError(f"LLM endpoint answered HTTP {response.status_code}{': ' + detail if detail else ''}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise PodcastError(f"LLM endpoint gave no chat completion: {endpoint}") from None
    points = parse_points(str(content or ""))
    if not points:
        raise PodcastError(f"LLM answer has no key points (model {model})")
    key_points = tuple(KeyPoint(text, -1, 0, n) for n, text in enumerate(points))
    return Summary(article.title, article.date, article.source, article.language, key_points, article.publisher)


def _error_detail(response) -> str:
    """The error message an OpenAI-compatible server puts in its body, shortened to one line."""
    try:
        data = response.json()
        error = data.get("error") if isinstance(data, dict) else None
        message = error.get("message") if isinstance(error, dict) else error
        text = str(message or "")
    except ValueError:
        text = response.text
    return " ".join(text.split())[:160]
