"""Dashboard page benchmark: p50/p95 render times with 10,000 orders and 10,000 products.

`whsp-ai bench dashboard` (or `make bench-dashboard`). On a throwaway database it imports
the demo hardware store, fills it with bench.dashboard_seed's rows, logs in through
POST /dashboard/login and renders every page `--renders` times through the ASGI app (the
whole FastAPI stack: cookie check, queries, templates; no socket). It prints one line per
page and exits 1 when a page's p95 is over the goal, so a slow page can't pass unseen.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager

from whsp_ai.api.app import create_app
from whsp_ai.bench.dashboard_seed import Size, seed
from whsp_ai.dashboard.pages import PAGES
from whsp_ai.db.database import Database
from whsp_ai.db.embedded import scratch_database
from whsp_ai.demo import demo_files
from whsp_ai.importer.load import import_business
from whsp_ai.importer.schema import load_business_file
from whsp_ai.settings import Settings

GOAL_P95_MS = 200.0
# Every page of the menu, plus the deep and filtered views an owner reaches from them.
EXTRA = [
    "/dashboard/",
    "/dashboard/orders?status=delivered",
    "/dashboard/orders?page=200",
    "/dashboard/products?q=tornillo",
    "/dashboard/products?page=200",
    "/dashboard/conversations/521500000001",
]


@dataclass(frozen=True, slots=True)
class Timing:
    path: str
    status: int
    bytes: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _time_page(client: httpx.AsyncClient, path: str, renders: int) -> Timing:
    first = await client.get(path)  # warm: templates compiled, plans cached
    samples = []
    for _ in range(renders):
        t0 = time.perf_counter()
        await client.get(path)
        samples.append((time.perf_counter() - t0) * 1000)
    return Timing(
        path=path,
        status=first.status_code,
        bytes=len(first.content),
        p50_ms=round(statistics.median(samples), 1),
        p95_ms=round(percentile(samples, 0.95), 1),
        max_ms=round(max(samples), 1),
    )


async def _older_conversations(client: httpx.AsyncClient) -> str:
    """The conversation list's 'Older' link: page 2 by its real cursor."""
    html = (await client.get("/dashboard/conversations")).text
    marker = 'href="?before='
    start = html.find(marker)
    if start < 0:
        return "/dashboard/conversations"
    end = html.find('"', start + len(marker))
    return "/dashboard/conversations" + html[start + 6 : end].replace("&amp;", "&")


async def run(renders: int, size: Size, data_dir: Path) -> list[Timing]:
    with scratch_database(data_dir, "bench_dash") as url:
        settings = Settings(DATABASE_URL=url, WHSP_DATA_DIR=data_dir)
        database = Database(settings)
        await database.open()
        try:
            data = load_business_file(demo_files()[0])
            async with database.session() as session:
                imported = await import_business(session, data)
            t0 = time.perf_counter()
            async with database.session() as session:
                await seed(session, business_id=imported.business_id, size=size)
            seeded_s = time.perf_counter() - t0
        finally:
            await database.close()
        print(
            f"seeded: {size.orders} orders, {size.products} products, "
            f"{size.customers} customers in {seeded_s:.1f} s"
        )
        app = create_app(settings, workers=False)
        async with (
            LifespanManager(app) as manager,
            httpx.AsyncClient(
                # a page that fails is a 500 in the table, not the end of the benchmark
                transport=httpx.ASGITransport(app=manager.app, raise_app_exceptions=False),
                base_url="http://bench",
            ) as client,
        ):
            login = await client.post("/dashboard/login", data={"api_key": imported.api_key})
            if login.status_code != 303:
                raise RuntimeError(f"login failed: {login.status_code}")
            paths = [p.path for p in PAGES] + EXTRA + [await _older_conversations(client)]
            timings = [await _time_page(client, path, renders) for path in paths]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"renders per page: {renders} (after one warm-up), goal p95 < {GOAL_P95_MS:.0f} ms")
    print(f"load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs")
    print(f"{'page':58} {'status':>6} {'KB':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for t in timings:
        flag = "" if t.p95_ms < GOAL_P95_MS and t.status == 200 else "  <-- over goal"
        print(
            f"{t.path[:58]:58} {t.status:>6} {t.bytes / 1024:>6.1f} {t.p50_ms:>8.1f} "
            f"{t.p95_ms:>8.1f} {t.max_ms:>8.1f}{flag}"
        )
    return timings


def write_json(timings: list[Timing], json_path: Path) -> None:
    json_path.write_text(json.dumps([asdict(t) for t in timings], indent=2))


def passed(timings: list[Timing]) -> bool:
    return all(t.status == 200 and t.p95_ms < GOAL_P95_MS for t in timings)
