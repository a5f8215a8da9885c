"""`whsp-ai eval`: conversation scenarios through the real pipeline, graded on the final state.

Each trial starts from empty tables with its businesses imported, runs the service in this
process (evals/harness.py), plays the steps as WhatsApp and the owner would, then grades:
the database first (carts, orders, approvals, products), the replies second.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from whsp_ai.db.models import Business, OutboundMessage
from whsp_ai.db.repositories import businesses as business_repo
from whsp_ai.evals import grading, owner_answers
from whsp_ai.evals.harness import (
    OTHER_MESSAGES,
    FakeGraph,
    Service,
    eval_settings,
    reset_database,
)
from whsp_ai.evals.results import ScenarioResult, Trial, Turn
from whsp_ai.evals.scenario import OwnerStep, Scenario, Step, business_path
from whsp_ai.importer.load import import_business
from whsp_ai.importer.schema import load_business_file
from whsp_ai.messages.cloud_api import to_reply
from whsp_ai.settings import Settings
from whsp_ai.whatsapp import payloads

_IDS = itertools.count(1)
DISPLAY_NUMBER = "15550000000"


@dataclass
class Tenant:
    slug: str
    business: Business
    api_key: str

    @property
    def id(self) -> int:
        assert self.business.id is not None
        return self.business.id


class StepFailed(Exception):
    """A step could not be carried out (nothing to tap, no approval to answer)."""


class Conversation:
    """One trial of one scenario against a running service."""

    def __init__(self, scenario: Scenario, service: Service, tenants: dict[str, Tenant]) -> None:
        self.scenario = scenario
        self.service = service
        self.tenants = tenants
        self.main = tenants[scenario.business]
        self.people: dict[str, str] = {}
        self.turns: list[Turn] = []
        self.failures: list[str] = []
        self.customer_messages = 0
        self._last: tuple[str, dict[str, Any]] | None = None  # (slug, message) for `resend`
        self._owner_seen: dict[str, int] = {}

    def wa_id(self, name: str) -> str:
        if name not in self.people:
            n = len(self.people) + 1
            english = self.main.business.language == "en"
            self.people[name] = f"1555123{n:04d}" if english else f"521551234{n:04d}"
        return self.people[name]

    async def play(self) -> None:
        self.wa_id("customer")
        for n, step in enumerate(self.scenario.steps, 1):
            try:
                await self._step(n, step)
            except StepFailed as exc:
                self.failures.append(f"step {n}: {exc}")
                return

    async def _step(self, n: int, step: Step) -> None:
        tenant = self.tenants[step.to or self.scenario.business]
        if step.restart:
            await self.service.restart()
            self.turns.append(Turn(n, "system", tenant.slug, "(restart)"))
            return
        if step.owner is not None:
            await self._owner(n, step, step.owner, tenant)
            return
        wa_id = self.wa_id(step.as_)
        message, said = self._message(step, tenant, wa_id)
        before = len(self.service.graph.sent)
        started = time.perf_counter()
        status = await self.service.post(tenant.business.phone_number_id, message, "Cliente Eval")
        if status != 200:
            raise StepFailed(f"the webhook answered {status}")
        self.customer_messages += 1
        self._last = (tenant.slug, message)
        await self.service.settle()
        fresh = [
            d
            for d in self.service.graph.sent[before:]
            if d.to == wa_id and d.phone_number_id == tenant.business.phone_number_id
        ]
        turn = Turn(n, step.as_, tenant.slug, said, [_reply_text(d.reply) for d in fresh])
        turn.expected_intent = step.intent
        if fresh:
            turn.latency_ms = (fresh[-1].at - started) * 1000
        if step.say is not None or step.tap is not None:
            turn.intent = await self.service.understood_intent(tenant.id, wa_id)
        self.turns.append(turn)
        await self._owner_messages(n, tenant)
        self._check_turn(n, step, turn)

    def _message(self, step: Step, tenant: Tenant, wa_id: str) -> tuple[dict[str, Any], str]:
        message_id = f"wamid.eval.{next(_IDS):08d}"
        if step.say is not None:
            return payloads.text_message(wa_id, step.say, message_id), step.say
        if step.tap is not None:
            option_id, title, kind = self._find_option(step.tap, tenant, wa_id)
            message = payloads.tap_message(wa_id, option_id, title, message_id, kind)
            message["context"] = {"from": DISPLAY_NUMBER, "id": f"wamid.shown.{message_id}"}
            return message, f"[tap {title}]"
        if step.send is not None:
            body = OTHER_MESSAGES[step.send]
            message = {"from": wa_id, "id": message_id, "timestamp": "1764151200", **body}
            return message, f"[{step.send}]"
        if self._last is None or self._last[0] != tenant.slug:
            raise StepFailed("nothing was sent before, so there is nothing to resend")
        return self._last[1], "[the same message again]"

    def _find_option(self, wanted: str, tenant: Tenant, wa_id: str) -> tuple[str, str, str]:
        """The newest button or list row titled `wanted` (exactly, then ignoring accents and
        case, then as a prefix of a clipped title, then by id)."""
        inbox = [
            d.reply
            for d in self.service.graph.sent
            if d.to == wa_id and d.phone_number_id == tenant.business.phone_number_id
        ]
        folded = grading.plain(wanted).casefold()

        def clipped(option: dict[str, str]) -> bool:  # 'Esmalte alquidálico… 1 L'
            head, cut, tail = option["title"].partition("…")
            head, tail = (grading.plain(x).casefold().strip() for x in (head, tail))
            return bool(cut) and folded.startswith(head) and folded.endswith(tail)

        def named(option: dict[str, str]) -> bool:  # the full name, in a row's description
            full = option.get("description", "").rpartition(" · ")[2]
            return bool(full) and grading.plain(full).casefold() == folded

        tests: list[Callable[[dict[str, str]], bool]] = [
            lambda o: o["title"] == wanted,
            lambda o: grading.plain(o["title"]).casefold() == folded,
            named,
            clipped,
            lambda o: o["id"] == wanted,
        ]
        for test in tests:
            for reply in reversed(inbox):
                for option in _options(reply):
                    if test(option):
                        kind = "button_reply" if "buttons" in reply else "list_reply"
                        return option["id"], option["title"], kind
        shown = [o["title"] for r in inbox[-3:] for o in _options(r)]
        raise StepFailed(f"nothing titled {wanted!r} to tap (last shown: {shown})")

    async def _owner(self, n: int, step: Step, owner: OwnerStep, tenant: Tenant) -> None:
        approval = await self._pick_approval(owner, tenant)
        before = len(self.service.graph.sent)
        if owner.answer is not None:
            try:
                said = await owner_answers.answer_question(self.service, owner, approval, tenant)
            except owner_answers.AnswerFailed as exc:
                raise StepFailed(str(exc)) from None
        elif owner.via == "api":
            body: dict[str, Any] = {"approval_id": approval["id"], "decision": owner.decision}
            for name in ("price", "stock", "name"):
                value = getattr(owner, name)
                if value is not None:
                    body[name] = float(value) if name == "price" else value
            response = await self.service.http.post(
                "/management/inventory_response",
                json=body,
                headers={"Authorization": f"Bearer {tenant.api_key}"},
            )
            expected = owner.status or 200
            if response.status_code != expected:
                raise StepFailed(
                    f"inventory_response answered {response.status_code} "
                    f"({response.text[:200]}), expected {expected}"
                )
            said = f"[owner via API: {owner.decision} #{approval['id']} {_fmt(body)}]"
        else:
            decision = owner.decision or "confirm"
            tap_id = f"approval:{approval['id']}:{decision}"
            message = payloads.tap_message(
                tenant.business.owner_phone,
                tap_id,
                decision.capitalize(),
                f"wamid.eval.{next(_IDS):08d}",
            )
            status = await self.service.post(tenant.business.phone_number_id, message, "Dueño")
            if status != 200:
                raise StepFailed(f"the webhook answered {status} to the owner's tap")
            said = f"[owner taps {owner.decision} on #{approval['id']}]"
        await self.service.settle()
        fresh = [
            d
            for d in self.service.graph.sent[before:]
            if d.phone_number_id == tenant.business.phone_number_id
            and d.to != tenant.business.owner_phone
        ]
        turn = Turn(n, "owner", tenant.slug, said, [_reply_text(d.reply) for d in fresh])
        self.turns.append(turn)
        await self._owner_messages(n, tenant)
        self._check_turn(n, step, turn)

    async def _pick_approval(self, owner: OwnerStep, tenant: Tenant) -> dict[str, Any]:
        """The newest pending approval that matches; an answered one only when none is
        pending (answering it again is how a scenario checks the 409)."""
        response = await self.service.http.get(
            "/management/approvals", headers={"Authorization": f"Bearer {tenant.api_key}"}
        )
        if response.status_code != 200:
            raise StepFailed(f"GET /management/approvals answered {response.status_code}")
        found: list[dict[str, Any]] = response.json()
        if owner.approval:
            wanted = grading.plain(owner.approval).casefold()
            found = [
                a
                for a in found
                if (a["product"] and a["product"]["sku"] == owner.approval)
                or wanted in grading.plain(a["query"]).casefold()
                or (a["product"] and wanted in grading.plain(a["product"]["name"]).casefold())
            ]
        pending = [a for a in found if a["status"] == "pending"]
        if pending or found:
            return (pending or found)[-1]
        which = f" matching {owner.approval!r}" if owner.approval else ""
        raise StepFailed(f"no approval{which} for the owner to answer")

    async def _owner_messages(self, n: int, tenant: Tenant) -> None:
        """What the service queued to the owner (outside WhatsApp's 24-hour window these
        are recorded, not sent), for the transcript."""
        seen = self._owner_seen.get(tenant.slug, 0)
        async with self.service.channel.db.session() as session:
            rows = (
                await session.execute(
                    select(OutboundMessage)
                    .where(
                        OutboundMessage.business_id == tenant.id,
                        OutboundMessage.to_wa_id == tenant.business.owner_phone,
                        col(OutboundMessage.id) > seen,
                    )
                    .order_by(col(OutboundMessage.id))
                )
            ).scalars()
            shown = [r for r in rows if r.payload.get("type")]
        if shown:
            self._owner_seen[tenant.slug] = max(r.id or 0 for r in shown)
            texts = [_reply_text(dict(to_reply(r.payload))) for r in shown]
            self.turns.append(Turn(n, "to owner", tenant.slug, "", texts))

    def _check_turn(self, n: int, step: Step, turn: Turn) -> None:
        text = "\n".join(turn.replies)
        where = f"step {n} ({turn.said[:40]!r})"
        if step.silent and turn.replies:
            self.failures.append(f"{where}: expected no reply, got {text[:120]!r}")
        if step.reply and not turn.replies:
            self.failures.append(f"{where}: no reply at all")
            return
        self.failures += grading.check_replies(text, step.reply, step.forbid, where)

    async def grade(self) -> list[str]:
        """State first (τ-bench style), then the replies over the whole conversation."""
        db = self.service.channel.db
        state: list[str] = []
        checks = [(self.scenario.business, self.scenario.expect)]
        for name, expect in [*checks, *self.scenario.expect_also.items()]:
            # a business given as a file path is graded by its slug
            slug = self.tenants[name].slug if name in self.tenants else name
            # A business's cache may be older than the answers: read it fresh.
            async with db.session() as session:
                business = await business_repo.by_slug(session, slug=slug)
            assert business is not None
            state += await grading.check_state(db, business, expect, self.people)
            told = [t for t in self.turns if t.business == slug and t.who != "to owner"]
            said = "\n".join(r for t in told for r in t.replies)
            state += grading.check_replies(said, expect.reply, expect.forbid, f"{slug} replies")
        return state + self.failures


def _options(reply: dict[str, Any]) -> list[dict[str, str]]:
    return [*reply.get("buttons", []), *reply.get("rows", [])]


def _reply_text(reply: dict[str, Any]) -> str:
    options = [o["title"] for o in _options(reply)]
    text: str = reply["text"]
    return text + (f"\n[{' | '.join(options)}]" if options else "")


def _fmt(body: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in body.items() if k not in ("approval_id", "decision"))


async def run_trial(
    scenario: Scenario,
    *,
    database_url: str,
    settings: Settings,
    provider: str,
    snapshot: bool = False,
) -> Trial:
    started = time.perf_counter()
    await asyncio.to_thread(reset_database, database_url)
    graph = FakeGraph(settings.whatsapp_api_version)
    service = Service(eval_settings(settings, database_url, provider), graph)
    conversation: Conversation | None = None
    failures: list[str]
    facts: dict[str, Any] | None = None
    try:
        await service.start()
        tenants = await _import(service, scenario)
        conversation = Conversation(scenario, service, tenants)
        await conversation.play()
        failures = await conversation.grade()
        if snapshot:
            main = tenants[scenario.business]
            facts = await grading.facts(
                service.channel.db, main.business, conversation.wa_id("customer")
            )
        if graph.refused:
            failures.append(f"the fake Graph API refused: {graph.refused[:3]}")
    except Exception as exc:
        failures = [f"crashed: {type(exc).__name__}: {exc}", traceback.format_exc(limit=6)]
    finally:
        await service.stop()
    return Trial(
        scenario.id,
        not failures,
        failures,
        conversation.turns if conversation else [],
        time.perf_counter() - started,
        service.usage,
        conversation.customer_messages if conversation else 0,
        facts,
    )


async def _import(service: Service, scenario: Scenario) -> dict[str, Tenant]:
    source = Path(scenario.source).parent if scenario.source else None
    tenants: dict[str, Tenant] = {}
    for name in (scenario.business, *scenario.also):
        data = load_business_file(business_path(name, source))
        async with service.channel.db.session() as session:
            result = await import_business(session, data, rotate_key=True)
        async with service.channel.db.session() as session:
            business = await business_repo.by_slug(session, slug=data.slug)
        assert business is not None and result.api_key is not None
        tenants[name] = Tenant(data.slug, business, result.api_key)
        if name != data.slug:
            tenants[data.slug] = tenants[name]
    return tenants


async def run_scenarios(
    scenarios: list[Scenario],
    *,
    database_url: str,
    settings: Settings,
    provider: str = "offline",
    repeat: int = 1,
    snapshot: bool = False,
    on_trial: Callable[[Trial], None] | None = None,
) -> list[ScenarioResult]:
    """Every scenario `repeat` times, one after another, each from empty tables."""
    results = [ScenarioResult(s) for s in scenarios]
    for result in results:
        for _ in range(repeat):
            trial = await run_trial(
                result.scenario,
                database_url=database_url,
                settings=settings,
                provider=provider,
                snapshot=snapshot,
            )
            result.trials.append(trial)
            if on_trial is not None:
                on_trial(trial)
    return results
