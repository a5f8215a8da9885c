"""Percentiles, the printed report and its machine-readable last lines."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any

# The last four lines of `whsp-ai bench`, in this order; `parse_last_lines` reads them back.
LAST_LINES = ("e2e_p50_ratio_vs_floor", "throughput_msgs_per_s", "ack_p99_ms", "lost")


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": pct(values, 0.50),
        "p95": pct(values, 0.95),
        "p99": pct(values, 0.99),
        "max": max(values) if values else math.nan,
        "mean": statistics.fmean(values) if values else math.nan,
    }


def latency_line(name: str, values: list[float]) -> str:
    s = summary(values)
    return (
        f"{name}: p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, p99 {s['p99']:.1f} ms, "
        f"max {s['max']:.1f} ms (n={s['n']})"
    )


def last_lines(ratio: float, throughput: float, ack_p99: float, lost: int, dup: int) -> list[str]:
    return [
        f"e2e_p50_ratio_vs_floor: {ratio:.2f}",
        f"throughput_msgs_per_s: {throughput:.0f}",
        f"ack_p99_ms: {ack_p99:.0f}",
        f"lost: {lost} duplicated: {dup}",
    ]


def parse_last_lines(output: str) -> dict[str, float]:
    """The figures of a run's last four lines; raises ValueError if they are not there."""
    lines = output.strip().splitlines()[-4:]
    if len(lines) != 4 or not all(
        line.startswith(prefix + ":") for line, prefix in zip(lines, LAST_LINES, strict=True)
    ):
        raise ValueError(f"not a bench report's last lines: {lines}")
    figures = {
        prefix: float(line.split(":", 1)[1].split()[0])
        for line, prefix in zip(lines[:3], LAST_LINES, strict=False)
    }
    words = lines[3].split()  # lost: N duplicated: M
    if len(words) != 4 or words[2] != "duplicated:":
        raise ValueError(f"not a lost/duplicated line: {lines[3]!r}")
    figures["lost"], figures["duplicated"] = float(words[1]), float(words[3])
    return figures


def write_json(path: Path, report: dict[str, Any]) -> None:
    def clean(value: Any) -> Any:
        if isinstance(value, float):
            return None if math.isnan(value) else round(value, 3)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    path.write_text(json.dumps(clean(report), indent=2, ensure_ascii=False) + "\n")
