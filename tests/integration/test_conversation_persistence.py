"""Conversations survive restarts, and the same customer has one cart per business."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conversation import Customer, demo_ids
from whsp_ai.db.database import Database
from whsp_ai.graph.engine import Engine

WHSP = str(Path(sys.executable).with_name("whsp-ai"))


async def test_same_customer_two_businesses_two_carts(db: Database, engine: Engine) -> None:
    ids = await demo_ids(db)
    at_store = Customer(engine, db, ids["ferreteria-don-pepe"], wa_id="5215577778888")
    at_tea = Customer(engine, db, ids["tea-and-kettle"], wa_id="5215577778888")
    await at_store.say("agrega 2 martillos")
    await at_tea.say("add 1 sencha")
    assert await at_store.cart() == {"HER-MAR-16OZ": 2}
    assert await at_tea.cart() == {"GRN-SEN-100": 1}
    await at_tea.say("checkout")
    # the store's conversation is not in the tea shop's checkout
    assert "dirección" not in await at_store.say("sí")


async def test_checkout_resumes_in_a_new_process(
    db: Database, engine: Engine, cli_env: dict[str, str]
) -> None:
    ids = await demo_ids(db)
    wa = "5215566667777"
    first = subprocess.run(
        [WHSP, "chat", "ferreteria-don-pepe", "--customer", wa],
        input="agrega 1 martillo\nquiero pagar\nsí\n/quit\n",
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    assert "dirección" in first.stdout
    # This process is the "restarted" one: same database, state from the checkpoint.
    customer = Customer(engine, db, ids["ferreteria-don-pepe"], wa_id=wa)
    assert "pagar" in (await customer.say("Insurgentes Sur 1000, Col. Del Valle")).lower()
    await customer.say("transferencia")
    assert "confirmado" in await customer.say("sí")
    [(order, items)] = await customer.orders()
    assert order.payment_method == "transferencia" and items[0].sku == "HER-MAR-16OZ"
