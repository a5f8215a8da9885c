"""The dashboard page benchmark in a tiny run, so it can't rot unnoticed: every page of
the menu is timed and answers 200 on the seeded shop. Times are printed, not asserted."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_DATA_DIR
from whsp_ai.bench.dashboard import run
from whsp_ai.bench.dashboard_seed import Size
from whsp_ai.dashboard.pages import PAGES


async def test_a_tiny_run_times_every_page(capsys: pytest.CaptureFixture[str]) -> None:
    size = Size(
        products=150, orders=120, customers=30, open_carts=3, questions=2, product_approvals=2
    )
    timings = await run(5, size, TEST_DATA_DIR)
    printed = capsys.readouterr().out
    assert {p.path for p in PAGES} <= {t.path for t in timings}
    assert any(t.path.startswith("/dashboard/conversations?before=") for t in timings), printed
    assert [t.path for t in timings if t.status != 200] == [], printed
    assert "seeded: 120 orders, 150 products, 30 customers" in printed
