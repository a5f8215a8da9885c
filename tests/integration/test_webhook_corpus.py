"""Every payload shape Meta documents, as Meta would send it: each is answered 200, each
customer message gets exactly one reply, and reactions, deletions, edits and system
notices are recorded without one. The corpus lives in tests/fixtures/whatsapp/."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.integration.test_webhook import inbound_rows, outbound_rows, sandbox_business
from tests.whatsapp import settle, signed
from whsp_ai.db.database import Database

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "whatsapp"

# file -> (messages recorded, messages answered); the rest of the recorded are silent ones.
EXPECTED: dict[str, tuple[int, int]] = {
    "text": (1, 1),
    "text_quote_reply": (1, 1),
    "text_forwarded": (1, 1),
    "text_frequently_forwarded": (1, 1),
    "text_referral_ad": (1, 1),
    "interactive_button_reply": (1, 1),
    "interactive_list_reply": (1, 1),
    "interactive_with_value_errors": (1, 1),
    "interactive_flow_nfm_reply": (1, 1),
    "button_template_quick_reply": (1, 1),
    "image": (1, 1),
    "audio_voice": (1, 1),
    "video": (1, 1),
    "document": (1, 1),
    "sticker": (1, 1),
    "location": (1, 1),
    "contacts": (1, 1),
    "order": (1, 1),
    "unsupported_with_errors": (1, 1),
    "unknown_with_errors": (1, 1),
    "reaction": (1, 0),
    "unreaction_empty_emoji": (1, 0),
    "unreaction_no_emoji": (1, 0),
    "revoke": (1, 0),
    "edit_text": (1, 0),
    "edit_caption": (1, 0),
    "system_user_changed_number": (1, 0),
    "system_identity_changed": (1, 0),
    "system_user_changed_user_id": (0, 0),  # no `from`: nobody to record it under
    "status_sent": (0, 0),
    "status_delivered": (0, 0),
    "status_read": (0, 0),
    "status_failed": (0, 0),
    "status_with_biz_opaque_callback_data": (0, 0),
    "value_errors_only": (0, 0),
    "account_update_restriction": (0, 0),
    "account_update_violation": (0, 0),
    "message_template_status_update": (0, 0),
    "phone_number_quality_update": (0, 0),
    "business_capability_update": (0, 0),
    "user_preferences_marketing_stop": (0, 0),
    "batch_three_customers": (3, 3),
    "batch_one_customer_two_messages": (2, 2),
    "batch_mixed_types_and_statuses": (5, 3),
    "batch_two_entries_and_an_account_update": (2, 2),
}


def _message_ids(payload: dict[str, object]) -> list[str]:
    ids = []
    for entry in payload["entry"]:  # type: ignore[attr-defined]
        for change in entry["changes"]:
            for message in change["value"].get("messages", []):
                ids.append(message["id"])
    return ids


def test_the_corpus_and_the_table_name_the_same_payloads() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.json")) == sorted(EXPECTED)


async def test_every_payload_is_acknowledged_and_answered_once(
    service: httpx.AsyncClient, db: Database
) -> None:
    await sandbox_business(db)
    payloads = {p.stem: json.loads(p.read_text()) for p in sorted(CORPUS.glob("*.json"))}
    for _ in range(2):  # Meta redelivers: the second time changes nothing
        for name, payload in payloads.items():
            body, headers = signed(payload)
            response = await service.post("/webhook", content=body, headers=headers)
            assert response.status_code == 200, (name, response.text)
        await settle()

    inbound = {r.wa_message_id: r for r in await inbound_rows(db)}
    outbound = await outbound_rows(db)
    problems = []
    for name, payload in payloads.items():
        rows = [inbound[i] for i in _message_ids(payload) if i in inbound]
        answered = []
        for row in rows:
            replies = [
                m for m in outbound if m.inbound_message_id == row.id and m.payload.get("type")
            ]
            receipts = [m for m in outbound if m.payload.get("message_id") == row.wa_message_id]
            if row.status != "processed":
                problems.append(f"{name}: {row.type} left {row.status}")
            if replies:
                answered.append(row)
                turns = {m.dedupe_key.rsplit(":", 1)[0] for m in replies if m.dedupe_key}
                if len(turns) != 1 or len(replies) != 1:
                    problems.append(f"{name}: {row.type} got {len(replies)} replies")
            elif receipts:
                problems.append(f"{name}: {row.type} marked read but never answered")
        if (len(rows), len(answered)) != EXPECTED[name]:
            problems.append(f"{name}: recorded, answered = {len(rows), len(answered)}")
    assert problems == []


async def test_silent_types_are_recorded_with_what_they_say(
    service: httpx.AsyncClient, db: Database
) -> None:
    """A reaction or an edit is not answered, but it is kept: the dashboard shows it."""
    await sandbox_business(db)
    for name in ("reaction", "edit_text", "revoke"):
        body, headers = signed(json.loads((CORPUS / f"{name}.json").read_text()))
        assert (await service.post("/webhook", content=body, headers=headers)).status_code == 200
    await settle()
    rows = {r.type: r for r in await inbound_rows(db)}
    assert rows["reaction"].payload["reaction"]["emoji"] == "👍"
    assert rows["edit"].payload["edit"]["message"]["text"]["body"] == "quiero 3 conchas"
    assert rows["revoke"].payload["revoke"]["original_message_id"].startswith("wamid.")
    assert {r.status for r in rows.values()} == {"processed"}
    assert await outbound_rows(db) == []  # no reply, and no blue ticks either
