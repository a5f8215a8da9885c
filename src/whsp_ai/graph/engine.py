"""Runs conversations: compiles the graphs once with the Postgres saver, one turn at a time.

Two messages of one conversation never run the graph together (LangGraph has no
per-thread lock, langgraph#8115): an in-process lock per thread here, and the channel's
per-conversation queue across processes.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command
from sqlmodel import col, select

from whsp_ai.db.models import Approval
from whsp_ai.db.repositories import approvals as approvals_repo
from whsp_ai.faults import crash_point
from whsp_ai.graph import approvals as approval_graph_mod
from whsp_ai.graph import saver
from whsp_ai.graph.context import Context
from whsp_ai.graph.graph import approval_builder, builder
from whsp_ai.graph.services import Services
from whsp_ai.messages.replies import Reply
from whsp_ai.tools import approvals as approval_tools
from whsp_ai.tools import questions as question_tools

# With durability="exit" a turn writes one checkpoint. Pruning to the latest costs ~6 ms,
# so it runs every PRUNE_EVERY turns: a conversation keeps at most that many checkpoints.
PRUNE_EVERY = 20


@dataclass(frozen=True)
class TurnResult:
    replies: list[Reply]
    approvals: list[int]


class Engine:
    def __init__(self, services: Services, checkpointer: saver.TurnSaver) -> None:
        self.services = services
        self.saver = checkpointer
        self.sales = builder.compile(checkpointer=checkpointer)
        self.approvals = approval_builder.compile(checkpointer=checkpointer)
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @classmethod
    async def create(cls, services: Services) -> Engine:
        # Its tables were made with ours, under the schema lock (db.migrate.prepare_schema).
        return cls(services, saver.TurnSaver(services.db.pool))

    @asynccontextmanager
    async def _serialized(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody holds or waits: don't keep a lock per customer
                del self._users[key], self._locks[key]

    async def handle(
        self,
        *,
        business_id: int,
        customer_wa_id: str,
        text: str | None = None,
        action_id: str | None = None,
        inbound_id: int | None = None,
    ) -> TurnResult:
        """One customer message in, the replies out. Serialized per conversation.

        With `inbound_id`, the replies are queued in the outbox and the message marked
        processed in the same transaction as every other change the turn makes, and the
        conversation's checkpoint is written in it too (graph/saver.py).
        """
        business = await self.services.business(business_id)
        locale: Literal["es", "en"] = "en" if business.language == "en" else "es"
        context = Context(business_id, customer_wa_id, locale, inbound_id)
        config: RunnableConfig = {"configurable": {"thread_id": context.thread_id}}
        async with self._serialized(context.thread_id):
            async with (
                self.services.turn() as session,
                saver.within(session),  # the checkpoint commits with the turn, or not at all
            ):
                result = await self.sales.ainvoke(
                    {"text": (text or "")[:4096], "action_id": action_id or ""},
                    config,
                    context=context,
                    durability="exit",  # one checkpoint per turn, not one per step
                )
                if inbound_id is not None:
                    crash_point("turn_before_commit")  # effects, replies, mark, checkpoint
            if inbound_id is not None:
                crash_point("turn_after_commit")
            if result.get("turns", 0) % PRUNE_EVERY == 0:
                # Its own REPEATABLE READ transaction, on the pool, after the turn's commit.
                await self.saver.aprune([context.thread_id], strategy="keep_latest")
        started = result.get("new_approvals") or []
        for approval_id in started:
            await self.start_approval(business_id, approval_id)
        return TurnResult(result.get("replies") or [], started)

    async def start_approval(self, business_id: int, approval_id: int) -> None:
        """Run the approval's thread to its interrupt (notifies the owner, idempotently)."""
        config = self._approval_config(business_id, approval_id)
        async with self._serialized(config["configurable"]["thread_id"]):
            await self._run_to_interrupt(business_id, approval_id, config)

    async def _run_to_interrupt(
        self, business_id: int, approval_id: int, config: RunnableConfig
    ) -> bool:
        """True when the thread is (now) waiting for the owner; False when already answered."""
        snapshot = await self.approvals.aget_state(config)
        if snapshot.next:
            return True
        if snapshot.values.get("outcome"):
            return False
        await self.approvals.ainvoke(
            {"business_id": business_id, "approval_id": approval_id},
            config,
        )
        return True

    async def start_pending_approvals(self, page: int = 200) -> int:
        """Start approvals whose thread never ran (a crash between a turn and its start).

        Maintenance across tenants, run by the queue's periodic task; starting is idempotent,
        so every pending approval is visited, a page at a time.
        """
        visited, after = 0, 0
        while True:
            async with self.services.db.session() as session:
                rows = (
                    await session.execute(
                        select(Approval.business_id, col(Approval.id))
                        .where(Approval.status == "pending", col(Approval.id) > after)
                        .order_by(col(Approval.id))
                        .limit(page)
                    )
                ).all()
            for business_id, approval_id in rows:
                assert approval_id is not None  # a primary key
                await self.start_approval(business_id, approval_id)
                after = approval_id
            visited += len(rows)
            if len(rows) < page:
                return visited

    async def answer_approval(
        self, *, business_id: int, approval_id: int, answer: dict[str, Any]
    ) -> dict[str, Any]:
        """Resume the approval's thread with the owner's answer; refuse a second answer.

        Raises ApprovalNotFound, AlreadyAnswered or InvalidAnswer (the API maps them to
        404, 409 and 422).
        """
        decision = approval_tools.Decision.parse(answer)
        async with self.services.db.session() as session:
            approval = await approvals_repo.by_id(
                session, business_id=business_id, approval_id=approval_id
            )
        if approval is None:
            raise approval_tools.ApprovalNotFound(approval_id)
        if approval.kind == "question":
            raise approval_tools.InvalidAnswer(
                f"approval {approval_id} is a question: answer it at"
                f" /management/questions/{approval_id}/answer"
            )
        if approval.status != "pending":
            raise approval_tools.AlreadyAnswered(approval_id)
        if (
            decision.decision == "confirm"
            and approval.kind == "new_product"
            and decision.price is None
        ):
            raise approval_tools.InvalidAnswer("confirming a new product needs its price")
        return await self._resume(business_id, approval_id, answer)

    async def answer_question(
        self, *, business_id: int, approval_id: int, answer: str, save_to_faq: bool = True
    ) -> dict[str, Any]:
        """The owner's answer to a `question` approval (API, dashboard, WhatsApp reply):
        resumes its thread, which records it, adds it to the faq with `save_to_faq`, and
        tells every waiting customer. Returns {status: "answered", customers_told,
        saved_to_faq}. Raises ApprovalNotFound (no such question of this business),
        AlreadyAnswered or InvalidAnswer (empty or too long).
        """
        parsed = question_tools.Answer.parse({"answer": answer, "save_to_faq": save_to_faq})
        async with self.services.db.session() as session:
            await question_tools.pending_question(
                session, business_id=business_id, approval_id=approval_id
            )
        outcome = await self._resume(business_id, approval_id, parsed.as_resume())
        if parsed.save_to_faq:
            self.services.forget(business_id)  # the faq changed: the next turn sees it
        return outcome

    async def _resume(
        self, business_id: int, approval_id: int, answer: dict[str, Any]
    ) -> dict[str, Any]:
        config = self._approval_config(business_id, approval_id)
        async with self._serialized(config["configurable"]["thread_id"]):
            if not await self._run_to_interrupt(business_id, approval_id, config):
                raise approval_tools.AlreadyAnswered(approval_id)
            result = await self.approvals.ainvoke(
                Command(resume=answer),
                config,
            )
        outcome: dict[str, Any] = result.get("outcome") or {}
        if outcome.get("status") == "already_answered":
            raise approval_tools.AlreadyAnswered(approval_id)
        return outcome

    @staticmethod
    def _approval_config(business_id: int, approval_id: int) -> RunnableConfig:
        return {
            "configurable": {"thread_id": approval_graph_mod.thread_id(business_id, approval_id)}
        }
