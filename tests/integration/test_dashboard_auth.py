"""The dashboard's log-in, session cookie, log-out, expiry and CSRF refusal (CONTRACT §7)."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from whsp_ai.dashboard.session import COOKIE
from whsp_ai.db.database import Database


@pytest.fixture
async def keys(db: Database) -> tuple[str, str]:
    a = await make_business(db, 1)
    b = await make_business(db, 2)
    assert a.api_key and b.api_key
    return a.api_key, b.api_key


async def test_pages_need_a_session(service: httpx.AsyncClient, keys: tuple[str, str]) -> None:
    for path in ("/dashboard/approvals", "/dashboard/orders/1", "/dashboard/products.csv"):
        response = await service.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/dashboard/login"
    front = await service.get("/dashboard/")  # the owners' page: the log-in form, at once
    assert front.status_code == 200 and 'action="/dashboard/login"' in front.text
    assert 'href="/dashboard/approvals"' not in front.text
    htmx = await service.get("/dashboard/approvals", headers={"HX-Request": "true"})
    assert htmx.headers["hx-redirect"] == "/dashboard/login"
    page = await service.get("/dashboard/login")
    assert page.status_code == 200 and 'name="api_key"' in page.text


async def test_login_sets_a_signed_httponly_lax_cookie(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    response = await service.post("/dashboard/login", data={"api_key": keys[0]})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    lowered = cookie.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "path=/dashboard" in lowered
    assert "max-age=43200" in lowered  # 12 hours
    assert "secure" not in lowered  # plain http here
    home = await service.get("/dashboard/")
    assert home.status_code == 200 and "Panadería Rosa" in home.text
    assert 'href="/dashboard/approvals"' in home.text


async def test_cookie_is_secure_behind_an_https_proxy(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    response = await service.post(
        "/dashboard/login", data={"api_key": keys[0]}, headers={"X-Forwarded-Proto": "https"}
    )
    assert "; secure" in response.headers["set-cookie"].lower()


async def test_wrong_key_shows_the_login_page_with_an_error(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    for key in ("whsp_wrong", "", "x" * 5000, "\x00nul"):
        response = await service.post("/dashboard/login", data={"api_key": key})
        assert response.status_code == 200
        assert "not valid" in response.text and 'name="api_key"' in response.text
        assert "set-cookie" not in response.headers
    assert (await service.get("/dashboard/orders")).status_code == 303


async def test_login_posted_from_another_site_is_refused(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    response = await service.post(
        "/dashboard/login", data={"api_key": keys[0]}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403 and "set-cookie" not in response.headers
    same = await service.post(
        "/dashboard/login", data={"api_key": keys[0]}, headers={"Origin": "http://test"}
    )
    assert same.status_code == 303


async def test_logout_ends_the_session(service: httpx.AsyncClient, keys: tuple[str, str]) -> None:
    csrf = await login(service, keys[0])
    refused = await service.post("/dashboard/logout")  # no token: 403, still logged in
    assert refused.status_code == 403
    assert (await service.get("/dashboard/orders")).status_code == 200
    out = await service.post("/dashboard/logout", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/dashboard/login"
    assert (await service.get("/dashboard/orders")).status_code == 303


async def test_a_session_expires(
    service: httpx.AsyncClient, keys: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    await login(service, keys[0])
    assert (await service.get("/dashboard/orders")).status_code == 200
    later = time.time() + 12 * 3600 + 5
    monkeypatch.setattr(time, "time", lambda: later)  # itsdangerous reads the clock here
    assert (await service.get("/dashboard/orders")).status_code == 303


async def test_a_forged_or_foreign_cookie_is_no_session(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    await login(service, keys[0])
    real = service.cookies.get(COOKIE)
    assert real
    service.cookies.set(COOKIE, real[:-2] + ("A" if real[-2] != "A" else "B") + real[-1:])
    assert (await service.get("/dashboard/orders")).status_code == 303


async def test_csrf_token_is_bound_to_the_session(
    service: httpx.AsyncClient, keys: tuple[str, str]
) -> None:
    first = await login(service, keys[0])
    service.cookies.clear()
    second = await login(service, keys[1])
    assert first != second
    # the other session's token does not work in this one
    assert (await service.post("/dashboard/logout", data={"csrf_token": first})).status_code == 403
    ok = await service.post("/dashboard/logout", headers={"X-CSRF-Token": second})
    assert ok.status_code == 303


async def test_rotating_the_key_ends_its_sessions(
    service: httpx.AsyncClient, db: Database, keys: tuple[str, str]
) -> None:
    await login(service, keys[0])
    async with db.session() as session:
        await session.execute(
            text("UPDATE businesses SET api_key_hash = 'rotated' WHERE slug = 'panaderia-rosa'")
        )
    assert (await service.get("/dashboard/orders")).status_code == 303


async def test_static_assets_are_served_by_the_app(service: httpx.AsyncClient) -> None:
    page = await service.get("/dashboard/login")
    for asset in ("/dashboard/static/htmx-2.0.11.min.js", "/dashboard/static/dashboard.css"):
        assert f'"{asset}"' in page.text
        response = await service.get(asset)
        assert response.status_code == 200 and len(response.content) > 1000
    assert "http://" not in page.text and "https://" not in page.text  # nothing from outside
