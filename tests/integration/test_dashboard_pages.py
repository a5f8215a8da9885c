"""The dashboard's pages: approvals, orders, products and the agent, through HTTP."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import col, select

from tests.dashboard import csrf_of, login, seed_approval, seed_order
from tests.factories import make_business
from tests.whatsapp import Phone
from whsp_ai.dashboard.pages import PAGES
from whsp_ai.db.database import Database
from whsp_ai.db.models import Approval, Business, Product

PNID = "110000000000001"
CUSTOMER = "5215512340001"
HX = {"HX-Request": "true"}


@pytest.fixture
async def shop(db: Database) -> tuple[int, str]:
    made = await make_business(db, 1, whatsapp={"phone_number_id": PNID})
    assert made.api_key
    return made.business_id, made.api_key


async def product(db: Database, business_id: int, sku: str) -> Product:
    async with db.session() as session:
        return (
            await session.execute(
                select(Product).where(
                    col(Product.business_id) == business_id, col(Product.sku) == sku
                )
            )
        ).scalar_one()


async def approval_status(db: Database, approval_id: int) -> str:
    async with db.session() as session:
        found = await session.get(Approval, approval_id)
        assert found is not None
        return found.status


async def test_home_links_to_every_page(service: httpx.AsyncClient, shop: tuple[int, str]) -> None:
    await login(service, shop[1])
    home = await service.get("/dashboard/")
    for entry in PAGES:
        assert f'href="{entry.path}"' in home.text
        assert (await service.get(entry.path)).status_code == 200, entry.path


async def test_an_approval_confirmed_on_the_dashboard_reaches_the_customer(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("quiero 2 pasteles tres leches")
    csrf = await login(service, key)
    listing = await service.get("/dashboard/approvals")
    assert "Pastel tres leches" in listing.text
    approval_id = int(re.search(r'id="approval-(\d+)"', listing.text).group(1))  # type: ignore[union-attr]
    url = f"/dashboard/approvals/{approval_id}"
    refused = await service.post(url, data={"decision": "confirm", "price": "300"})
    assert refused.status_code == 403
    assert await approval_status(db, approval_id) == "pending"
    answered = await service.post(
        url,
        data={"decision": "confirm", "price": "1,300.50", "stock": "4", "csrf_token": csrf},
        headers=HX,
    )
    assert answered.status_code == 200 and "Confirmed" in answered.text
    assert await approval_status(db, approval_id) == "confirmed"
    cake = await product(db, business_id, "PASTEL-3L")
    assert (cake.price, cake.stock, cake.status) == (1300.5, 4, "confirmed")
    told = await phone.replies()
    assert any("Pastel tres leches" in r.get("text", "") for r in told), told
    again = await service.post(url, data={"decision": "reject", "csrf_token": csrf}, headers=HX)
    assert "already answered" in again.text
    assert await approval_status(db, approval_id) == "confirmed"


async def test_a_new_product_needs_a_price_and_can_be_rejected(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    approval_id = await seed_approval(db, business_id, query="bolillo integral")
    csrf = await login(service, key)
    url = f"/dashboard/approvals/{approval_id}"
    for price in ("", "abc", "-3", "1.234"):
        bad = await service.post(
            url, data={"decision": "confirm", "price": price, "csrf_token": csrf}, headers=HX
        )
        assert bad.status_code == 200 and 'class="error"' in bad.text, price
        assert await approval_status(db, approval_id) == "pending"
    plain = await service.post(url, data={"decision": "confirm", "csrf_token": csrf})
    assert plain.status_code == 422 and "Enter a price" in plain.text
    rejected = await service.post(url, data={"decision": "reject", "csrf_token": csrf})
    assert rejected.status_code == 303
    assert await approval_status(db, approval_id) == "rejected"
    assert "bolillo" not in (await service.get("/dashboard/approvals")).text


async def test_orders_filter_paginate_and_detail(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    for n in range(27):
        await seed_order(db, business_id, status="paid" if n % 9 == 0 else "pending")
    await login(service, key)
    first = await service.get("/dashboard/orders")
    assert first.text.count('class="item"') == 25 and "Page 1 of 2" in first.text
    assert "#27" in first.text and "#1 " not in first.text  # newest first
    second = await service.get("/dashboard/orders?page=2")
    assert second.text.count('class="item"') == 2 and "#1 " in second.text
    paid = await service.get("/dashboard/orders?status=paid")
    assert paid.text.count('class="item"') == 3
    assert paid.text.count("status-paid") == 3 + 0
    junk = await service.get("/dashboard/orders?status=<x>&page=zz")
    assert junk.status_code == 200 and junk.text.count('class="item"') == 25
    order_id = int(re.search(r'href="/dashboard/orders/(\d+)"', first.text).group(1))  # type: ignore[union-attr]
    detail = await service.get(f"/dashboard/orders/{order_id}")
    assert detail.status_code == 200
    assert "Calle Roble 12" in detail.text and "Pan integral 500 g" in detail.text
    assert "$120.00 MXN" in detail.text
    for bad in ("abc", "0", "-1", "99999999999999999999", str(order_id + 1000)):
        assert (await service.get(f"/dashboard/orders/{bad}")).status_code == 404, bad


async def test_products_search_low_stock_and_edit_in_place(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    csrf = await login(service, key)
    everything = await service.get("/dashboard/products")
    assert everything.text.count('id="product-') == 3
    found = await service.get("/dashboard/products", params={"q": "concha"})
    assert found.text.count('id="product-') == 1 and 'class="tag low"' in found.text
    assert (await service.get("/dashboard/products", params={"q": "%"})).text.count(
        'id="product-'
    ) == 0
    for typed, found_sku in (
        ("conchas", "CONCHA"),
        ("PAN INTEGRAL", "PAN-INT-500"),
        ("tres-leches", "PASTEL-3L"),
        ("pastel leches", "PASTEL-3L"),
        ("int-5", "PAN-INT-500"),
        ("xyz", None),
        ("vainílla", "CONCHA"),
    ):
        hits = await service.get("/dashboard/products", params={"q": typed})
        skus = re.findall(r'<p class="muted">([A-Z0-9-]+)(?:</p>| ·)', hits.text)
        assert skus == ([found_sku] if found_sku else []), (typed, skus)
    low = await service.get("/dashboard/products?low=1")
    assert "Concha de vainilla" in low.text and "Pan integral" not in low.text
    concha = await product(db, business_id, "CONCHA")
    url = f"/dashboard/products/{concha.id}"
    assert (await service.post(url, data={"price": "1", "stock": "1"})).status_code == 403
    bad = await service.post(
        url,
        data={"price": "cheap", "stock": "-2", "status": "confirmed", "csrf_token": csrf},
        headers=HX,
    )
    assert bad.status_code == 200 and bad.text.count('class="error"') == 2
    unchanged = await product(db, business_id, "CONCHA")
    assert (unchanged.price, unchanged.stock) == (12.5, 3)
    ok = await service.post(
        url,
        data={"price": "14", "stock": "", "status": "unconfirmed", "csrf_token": csrf},
        headers=HX,
    )
    assert ok.status_code == 200 and "Saved." in ok.text and "tag low" not in ok.text
    changed = await product(db, business_id, "CONCHA")
    assert (changed.price, changed.stock, changed.status) == (14, None, "unconfirmed")


async def test_add_a_product_with_errors_next_to_the_fields(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    csrf = await login(service, key)
    bad = await service.post(
        "/dashboard/products",
        data={"sku": "a/b", "name": "", "price": "x", "stock": "lots", "csrf_token": csrf},
    )
    assert bad.status_code == 422
    for field in ("sku", "name", "price", "stock"):
        assert f'id="new-{field}-error"' in bad.text, field
    dupe = await service.post(
        "/dashboard/products",
        data={"sku": "CONCHA", "name": "Otra", "price": "5", "csrf_token": csrf},
    )
    assert dupe.status_code == 422 and "exists" in dupe.text
    made = await service.post(
        "/dashboard/products",
        data={
            "sku": "ROSCA",
            "name": "Rosca de reyes",
            "price": "350",
            "stock": "5",
            "aliases": "rosca, rosca grande",
            "csrf_token": csrf,
        },
    )
    assert made.status_code == 303
    rosca = await product(db, business_id, "ROSCA")
    assert rosca.aliases == ["rosca", "rosca grande"] and rosca.stock == 5


async def test_agent_settings_validate_and_apply_to_the_next_message(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    csrf = await login(service, key)
    form = await service.get("/dashboard/agent")
    assert "Rosa" in form.text and "efectivo" in form.text
    bad = await service.post(
        "/dashboard/agent",
        data={
            "agent_name": "",
            "tone": "amable",
            "greeting": "",
            "rules": "",
            "payment_methods": "",
            "delivery_fee": "abc",
            "free_delivery_over": "",
            "csrf_token": csrf,
        },
    )
    assert bad.status_code == 422
    for field in ("agent_name", "payment_methods", "delivery_fee"):
        assert f'id="f-{field}-error"' in bad.text, field
    async with db.session() as session:
        stored = await session.get(Business, business_id)
        assert stored is not None and stored.persona["agent_name"] == "Rosa"
        before = stored.updated_at
    phone = Phone(service, PNID, CUSTOMER)
    await phone.say("hola")  # caches the business profile in this process
    saved = await service.post(
        "/dashboard/agent",
        data={
            "agent_name": "Rosita",
            "tone": "formal",
            "greeting": "¡Buen día! Le atiende Rosita.",
            "rules": "Sin descuentos\n\nPasteles con 24 h",
            "payment_methods": "efectivo\ntarjeta",
            "delivery_fee": "25",
            "free_delivery_over": "",
            "csrf_token": csrf,
        },
    )
    assert saved.status_code == 303
    async with db.session() as session:
        stored = await session.get(Business, business_id)
        assert stored is not None
        assert stored.persona["rules"] == ["Sin descuentos", "Pasteles con 24 h"]
        assert stored.payment_methods == ["efectivo", "tarjeta"]
        assert stored.delivery_fee == 25 and stored.free_delivery_over is None
        assert before is not None and stored.updated_at and stored.updated_at > before
    other = Phone(service, PNID, "5215512340002")
    greeted = await other.say("hola")
    assert any("Le atiende Rosita" in r.get("text", "") for r in greeted), greeted
    assert "Saved" in (await service.get("/dashboard/agent?saved=1")).text
    assert csrf_of(await service.get("/dashboard/agent")) == csrf


async def test_times_are_shown_in_the_business_s_time_zone(
    service: httpx.AsyncClient, db: Database, shop: tuple[int, str]
) -> None:
    business_id, key = shop
    order_id = await seed_order(db, business_id)
    async with db.session() as session:
        await session.execute(
            text("UPDATE orders SET created_at = '2026-12-01 01:00+00' WHERE id = :o"),
            {"o": order_id},
        )
    await login(service, key)
    assert "2026-12-01 01:00" in (await service.get(f"/dashboard/orders/{order_id}")).text
    for zone, shown in (("America/Mexico_City", "2026-11-30 19:00"), ("Nowhere/Else", "01:00")):
        async with db.session() as session:
            await session.execute(
                text(
                    "UPDATE businesses SET info = jsonb_build_object('timezone', CAST(:z AS text))"
                ),
                {"z": zone},
            )
        assert shown in (await service.get(f"/dashboard/orders/{order_id}")).text, zone
