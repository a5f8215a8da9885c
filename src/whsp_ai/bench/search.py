"""Search benchmark: p50/p95 latency on a 100,000-product catalog plus 10 small ones.

`whsp-ai bench search` (or `make bench-search`). On a throwaway database it generates a
hardware store of `--products` items (names, aliases, sizes, brands, categories, prices)
and 10 smaller businesses, times the import and the index builds, then runs a mix of
queries (exact names, aliases, typos, plurals, units, filters, things not sold) against
the large catalog and the small ones. It also compares fuzzy retrieval through the HNSW
index with an exact scan and with no fuzzy retriever at all. It prints figures; nothing
is asserted. The last lines are machine-readable.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from whsp_ai.db.database import Database
from whsp_ai.db.embedded import scratch_database
from whsp_ai.db.vector_indexes import ensure_vector_indexes, index_names
from whsp_ai.importer.load import import_business
from whsp_ai.importer.schema import BusinessFile
from whsp_ai.nlu.models import SearchFilters
from whsp_ai.settings import Settings
from whsp_ai.tools.catalog import search_products

# (name, aliases, category): families a hardware store sells, each in many variants.
FAMILIES = [
    ("Tornillo", ["pija", "tornillo para madera"], "Tornillería"),
    ("Taquete", ["ancla", "chazo"], "Tornillería"),
    ("Tuerca", ["tuerca hexagonal"], "Tornillería"),
    ("Rondana", ["arandela"], "Tornillería"),
    ("Clavo", ["clavo de acero"], "Tornillería"),
    ("Brocha", ["pincel"], "Pinturas"),
    ("Rodillo", ["rodillo de felpa"], "Pinturas"),
    ("Pintura vinílica", ["pintura de agua"], "Pinturas"),
    ("Esmalte", ["pintura de aceite"], "Pinturas"),
    ("Impermeabilizante", ["sellador de techo"], "Pinturas"),
    ("Foco LED", ["bombilla", "foco ahorrador"], "Electricidad"),
    ("Cable THW", ["alambre eléctrico"], "Electricidad"),
    ("Contacto", ["enchufe", "tomacorriente"], "Electricidad"),
    ("Apagador", ["interruptor"], "Electricidad"),
    ("Extensión", ["alargador"], "Electricidad"),
    ("Tubería PVC", ["tubo de PVC"], "Plomería"),
    ("Codo de cobre", ["codo"], "Plomería"),
    ("Llave de paso", ["válvula"], "Plomería"),
    ("Manguera", ["manguera de jardín"], "Jardín"),
    ("Pala", ["pala de jardín"], "Jardín"),
    ("Martillo", ["martillo de uña"], "Herramientas"),
    ("Desarmador", ["destornillador"], "Herramientas"),
    ("Pinzas", ["alicates"], "Herramientas"),
    ("Llave española", ["llave de boca"], "Herramientas"),
    ("Taladro", ["rotomartillo"], "Herramientas"),
    ("Sierra", ["serrucho"], "Herramientas"),
    ("Cinta métrica", ["flexómetro"], "Herramientas"),
    ("Lija", ["papel de lija"], "Abrasivos"),
    ("Disco de corte", ["disco para esmeril"], "Abrasivos"),
    ("Silicón", ["sellador de silicón"], "Adhesivos"),
    ("Pegamento", ["adhesivo"], "Adhesivos"),
    ("Candado", ["candado de latón"], "Cerrajería"),
    ("Bisagra", ["charnela"], "Cerrajería"),
    ("Guantes", ["guantes de trabajo"], "Seguridad"),
    ("Lentes de seguridad", ["goggles"], "Seguridad"),
]
TRAITS = [
    "galvanizado",
    "de acero",
    "de latón",
    "inoxidable",
    "industrial",
    "reforzado",
    "blanco",
    "negro",
    "rojo",
    "azul",
    "mate",
    "brillante",
    "de madera",
    "de plástico",
    "para exterior",
    "para interior",
    "profesional",
    "económico",
    "cromado",
    "de cobre",
]
SIZES = [
    '1/4"',
    '1/2"',
    '3/4"',
    '1"',
    '2"',
    "4 L",
    "19 L",
    "1 L",
    "250 ml",
    "10 m",
    "30 m",
    "9 W",
    "12 W",
    "100 g",
    "500 g",
    "#2",
    "#8",
    "16 oz",
    "3 m",
    "5 m",
]
BRANDS = [
    "Truper",
    "Pretul",
    "Urrea",
    "Comex",
    "Berel",
    "Rotoplas",
    "Coflex",
    "Volteck",
    "Surtek",
    "Foset",
    "Hermex",
    "Santul",
    "Austromex",
    "Dexter",
    "Fiero",
]
NOT_SOLD = [
    "refrigerador",
    "bicicleta de montaña",
    "lavadora",
    "televisión",
    "pizza",
    "colchón matrimonial",
    "boletos de avión",
    "croquetas para perro",
]
TYPO_OPS = ("swap", "drop", "double", "replace")


def catalog(slug: str, phone_id: str, count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    products = []
    for i in range(count):
        name, aliases, category = FAMILIES[i % len(FAMILIES)]
        trait, size, brand = rng.choice(TRAITS), rng.choice(SIZES), rng.choice(BRANDS)
        products.append(
            {
                "sku": f"{slug[:3].upper()}-{i:06d}",
                "name": f"{name} {trait} {size} {brand} {i // len(FAMILIES)}",
                "description": f"{name} {trait} marca {brand}, {size}. {category}.",
                "price": round(rng.uniform(5, 5000), 2),
                "stock": rng.choice([None, 0, *range(1, 300)]),
                "category": category,
                "aliases": [f"{a} {trait}" for a in aliases],
                "status": "unconfirmed" if rng.random() < 0.02 else "confirmed",
            }
        )
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "language": "es",
        "currency": "MXN",
        "owner_phone": "5215500000000",
        "whatsapp": {"phone_number_id": phone_id},
        "persona": {"agent_name": "Bench"},
        "checkout": {"payment_methods": ["efectivo"]},
        "products": products,
    }


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    op = rng.choice(TYPO_OPS)
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


@dataclass
class Query:
    kind: str
    business_id: int
    query: str | None
    filters: SearchFilters
    expect: str | None  # a SKU that must be in the top 3, or None (only timed)


def queries(business_id: int, products: list[dict[str, Any]], n: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    out: list[Query] = []
    none = SearchFilters()
    for _ in range(n):
        p = rng.choice(products)
        name: str = p["name"]
        words = name.split()
        out.append(Query("exact", business_id, name, none, p["sku"]))
        out.append(Query("alias", business_id, rng.choice(p["aliases"]), none, None))
        long_words = [i for i, w in enumerate(words) if len(w) >= 5]
        for kind, count in (("typo", 1), ("typo2", 2)):  # one word misspelt; two words
            wrong = set(rng.sample(long_words, min(count, len(long_words))))
            typoed = " ".join(typo(w, rng) if i in wrong else w for i, w in enumerate(words))
            out.append(Query(kind, business_id, typoed, none, p["sku"]))
        out.append(Query("plural", business_id, words[0].lower() + "s", none, None))
        family = name.split()[0]
        out.append(Query("unit", business_id, f"{family} 4 litros", none, None))
        out.append(
            Query(
                "filter",
                business_id,
                family,
                SearchFilters(max_price=Decimal(rng.choice([50, 100, 500])), in_stock=True),
                None,
            )
        )
        out.append(
            Query("category", business_id, None, SearchFilters(category=p["category"]), None)
        )
        out.append(Query("none", business_id, rng.choice(NOT_SOLD), none, None))
    return out


async def timed(db: Database, qs: list[Query], *, fuzzy: bool = True) -> dict[str, list[float]]:
    """Milliseconds per query kind (and top-3 hits for queries with an expected SKU)."""
    times: dict[str, list[float]] = defaultdict(list)
    async with db.session() as session:
        for q in qs:
            started = time.perf_counter()
            result = await search_products(
                session, business_id=q.business_id, query=q.query, filters=q.filters, fuzzy=fuzzy
            )
            times[q.kind].append((time.perf_counter() - started) * 1000)
            if q.expect is not None:
                found = q.expect in [h.sku for h in result.hits[:3]]
                times[f"{q.kind}:found"].append(1.0 if found else 0.0)
    return times


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(label: str, times: dict[str, list[float]]) -> tuple[float, float]:
    every = [t for k, v in times.items() if ":" not in k for t in v]
    print(f"\n{label}")
    print(f"  {'kind':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'top-3':>6}")
    for kind in sorted(k for k in times if ":" not in k):
        found = times.get(f"{kind}:found")
        rate = f"{statistics.mean(found):.2f}" if found else ""
        v = times[kind]
        print(f"  {kind:<10} {len(v):>5} {pct(v, 50):>8.1f} {pct(v, 95):>8.1f} {rate:>6}")
    p50, p95 = pct(every, 50), pct(every, 95)
    print(f"  {'all':<10} {len(every):>5} {p50:>8.1f} {p95:>8.1f}")
    return p50, p95


async def run(products: int, small: int, rounds: int, data_dir: Path) -> None:
    with scratch_database(data_dir, "searchbench") as url:
        db = Database(Settings(DATABASE_URL=url))
        await db.open()
        try:
            await _run(db, products, small, rounds)
        finally:
            await db.close()


async def _run(db: Database, products: int, small: int, rounds: int) -> None:
    files = [catalog("big-ferreteria", "180000000000000", products, 1)]
    files += [
        catalog(f"tienda-{i}", f"19000000000{i:04d}", 300 + 150 * i, 100 + i) for i in range(small)
    ]
    ids: dict[str, int] = {}
    started = time.perf_counter()
    for data in files:
        parsed = BusinessFile.model_validate(data)
        async with db.session() as session:
            result = await import_business(session, parsed, build_indexes=False)
        ids[data["slug"]] = result.business_id
    import_s = time.perf_counter() - started
    big = ids["big-ferreteria"]
    started = time.perf_counter()
    async with db.session() as session:
        await ensure_vector_indexes(session, business_id=big)
    hnsw_s = time.perf_counter() - started
    # A catalog in service has been vacuumed; a freshly loaded one has not, and autovacuum
    # working through it during the run would be measured as search time.
    async with db.pool.connection() as conn:
        await conn.execute("VACUUM ANALYZE products")
    async with db.session() as session:
        sizes = (
            await session.execute(
                text(
                    "SELECT pg_relation_size('products_search_vector_idx'), "
                    "pg_relation_size(:grams), pg_total_relation_size('products')"
                ),
                {"grams": index_names(big)[0]},
            )
        ).one()
    total = sum(len(f["products"]) for f in files)
    print(
        f"products: {total} ({products} in one business, {small} businesses of 300–"
        f"{300 + 150 * (small - 1)})"
    )
    print(f"import_s (rows, tsvector trigger, GIN): {import_s:.1f}")
    print(f"hnsw_build_s ({products} trigram vectors): {hnsw_s:.1f}")
    print(
        f"gin_mb: {sizes[0] / 2**20:.1f}  hnsw_mb: {sizes[1] / 2**20:.1f}  "
        f"table_total_mb: {sizes[2] / 2**20:.1f}"
    )

    big_qs = queries(big, files[0]["products"], rounds, 7)
    small_qs = [
        q
        for i, data in enumerate(files[1:])
        for q in queries(ids[data["slug"]], data["products"], max(1, rounds // small), 50 + i)
    ]
    await timed(db, big_qs[:40])  # warm the caches and the connection
    big_times = await timed(db, big_qs)
    p50, p95 = summary(f"large catalog ({products} products)", big_times)
    _, small_p95 = summary("small catalogs", await timed(db, small_qs))

    typos = [q for q in big_qs if q.kind.startswith("typo")]
    no_fuzzy = await timed(db, typos, fuzzy=False)
    async with db.session() as session:
        await session.execute(text(f"DROP INDEX {index_names(big)[0]}"))
    exact = await timed(db, typos)
    print("\nfuzzy retrieval on typo queries (large catalog):")
    for label, t in (("hnsw", big_times), ("exact scan", exact), ("none", no_fuzzy)):
        for kind in ("typo", "typo2"):
            print(
                f"  {label:<11} {kind:<6} p50 {pct(t[kind], 50):6.1f} ms"
                f"  p95 {pct(t[kind], 95):6.1f} ms  top-3 {statistics.mean(t[kind + ':found']):.2f}"
            )
    print(f"\nsearch_p50_ms: {p50:.1f}")
    print(f"search_p95_ms: {p95:.1f}")
    print(f"small_p95_ms: {small_p95:.1f}")
    print(f"hnsw_build_s: {hnsw_s:.1f}")
