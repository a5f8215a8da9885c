"""`whsp-ai chat`: talk to a business in the terminal, as a customer (and answer as its owner).

Buttons and list rows show as numbered choices: type the number to tap. Messages that
arrive later (an owner's answer to an approval) come from the outbox, as on WhatsApp.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from rich.console import Console
from sqlmodel import col, select

from whsp_ai.channel import Channel
from whsp_ai.chat.start import HELP
from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalStatus, Business, InboundMessage, OutboundMessage
from whsp_ai.db.repositories import approvals, businesses
from whsp_ai.messages.cloud_api import to_reply
from whsp_ai.messages.replies import Reply
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer
from whsp_ai.whatsapp.intake import record_payload
from whsp_ai.whatsapp.payloads import WebhookPayload, envelope, tap_message, text_message


class ChatSession:
    """A terminal customer whose messages go through the WhatsApp pipeline: recorded like a
    webhook, processed by a worker job, answered through the outbox (shown here instead of
    being sent)."""

    def __init__(self, database: Database, business: Business, customer: str, console: Console):
        self.database = database
        self.business = business
        self.customer = customer
        self.console = console
        self.choices: list[tuple[str, str]] = []  # (id, title) of what can be tapped
        self.channel: Channel | None = None

    async def start(self) -> None:
        self.channel = await Channel.start(self.database, self.database.settings)
        await self._take_outbox()  # what was queued before this session is not news

    async def stop(self) -> None:
        if self.channel is not None:
            await self.channel.stop()

    async def say(self, line: str) -> bool:
        """Handle one line of input; False when the person wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        if line.startswith("/"):
            await self._owner_command(line)
            return True
        message_id = f"wamid.chat.{uuid.uuid4().hex}"
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            choice_id, title = self.choices[int(line) - 1]
            message = tap_message(self.customer, choice_id, title, message_id)
        else:
            message = text_message(self.customer, line, message_id)
        self.choices = []
        await record_payload(
            self.database,
            WebhookPayload.model_validate(envelope(self.business.phone_number_id, [message])),
        )
        await self._process(message_id)
        await self.show_outbox()
        return True

    async def _process(self, message_id: str) -> None:
        """Run the queued job here (or wait for a running service's worker to)."""
        for _ in range(300):
            assert self.channel is not None
            await self.channel.run_queued()
            async with self.database.session() as session:
                status = (
                    await session.execute(
                        select(InboundMessage.status).where(
                            InboundMessage.wa_message_id == message_id
                        )
                    )
                ).scalar_one_or_none()
            if status == "processed":
                return
            await asyncio.sleep(0.1)

    def show(self, reply: Reply | dict[str, Any], who: str) -> None:
        self.console.print(f"[bold green]{who}[/]: {reply['text']}", highlight=False)
        options = [(b["id"], b["title"]) for b in reply.get("buttons", [])]
        options += [(r["id"], r["title"]) for r in reply.get("rows", [])]
        for i, (choice_id, title) in enumerate(options, len(self.choices) + 1):
            self.console.print(f"   [cyan]{i}[/]) {title}", highlight=False)
            self.choices.append((choice_id, title))

    async def show_outbox(self) -> None:
        for message in await self._take_outbox():
            reply = to_reply(message.payload)
            if message.to_wa_id == self.business.owner_phone:
                self.console.print(
                    f"[magenta](to the owner)[/] {reply['text']}  "
                    f"[dim]answer with /confirm or /reject[/]",
                    highlight=False,
                )
            else:
                self.show(reply, who=self.business.name)

    async def _take_outbox(self) -> list[OutboundMessage]:
        """Queued messages to this customer and to the owner: shown here, so never sent."""
        async with self.database.session() as session:
            rows = (
                (
                    await session.execute(
                        select(OutboundMessage)
                        .where(
                            OutboundMessage.business_id == self.business.id,
                            col(OutboundMessage.to_wa_id).in_(
                                [self.customer, self.business.owner_phone]
                            ),
                            col(OutboundMessage.status).in_(["queued", "sandbox"]),
                            col(OutboundMessage.payload)["type"].is_not(None),
                        )
                        .order_by(col(OutboundMessage.id))
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            for row in rows:
                row.status = "chat"
        return list(rows)

    async def _owner_command(self, line: str) -> None:
        assert self.channel is not None
        parts = line.split()
        command = parts[0]
        if command == "/approvals":
            async with self.database.session() as session:
                pending = await approvals.list_approvals(
                    session, business_id=self.business.id or 0, status=ApprovalStatus.pending
                )
            for a in pending:
                self.console.print(f"  #{a.number} {a.kind}: {a.query}", highlight=False)
            if not pending:
                self.console.print("  no pending approvals")
            return
        if command not in ("/confirm", "/reject") or len(parts) < 2 or not parts[1].isdigit():
            self.console.print(HELP, markup=False)
            return
        answer: dict[str, Any] = {"decision": command[1:]}
        if len(parts) > 2:
            answer["price"] = parts[2]
        if len(parts) > 3 and parts[3].isdigit():
            answer["stock"] = int(parts[3])
        # The owner types the business's own request number (#1, #2, …), never the global id.
        async with self.database.session() as session:
            approval = await approvals.by_number(
                session, business_id=self.business.id or 0, number=int(parts[1])
            )
        try:
            if approval is None or approval.id is None:
                raise ApprovalNotFound(f"no request #{parts[1]}")
            outcome = await self.channel.engine.answer_approval(
                business_id=self.business.id or 0, approval_id=approval.id, answer=answer
            )
        except (AlreadyAnswered, ApprovalNotFound, InvalidAnswer) as exc:
            self.console.print(f"[red]{type(exc).__name__}[/]: {exc}")
            return
        self.console.print(f"[magenta](owner)[/] approval #{parts[1]}: {outcome.get('status')}")
        await self.show_outbox()


async def find_business(database: Database, slug: str) -> Business | None:
    async with database.session() as session:
        return await businesses.by_slug(session, slug=slug)
