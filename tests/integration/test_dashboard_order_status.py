"""Order statuses changed on the dashboard: the customer told, impossible changes refused."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from tests.dashboard import login, seed_order
from tests.factories import make_business
from whsp_ai.db.database import Database

HX = {"HX-Request": "true"}
WA = "5215500000001"


@pytest.fixture
async def shop(db: Database) -> tuple[int, str]:
    made = await make_business(db, 1)
    assert made.api_key
    return made.business_id, made.api_key


async def order_status(db: Database, order_id: int) -> str:
    async with db.session() as session:
        return str(
            (
                await session.execute(
                    text("SELECT status FROM orders WHERE id = :o"), {"o": order_id}
                )
            ).scalar_one()
        )


async def told(db: Database) -> list[str]:
    async with db.session() as session:
        rows = await session.execute(
            text("SELECT payload FROM outbound_messages WHERE to_wa_id = :w ORDER BY id"),
            {"w": WA},
        )
        return [str(p) for (p,) in rows.all()]


async def test_an_order_moves_along_and_the_customer_is_told(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    order_id = await seed_order(db, business_id, wa_id=WA)
    csrf = await login(service, key)
    url = f"/dashboard/orders/{order_id}"
    page = await service.get(url)
    for wanted in ("paid", "shipped", "delivered", "cancelled"):
        assert f'value="{wanted}"' in page.text, wanted
    paid = await service.post(
        f"{url}/status", data={"status": "paid", "csrf_token": csrf}, headers=HX
    )
    assert paid.status_code == 200 and "customer is told" in paid.text
    assert 'value="paid"' not in paid.text and 'value="shipped"' in paid.text
    assert await order_status(db, order_id) == "paid"
    assert len(await told(db)) == 1
    back = await service.post(f"{url}/status", data={"status": "pending", "csrf_token": csrf})
    assert back.status_code == 409 and "Not changed" in back.text
    assert await order_status(db, order_id) == "paid" and len(await told(db)) == 1
    junk = await service.post(
        f"{url}/status", data={"status": "lost", "csrf_token": csrf}, headers=HX
    )
    assert junk.status_code == 200 and "Not changed" in junk.text
    done = await service.post(f"{url}/status", data={"status": "delivered", "csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == url
    assert await order_status(db, order_id) == "delivered" and len(await told(db)) == 2
    final = await service.get(url)
    assert 'name="status"' not in final.text  # delivered is final: no buttons
    late = await service.post(f"{url}/status", data={"status": "cancelled", "csrf_token": csrf})
    assert late.status_code == 409 and await order_status(db, order_id) == "delivered"
    listed = await service.get("/dashboard/orders?status=delivered")
    assert f'href="/dashboard/orders/{order_id}"' in listed.text


async def test_cancelling_puts_the_stock_back(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    order_id = await seed_order(db, business_id, wa_id=WA)
    async with db.session() as session:
        await session.execute(
            text(
                "UPDATE order_items SET product_id = (SELECT id FROM products"
                " WHERE sku = 'PAN-INT-500') WHERE order_id = :o"
            ),
            {"o": order_id},
        )
    csrf = await login(service, key)
    response = await service.post(
        f"/dashboard/orders/{order_id}/status", data={"status": "cancelled", "csrf_token": csrf}
    )
    assert response.status_code == 303
    assert await order_status(db, order_id) == "cancelled"
    async with db.session() as session:
        stock = (
            await session.execute(text("SELECT stock FROM products WHERE sku = 'PAN-INT-500'"))
        ).scalar_one()
    assert stock == 22  # 20 + the order's 2
