"""`whsp-ai eval search` computes its figures from real searches on the demo catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from tests.conftest import TEST_DATA_DIR
from whsp_ai.evals.search import load_set, print_report, run_search_eval

SMALL_SET = """
queries:
  - {business: ferreteria-don-pepe, query: "desarmador de cruz", kind: exact,
     expect: [HER-DES-CRUZ]}
  - {business: tea-and-kettle, query: "chamomille", kind: typo, expect: [HRB-CHM-50]}
  - {business: tea-and-kettle, query: "espresso machine", kind: none, expect: none}
  - {business: tea-and-kettle, query: "earl grey", kind: exact, expect: [GRN-SEN-100]}
"""


async def test_metrics_come_from_the_searches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(SMALL_SET, encoding="utf-8")
    report = await run_search_eval(TEST_DATA_DIR, path)
    assert [o.passed for o in report.outcomes] == [True, True, True, False]
    metrics = report.metrics()
    # 3 labeled queries: two found first, one (deliberately mislabeled) not in the top 3
    assert metrics["recall@1"] == pytest.approx(2 / 3)
    assert metrics["none_false_positive_rate"] == 0
    print_report(report, Console(force_terminal=False))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "3 passed, 1 failed"


def test_the_bundled_set_is_large_and_labeled() -> None:
    cases = load_set()
    assert len(cases) >= 150
    assert {c["business"] for c in cases} == {"ferreteria-don-pepe", "tea-and-kettle"}
    assert sum(c["expect"] == "none" for c in cases) >= 20
