"""Delivery from the outbox: retries without duplicates, permanent errors, window, sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import respx
from sqlalchemy import update
from sqlmodel import col, select

from tests.factories import make_business
from tests.whatsapp import GRAPH, Phone, running
from whsp_ai.db.database import Database
from whsp_ai.db.models import InboundMessage, OutboundMessage

PNID = "110000000000001"
CUSTOMER = "5215512349999"
URL = f"{GRAPH}/{PNID}/messages"


def ok(n: int) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": CUSTOMER, "wa_id": CUSTOMER}],
            "messages": [{"id": f"wamid.sent{n}"}],
        },
    )


def meta_error(status: int, code: int, message: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "error": {
                "message": message,
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": message},
                "fbtrace_id": "AZ9mW0yWqkT4-ZrZcl6YqTh",
            }
        },
    )


async def replies_to_customer(db: Database) -> list[OutboundMessage]:
    async with db.session() as s:
        rows = (
            await s.execute(
                select(OutboundMessage)
                .where(OutboundMessage.to_wa_id == CUSTOMER)
                .order_by(col(OutboundMessage.id))
            )
        ).scalars()
        return [r for r in rows if r.payload.get("type")]


async def make_due(db: Database) -> None:
    """Skip the backoff wait, as if the delay had passed."""
    async with db.session() as s:
        await s.execute(
            update(OutboundMessage).values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )


async def test_transient_failures_are_retried_without_duplicates(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    await make_business(db)
    responses = iter(
        [
            ok(0),  # the read receipt
            meta_error(500, 1, "An unknown error occurred"),
            httpx.ConnectTimeout("timed out"),
            meta_error(400, 130429, "Rate limit hit"),
            ok(1),
        ]
    )

    def answer(request: httpx.Request) -> httpx.Response:
        result = next(responses)
        if isinstance(result, Exception):
            raise result
        return result

    route = respx_mock.post(URL).mock(side_effect=answer)
    phone = Phone(service, PNID, CUSTOMER)
    await phone.post(
        {
            "from": CUSTOMER,
            "id": "wamid.in1",
            "timestamp": "1764151200",
            "type": "text",
            "text": {"body": "ayuda"},
        }
    )
    sender = running().sender
    from tests.whatsapp import settle

    await settle()
    for _ in range(3):
        [reply] = await replies_to_customer(db)
        assert reply.status == "queued" and reply.error_code in (1, None, 130429)
        await make_due(db)
        await sender.drain()
    [reply] = await replies_to_customer(db)
    assert (reply.status, reply.wa_message_id, reply.attempts) == ("sent", "wamid.sent1", 4)
    assert route.call_count == 5
    assert await sender.drain() == 0  # nothing left: never sent twice


async def test_errors_retrying_cannot_fix_are_recorded_not_retried(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    await make_business(db)
    route = respx_mock.post(URL).mock(
        side_effect=[
            ok(0),
            meta_error(400, 131026, "Message undeliverable"),
        ]
    )
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("ayuda")
    [reply] = await replies_to_customer(db)
    assert (reply.status, reply.error_code) == ("failed", 131026)
    await make_due(db)
    assert await running().sender.drain() == 0
    assert route.call_count == 2


async def test_outside_the_24_hour_window_nothing_is_sent_without_a_template_but_kept(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    made = await make_business(db)
    route = respx_mock.post(URL).mock(return_value=ok(0))
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("quiero un pastel tres leches")
    calls_before = route.call_count
    async with db.session() as s:  # the customer last wrote two days ago
        await s.execute(
            update(InboundMessage).values(received_at=datetime.now(UTC) - timedelta(days=2))
        )
    from whsp_ai.db.models import Approval

    async with db.session() as s:
        approval_id = (await s.execute(select(col(Approval.id)))).scalar_one()
    await running().engine.answer_approval(
        business_id=made.business_id, approval_id=approval_id, answer={"decision": "confirm"}
    )
    await running().sender.drain()
    late = (await replies_to_customer(db))[-1]
    assert (late.status, late.error_code) == ("held", 131047)  # kept: tests/…/test_templates.py
    assert "24-hour" in (late.last_error or "")
    assert route.call_count == calls_before


async def test_without_a_token_messages_go_to_the_sandbox(
    service: httpx.AsyncClient, db: Database
) -> None:
    await make_business(db, whatsapp={"phone_number_id": PNID})
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("ayuda")  # respx is not active: any real HTTP call would fail the test
    [reply] = await replies_to_customer(db)
    assert reply.status == "sandbox"


async def test_a_recipients_messages_keep_their_order_through_retries(
    service: httpx.AsyncClient, db: Database, respx_mock: respx.MockRouter
) -> None:
    """A long reply becomes two messages; the second must not overtake a retried first."""
    from whsp_ai.db.repositories import outbox
    from whsp_ai.messages import replies

    made = await make_business(db)
    first_try = iter([meta_error(503, 2, "Service temporarily unavailable")])

    def answer(request: httpx.Request) -> httpx.Response:
        return next(first_try, None) or ok(len(route.calls))

    route = respx_mock.post(URL).mock(side_effect=answer)
    async with db.session() as s:
        await outbox.enqueue_reply(
            s,
            business_id=made.business_id,
            to_wa_id=CUSTOMER,
            reply=replies.buttons("x" * 1500, [("cart:view", "Ver carrito")]),
            dedupe_key="order",
        )
    from tests.whatsapp import text_message

    phone = Phone(service, PNID, CUSTOMER)  # a message from the customer opens the window
    await phone.post(text_message(CUSTOMER, "hola"))
    sender = running().sender
    for _ in range(6):
        await make_due(db)
        await sender.drain()
    import json

    sent = [json.loads(call.request.content) for call in route.calls]
    kinds = [body.get("type") for body in sent if body.get("status") != "read"]
    # the text part fails once and is retried before the buttons part goes at all
    assert kinds[:3] == ["text", "text", "interactive"]
