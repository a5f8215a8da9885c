"""The owner answers approvals on WhatsApp by typing: "1200 3" or "no" after the notice,
or as a reply to the notice (WhatsApp's context.id)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from tests.factories import make_business
from tests.whatsapp import Phone, text_message
from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, OutboundMessage, Product

PNID = "110000000000001"
OWNER = "5215512345678"
CUSTOMER = "5215512340001"


@pytest.fixture
async def shop(db: Database) -> int:
    return (await make_business(db, whatsapp={"phone_number_id": PNID})).business_id


def quoting(sender: str, body: str, quoted: str) -> dict[str, Any]:
    return {**text_message(sender, body), "context": {"from": PNID, "id": quoted}}


async def product(db: Database, sku: str) -> Product:
    async with db.session() as s:
        return (await s.execute(select(Product).where(Product.sku == sku))).scalar_one()


async def approvals(db: Database) -> list[Approval]:
    async with db.session() as s:
        return list((await s.execute(select(Approval).order_by(col(Approval.id)))).scalars())


async def notice_ids(db: Database) -> list[str]:
    """Our notices to the owner as WhatsApp knows them (the sandbox gives them no id: set one)."""
    async with db.session() as s:
        rows = list(
            (
                await s.execute(
                    select(OutboundMessage)
                    .where(
                        OutboundMessage.to_wa_id == OWNER,
                        col(OutboundMessage.dedupe_key).like("approval:%"),
                    )
                    .order_by(col(OutboundMessage.id))
                )
            ).scalars()
        )
        for row in rows:
            await s.execute(
                update(OutboundMessage)
                .where(col(OutboundMessage.id) == row.id)
                .values(wa_message_id=f"wamid.notice{row.id}")
            )
    return [f"wamid.notice{row.id}" for row in rows]


async def test_typing_price_and_stock_after_the_notice_confirms_it(
    service: httpx.AsyncClient, db: Database, shop: int
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    owner = Phone(service, PNID, OWNER)
    await phone.say("quiero un pastel tres leches")
    await owner.replies()
    [done] = await owner.say("$1,200 3")
    assert "quedó confirmada" in done["text"]
    cake = await product(db, "PASTEL-3L")
    assert (cake.status, cake.price, cake.stock) == ("confirmed", 1200, 3)
    told = await phone.replies()
    assert "$1,200.00" in told[0]["text"]
    # typed again: nothing pending any more, so it is not an answer (the help text instead)
    [help_] = await owner.say("1200 3")
    assert "0 solicitud" in help_["text"]


async def test_no_rejects_the_latest_pending_notice(
    service: httpx.AsyncClient, db: Database, shop: int
) -> None:
    phone = Phone(service, PNID, CUSTOMER)
    owner = Phone(service, PNID, OWNER)
    await phone.say("quiero un pastel tres leches")
    await Phone(service, PNID, "5215512340002").say("tienen pan de muerto?")
    first, second = await approvals(db)
    await owner.replies()  # the two notices
    [done] = await owner.say("no")
    assert f"#{second.id}" in done["text"] and "rechazada" in done["text"]
    first, second = await approvals(db)
    assert (first.status, second.status) == ("pending", "rejected")
    # the next "no" goes to the one still pending
    [done] = await owner.say("No.")
    assert f"#{first.id}" in done["text"]
    assert [a.status for a in await approvals(db)] == ["rejected", "rejected"]


async def test_a_reply_to_a_notice_answers_that_notice(
    service: httpx.AsyncClient, db: Database, shop: int
) -> None:
    await Phone(service, PNID, CUSTOMER).say("quiero un pastel tres leches")
    await Phone(service, PNID, "5215512340002").say("tienen pan de muerto?")
    owner = Phone(service, PNID, OWNER)
    await owner.replies()
    cake_notice, _ = await notice_ids(db)
    await owner.post(quoting(OWNER, "950 2", cake_notice))
    [done] = await owner.replies()
    assert "confirmada" in done["text"]
    cake, bread = await approvals(db)
    assert (cake.status, bread.status) == ("confirmed", "pending")  # not the latest one
    assert (await product(db, "PASTEL-3L")).stock == 2
    # a new product needs its price: "sí" alone is explained, not applied
    _, bread_notice = await notice_ids(db)
    await owner.post(quoting(OWNER, "sí", bread_notice))
    [explained] = await owner.replies()
    assert '"1200 3"' in explained["text"]
    assert (await approvals(db))[1].status == "pending"


async def test_words_that_are_no_answer_change_nothing(
    service: httpx.AsyncClient, db: Database, shop: int
) -> None:
    await Phone(service, PNID, CUSTOMER).say("quiero un pastel tres leches")
    owner = Phone(service, PNID, OWNER)
    await owner.replies()
    for said in ("cuanto cuesta el envio?", "3 piezas a 1200 pero mañana", "a 1200 piezas"):
        [reply] = await owner.say(said)
        assert "1 solicitud" in reply["text"]  # the help text: one still pending
    assert [a.status for a in await approvals(db)] == ["pending"]
    # a reply to something that is not an approval notice (an order notice) is no answer
    async with db.session() as s:
        await s.execute(
            update(OutboundMessage)
            .where(col(OutboundMessage.to_wa_id) == OWNER)
            .values(wa_message_id=None)
        )
    await owner.post(quoting(OWNER, "no", "wamid.some-order-notice"))
    await owner.replies()
    assert [a.status for a in await approvals(db)] == ["pending"]


async def test_the_owner_hears_the_shops_own_request_number_not_the_global_id(
    service: httpx.AsyncClient, db: Database, shop: int
) -> None:
    """Another shop's approvals take the first global ids; this owner's first request is
    still #1, in the notice and in the confirmation of the typed answer."""
    other = await make_business(db, 2, whatsapp={"phone_number_id": "110000000000002"})
    elsewhere = Phone(service, "110000000000002", "5215512349999")
    for ask in ("quiero un pastel tres leches", "tienen velas de cumpleaños?"):
        await elsewhere.say(ask)
    phone = Phone(service, PNID, CUSTOMER)
    owner = Phone(service, PNID, OWNER)
    await phone.say("quiero un pastel tres leches")
    await owner.replies()
    mine = [a for a in await approvals(db) if a.business_id == shop]
    assert other.business_id != shop and mine and mine[0].id != mine[0].number == 1
    [done] = await owner.say("1200 3")
    assert "#1 " in done["text"] and f"#{mine[0].id} " not in done["text"]
