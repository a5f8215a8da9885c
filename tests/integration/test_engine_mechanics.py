"""Graph mechanics with a scripted provider: taps, checkout, persistence, approvals, locking."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from tests.factories import make_business
from tests.fakes import ScriptedUnderstander
from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, Product
from whsp_ai.db.repositories import carts, customers, orders, outbox, products
from whsp_ai.graph.engine import Engine
from whsp_ai.graph.services import Services, install
from whsp_ai.messages.cloud_api import to_reply
from whsp_ai.nlu.models import CartAction, ProductRef, Understanding
from whsp_ai.settings import Settings
from whsp_ai.tools.approvals import AlreadyAnswered, InvalidAnswer

WA = "5215512340000"

SCRIPT = {
    "address": Understanding(intent="provide_address", address="Av. Juárez 10, Centro"),
    "busco pan": Understanding(intent="search", search_query="pan"),
    "agrega 2 conchas": Understanding(
        intent="add",
        actions=[CartAction(op="add", product=ProductRef(query="conchas"), quantity=2)],
    ),
    "agrega 10 conchas": Understanding(
        intent="add",
        actions=[CartAction(op="add", product=ProductRef(query="conchas"), quantity=10)],
    ),
    "quiero pastel": Understanding(
        intent="add",
        actions=[CartAction(op="add", product=ProductRef(query="pastel tres leches"), quantity=2)],
    ),
    "tienen donas": Understanding(intent="search", search_query="donas"),
    "pagar": Understanding(intent="checkout"),
    "cancelar": Understanding(intent="cancel"),
}


@pytest.fixture
async def scripted(db: Database, settings: Settings) -> Engine:
    services = Services(db, ScriptedUnderstander(SCRIPT), settings)
    install(services)
    return await Engine.create(services)


async def say(engine: Engine, business_id: int, text: str | None = None, tap: str | None = None):  # type: ignore[no-untyped-def]
    result = await engine.handle(
        business_id=business_id, customer_wa_id=WA, text=text, action_id=tap
    )
    return result


async def cart_of(db: Database, business_id: int) -> dict[str, int]:
    async with db.session() as s:
        customer = await customers.by_wa_id(s, business_id=business_id, wa_id=WA)
        if customer is None or customer.id is None:
            return {}
        return {
            line.sku: line.quantity
            for line in await carts.lines(s, business_id=business_id, customer_id=customer.id)
        }


async def test_order_made_of_taps_only(db: Database, scripted: Engine) -> None:
    biz = (await make_business(db)).business_id
    first = await say(scripted, biz, tap="product:CONCHA")
    assert "Concha de vainilla" in first.replies[0]["text"]
    assert "$12.50 MXN" in first.replies[0]["text"]
    assert next(b["id"] for b in first.replies[0]["buttons"]) == "add:CONCHA"
    await say(scripted, biz, tap="add:CONCHA")
    await say(scripted, biz, tap="add:CONCHA")
    assert await cart_of(db, biz) == {"CONCHA": 2}
    review = await say(scripted, biz, tap="checkout:start")
    assert "Total: $55.00 MXN" in review.replies[0]["text"]  # 25.00 + 30.00 delivery
    await say(scripted, biz, tap="checkout:continue")
    payment = await say(scripted, biz, text="address")
    assert [b["id"] for b in payment.replies[0]["buttons"]] == ["pay:0", "pay:1", "pay:2"]
    confirm = await say(scripted, biz, tap="pay:1")
    assert "Av. Juárez 10, Centro" in confirm.replies[0]["text"]
    assert "transferencia" in confirm.replies[0]["text"]
    placed = await say(scripted, biz, tap="order:confirm")
    assert "#1" in placed.replies[0]["text"]
    async with db.session() as s:
        [(order, items)] = await orders.list_orders(s, business_id=biz)
    assert (order.total, order.payment_method) == (Decimal("55.00"), "transferencia")
    assert [(i.sku, i.quantity, i.unit_price) for i in items] == [("CONCHA", 2, Decimal("12.50"))]
    assert await cart_of(db, biz) == {}


async def test_stock_limit_adds_what_is_available(db: Database, scripted: Engine) -> None:
    biz = (await make_business(db)).business_id
    reply = await say(scripted, biz, text="agrega 10 conchas")
    assert "3" in reply.replies[0]["text"]  # only 3 in stock
    assert await cart_of(db, biz) == {"CONCHA": 3}
    again = await say(scripted, biz, text="agrega 2 conchas")
    assert await cart_of(db, biz) == {"CONCHA": 3}
    assert "3" in again.replies[0]["text"]


async def test_checkout_waits_in_the_checkpoint_across_engines(
    db: Database, settings: Settings
) -> None:
    """A new engine (a restarted process) resumes the checkout where it stopped."""
    biz = (await make_business(db)).business_id
    services = Services(db, ScriptedUnderstander(SCRIPT), settings)
    install(services)
    first = await Engine.create(services)
    await say(first, biz, tap="add:CONCHA")
    await say(first, biz, tap="checkout:start")
    await say(first, biz, tap="checkout:continue")
    # "restart": fresh services and engine, same database
    services2 = Services(db, ScriptedUnderstander(SCRIPT), settings)
    install(services2)
    second = await Engine.create(services2)
    reply = await say(second, biz, text="address")
    assert next(b["id"] for b in reply.replies[0]["buttons"]) == "pay:0"


async def test_cancel_mid_checkout_keeps_cart(db: Database, scripted: Engine) -> None:
    biz = (await make_business(db)).business_id
    await say(scripted, biz, tap="add:CONCHA")
    await say(scripted, biz, tap="checkout:start")
    await say(scripted, biz, tap="checkout:continue")
    reply = await say(scripted, biz, text="cancelar")
    assert "cancel" in reply.replies[0]["text"].lower()
    assert await cart_of(db, biz) == {"CONCHA": 1}
    # an address now is not taken as checkout input
    after = await say(scripted, biz, text="address")
    assert "pay:0" not in str(after.replies)
    async with db.session() as s:
        assert await orders.list_orders(s, business_id=biz) == []


async def test_unconfirmed_product_raises_one_approval_and_confirm_adds_it(
    db: Database, scripted: Engine
) -> None:
    made = await make_business(db)
    biz = made.business_id
    first = await say(scripted, biz, text="quiero pastel")
    assert "pregunté" in first.replies[0]["text"]
    assert len(first.approvals) == 1
    again = await say(scripted, biz, text="quiero pastel")
    assert again.approvals == []  # the same pending approval, not a second one
    approval_id = first.approvals[0]
    async with db.session() as s:
        owner_msgs = await outbox.for_recipient(s, business_id=biz, to_wa_id="5215512345678")
    assert len(owner_msgs) == 1
    assert [b["id"] for b in to_reply(owner_msgs[0].payload)["buttons"]] == [
        f"approval:{approval_id}:confirm",
        f"approval:{approval_id}:reject",
    ]
    outcome = await scripted.answer_approval(
        business_id=biz,
        approval_id=approval_id,
        answer={"decision": "confirm", "price": "350", "stock": 4},
    )
    assert outcome["status"] == "confirmed"
    assert await cart_of(db, biz) == {"PASTEL-3L": 2}
    async with db.session() as s:
        cake = await products.by_sku(s, business_id=biz, sku="PASTEL-3L")
        told = await outbox.for_recipient(s, business_id=biz, to_wa_id=WA)
        owner_msgs = await outbox.for_recipient(s, business_id=biz, to_wa_id="5215512345678")
    assert cake is not None and (cake.status, cake.price, cake.stock) == (
        "confirmed",
        Decimal("350.00"),
        4,
    )
    assert len(told) == 1 and "$350.00 MXN" in to_reply(told[0].payload)["text"]
    assert len(owner_msgs) == 1  # resuming re-ran the waiting node without notifying twice
    with pytest.raises(AlreadyAnswered):
        await scripted.answer_approval(
            business_id=biz, approval_id=approval_id, answer={"decision": "reject"}
        )


async def test_rejected_product_is_hidden_and_customer_told(db: Database, scripted: Engine) -> None:
    biz = (await make_business(db)).business_id
    first = await say(scripted, biz, text="quiero pastel")
    await scripted.answer_approval(
        business_id=biz, approval_id=first.approvals[0], answer={"decision": "reject"}
    )
    async with db.session() as s:
        cake = await products.by_sku(s, business_id=biz, sku="PASTEL-3L")
        told = await outbox.for_recipient(s, business_id=biz, to_wa_id=WA)
    assert cake is not None and cake.status == "rejected"
    assert "no tiene" in to_reply(told[0].payload)["text"]
    assert await cart_of(db, biz) == {}


async def test_new_product_request_and_confirm_with_price(db: Database, scripted: Engine) -> None:
    biz = (await make_business(db)).business_id
    reply = await say(scripted, biz, text="tienen donas")
    assert "donas" in reply.replies[0]["text"]
    [approval_id] = reply.approvals
    async with db.session() as s:
        approval = await s.get(Approval, approval_id)
    assert approval is not None and (approval.kind, approval.query) == ("new_product", "donas")
    with pytest.raises(InvalidAnswer):
        await scripted.answer_approval(
            business_id=biz, approval_id=approval_id, answer={"decision": "confirm"}
        )
    await scripted.answer_approval(
        business_id=biz,
        approval_id=approval_id,
        answer={"decision": "confirm", "price": 18, "stock": 30, "name": "Dona glaseada"},
    )
    async with db.session() as s:
        found = [
            p for p in await products.list_products(s, business_id=biz) if p.name == "Dona glaseada"
        ]
    assert len(found) == 1 and found[0].price == Decimal("18.00") and found[0].stock == 30


async def test_messages_of_one_conversation_never_run_together(
    db: Database, scripted: Engine
) -> None:
    biz = (await make_business(db)).business_id
    original = scripted.sales.ainvoke
    running = 0
    overlap = 0

    async def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal running, overlap
        running += 1
        overlap = max(overlap, running)
        try:
            await asyncio.sleep(0.01)
            return await original(*args, **kwargs)
        finally:
            running -= 1

    scripted.sales.ainvoke = watched  # type: ignore[method-assign]
    await asyncio.gather(*(say(scripted, biz, tap="add:CONCHA") for _ in range(3)))
    assert overlap == 1
    assert await cart_of(db, biz) == {"CONCHA": 3}


async def test_other_business_product_cannot_be_added_by_tap(
    db: Database, scripted: Engine
) -> None:
    a = (await make_business(db, 1)).business_id
    b = (await make_business(db, 2)).business_id
    async with db.session() as s:
        s.add(Product(business_id=b, sku="SOLO-B", name="Solo de B", price=Decimal(1)))
    await say(scripted, a, tap="add:SOLO-B")
    assert await cart_of(db, a) == {}


async def test_stored_checkpoints_stay_bounded(db: Database, scripted: Engine) -> None:
    from whsp_ai.graph.engine import PRUNE_EVERY

    biz = (await make_business(db)).business_id
    for _ in range(PRUNE_EVERY * 2 + 5):
        await say(scripted, biz, tap="cart:view")
    async with db.pool.connection() as conn:
        row = await (
            await conn.execute(
                "SELECT count(*) AS n FROM checkpoints WHERE thread_id = %s", (f"{biz}:{WA}",)
            )
        ).fetchone()
    assert row is not None and 1 <= row["n"] <= PRUNE_EVERY
    state = await scripted.sales.aget_state({"configurable": {"thread_id": f"{biz}:{WA}"}})
    assert len(state.values["history"]) <= 12  # the bounded message window
    assert state.values["turns"] == PRUNE_EVERY * 2 + 5


async def test_set_without_a_number_asks_instead_of_emptying(
    db: Database, settings: Settings
) -> None:
    script = {
        "sean conchas": Understanding(
            intent="set_quantity",
            actions=[CartAction(op="set", product=ProductRef(query="conchas"), quantity=None)],
        )
    }
    services = Services(db, ScriptedUnderstander(script), settings)
    install(services)
    engine = await Engine.create(services)
    biz = (await make_business(db)).business_id
    await say(engine, biz, tap="add:CONCHA")
    reply = await say(engine, biz, text="sean conchas")
    assert "Cuántos" in reply.replies[0]["text"]
    assert await cart_of(db, biz) == {"CONCHA": 1}


async def test_an_approval_whose_thread_never_started_is_started_by_the_sweep(
    db: Database, scripted: Engine
) -> None:
    from whsp_ai.db.models import ApprovalKind
    from whsp_ai.db.repositories import approvals

    biz = (await make_business(db)).business_id
    async with db.session() as s:  # as if the process died right after the customer's turn
        customer = await customers.get_or_create(s, business_id=biz, wa_id=WA)
        cake = await products.by_sku(s, business_id=biz, sku="PASTEL-3L")
        assert cake is not None
        await approvals.create(
            s,
            business_id=biz,
            kind=ApprovalKind.unconfirmed_product,
            query="pastel",
            product_id=cake.id,
            customer_id=customer.id,
        )
    assert await scripted.start_pending_approvals() == 1
    assert await scripted.start_pending_approvals() == 1  # idempotent: still one notice
    async with db.session() as s:
        notices = await outbox.for_recipient(s, business_id=biz, to_wa_id="5215512345678")
    assert len(notices) == 1


async def test_a_price_change_after_the_summary_is_confirmed_again(
    db: Database, scripted: Engine
) -> None:
    biz = (await make_business(db)).business_id
    await say(scripted, biz, tap="add:CONCHA")
    await say(scripted, biz, tap="checkout:start")
    await say(scripted, biz, tap="checkout:continue")
    await say(scripted, biz, text="address")
    shown = await say(scripted, biz, tap="pay:0")
    assert "$42.50 MXN" in shown.replies[0]["text"]  # 12.50 + 30.00 delivery
    async with db.session() as s:
        concha = await products.by_sku(s, business_id=biz, sku="CONCHA")
        assert concha is not None
        concha.price = Decimal("14.00")
    again = await say(scripted, biz, tap="order:confirm")
    assert "cambió" in again.replies[0]["text"] and "$44.00 MXN" in again.replies[0]["text"]
    async with db.session() as s:
        assert await orders.list_orders(s, business_id=biz) == []
    placed = await say(scripted, biz, tap="order:confirm")
    assert "$44.00 MXN" in placed.replies[0]["text"]
