"""Builders for business files and businesses, shared by the tests."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from whsp_ai.db.database import Database
from whsp_ai.importer.load import ImportResult, import_business
from whsp_ai.importer.schema import BusinessFile

_BASE: dict[str, Any] = {
    "slug": "panaderia-rosa",
    "name": "Panadería Rosa",
    "language": "es",
    "currency": "MXN",
    "owner_phone": "5215512345678",
    "whatsapp": {"phone_number_id": "110000000000001", "access_token": "EAAG-test"},
    "persona": {
        "agent_name": "Rosa",
        "tone": "cálida, breve, tutea al cliente",
        "greeting": "¡Hola! Soy Rosa, de Panadería Rosa. ¿Qué se te antoja hoy?",
        "rules": ["No ofrecemos descuentos"],
    },
    "checkout": {
        "payment_methods": ["efectivo", "transferencia", "tarjeta"],
        "delivery_fee": 30,
        "free_delivery_over": 300,
    },
    "products": [
        {
            "sku": "PAN-INT-500",
            "name": "Pan integral 500 g",
            "description": "Pan de caja integral con semillas",
            "price": 45.00,
            "stock": 20,
            "category": "Panes",
            "aliases": ["pan de caja integral", "pan integral"],
            "status": "confirmed",
        },
        {"sku": "CONCHA", "name": "Concha de vainilla", "price": 12.5, "stock": 3},
        {"sku": "PASTEL-3L", "name": "Pastel tres leches", "price": 320, "status": "unconfirmed"},
    ],
}


def business_dict(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid business file as a dict; n > 1 gives a distinct business (slug, phone ids)."""
    data = deepcopy(_BASE)
    if n > 1:
        data["slug"] = f"negocio-{n}"
        data["name"] = f"Negocio {n}"
        data["owner_phone"] = f"52155000000{n:02d}"
        data["whatsapp"]["phone_number_id"] = f"1100000000000{n:02d}"
    data.update(overrides)
    return data


async def make_business(db: Database, n: int = 1, **overrides: Any) -> ImportResult:
    data = BusinessFile.model_validate(business_dict(n, **overrides))
    async with db.session() as session:
        return await import_business(session, data)
