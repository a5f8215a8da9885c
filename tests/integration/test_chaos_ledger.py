"""The chaos run's checks on a real database: a duplicate of the documented send window (a
row claimed again after its sender died mid-send) is told from any other, which fails a run;
a conversation whose checkpoint is behind its processed messages fails it too."""

from __future__ import annotations

import asyncio

import pytest

from tests.factories import make_business
from whsp_ai.bench.chaos_checks import Reference, check, failures
from whsp_ai.bench.chaos_traffic import Tally
from whsp_ai.bench.ledger import Ledger, Sent, verify
from whsp_ai.db.database import Database
from whsp_ai.db.models import InboundMessage, OutboundMessage

PNID = "110000000000001"
CUSTOMER = "5215512340000"
WAMID = "wamid.chaos.1"
CLEAN = {"lost": 0, "duplicated": 0, "out_of_order": 0}
REPLY = {"messaging_product": "whatsapp", "to": CUSTOMER, "type": "text", "text": {"body": "Hola"}}


@pytest.mark.parametrize(("attempts", "in_window"), [(2, True), (1, False)])
async def test_a_row_sent_twice_counts_apart_only_when_it_was_claimed_again(
    db: Database, database_url: str, attempts: int, in_window: bool
) -> None:
    business_id = (await make_business(db, whatsapp={"phone_number_id": PNID})).business_id
    async with db.session() as s:
        message = InboundMessage(
            business_id=business_id,
            wa_message_id=WAMID,
            customer_wa_id=CUSTOMER,
            type="text",
            status="processed",
        )
        s.add(message)
        await s.flush()
        receipt = {"messaging_product": "whatsapp", "status": "read", "message_id": WAMID}
        s.add_all(
            [
                OutboundMessage(
                    business_id=business_id,
                    to_wa_id=CUSTOMER,
                    payload=receipt,
                    status="read_receipt",
                    dedupe_key=f"read:{message.id}",
                    attempts=attempts,
                ),
                OutboundMessage(
                    business_id=business_id,
                    to_wa_id=CUSTOMER,
                    payload=REPLY,
                    status="sent",
                    dedupe_key=f"in:{message.id}:0",
                    inbound_message_id=message.id,
                    wa_message_id="wamid.graph.2",  # the second delivery's id is recorded
                    attempts=attempts,
                ),
            ]
        )
    ledger = Ledger()
    ledger.sent[WAMID] = Sent(WAMID, PNID, CUSTOMER, "chaos", 0.0, status=200)
    ledger.on_post(PNID, receipt, None, 1.0)
    ledger.on_post(PNID, receipt, None, 2.0)  # the receipt, twice
    ledger.on_post(PNID, REPLY, "wamid.graph.1", 3.0)
    ledger.on_post(PNID, REPLY, "wamid.graph.2", 4.0)  # the reply, twice

    verdict = await asyncio.to_thread(verify, ledger, database_url)

    assert verdict.lost == 0 and verdict.out_of_order == 0
    if in_window:
        assert (verdict.duplicated, verdict.duplicated_send_window) == (0, 2)
    else:
        assert (verdict.duplicated, verdict.duplicated_send_window) == (2, 0)


async def test_a_processed_message_the_checkpoint_does_not_remember_is_counted(
    db: Database, database_url: str
) -> None:
    """A turn committed without its checkpoint (the bug of issue 10, item 9) fails a run."""
    business_id = (await make_business(db, whatsapp={"phone_number_id": PNID})).business_id
    async with db.session() as s:
        s.add(
            InboundMessage(
                business_id=business_id,
                wa_message_id=WAMID,
                customer_wa_id=CUSTOMER,
                type="text",
                status="processed",
            )
        )
    found = await check(database_url, {PNID: business_id}, [], Reference(database_url, {}), Tally())
    assert (found["conversations"], found["checkpoints_behind"]) == (1, 1)
    assert failures({**CLEAN, **found}) == {"checkpoints_behind": 1}
