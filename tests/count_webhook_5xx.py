"""Count the webhook's 5xx answers over the corpus, the poison batches, the bad bodies and
the fuzzers' examples: `python -m tests.count_webhook_5xx`. Prints one JSON object.

Run it against other code (the commit before a fix) with that code's src first on
PYTHONPATH; the cases come from this tree's tests, so both runs face the same requests.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg
from asgi_lifespan import LifespanManager
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from tests.conftest import TEST_DATA_DIR
from tests.factories import make_business
from tests.integration import test_webhook_fuzz as fuzz
from tests.integration import test_webhook_poison as poison
from tests.integration.test_webhook import PNID
from tests.whatsapp import APP_SECRET, VERIFY_TOKEN, signed
from whsp_ai.db.embedded import EmbeddedPostgres
from whsp_ai.settings import Settings

CORPUS = Path(__file__).resolve().parent / "fixtures" / "whatsapp"


def poison_cases() -> dict[str, Any]:
    cases: dict[str, Any] = {}
    for name, fields in poison.UNRECORDABLE.items():
        odd = poison._message(**fields)
        if odd["from"] is None:
            del odd["from"]
        cases[name] = poison._batch(odd)
    cases["NUL in profile name"] = poison._batch(poison._message(), odd_name="Ana\x00")
    cases["NUL in a key"] = poison._batch(poison._message(**{"x\x00": {"k\x00": "v\x00"}}))
    cases["lone surrogate in text"] = poison._batch(poison._message(text={"body": "pan \ud83d"}))
    cases["lone surrogate in a key"] = poison._batch(poison._message(**{"\udc00": 1}))
    status = poison._batch(poison._message())
    status["entry"][0]["changes"][0]["value"]["statuses"] = [
        {"id": "wamid.x", "status": "failed", "errors": [{"code": 2**40}]}
    ]
    cases["status error code 2^40"] = status
    return cases


def raw_cases() -> dict[str, bytes]:
    cases = {}
    for levels in (500, 1000, 5000):
        cases[f"{levels} levels"] = (
            b'{"object": "whatsapp_business_account", "entry": '
            + b"[" * levels
            + b"]" * levels
            + b"}"
        )
    cases["NaN"] = b'{"object": NaN}'
    cases["5000 digits"] = b'{"n": ' + b"9" * 5000 + b"}"
    return cases


async def main() -> dict[str, Any]:
    server = EmbeddedPostgres(TEST_DATA_DIR)
    server.start()
    name = f"count_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    statuses: dict[str, Counter[int]] = {}
    try:
        from whsp_ai.api.app import create_app

        base = Settings(DATABASE_URL=server.url(name), WHSP_DATA_DIR=TEST_DATA_DIR)
        configured = base.model_copy(
            update={"whatsapp_app_secret": APP_SECRET, "whatsapp_verify_token": VERIFY_TOKEN}
        )
        app = create_app(configured, workers=False)
        async with LifespanManager(app) as manager:
            await make_business(app.state.db, whatsapp={"phone_number_id": PNID})
            transport = httpx.ASGITransport(app=manager.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:

                async def post(group: str, payload: Any) -> None:
                    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                    body, headers = signed(raw)
                    try:
                        response = await client.post("/webhook", content=body, headers=headers)
                        code = response.status_code
                    except Exception:  # the app died mid-response: count it as the 500 it was
                        code = 500
                    statuses.setdefault(group, Counter())[code] += 1

                for path in sorted(CORPUS.glob("*.json")):
                    await post("corpus", json.loads(path.read_text()))
                for payload in poison_cases().values():
                    await post("poison", payload)
                for raw in raw_cases().values():
                    await post("bad bodies", raw)
                await _fuzz(post)
    finally:
        with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    total = sum((c for c in statuses.values()), Counter())
    return {
        "requests": sum(total.values()),
        "5xx": sum(n for code, n in total.items() if code >= 500),
        "by_group": {g: {str(k): v for k, v in sorted(c.items())} for g, c in statuses.items()},
    }


async def _fuzz(post: Any) -> None:
    """The fuzzers' strategies, examples drawn in a worker thread (hypothesis is sync)."""
    examples: list[tuple[str, Any]] = []

    quiet = settings(
        max_examples=300,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )

    @quiet
    @given(payload=fuzz.payloads())
    def payloads(payload: Any) -> None:
        examples.append(("fuzz payloads", payload))

    @settings(quiet, max_examples=100)
    @given(body=st.binary(max_size=200))
    def blobs(body: bytes) -> None:
        examples.append(("fuzz bytes", body))

    await asyncio.to_thread(payloads)
    await asyncio.to_thread(blobs)
    for group, example in examples:
        await post(group, example)


if __name__ == "__main__":
    result = asyncio.run(main())
    json.dump(result, sys.stdout, indent=2)
    print()
