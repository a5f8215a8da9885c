"""Helpers for the dashboard's tests: log in, read the CSRF token off a page."""

from __future__ import annotations

import re

import httpx

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


async def login(client: httpx.AsyncClient, key: str) -> str:
    """Log in with the business's key; returns the session's CSRF token."""
    response = await client.post("/dashboard/login", data={"api_key": key})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard/"
    return csrf_of(await client.get("/dashboard/"))


def csrf_of(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    found = TOKEN.search(response.text)
    assert found, "no CSRF token on the page"
    return found.group(1)
