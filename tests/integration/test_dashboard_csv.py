"""The catalog's CSV export and import: all or nothing, errors naming row and field."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from sqlalchemy import text

from tests.dashboard import login
from tests.factories import make_business
from whsp_ai.db.database import Database


@pytest.fixture
async def session_csrf(service: httpx.AsyncClient, db: Database) -> str:
    made = await make_business(db, 1)
    assert made.api_key
    return await login(service, made.api_key)


async def catalog(db: Database) -> dict[str, tuple[object, ...]]:
    async with db.session() as session:
        rows = await session.execute(
            text("SELECT sku, name, price, stock, status, aliases, description FROM products")
        )
        return {r[0]: tuple(r[1:]) for r in rows.all()}


async def upload(client: httpx.AsyncClient, csrf: str, body: bytes | str) -> httpx.Response:
    data = body.encode() if isinstance(body, str) else body
    return await client.post(
        "/dashboard/products/import",
        data={"csrf_token": csrf},
        files={"file": ("catalog.csv", data, "text/csv")},
    )


async def test_export_then_import_round_trips(
    service: httpx.AsyncClient, db: Database, session_csrf: str
) -> None:
    async with db.session() as session:
        await session.execute(
            text("UPDATE products SET description = '=HYPERLINK(\"x\")' WHERE sku = 'CONCHA'")
        )
    exported = await service.get("/dashboard/products.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {r["sku"] for r in rows} == {"PAN-INT-500", "CONCHA", "PASTEL-3L"}
    pan = next(r for r in rows if r["sku"] == "PAN-INT-500")
    assert pan["price"] == "45.00" and pan["stock"] == "20"
    assert pan["aliases"] == "pan de caja integral|pan integral"
    concha = next(r for r in rows if r["sku"] == "CONCHA")
    assert concha["description"].startswith("'=")  # a spreadsheet shows it, doesn't run it
    before = await catalog(db)
    again = await upload(service, session_csrf, exported.content)
    assert again.status_code == 200 and "0 new, 3 updated" in again.text
    assert await catalog(db) == before


async def test_a_valid_file_creates_and_updates(
    service: httpx.AsyncClient, db: Database, session_csrf: str
) -> None:
    body = (
        "SKU,Name,Price,Stock,Aliases,Status\n"
        "CONCHA,Concha de vainilla,13.50,,,\n"
        'ROSCA,"Rosca de reyes, grande",350,4,rosca|rosca grande,unconfirmed\n'
        "\n"
    )
    response = await upload(service, session_csrf, body)
    assert response.status_code == 200 and "1 new, 1 updated" in response.text
    after = await catalog(db)
    assert after["CONCHA"][1:3] == (13.5, None)
    assert after["ROSCA"][:5] == (
        "Rosca de reyes, grande",
        350,
        4,
        "unconfirmed",
        ["rosca", "rosca grande"],
    )
    assert after["PAN-INT-500"][1] == 45  # not in the file: left alone


async def test_errors_name_row_and_field_and_nothing_is_imported(
    service: httpx.AsyncClient, db: Database, session_csrf: str
) -> None:
    before = await catalog(db)
    body = (
        "sku,name,price,stock,status\n"
        "OK-1,Fine product,10,1,\n"  # row 2: fine, but the file has errors
        "BAD-PRICE,Thing,ten,1,\n"  # row 3
        "BAD-STOCK,Thing,10,-4,\n"  # row 4
        ",No sku,10,,\n"  # row 5
        "OK-1,Duplicate,10,,\n"  # row 6
        "WEIRD,Thing,10,,sold-out\n"  # row 7
        "LONG,x,10,1,confirmed,extra\n"  # row 8
    )
    response = await upload(service, session_csrf, body)
    assert response.status_code == 422
    assert "Nothing was imported" in response.text
    for expected in (
        "row 3 (sku &#39;BAD-PRICE&#39;), field &#39;price&#39;",
        "row 4 (sku &#39;BAD-STOCK&#39;), field &#39;stock&#39;",
        "row 5, field &#39;sku&#39;",
        "row 6, field &#39;sku&#39;: &#39;OK-1&#39; is also on row 2",
        "row 7 (sku &#39;WEIRD&#39;), field &#39;status&#39;",
        "row 8: more cells than columns",
    ):
        assert expected in response.text, expected
    assert "row 2" not in response.text.replace("also on row 2", "")
    assert await catalog(db) == before


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"name,price\nX,1\n", "row 1: missing column &#39;sku&#39;"),
        (b"sku,name,price,colour\nX,Y,1,red\n", "row 1: unknown column &#39;colour&#39;"),
        (b"sku,name,price\n", "the file has no products"),
        (b"sku,name,price\nX,\xff\xfe,1\n", "not UTF-8"),
        (b"", "missing column"),
    ],
)
async def test_unreadable_files_are_refused_whole(
    service: httpx.AsyncClient, db: Database, session_csrf: str, body: bytes, problem: str
) -> None:
    before = await catalog(db)
    response = await upload(service, session_csrf, body)
    assert response.status_code == 422 and problem in response.text
    assert await catalog(db) == before


async def test_no_file_and_no_token(
    service: httpx.AsyncClient, db: Database, session_csrf: str
) -> None:
    missing = await service.post("/dashboard/products/import", data={"csrf_token": session_csrf})
    assert missing.status_code == 422 and "choose a CSV file" in missing.text
    refused = await service.post(
        "/dashboard/products/import",
        files={"file": ("c.csv", b"sku,name,price\nNEW,New,1\n", "text/csv")},
    )
    assert refused.status_code == 403
    assert "NEW" not in await catalog(db)
