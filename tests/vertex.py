"""Gemini on Vertex as respx answers it at its real URL: scripted turns for the voice tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

PROJECT, LOCATION, MODEL = "whsp-test", "us-central1", "gemini-2.5-flash"
URL = (
    f"https://{LOCATION}-aiplatform.googleapis.com/v1beta1/projects/{PROJECT}/locations/"
    f"{LOCATION}/publishers/google/models/{MODEL}:generateContent"
)


def _answer(parts: list[dict[str, Any]], tokens: tuple[int, int]) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}],
            "usageMetadata": {
                "promptTokenCount": tokens[0],
                "candidatesTokenCount": tokens[1],
                "totalTokenCount": sum(tokens),
            },
            "modelVersion": MODEL,
            "responseId": "vTMmaZ2bLIWz1dkP0e3Y4Ac",
        },
    )


def understood(**args: Any) -> httpx.Response:
    """A generateContent answer calling understand_message with `args`."""
    call = {"name": "understand_message", "args": args}
    return _answer([{"functionCall": call, "thoughtSignature": "CiQBcsjafE1l"}], (1180, 46))


def written(text: str) -> httpx.Response:
    """A generateContent answer with plain text: the writer's reply."""
    return _answer([{"text": text}], (640, 28))


def is_understanding(request: httpx.Request) -> bool:
    return "tools" in json.loads(request.content)


def prompt_of(request: httpx.Request) -> str:
    body = json.loads(request.content)
    return json.dumps(
        [body.get("systemInstruction", {}), body.get("contents", [])], ensure_ascii=False
    )


@dataclass
class ScriptedGemini:
    """Answers understanding calls and writer calls from two queues, in order."""

    understandings: list[httpx.Response | Callable[[httpx.Request], httpx.Response]] = field(
        default_factory=list
    )
    writings: list[httpx.Response] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if is_understanding(request):
            answer = self.understandings.pop(0)
            return answer(request) if callable(answer) else answer
        return self.writings.pop(0)

    @property
    def writer_calls(self) -> int:
        return sum(not is_understanding(r) for r in self.requests)
