"""`whsp-ai business import` as CONTRACT §1 and §3 promise, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import select

from tests.factories import business_dict
from whsp_ai.db.api_keys import hash_api_key
from whsp_ai.db.database import Database
from whsp_ai.db.models import Business, Product
from whsp_ai.db.repositories import products as products_repo
from whsp_ai.importer import load
from whsp_ai.importer.schema import BusinessFile

WHSP = str(Path(sys.executable).with_name("whsp-ai"))


def run_import(env: dict[str, str], path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [WHSP, "business", "import", str(path), *flags],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, data: dict[str, Any], name: str = "biz.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def business_rows(db: Database) -> list[Business]:
    async with db.session() as s:
        return list((await s.execute(select(Business))).scalars())


async def catalog(db: Database, business_id: int) -> dict[str, Product]:
    async with db.session() as s:
        rows = await products_repo.list_products(s, business_id=business_id)
    return {p.sku: p for p in rows}


async def test_create_prints_one_json_line_with_a_working_key(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_import(cli_env, write(tmp_path, business_dict()))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out["business"] == "panaderia-rosa"
    assert out["created"] is True
    assert len(out["api_key"]) >= 40
    [business] = await business_rows(db)
    assert business.api_key_hash == hash_api_key(out["api_key"])
    assert out["api_key"] not in json.dumps(business.model_dump(mode="json"))
    items = await catalog(db, business.id or 0)
    assert set(items) == {"PAN-INT-500", "CONCHA", "PASTEL-3L"}
    assert str(items["PAN-INT-500"].price) == "45.00"
    assert items["PASTEL-3L"].status == "unconfirmed" and items["PASTEL-3L"].stock is None
    assert "pan caja integral" in items["PAN-INT-500"].search_names  # an alias, normalized


async def test_reimport_updates_in_place_and_keeps_the_key(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    first = json.loads(run_import(cli_env, write(tmp_path, business_dict())).stdout)
    data = business_dict(name="Panadería Rosa y Nieta")
    data["products"][0]["price"] = 49.5
    data["products"] = [*data["products"][:1], {"sku": "BOLILLO", "name": "Bolillo", "price": 3}]
    second = run_import(cli_env, write(tmp_path, data))
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == {
        "business": "panaderia-rosa",
        "created": False,
        "api_key": None,
    }
    [business] = await business_rows(db)
    assert business.name == "Panadería Rosa y Nieta"
    assert business.api_key_hash == hash_api_key(first["api_key"])
    items = await catalog(db, business.id or 0)
    assert str(items["PAN-INT-500"].price) == "49.50"
    # products missing from the file are left alone without --prune
    assert set(items) == {"PAN-INT-500", "CONCHA", "PASTEL-3L", "BOLILLO"}


async def test_rotate_key_and_prune(db: Database, cli_env: dict[str, str], tmp_path: Path) -> None:
    first = json.loads(run_import(cli_env, write(tmp_path, business_dict())).stdout)
    data = business_dict()
    data["products"] = data["products"][:1]
    result = run_import(cli_env, write(tmp_path, data), "--rotate-key", "--prune")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["created"] is False and out["api_key"] and out["api_key"] != first["api_key"]
    [business] = await business_rows(db)
    assert business.api_key_hash == hash_api_key(out["api_key"])
    assert set(await catalog(db, business.id or 0)) == {"PAN-INT-500"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["products"][1].pop("name"), "product #1 (sku 'CONCHA'): field 'name'"),
        (lambda d: d["products"][2].update(sku="CONCHA"), "product #2 (sku 'CONCHA'): field 'sku'"),
        (
            lambda d: d["products"][0].update(price=-1),
            "product #0 (sku 'PAN-INT-500'): field 'price'",
        ),
        (lambda d: d.update(currency="ZZZ"), "field 'currency'"),
        (
            lambda d: d["products"][1].update(status="sold-out"),
            "product #1 (sku 'CONCHA'): field 'status'",
        ),
    ],
    ids=["missing-field", "duplicate-sku", "negative-price", "unknown-currency", "unknown-status"],
)
async def test_invalid_file_exits_2_and_imports_nothing(
    db: Database, cli_env: dict[str, str], tmp_path: Path, mutate: Any, expected: str
) -> None:
    data = business_dict()
    mutate(data)
    path = write(tmp_path, data)
    result = run_import(cli_env, path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(path) in result.stderr and expected in result.stderr
    assert await business_rows(db) == []


async def test_malformed_yaml_exits_2(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("slug: x\nproducts: [\n", encoding="utf-8")
    result = run_import(cli_env, path)
    assert result.returncode == 2
    assert "malformed YAML" in result.stderr and str(path) in result.stderr
    assert await business_rows(db) == []


async def test_phone_number_id_of_another_business_is_refused(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    assert run_import(cli_env, write(tmp_path, business_dict())).returncode == 0
    other = business_dict(2)
    other["whatsapp"]["phone_number_id"] = business_dict()["whatsapp"]["phone_number_id"]
    result = run_import(cli_env, write(tmp_path, other, "other.yaml"))
    assert result.returncode == 2
    assert "whatsapp.phone_number_id" in result.stderr and "panaderia-rosa" in result.stderr
    assert [b.slug for b in await business_rows(db)] == ["panaderia-rosa"]


async def test_failure_mid_import_rolls_everything_back(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the business and a first batch were written leaves nothing behind."""
    data = business_dict()
    data["products"] = [{"sku": f"P{i}", "name": f"Producto {i}", "price": 1} for i in range(25)]
    business = BusinessFile.model_validate(data)
    monkeypatch.setattr(load, "BATCH", 10)
    real_upsert = products_repo.upsert_many
    calls = 0

    async def failing_upsert(*args: Any, **kwargs: Any) -> tuple[int, int]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        return await real_upsert(*args, **kwargs)

    monkeypatch.setattr(load.products, "upsert_many", failing_upsert)
    with pytest.raises(RuntimeError, match="disk full"):
        async with db.session() as session:
            await load.import_business(session, business)
    assert calls == 2
    assert await business_rows(db) == []
    async with db.session() as s:
        assert (await s.execute(select(Product))).first() is None


async def test_large_catalog_imports_completely(db: Database) -> None:
    data = business_dict()
    data["products"] = [
        {"sku": f"SKU-{i:05d}", "name": f"Producto {i}", "price": f"{i % 500}.99", "stock": i % 7}
        for i in range(10_000)
    ]
    business = BusinessFile.model_validate(data)
    seen: list[int] = []
    async with db.session() as session:
        result = await load.import_business(session, business, on_progress=seen.append)
    assert (result.products_created, result.products_updated) == (10_000, 0)
    assert sum(seen) == 10_000 and len(seen) == 10  # progress reported per batch
    async with db.session() as session:
        assert await products_repo.count(session, business_id=result.business_id) == 10_000
        p = await products_repo.by_sku(session, business_id=result.business_id, sku="SKU-09999")
    assert p is not None and str(p.price) == "499.99" and p.stock == 9999 % 7


async def test_text_the_database_cannot_hold_imports_nothing(
    db: Database, cli_env: dict[str, str], tmp_path: Path
) -> None:
    data = business_dict()
    data["products"][1]["name"] = "Concha\x00"
    data["products"][2]["sku"] = "PASTEL/3L"
    path = tmp_path / "biz.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_import(cli_env, path)
    assert result.returncode != 0
    assert "product #1 (sku 'CONCHA'): field 'name'" in result.stderr
    assert "product #2 (sku 'PASTEL/3L'): field 'sku'" in result.stderr
    assert "Traceback" not in result.stderr
    assert await business_rows(db) == []


def test_demo_files_still_import() -> None:
    from whsp_ai.demo import demo_files
    from whsp_ai.importer.schema import load_business_file

    for path in demo_files():
        assert load_business_file(path).products, path
