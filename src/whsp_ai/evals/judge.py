"""`whsp-ai eval --judge`: Gemini grades each reply on persona, helpfulness and the facts.

One call per scenario: the persona, the database as it ended (catalog, cart, orders) and the
numbered transcript go in; a forced tool call returns a 1-5 grade per agent reply on each
dimension. Grades are reported beside the pass rate; they never change pass or fail, which
the database decides. Like the understanding provider, the HTTP client is an httpx client
we own (respx sees it; google-genai never switches to aiohttp).
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
from typing import Any

import httpx
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field
from rich.console import Console

from whsp_ai.evals.results import ScenarioResult, Trial
from whsp_ai.nlu.provider import Usage
from whsp_ai.settings import Settings
from whsp_ai.vertex_http import genai_client

log = logging.getLogger(__name__)

TOOL_NAME = "grade_replies"
TIMEOUT_S = 60.0
CONCURRENCY = 4
DIMENSIONS = ("persona", "helpfulness", "factual")

INSTRUCTIONS = """\
You are grading a WhatsApp sales agent. For every numbered agent reply in the transcript,
give three grades from 1 (bad) to 5 (excellent) and call `grade_replies` exactly once:
- persona: speaks as the persona below (name, tone, language of the customer, house rules);
- helpfulness: moves the customer forward (answers what was asked, offers the next step);
- factual: every product, price, total, stock figure, delivery fee, address and payment
  method it states agrees with the DATABASE FACTS below. Give 5 when it states no facts
  and claims nothing false. A price or total that disagrees with the facts is a 1.
The facts are the database at the end of the conversation; an owner may have changed a
price or stock during it (the transcript shows owner actions). Keep notes to one sentence,
and write one only when a grade is below 4."""


class ReplyGrade(BaseModel):
    reply: int = Field(description="the number of the agent reply graded")
    persona: int = Field(ge=1, le=5)
    helpfulness: int = Field(ge=1, le=5)
    factual: int = Field(ge=1, le=5)
    note: str = ""


class Grades(BaseModel):
    grades: list[ReplyGrade]


_GRADE = {"type": "integer", "minimum": 1, "maximum": 5}
# Written out flat: the SDK's schema conversion drops pydantic's nested "$defs".
TOOL_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "grades": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "reply": {"type": "integer", "description": "the agent reply's number"},
                    "persona": _GRADE,
                    "helpfulness": _GRADE,
                    "factual": _GRADE,
                    "note": {"type": "string", "description": "one sentence, when a grade < 4"},
                },
                "required": ["reply", "persona", "helpfulness", "factual"],
            },
        }
    },
    "required": ["grades"],
}


def judge_unavailable(settings: Settings) -> str | None:
    """Why the judge can't run here, or None."""
    if not settings.google_cloud_project:
        return (
            "Vertex AI is not configured. Set GOOGLE_CLOUD_PROJECT (and credentials: "
            "GOOGLE_APPLICATION_CREDENTIALS or application default credentials) to have "
            "Gemini grade the replies."
        )
    return None


def transcript(trial: Trial) -> tuple[str, list[str]]:
    """The conversation with agent replies numbered; and those replies, in order."""
    lines: list[str] = []
    replies: list[str] = []
    for turn in trial.turns:
        if turn.who == "to owner":
            continue
        if turn.who == "owner" or turn.who == "system":
            lines.append(f"({turn.said})")
        else:
            lines.append(f"Customer: {turn.said}")
        for reply in turn.replies:
            replies.append(reply)
            lines.append(f"Agent reply {len(replies)}: {reply}")
    return "\n".join(lines), replies


def facts_text(facts: dict[str, Any]) -> str:
    persona = facts.get("persona") or {}
    rules = "; ".join(persona.get("rules") or []) or "(none)"
    return "\n".join(
        [
            f"Business: {facts['business']} (language {facts['language']}, currency "
            f"{facts['currency']}).",
            f"Persona: {persona.get('agent_name')}, tone: {persona.get('tone')}. "
            f"Greeting: {persona.get('greeting')}. House rules: {rules}.",
            f"Payment methods: {', '.join(facts['payment_methods'])}. Delivery fee "
            f"{facts['delivery_fee']}, free from {facts['free_delivery_over']}.",
            "DATABASE FACTS. Catalog (sku | name | price | stock | status):",
            *facts["catalog"],
            f"Customer's cart at the end: {json.dumps(facts['cart'])}",
            f"Orders placed: {json.dumps(facts['orders'], ensure_ascii=False)}",
        ]
    )


class Judge:
    def __init__(self, settings: Settings, credentials: Any = None) -> None:
        from langchain_google_genai import ChatGoogleGenerativeAI

        assert settings.google_cloud_project
        self.settings = settings
        self.usage = Usage()
        self._http = httpx.AsyncClient(timeout=TIMEOUT_S)
        llm = ChatGoogleGenerativeAI(
            model=settings.gemini_model,
            vertexai=True,
            project=settings.google_cloud_project,
            location=settings.google_cloud_location,
            credentials=credentials,
            temperature=0,
            max_retries=0,
            timeout=TIMEOUT_S,
        )
        llm.client = genai_client(settings, self._http, credentials)
        tool = {
            "name": TOOL_NAME,
            "description": "Record the grades of every agent reply.",
            "parameters": TOOL_PARAMETERS,
        }
        self._model = llm.bind_tools([tool], tool_choice=TOOL_NAME)

    async def grade(self, trial: Trial) -> list[ReplyGrade]:
        """Grades for one trial's replies; raises on an unusable answer."""
        assert trial.facts is not None, "the trial was run without a database snapshot"
        text, replies = transcript(trial)
        if not replies:
            return []
        messages = [
            SystemMessage(content=f"{INSTRUCTIONS}\n\n{facts_text(trial.facts)}"),
            HumanMessage(content=f"Transcript:\n{text}"),
        ]
        answer = await self._model.ainvoke(messages)
        self.usage.calls += 1
        meta = getattr(answer, "usage_metadata", None) or {}
        self.usage.input_tokens += int(meta.get("input_tokens", 0))
        self.usage.output_tokens += int(meta.get("output_tokens", 0))
        if not isinstance(answer, AIMessage) or not answer.tool_calls:
            raise ValueError("the judge answered without calling grade_replies")
        grades = Grades.model_validate(answer.tool_calls[0]["args"]).grades
        return [g for g in grades if 1 <= g.reply <= len(replies)]

    async def grade_all(self, results: list[ScenarioResult], err: Console) -> dict[str, Any]:
        """The first trial of every scenario, a few at a time; failures are reported."""
        limit = asyncio.Semaphore(CONCURRENCY)
        graded: dict[str, list[dict[str, Any]]] = {}
        errors: dict[str, str] = {}

        async def one(result: ScenarioResult) -> None:
            trial = result.trials[0]
            async with limit:
                try:
                    grades = await self.grade(trial)
                except Exception as exc:  # unusable answers, and the SDK's errors (auth, 5xx)
                    errors[result.scenario.id] = f"{type(exc).__name__}: {exc}"[:300]
                    return
            _, replies = transcript(trial)
            graded[result.scenario.id] = [
                {**g.model_dump(), "text": replies[g.reply - 1][:300]} for g in grades
            ]

        with err.status(f"judging {len(results)} conversations with {self.settings.gemini_model}"):
            await asyncio.gather(*(one(r) for r in results if r.trials))
        return summarize_grades(graded, errors, self.settings.gemini_model, self.usage)

    async def aclose(self) -> None:
        await self._http.aclose()


def summarize_grades(
    graded: dict[str, list[dict[str, Any]]], errors: dict[str, str], model: str, usage: Usage
) -> dict[str, Any]:
    every = [g for grades in graded.values() for g in grades]
    means = {d: statistics.fmean(g[d] for g in every) if every else None for d in DIMENSIONS}
    low = [
        {"scenario": sid, **g}
        for sid, grades in graded.items()
        for g in grades
        if min(g[d] for d in DIMENSIONS) <= 2
    ]
    return {
        "model": model,
        "scenarios_graded": len(graded),
        "replies_graded": len(every),
        "mean": means,
        "low": low,
        "errors": errors,
        "usage": {
            "calls": usage.calls,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
        },
        "grades": graded,
    }


def print_judgement(judged: dict[str, Any], console: Console) -> None:
    means = judged["mean"]
    scores = ", ".join(f"{d} {means[d]:.2f}" for d in DIMENSIONS if means[d] is not None)
    console.print(
        f"judge ({judged['model']}): {judged['replies_graded']} replies in "
        f"{judged['scenarios_graded']} conversations, mean of 5: {scores}",
        highlight=False,
        markup=False,
    )
    for low in judged["low"][:15]:
        console.print(
            f"  low: {low['scenario']} reply {low['reply']} "
            f"(persona {low['persona']}, helpful {low['helpfulness']}, factual {low['factual']})"
            f": {low['note'] or low['text'][:80]}",
            highlight=False,
            markup=False,
        )
    for sid, error in judged["errors"].items():
        console.print(f"  not graded: {sid}: {error}", highlight=False, markup=False)
