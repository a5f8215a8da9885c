"""Import benchmark: how long a 10,000-product catalog takes, from file to committed rows.

Run with `make bench-import` (or `whsp-ai bench import --products N`). It uses a
throwaway database on the embedded Postgres and prints its figures; nothing is asserted.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import yaml

from whsp_ai.db.database import Database
from whsp_ai.db.embedded import scratch_database
from whsp_ai.importer.load import import_business
from whsp_ai.importer.schema import load_business_file
from whsp_ai.settings import Settings

NOUNS = ["Tornillo", "Taquete", "Brocha", "Pintura", "Foco", "Cable", "Tubo", "Llave", "Pinza"]
TRAITS = ["galvanizado", "de cobre", "blanco", "industrial", "reforzado", "de 2 pulgadas", "4 L"]


def catalog_file(directory: Path, products: int) -> Path:
    rng = random.Random(7)
    data = {
        "slug": "bench-ferreteria",
        "name": "Bench",
        "language": "es",
        "currency": "MXN",
        "owner_phone": "5215500000000",
        "whatsapp": {"phone_number_id": "199999999999999"},
        "persona": {"agent_name": "Bench"},
        "checkout": {"payment_methods": ["efectivo"]},
        "products": [
            {
                "sku": f"B-{i:06d}",
                "name": f"{rng.choice(NOUNS)} {rng.choice(TRAITS)} modelo {i}",
                "description": f"{rng.choice(NOUNS)} para uso {rng.choice(TRAITS)}",
                "price": round(rng.uniform(5, 5000), 2),
                "stock": rng.randint(0, 300),
                "category": rng.choice(NOUNS),
                "aliases": [rng.choice(NOUNS).lower()],
            }
            for i in range(products)
        ],
    }
    path = directory / "bench.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def run(products: int, data_dir: Path) -> None:
    with scratch_database(data_dir, "bench") as url:
        database = Database(Settings(DATABASE_URL=url))
        try:
            await database.open()
            with tempfile.TemporaryDirectory() as tmp:
                path = catalog_file(Path(tmp), products)
                t0 = time.perf_counter()
                data = load_business_file(path)
                t1 = time.perf_counter()
                async with database.session() as session:
                    await import_business(session, data)
                t2 = time.perf_counter()
                async with database.session() as session:
                    await import_business(session, data)
                t3 = time.perf_counter()
        finally:
            await database.close()
    print(f"products: {products}")
    print(f"parse_and_validate_s: {t1 - t0:.2f}")
    print(f"first_import_s: {t2 - t1:.2f}")
    print(f"reimport_s: {t3 - t2:.2f}")
    print(f"total_first_import_s: {t2 - t0:.2f}")
