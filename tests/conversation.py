"""A customer talking to the engine, for conversation tests: say, tap, and read the database."""

from __future__ import annotations

from dataclasses import dataclass, field

from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, Order, OrderItem
from whsp_ai.db.repositories import approvals, carts, customers, orders
from whsp_ai.demo import import_demo_businesses
from whsp_ai.graph.engine import Engine, TurnResult
from whsp_ai.messages.replies import Reply


async def demo_ids(db: Database) -> dict[str, int]:
    results = await import_demo_businesses(db)
    return {r.slug: r.business_id for r in results}


@dataclass
class Customer:
    engine: Engine
    db: Database
    business_id: int
    wa_id: str = "5215511112222"
    last: TurnResult | None = None
    transcript: list[str] = field(default_factory=list)

    async def say(self, text: str) -> str:
        self.last = await self.engine.handle(
            business_id=self.business_id, customer_wa_id=self.wa_id, text=text
        )
        return self._record(text)

    async def tap(self, title_or_id: str) -> str:
        """Tap a button or list row of the last reply, by its title or id."""
        assert self.last is not None
        options = [
            opt
            for reply in self.last.replies
            for opt in [*reply.get("buttons", []), *reply.get("rows", [])]
        ]
        chosen = next((o for o in options if title_or_id in (o["id"], o["title"])), None)
        assert chosen is not None, f"no {title_or_id!r} among {options}"
        self.last = await self.engine.handle(
            business_id=self.business_id, customer_wa_id=self.wa_id, action_id=chosen["id"]
        )
        return self._record(f"[tap {chosen['title']}]")

    def _record(self, said: str) -> str:
        assert self.last is not None
        answer = "\n".join(r["text"] for r in self.last.replies)
        self.transcript += [f"> {said}", answer]
        return answer

    @property
    def replies(self) -> list[Reply]:
        return self.last.replies if self.last else []

    async def cart(self) -> dict[str, int]:
        async with self.db.session() as s:
            customer = await customers.by_wa_id(s, business_id=self.business_id, wa_id=self.wa_id)
            if customer is None or customer.id is None:
                return {}
            lines = await carts.lines(s, business_id=self.business_id, customer_id=customer.id)
        return {line.sku: line.quantity for line in lines}

    async def orders(self) -> list[tuple[Order, list[OrderItem]]]:
        async with self.db.session() as s:
            return await orders.list_orders(s, business_id=self.business_id)

    async def approvals(self) -> list[Approval]:
        async with self.db.session() as s:
            return await approvals.list_approvals(s, business_id=self.business_id)
