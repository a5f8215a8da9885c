"""`whsp-ai chat`: talk to a business in the terminal, as a customer (and answer as its owner).

Buttons and list rows show as numbered choices: type the number to tap. Messages that
arrive later (an owner's answer to an approval) come from the outbox, as on WhatsApp.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console

from whsp_ai.db.database import Database
from whsp_ai.db.models import ApprovalStatus, Business
from whsp_ai.db.repositories import approvals, businesses, outbox
from whsp_ai.graph import services as graph_services
from whsp_ai.graph.engine import Engine
from whsp_ai.graph.replies import Reply
from whsp_ai.nlu.provider import make_understander
from whsp_ai.tools.approvals import AlreadyAnswered, ApprovalNotFound, InvalidAnswer
from whsp_ai.whatsapp.builders import to_reply

HELP = (
    "Type as a customer would. A number picks one of the choices shown.\n"
    "Owner commands: /approvals, /confirm ID [price] [stock], /reject ID. /quit to leave."
)


class ChatSession:
    def __init__(self, database: Database, business: Business, customer: str, console: Console):
        self.database = database
        self.business = business
        self.customer = customer
        self.console = console
        self.choices: list[str] = []
        self.seen_outbox = 0
        services = graph_services.Services(
            database, make_understander(database.settings), database.settings
        )
        graph_services.install(services)
        self.services = services
        self.engine: Engine | None = None

    async def start(self) -> None:
        self.engine = await Engine.create(self.services)
        async with self.database.session() as session:
            old = await outbox.for_recipient(
                session, business_id=self.business.id or 0, to_wa_id=self.customer
            )
        self.seen_outbox = max((m.id or 0 for m in old), default=0)

    async def say(self, line: str) -> bool:
        """Handle one line of input; False when the person wants to leave."""
        assert self.engine is not None
        line = line.strip()
        if not line:
            return True
        if line in ("/quit", "/exit"):
            return False
        if line.startswith("/"):
            await self._owner_command(line)
            return True
        action_id = None
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            action_id = self.choices[int(line) - 1]
        result = await self.engine.handle(
            business_id=self.business.id or 0,
            customer_wa_id=self.customer,
            text=None if action_id else line,
            action_id=action_id,
        )
        self.choices = []
        for reply in result.replies:
            self.show(reply, who=self.business.name)
        await self.show_outbox()
        return True

    def show(self, reply: Reply | dict[str, Any], who: str) -> None:
        self.console.print(f"[bold green]{who}[/]: {reply['text']}", highlight=False)
        options = [(b["id"], b["title"]) for b in reply.get("buttons", [])]
        options += [(r["id"], r["title"]) for r in reply.get("rows", [])]
        for i, (choice_id, title) in enumerate(options, len(self.choices) + 1):
            self.console.print(f"   [cyan]{i}[/]) {title}", highlight=False)
            self.choices.append(choice_id)

    async def show_outbox(self) -> None:
        async with self.database.session() as session:
            messages = await outbox.for_recipient(
                session,
                business_id=self.business.id or 0,
                to_wa_id=self.customer,
                after_id=self.seen_outbox,
            )
            owner = await outbox.for_recipient(
                session,
                business_id=self.business.id or 0,
                to_wa_id=self.business.owner_phone,
                after_id=self.seen_outbox,
            )
        for message in sorted([*messages, *owner], key=lambda m: m.id or 0):
            self.seen_outbox = max(self.seen_outbox, message.id or 0)
            reply = to_reply(message.payload)
            if message.to_wa_id == self.business.owner_phone:
                self.console.print(
                    f"[magenta](to the owner)[/] {reply['text']}  "
                    f"[dim]answer with /confirm or /reject[/]",
                    highlight=False,
                )
            else:
                self.show(reply, who=self.business.name)

    async def _owner_command(self, line: str) -> None:
        assert self.engine is not None
        parts = line.split()
        command = parts[0]
        if command == "/approvals":
            async with self.database.session() as session:
                pending = await approvals.list_approvals(
                    session, business_id=self.business.id or 0, status=ApprovalStatus.pending
                )
            for a in pending:
                self.console.print(f"  #{a.id} {a.kind}: {a.query}", highlight=False)
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
        try:
            outcome = await self.engine.answer_approval(
                business_id=self.business.id or 0, approval_id=int(parts[1]), answer=answer
            )
        except (AlreadyAnswered, ApprovalNotFound, InvalidAnswer) as exc:
            self.console.print(f"[red]{type(exc).__name__}[/]: {exc}")
            return
        self.console.print(f"[magenta](owner)[/] approval #{parts[1]}: {outcome.get('status')}")
        await self.show_outbox()


async def find_business(database: Database, slug: str) -> Business | None:
    async with database.session() as session:
        return await businesses.by_slug(session, slug=slug)
