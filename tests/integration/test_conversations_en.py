"""English conversations with the tea shop, offline provider, real Postgres."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conversation import Customer, demo_ids
from whsp_ai.db.database import Database
from whsp_ai.graph.engine import Engine


@pytest.fixture
async def ada(db: Database, engine: Engine) -> Customer:
    ids = await demo_ids(db)
    return Customer(engine, db, ids["tea-and-kettle"], wa_id="15551230000")


async def test_complete_order_from_greeting_to_confirmation(ada: Customer) -> None:
    assert "Ada" in await ada.say("Hi there!")
    found = await ada.say("do you have earl grey?")
    assert "Earl Grey 100 g" in found and "$12.50" in found
    await ada.say("add 2 earl grey")
    await ada.say("also add a bamboo whisk")
    assert await ada.cart() == {"BLK-EG-100": 2, "ACC-WSK-100": 1}
    review = await ada.say("checkout")
    assert "Subtotal: $46.00" in review and "Delivery: $5.99" in review
    assert "Total: $51.99" in review
    await ada.say("yes")
    await ada.say("742 Evergreen Terrace, Springfield")
    confirm = await ada.say("card")
    assert "742 Evergreen Terrace" in confirm
    assert "confirmed" in await ada.say("yes please")
    [(order, items)] = await ada.orders()
    assert (order.total, order.payment_method, order.currency) == (Decimal("51.99"), "card", "USD")
    assert {i.sku: i.quantity for i in items} == {"BLK-EG-100": 2, "ACC-WSK-100": 1}


async def test_remove_and_change_quantity(ada: Customer) -> None:
    await ada.say("add 2 chamomile and 1 peppermint")
    assert await ada.cart() == {"HRB-CHM-50": 2, "HRB-PEP-50": 1}
    await ada.say("remove the peppermint")
    await ada.say("make it 4 chamomile")
    assert await ada.cart() == {"HRB-CHM-50": 4}


async def test_references_to_shown_results(ada: Customer) -> None:
    await ada.say("what matcha do you have?")
    shown = [row["id"].removeprefix("product:") for row in ada.replies[0]["rows"]]
    await ada.say("I'll take the first one")
    assert await ada.cart() == {shown[0]: 1}


async def test_stock_limit(ada: Customer) -> None:
    reply = await ada.say("add 5 kyusu teapots")
    assert await ada.cart() == {"TWR-KYU-250": 2}
    assert "only 2" in reply


async def test_unconfirmed_product_confirmed_by_owner_reaches_customer(
    ada: Customer, engine: Engine
) -> None:
    await ada.say("add 2 oriental beauty")
    [approval] = await ada.approvals()
    assert approval.id is not None
    await engine.answer_approval(
        business_id=ada.business_id,
        approval_id=approval.id,
        answer={"decision": "confirm", "price": "21.00", "stock": 10},
    )
    assert await ada.cart() == {"OOL-ORB-50": 2}


async def test_tapping_a_did_you_mean_row_adds_it(ada: Customer) -> None:
    assert "Did you mean" in await ada.say("add 2 oolong")
    await ada.tap("Milk Oolong 50 g")
    assert await ada.cart() == {"OOL-MLK-50": 2}


async def test_the_one_of_the_list_named_by_what_sets_it_apart(ada: Customer) -> None:
    await ada.say("do you have teapots?")
    await ada.say("I'll take the glass one")
    await ada.say("what matcha do you have?")
    await ada.say("add the most expensive one")
    assert await ada.cart() == {"TWR-GLS-1L": 1, "MAT-PRM-100": 1}
    assert await ada.approvals() == []
