"""Hypothesis fuzzing of the webhook, through the ASGI app and the real database: no body
of any shape may get a 5xx, and every message it records must be processed.

Bounded (a few hundred examples, no deadline) so it runs in seconds in `make test`.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.test_webhook import PNID, inbound_rows, sandbox_business
from tests.whatsapp import settle, signed
from whsp_ai.db.database import Database

# Every character, surrogates and NUL included: json.dumps escapes them as Meta's JSON may.
ANY_CHAR = st.characters(exclude_categories=())
# What customers' phones and Meta's serializers have been seen to produce, mixed into the rest.
NASTY = ["", "\x00", "a\x00b", "\ud83d", "\udc00x", "😀", "x" * 600, "9" * 70, " "]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=12))
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
TYPES = st.sampled_from(
    ["text", "interactive", "button", "image", "reaction", "revoke", "edit", "system", "order"]
)
# Mostly plausible ids and senders, so most messages get as far as the database.
ID = st.one_of(st.integers(0, 10**9).map(lambda n: f"wamid.HBgN{n}"), JSON)
SENDER = st.one_of(st.integers(5215500000000, 5215500000099).map(str), st.booleans(), JSON)


@st.composite
def messages(draw: st.DrawFn) -> Any:
    message: dict[str, Any] = {"id": draw(ID), "from": draw(SENDER), "timestamp": "1764151200"}
    message["type"] = draw(st.one_of(TYPES, JSON))
    message["text"] = draw(st.one_of(st.fixed_dictionaries({"body": TEXT}), JSON))
    message["interactive"] = draw(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "type": st.just("button_reply"),
                    "button_reply": st.fixed_dictionaries({"id": TEXT, "title": TEXT}),
                }
            ),
            JSON,
        )
    )
    message.update(draw(st.dictionaries(TEXT, JSON, max_size=2)))
    drop = draw(st.sets(st.sampled_from(sorted(message)), max_size=2))
    return draw(st.one_of(st.just({k: v for k, v in message.items() if k not in drop}), JSON))


@st.composite
def payloads(draw: st.DrawFn) -> Any:
    batch = draw(st.lists(messages(), max_size=4))
    contacts = [
        {"profile": {"name": draw(st.one_of(TEXT, JSON))}, "wa_id": m.get("from")}
        for m in batch
        if isinstance(m, dict)
    ]
    status = st.fixed_dictionaries(
        {"id": ID, "status": st.one_of(st.sampled_from(["sent", "read", "failed"]), JSON)},
        optional={
            "errors": st.lists(
                st.fixed_dictionaries({"code": st.integers()}, optional={"title": JSON}), max_size=2
            )
        },
    )
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550000000", "phone_number_id": PNID},
        "contacts": draw(st.one_of(st.just(contacts), JSON)),
        "messages": batch,
        "statuses": draw(st.lists(status, max_size=2)),
        "errors": draw(st.one_of(st.just([]), JSON)),
    }
    value.update(draw(st.dictionaries(TEXT, JSON, max_size=1)))
    change = {"field": draw(st.one_of(st.just("messages"), TEXT)), "value": value}
    entry = {"id": draw(st.one_of(st.just("1"), JSON)), "changes": [change]}
    envelope = {"object": "whatsapp_business_account", "entry": [entry]}
    return draw(st.one_of(st.just(envelope), st.just(envelope), JSON))


FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,  # the same examples on every machine; no state left in the repo
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def _post(service: httpx.AsyncClient, db: Database, payload: Any) -> httpx.Response:
    if not await _has_business(db):  # hypothesis calls the test many times per fixture
        await sandbox_business(db)
    body, headers = signed(json.dumps(payload).encode())
    return await service.post("/webhook", content=body, headers=headers)


@FUZZ
@given(payload=payloads())
async def test_no_payload_gets_a_5xx(
    service: httpx.AsyncClient, db: Database, payload: Any
) -> None:
    response = await _post(service, db, payload)
    assert response.status_code in (200, 400, 422), response.text


@settings(FUZZ, max_examples=80)
@given(
    body=st.binary(max_size=200)
    | st.text(ANY_CHAR).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
async def test_no_bytes_get_a_5xx(service: httpx.AsyncClient, body: bytes) -> None:
    _, headers = signed(body)
    response = await service.post("/webhook", content=body, headers=headers)
    assert response.status_code in (200, 400, 422), response.text


@settings(FUZZ, max_examples=25)
@given(payload=payloads())
async def test_every_fuzzed_message_recorded_is_processed(
    service: httpx.AsyncClient, db: Database, payload: Any
) -> None:
    """The worker side: what the webhook accepted, a job takes to the end without failing."""
    assert (await _post(service, db, payload)).status_code < 500
    await settle()
    assert {r.status for r in await inbound_rows(db)} <= {"processed"}


async def _has_business(db: Database) -> bool:
    async with db.pool.connection() as conn:
        row = await (await conn.execute("SELECT count(*) AS n FROM businesses")).fetchone()
    return bool(row and row["n"])
