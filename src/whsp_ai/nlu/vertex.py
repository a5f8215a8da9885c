"""Gemini on Vertex AI: one tool call per customer message, falling back to the offline rules.

The model extracts meaning (intent, products as words, quantities) and may draft the reply's
words in the same call; tenants, prices, totals and stock never come from it, and every
word it drafts or writes (`write`, the one extra call some turns make) passes the guard in
voice/guard.py before a customer sees it. The async HTTP client is an httpx client we own, so
google-genai never switches to aiohttp (which would also hide its calls from respx).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_google_genai import ChatGoogleGenerativeAI
from pydantic import ValidationError

from whsp_ai.nlu.models import TurnInput, Understanding
from whsp_ai.nlu.provider import OfflineUnderstander, Usage
from whsp_ai.prompts.persona import INSTRUCTIONS, turn_prompt
from whsp_ai.settings import Settings
from whsp_ai.vertex_http import genai_client

log = logging.getLogger(__name__)

TOOL_NAME = "understand_message"
ATTEMPTS = 2  # one retry: a customer waiting on WhatsApp beats a perfect parse
TIMEOUT_S = 8.0
WRITE_TIMEOUT_S = 6.0  # one attempt: a late reply's words are not worth a retry; the template is


def understanding_tool() -> dict[str, Any]:
    schema = Understanding.model_json_schema()
    return {
        "name": TOOL_NAME,
        "description": "Record what the customer's latest message means.",
        "parameters": schema,
    }


@dataclass
class VertexUnderstander:
    settings: Settings
    fallback: OfflineUnderstander
    credentials: Any = None  # None: application default credentials
    name: str = "vertex"
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        assert self.settings.google_cloud_project
        self._http = httpx.AsyncClient(timeout=TIMEOUT_S)
        llm = ChatGoogleGenerativeAI(
            model=self.settings.gemini_model,
            vertexai=True,
            project=self.settings.google_cloud_project,
            location=self.settings.google_cloud_location,
            credentials=self.credentials,
            temperature=0,
            max_retries=0,
            timeout=TIMEOUT_S,
        )
        # Our own client: pinned to httpx (respx sees it), pooled, and no SDK-level retries
        # on top of ours.
        llm.client = genai_client(self.settings, self._http, self.credentials)
        self._model = llm.bind_tools([understanding_tool()], tool_choice=TOOL_NAME)
        writer = ChatGoogleGenerativeAI(
            model=self.settings.gemini_model,
            vertexai=True,
            project=self.settings.google_cloud_project,
            location=self.settings.google_cloud_location,
            credentials=self.credentials,
            temperature=0.4,
            max_output_tokens=300,
            thinking_budget=0,  # a two-line reply from given facts needs no thinking time
            max_retries=0,
            timeout=WRITE_TIMEOUT_S,
        )
        writer.client = llm.client
        self._writer = writer

    async def understand(self, turn: TurnInput) -> Understanding:
        messages = [
            SystemMessage(content=f"{turn.business_prompt}\n\n{INSTRUCTIONS}"),
            HumanMessage(
                content=turn_prompt(turn.text, turn.expecting, turn.shown, turn.history, turn.facts)
            ),
        ]
        for attempt in range(1, ATTEMPTS + 1):
            started = time.perf_counter()
            try:
                reply = await self._model.ainvoke(messages)
                self._count(reply)
                understanding = self._parse(reply, turn)
                log.debug("vertex understood in %.0f ms", (time.perf_counter() - started) * 1000)
                return understanding
            except (ValidationError, ValueError, KeyError) as exc:
                log.warning("vertex returned unusable output (attempt %d): %s", attempt, exc)
            except Exception as exc:  # timeouts, 429, 5xx, auth: all end in the fallback
                log.warning("vertex call failed (attempt %d): %s", attempt, type(exc).__name__)
            if attempt < ATTEMPTS:
                await asyncio.sleep(0.2 * attempt)
        self.usage.fallbacks += 1
        return await self.fallback.understand(turn)

    async def write(self, system: str, prompt: str) -> str | None:
        """One reply's words from the facts in `prompt`; None on any failure (the template)."""
        started = time.perf_counter()
        try:
            reply = await asyncio.wait_for(
                self._writer.ainvoke([SystemMessage(content=system), HumanMessage(content=prompt)]),
                WRITE_TIMEOUT_S,
            )
        except Exception as exc:  # timeouts, 429, 5xx: the template goes out instead
            self.usage.calls += 1
            self.usage.written += 1
            log.warning("vertex writer failed: %s", type(exc).__name__)
            return None
        self._count(reply)
        self.usage.written += 1
        log.debug("vertex wrote in %.0f ms", (time.perf_counter() - started) * 1000)
        text = reply.text if isinstance(reply, AIMessage) else ""
        return text.strip() or None

    def _count(self, reply: Any) -> None:
        self.usage.calls += 1
        meta = getattr(reply, "usage_metadata", None) or {}
        self.usage.input_tokens += int(meta.get("input_tokens", 0))
        self.usage.output_tokens += int(meta.get("output_tokens", 0))

    @staticmethod
    def _parse(reply: Any, turn: TurnInput) -> Understanding:
        if not isinstance(reply, AIMessage) or not reply.tool_calls:
            raise ValueError("no tool call in the model's answer")
        understanding = Understanding.model_validate(reply.tool_calls[0]["args"])
        # SKUs are for taps, which we produce ourselves; a model's "sku" is just words.
        understanding.sku = None
        for action in understanding.actions:
            if action.product.sku:
                action.product.query = action.product.query or action.product.sku
                action.product.sku = None
        if (
            understanding.payment_method
            and understanding.payment_method not in turn.payment_methods
        ):
            understanding.payment_method = None  # only the business's own methods
            if understanding.intent == "choose_payment":
                understanding.intent = "other"
        return understanding

    async def aclose(self) -> None:
        await self._http.aclose()
