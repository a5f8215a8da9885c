"""`serve --demo` imports a demo business only when it is absent: owners' edits survive restarts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update
from sqlmodel import col

from whsp_ai.db.database import Database
from whsp_ai.db.models import Product
from whsp_ai.db.repositories import businesses, products
from whsp_ai.demo import import_demo_businesses

SKU = "BLK-EG-100"  # a tea of the tea-and-kettle demo


async def test_a_restart_keeps_the_owners_price_and_stock(db: Database) -> None:
    first = {r.slug: r for r in await import_demo_businesses(db)}
    assert all(r.created and r.api_key for r in first.values())
    tea = first["tea-and-kettle"].business_id
    async with db.session() as session:  # the owner confirms a new price; orders take stock
        await session.execute(
            update(Product)
            .where(col(Product.business_id) == tea, col(Product.sku) == SKU)
            .values(price=Decimal("99.50"), stock=3)
        )
        await session.execute(
            update(Product)
            .where(col(Product.business_id) == tea, col(Product.sku) == "BLK-EB-100")
            .values(status="unconfirmed")
        )

    again = {r.slug: r for r in await import_demo_businesses(db)}  # the next `make run`

    assert {s: (r.business_id, r.created, r.api_key) for s, r in again.items()} == {
        s: (r.business_id, False, None) for s, r in first.items()
    }
    async with db.session() as session:
        product = await products.by_sku(session, business_id=tea, sku=SKU)
        other = await products.by_sku(session, business_id=tea, sku="BLK-EB-100")
    assert product is not None and other is not None
    assert (product.price, product.stock, other.status) == (Decimal("99.50"), 3, "unconfirmed")


async def test_a_missing_demo_business_is_imported_beside_a_kept_one(db: Database) -> None:
    await import_demo_businesses(db)
    async with db.session() as session:
        gone = await businesses.by_slug(session, slug="ferreteria-don-pepe")
        assert gone is not None
        await session.delete(gone)

    results = {r.slug: r for r in await import_demo_businesses(db)}

    assert results["ferreteria-don-pepe"].created and results["ferreteria-don-pepe"].api_key
    assert not results["tea-and-kettle"].created
    assert results["ferreteria-don-pepe"].products_created > 0
