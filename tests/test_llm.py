"""The optional abstractive summarizer, against a local server speaking the OpenAI chat API."""

from __future__ import annotations

import json

import pytest

from podcast.article import load_article
from podcast.errors import PodcastError
from podcast.llm import chat_url, parse_points, summarize_with_llm
from podcast.script import compose_script

from .conftest import FIXTURES, run_cli
from .local_http import Route, serve

ARTICLE = FIXTURES / "articles" / "treinstaking_byline.txt"
POINTS = [
    "Arriva-personeel in het noorden staakt dinsdag de hele dag.",
    "De bonden willen afspraken over werkdruk en roosters.",
    "Arriva zet extra bussen in, maar die kunnen niet iedereen vervoeren.",
    "Zonder akkoord voor 1 juni dreigt een staking van 48 uur.",
]


def completion(content: str) -> dict:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }


def answering(content: str):
    return lambda payload: (200, completion(content))


def test_llm_summary_keeps_the_script_shape() -> None:
    routes = {"/v1/chat/completions": Route(handler=answering(json.dumps({"points": POINTS})))}
    with serve(routes) as server:
        summary = summarize_with_llm(load_article(str(ARTICLE)), server.url, model="test-model")
    request = server.received[0]
    assert request["model"] == "test-model" and request["temperature"] == 0
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert "Treinstaking legt het noorden van het land plat" in request["messages"][1]["content"]
    script = compose_script(summary)
    assert [s.kind for s in script.segments] == ["intro", "headline", "lead", "point", "point", "point", "outro"]
    assert [s.text for s in script.segments[2:6]] == POINTS
    assert script.segments[-1].text == "Dat was Het Nieuws in het Kort. Dit verhaal kwam van RTV Noordoost. Tot de volgende keer."
    assert script.segments[4].chapter == "Punt 3"


def test_cli_script_with_llm_summarizer() -> None:
    fenced = "```json\n" + json.dumps({"points": POINTS[:3]}, ensure_ascii=False) + "\n```"
    routes = {"/v1/chat/completions": Route(handler=answering(fenced))}
    with serve(routes) as server:
        result = run_cli("script", str(ARTICLE), "--json", "--summarizer", "llm", "--llm-url", f"{server.url}/v1",
                         "--llm-model", "klein")
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert [s["kind"] for s in data["segments"]] == ["intro", "headline", "lead", "point", "point", "outro"]
    assert data["segments"][2]["text"] == POINTS[0]
    assert server.received[0]["model"] == "klein"


@pytest.mark.parametrize(
    ("status", "answer", "message"),
    [
        (500, {"error": {"message": "model 'x' not found,\ntry pulling it first"}},
         "LLM endpoint answered HTTP 500: model 'x' not found, try pulling it first"),
        (200, {"choices": []}, "LLM endpoint gave no chat completion: {url}/v1/chat/completions"),
        (200, completion("   "), "LLM answer has no key points (model llama3.1)"),
    ],
    ids=["http-500", "no-choices", "empty"],
)
def test_llm_errors_are_one_line(status: int, answer: dict, message: str) -> None:
    routes = {"/v1/chat/completions": Route(handler=lambda payload: (status, answer))}
    with serve(routes) as server, pytest.raises(PodcastError) as caught:
        summarize_with_llm(load_article(str(ARTICLE)), server.url)
    assert str(caught.value) == message.format(url=server.url)


def test_llm_timeout_and_unreachable() -> None:
    routes = {"/v1/chat/completions": Route(handler=answering("{}"), delay=1.0)}
    article = load_article(str(ARTICLE))
    with serve(routes) as server, pytest.raises(PodcastError, match=r"^LLM endpoint timed out after 0\.2 s: "):
        summarize_with_llm(article, server.url, timeout=0.2)
    with pytest.raises(PodcastError, match=r"^LLM endpoint not reachable: http://127\.0\.0\.1:9/v1/chat/completions$"):
        summarize_with_llm(load_article(str(ARTICLE)), "http://127.0.0.1:9")


def test_llm_needs_a_url() -> None:
    result = run_cli("script", str(ARTICLE), "--summarizer", "llm")
    assert result.returncode == 1
    assert result.stderr.decode() == "error: --summarizer llm needs --llm-url (an OpenAI-compatible endpoint)\n"


def test_chat_url_and_point_parsing() -> None:
    assert chat_url("http://localhost:11434") == "http://localhost:11434/v1/chat/completions"
    assert chat_url("http://localhost:11434/v1/") == "http://localhost:11434/v1/chat/completions"
    assert chat_url("https://x/v1/chat/completions") == "https://x/v1/chat/completions"
    with pytest.raises(PodcastError):
        chat_url("localhost:11434")
    assert parse_points("1. Eerste punt\n2. Tweede punt.\n- Derde punt") == ["Eerste punt.", "Tweede punt.", "Derde punt."]
    assert parse_points('{"points": ["Een.", "Twee."]}') == ["Een.", "Twee."]
