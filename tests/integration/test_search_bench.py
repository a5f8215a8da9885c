"""The search benchmark runs end to end in a tiny configuration, so it cannot silently rot."""

from __future__ import annotations

import re

import pytest

from whsp_ai.bench import search as bench
from whsp_ai.db.database import Database


async def test_search_bench_prints_machine_readable_figures(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    await bench._run(db, products=2100, small=2, rounds=10)  # just over LARGE_CATALOG
    out = capsys.readouterr().out
    figures = dict(re.findall(r"^(\w+): ([\d.]+)$", out, re.MULTILINE))
    assert set(figures) >= {"search_p50_ms", "search_p95_ms", "small_p95_ms", "hnsw_build_s"}
    assert float(figures["search_p95_ms"]) >= float(figures["search_p50_ms"]) > 0
    # the generated exact names are found (a broken search would print 0.00 here)
    exact = re.search(r"^  exact +\d+ +[\d.]+ +[\d.]+ +([\d.]+)$", out, re.MULTILINE)
    assert exact is not None and float(exact.group(1)) >= 0.9
    assert "fuzzy retrieval on typo queries" in out
