"""Dashboard security: CSRF on every change, tenant isolation on every route, escaping."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import text

from tests.dashboard import login, seed_approval, seed_order
from tests.factories import make_business
from whsp_ai import dashboard
from whsp_ai.db.database import Database

XSS = "<script>alert(1)</script>"
HX = {"HX-Request": "true"}


@pytest.fixture
async def two(db: Database) -> dict[str, object]:
    """Two businesses, each with an order, a pending approval and its products."""
    a = await make_business(db, 1)
    b = await make_business(db, 2)
    ids: dict[str, object] = {"a_key": a.api_key, "b_key": b.api_key}
    for name, made in (("a", a), ("b", b)):
        ids[f"{name}_order"] = await seed_order(db, made.business_id)
        ids[f"{name}_approval"] = await seed_approval(db, made.business_id, query="bolillo")
        async with db.session() as session:
            ids[f"{name}_product"] = (
                await session.execute(
                    text("SELECT id FROM products WHERE business_id = :b AND sku = 'CONCHA'"),
                    {"b": made.business_id},
                )
            ).scalar_one()
    return ids


def dashboard_posts() -> list[str]:
    return sorted(
        f"{dashboard.PREFIX}{route.path}"
        for module in dashboard.MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute) and "POST" in route.methods
    )


async def state(db: Database) -> tuple[object, ...]:
    """Everything a dashboard POST could change, to compare before and after."""
    async with db.session() as session:
        rows = await session.execute(
            text(
                "SELECT (SELECT json_agg(a ORDER BY id) FROM (SELECT id, status FROM approvals) a),"
                " (SELECT json_agg(p ORDER BY id) FROM (SELECT id, sku, price, stock, status"
                "   FROM products) p),"
                " (SELECT json_agg(o ORDER BY id) FROM (SELECT id, status FROM orders) o),"
                " (SELECT json_agg(b ORDER BY id) FROM (SELECT id, persona, payment_methods,"
                "   delivery_fee, updated_at FROM businesses) b)"
            )
        )
        return tuple(rows.one())


async def test_every_post_without_a_valid_csrf_token_is_403_and_changes_nothing(
    service: httpx.AsyncClient, db: Database, two: dict[str, object]
) -> None:
    paths = dashboard_posts()
    assert {"/dashboard/logout", "/dashboard/agent", "/dashboard/products"} <= set(paths)
    await login(service, str(two["a_key"]))
    before = await state(db)
    form = {
        "decision": "reject",
        "price": "1",
        "stock": "1",
        "status": "rejected",
        "sku": "NEW",
        "name": "New",
        "agent_name": "X",
        "payment_methods": "cash",
    }
    for path in paths:
        if path == "/dashboard/login":
            continue
        url = (
            path.replace("{approval_id}", str(two["a_approval"]))
            .replace("{product_id}", str(two["a_product"]))
            .replace("{order_id}", str(two["a_order"]))
            .replace("{wa_id}", "5215500000001")  # seed_order's customer
        )
        assert "{" not in url, f"add {path}'s id to this test"
        for token in (None, "", "0" * 64, "not-a-token"):
            data = form if token is None else {**form, "csrf_token": token}
            response = await service.post(url, data=data)
            assert response.status_code == 403, (url, token, response.status_code)
            htmx = await service.post(url, data=form, headers={**HX, "X-CSRF-Token": "x"})
            assert htmx.status_code == 403, url
    assert await state(db) == before
    assert (await service.get("/dashboard/orders")).status_code == 200  # still logged in


async def test_another_business_s_objects_are_404_on_every_route(
    service: httpx.AsyncClient, db: Database, two: dict[str, object]
) -> None:
    csrf = await login(service, str(two["a_key"]))
    before = await state(db)
    gets = [f"/dashboard/orders/{two['b_order']}"]
    posts = {
        f"/dashboard/approvals/{two['b_approval']}": {"decision": "reject"},
        f"/dashboard/orders/{two['b_order']}/status": {"status": "cancelled"},
        f"/dashboard/products/{two['b_product']}": {
            "price": "1",
            "stock": "1",
            "status": "rejected",
        },
    }
    for url in gets:
        assert (await service.get(url)).status_code == 404, url
    for url, data in posts.items():
        response = await service.post(url, data={**data, "csrf_token": csrf})
        assert response.status_code == 404, url
        assert (
            await service.post(url, data=data, headers={**HX, "X-CSRF-Token": csrf})
        ).status_code == 404
    assert await state(db) == before
    # and the lists show this business's rows alone
    orders = await service.get("/dashboard/orders")
    assert f"/dashboard/orders/{two['a_order']}" in orders.text
    assert f"/dashboard/orders/{two['b_order']}" not in orders.text
    approvals = await service.get("/dashboard/approvals")
    assert f'id="approval-{two["a_approval"]}"' in approvals.text
    assert f'id="approval-{two["b_approval"]}"' not in approvals.text
    products = await service.get("/dashboard/products")
    assert f'id="product-{two["a_product"]}"' in products.text
    assert f'id="product-{two["b_product"]}"' not in products.text
    exported = (await service.get("/dashboard/products.csv")).text
    assert exported.count("CONCHA") == 1
    # the CSV import and the agent page write to the session's business alone
    upload = {"file": ("p.csv", b"sku,name,price\nCONCHA,Concha,99\n", "text/csv")}
    imported = await service.post(
        "/dashboard/products/import", data={"csrf_token": csrf}, files=upload
    )
    assert imported.status_code == 200
    async with db.session() as session:
        prices = dict(
            (
                await session.execute(
                    text("SELECT business_id, price FROM products WHERE sku = 'CONCHA'")
                )
            ).all()
        )
    assert sorted(float(p) for p in prices.values()) == [12.5, 99.0]


async def test_what_customers_wrote_is_escaped(
    service: httpx.AsyncClient, db: Database, two: dict[str, object]
) -> None:
    async with db.session() as session:
        business_id = (
            await session.execute(text("SELECT id FROM businesses WHERE slug = 'panaderia-rosa'"))
        ).scalar_one()
    order_id = await seed_order(
        db, business_id, wa_id="5215500000099", profile_name=XSS, address=f"{XSS} Calle 1"
    )
    await seed_approval(
        db,
        business_id,
        query=f"quiero {XSS}",
        wa_id="5215500000098",
        profile_name='"><img src=x onerror=alert(2)>',
    )
    async with db.session() as session:
        await session.execute(
            text("UPDATE products SET name = :n WHERE business_id = :b AND sku = 'CONCHA'"),
            {"n": f"Concha {XSS}", "b": business_id},
        )
    await login(service, str(two["a_key"]))
    for url in (
        "/dashboard/orders",
        f"/dashboard/orders/{order_id}",
        "/dashboard/approvals",
        "/dashboard/products",
    ):
        page = await service.get(url)
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text, url
        assert "<img src=x" not in page.text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, url
    assert re.search(
        r"&#34;&gt;&lt;img src=x onerror=alert\(2\)&gt;",
        (await service.get("/dashboard/approvals")).text,
    )


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/dashboard/login", "application/json", b'{"api_key": "x"}'),
        ("/dashboard/login", "multipart/form-data; boundary=zz", b"--zz\r\ngarbage"),
        ("/dashboard/products/import", "multipart/form-data; boundary=zz", b"--zz\r\nnope"),
        ("/dashboard/agent", "application/x-www-form-urlencoded", b"\xff\xfe=%00&a=%ZZ"),
        ("/dashboard/approvals/1", "text/plain", b"\x00" * 100),
    ],
)
async def test_malformed_posts_get_a_4xx_never_a_500(
    service: httpx.AsyncClient,
    db: Database,
    two: dict[str, object],
    path: str,
    content_type: str,
    body: bytes,
) -> None:
    csrf = await login(service, str(two["a_key"]))
    before = await state(db)
    for headers in ({}, {"X-CSRF-Token": csrf}):
        response = await service.post(
            path, content=body, headers={"Content-Type": content_type, **headers}
        )
        assert 400 <= response.status_code < 500 or (
            path == "/dashboard/login" and response.status_code == 200
        ), (path, response.status_code, response.text[:200])
    assert await state(db) == before


async def test_redirects_stay_on_the_dashboard(
    service: httpx.AsyncClient, db: Database, two: dict[str, object]
) -> None:
    csrf = await login(service, str(two["a_key"]))
    url = f"/dashboard/products/{two['a_product']}"
    form = {"price": "20", "stock": "4", "status": "confirmed", "csrf_token": csrf}
    for referer, back in (
        ("http://test/dashboard/products?q=pan&page=2", "/dashboard/products?q=pan&page=2"),
        ("https://evil.example/dashboard/products?q=x", "/dashboard/products"),
        ("http://test/dashboard/agent", "/dashboard/products"),
        ("", "/dashboard/products"),
    ):
        response = await service.post(url, data=form, headers={"Referer": referer})
        assert response.status_code == 303 and response.headers["location"] == back, referer


async def test_bodies_are_not_read_without_a_session_nor_when_too_large(
    service: httpx.AsyncClient, db: Database, two: dict[str, object]
) -> None:
    big = {"Content-Type": "multipart/form-data; boundary=zz", "Content-Length": "999999999"}
    anonymous = await service.post("/dashboard/products/import", content=b"--zz", headers=big)
    assert anonymous.status_code == 403
    await login(service, str(two["a_key"]))
    too_large = await service.post("/dashboard/products/import", content=b"--zz", headers=big)
    assert too_large.status_code == 413


async def test_kept_messages_are_shown_escaped_and_only_the_business_s_own(
    service: httpx.AsyncClient, db: Database, two: dict[str, object]
) -> None:
    async with db.session() as session:
        for slug, words in (
            ("panaderia-rosa", f"Tu pedido {XSS} va en camino"),
            ("negocio-2", "ajeno"),
        ):
            await session.execute(
                text(
                    "INSERT INTO outbound_messages"
                    " (business_id, to_wa_id, payload, status, attempts)"
                    " SELECT id, '5215500000001', jsonb_build_object('type', 'text', 'text',"
                    " jsonb_build_object('body', CAST(:w AS text))), 'held', 0"
                    " FROM businesses WHERE slug = :s"
                ),
                {"w": words, "s": slug},
            )
    await login(service, str(two["a_key"]))
    home = await service.get("/dashboard/")
    assert "Kept messages" in home.text and "va en camino" in home.text
    assert "ajeno" not in home.text
    assert "<script>alert" not in home.text and "&lt;script&gt;" in home.text
