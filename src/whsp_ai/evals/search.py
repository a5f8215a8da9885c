"""`whsp-ai eval search`: recall@1, recall@3, MRR and "none" false positives on a labeled set.

Each query goes through what the engine does with a customer's words: the offline
understanding extracts the product words and filters, then catalog search ranks. It runs on
a throwaway database with the demo businesses, so figures are comparable run to run.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from rich.console import Console
from rich.table import Table
from sqlmodel import col, select

from whsp_ai.db.database import Database
from whsp_ai.db.embedded import scratch_database
from whsp_ai.db.models import Business, Product
from whsp_ai.demo import import_demo_businesses
from whsp_ai.nlu import offline
from whsp_ai.nlu.models import TurnInput
from whsp_ai.settings import Settings
from whsp_ai.tools.catalog import search_products

SEARCH_SET = Path(__file__).parent / "search_set.yaml"


@dataclass
class Outcome:
    business: str
    query: str
    kind: str
    expect: list[str] | None  # None: the right answer is "we don't have it"
    found: list[str]
    millis: float

    @property
    def rank(self) -> int | None:
        """1-based position of the first expected SKU, if any."""
        for i, sku in enumerate(self.found, 1):
            if self.expect and sku in self.expect:
                return i
        return None

    @property
    def passed(self) -> bool:
        if self.expect is None:
            return not self.found
        rank = self.rank
        return rank is not None and rank <= 3


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        labeled = [o for o in self.outcomes if o.expect is not None]
        nones = [o for o in self.outcomes if o.expect is None]
        ranks = [o.rank for o in labeled]
        return {
            "recall@1": sum(r == 1 for r in ranks) / max(1, len(labeled)),
            "recall@3": sum(r is not None and r <= 3 for r in ranks) / max(1, len(labeled)),
            "mrr": sum(1 / r for r in ranks if r) / max(1, len(labeled)),
            "none_false_positive_rate": sum(bool(o.found) for o in nones) / max(1, len(nones)),
        }


def load_set(path: Path = SEARCH_SET) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["queries"])


async def run_search_eval(data_dir: Path, path: Path = SEARCH_SET) -> Report:
    cases = load_set(path)
    report = Report()
    with scratch_database(data_dir, "eval") as url:
        database = Database(Settings(DATABASE_URL=url))
        await database.open()
        try:
            ids = {r.slug: r.business_id for r in await import_demo_businesses(database)}
            async with database.session() as session:
                categories: dict[int, list[str]] = defaultdict(list)
                rows = await session.execute(
                    select(Product.business_id, Product.category)
                    .distinct()
                    .where(col(Product.category).is_not(None))
                )
                for business_id, category in rows:
                    categories[business_id].append(category)
                languages = {
                    b.id: b.language for b in (await session.execute(select(Business))).scalars()
                }
            for case in cases:
                business_id = ids[case["business"]]
                lang: Literal["es", "en"] = "en" if languages.get(business_id) == "en" else "es"
                started = time.perf_counter()
                understood = offline.understand(
                    TurnInput(text=case["query"], locale=lang, categories=categories[business_id])
                )
                query = understood.search_query or (
                    understood.actions[0].product.query if understood.actions else None
                )
                async with database.session() as session:
                    result = await search_products(
                        session,
                        business_id=business_id,
                        query=query,
                        filters=understood.filters,
                        limit=5,
                    )
                millis = (time.perf_counter() - started) * 1000
                expect = None if case["expect"] == "none" else list(case["expect"])
                report.outcomes.append(
                    Outcome(
                        case["business"],
                        case["query"],
                        case["kind"],
                        expect,
                        [h.sku for h in result.hits],
                        millis,
                    )
                )
        finally:
            await database.close()
    return report


def print_report(report: Report, console: Console, verbose: bool = False) -> None:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in report.outcomes:
        by_kind[outcome.kind].append(outcome)
    table = Table(title="search eval by kind")
    for column in ("kind", "queries", "passed", "pass rate"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    for kind, outcomes in sorted(by_kind.items()):
        ok = sum(o.passed for o in outcomes)
        table.add_row(kind, str(len(outcomes)), str(ok), f"{ok / len(outcomes):.0%}")
    console.print(table)
    if verbose:
        for o in report.outcomes:
            if not o.passed:
                console.print(
                    f"[red]FAIL[/] {o.business} [{o.kind}] {o.query!r}: expected "
                    f"{o.expect or 'none'}, got {o.found}",
                    highlight=False,
                )
    metrics = report.metrics()
    millis = sorted(o.millis for o in report.outcomes)
    for name, value in metrics.items():
        console.print(f"{name}: {value:.3f}", highlight=False)
    console.print(f"search_p50_ms: {millis[len(millis) // 2]:.1f}", highlight=False)
    passed = sum(o.passed for o in report.outcomes)
    print(f"{passed} passed, {len(report.outcomes) - passed} failed")
