"""Poison messages: one odd message in Meta's batch never sinks the good ones beside it.

Meta retries a failed POST for days, so a batch refused because of one message would lose
every good message in it on every retry. Each case posts the poison next to a plain "hola"
from another customer, and that customer must be recorded and answered.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.integration.test_webhook import PNID, inbound_rows, outbound_rows, sandbox_business
from tests.whatsapp import settle, signed, text_message, wamid
from whsp_ai.db.database import Database

GOOD = "5215500000901"
ODD = "5215500000902"


def _message(**fields: Any) -> dict[str, Any]:
    base = {"from": ODD, "id": wamid(), "timestamp": "1764151200", "type": "text"}
    return {**base, "text": {"body": "quiero pan"}, **fields}


def _batch(odd: dict[str, Any], odd_name: str = "Cliente") -> dict[str, Any]:
    good = text_message(GOOD, "hola")
    sender = odd.get("from")
    contacts = [{"profile": {"name": "Ana"}, "wa_id": GOOD}]
    if isinstance(sender, str) and sender:
        contacts.append({"profile": {"name": odd_name}, "wa_id": sender})
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": PNID},
        "contacts": contacts,
        "messages": [odd, good],  # the poison first: nothing after it may be lost
    }
    change = {"field": "messages", "value": value}
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [change]}]}


async def _post(service: httpx.AsyncClient, payload: dict[str, Any] | bytes) -> httpx.Response:
    body, headers = signed(payload)
    return await service.post("/webhook", content=body, headers=headers)


async def _good_customer_answered(db: Database) -> None:
    await settle()
    rows = {r.customer_wa_id: r for r in await inbound_rows(db)}
    assert rows[GOOD].status == "processed"
    replies = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert [m.to_wa_id for m in replies].count(GOOD) >= 1


UNRECORDABLE = {
    "empty id": {"id": ""},
    "id over 512 characters": {"id": "wamid." + "x" * 600},
    "empty from": {"from": ""},
    "from over 64 characters": {"from": "5" * 65},
    "from is a JSON boolean": {"from": True},
    "id is a JSON boolean": {"id": False},
    "no from at all": {"from": None},
}


@pytest.mark.parametrize("case", list(UNRECORDABLE))
async def test_a_message_without_usable_id_or_sender_is_skipped_alone(
    service: httpx.AsyncClient, db: Database, case: str
) -> None:
    await sandbox_business(db)
    odd = _message(**UNRECORDABLE[case])
    if odd["from"] is None:
        del odd["from"]
    response = await _post(service, _batch(odd))
    assert response.status_code == 200, response.text
    assert [r.customer_wa_id for r in await inbound_rows(db)] == [GOOD]
    await _good_customer_answered(db)


async def test_nul_in_the_customers_profile_name(service: httpx.AsyncClient, db: Database) -> None:
    await sandbox_business(db)
    response = await _post(service, _batch(_message(), odd_name="Ana\x00Mar\x00ía"))
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)
    rows = {r.customer_wa_id: r for r in await inbound_rows(db)}
    assert rows[ODD].payload["profile_name"] == "AnaMaría"
    assert rows[ODD].status == "processed"


async def test_nul_inside_a_json_key_of_the_message(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    odd = _message(**{"x\x00tra": {"k\x00ey": "v\x00alue"}})
    response = await _post(service, _batch(odd))
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)
    rows = {r.customer_wa_id: r for r in await inbound_rows(db)}
    assert rows[ODD].payload["xtra"] == {"key": "value"}
    assert rows[ODD].type == "text"


async def test_a_lone_surrogate_in_a_text_body(service: httpx.AsyncClient, db: Database) -> None:
    """A client that cuts an emoji in half sends half a UTF-16 pair: JSON allows it,
    Postgres does not. The message is kept with U+FFFD where the half was."""
    await sandbox_business(db)
    odd = _message(text={"body": "quiero pan \ud83d"})
    body = json.dumps(_batch(odd)).encode()
    assert b"\\ud83d" in body  # what the wire carries
    response = await _post(service, body)
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)
    rows = {r.customer_wa_id: r for r in await inbound_rows(db)}
    assert rows[ODD].payload["text"]["body"] == "quiero pan \ufffd"
    assert rows[ODD].status == "processed"
    odd_replies = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert ODD in {m.to_wa_id for m in odd_replies}


async def test_a_lone_surrogate_in_a_json_key_and_the_sender(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    odd = _message(**{"\udc00": 1})
    response = await _post(service, _batch(odd))
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)


async def test_a_status_with_an_error_code_out_of_range(
    service: httpx.AsyncClient, db: Database
) -> None:
    """error_code is an INTEGER column: a code of 2^40 must not sink the batch."""
    await sandbox_business(db)
    payload = _batch(_message())
    payload["entry"][0]["changes"][0]["value"]["statuses"] = [
        {
            "id": "wamid.out.1",
            "status": "failed",
            "timestamp": "1764151400",
            "recipient_id": GOOD,
            "errors": [{"code": 2**40, "title": "?"}],
        }
    ]
    response = await _post(service, payload)
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)


async def test_an_unreadable_message_is_recorded_as_unknown_and_answered(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    odd = _message(text="not an object", type=["text"])
    response = await _post(service, _batch(odd))
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)
    rows = {r.customer_wa_id: r for r in await inbound_rows(db)}
    assert rows[ODD].type == "unknown"
    assert rows[ODD].payload["raw"]["text"] == "not an object"
    replies = [m for m in await outbound_rows(db) if m.payload.get("type")]
    assert [m.to_wa_id for m in replies].count(ODD) == 1


_REFUSE = """
CREATE OR REPLACE FUNCTION test_refuse_odd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.customer_wa_id = '{odd}' AND NOT NEW.type = ANY(%s) THEN
        RAISE EXCEPTION 'refused for the test' USING ERRCODE = 'untranslatable_character';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER test_refuse_odd BEFORE INSERT ON inbound_messages
    FOR EACH ROW EXECUTE FUNCTION test_refuse_odd();
""".replace("{odd}", ODD)


@pytest.mark.parametrize("also_unknown", [False, True], ids=["kept as unknown", "skipped"])
async def test_what_postgres_refuses_fails_alone(
    service: httpx.AsyncClient, db: Database, also_unknown: bool
) -> None:
    """Past the clean-up, Postgres may still refuse a message's values (a limit nobody
    foresaw). A trigger makes it refuse one for real: the batch is recorded again with a
    savepoint per message, and the refused one is kept as "unknown", or skipped."""
    await sandbox_business(db)
    allowed = [] if also_unknown else ["unknown"]
    async with db.pool.connection() as conn:
        await conn.execute(
            _REFUSE.replace("%s", "ARRAY[" + ",".join(f"'{t}'" for t in allowed) + "]::text[]")
        )
    try:
        response = await _post(service, _batch(_message()))
    finally:
        async with db.pool.connection() as conn:
            await conn.execute("DROP TRIGGER test_refuse_odd ON inbound_messages")
    assert response.status_code == 200, response.text
    await _good_customer_answered(db)
    rows = {r.customer_wa_id: r for r in await inbound_rows(db)}
    if also_unknown:
        assert ODD not in rows
    else:
        assert rows[ODD].type == "unknown"
        assert rows[ODD].payload["unstorable"].startswith("UntranslatableCharacter")
        replies = [m for m in await outbound_rows(db) if m.payload.get("type")]
        assert [m.to_wa_id for m in replies].count(ODD) == 1  # answered politely
