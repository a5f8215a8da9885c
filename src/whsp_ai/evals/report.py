"""Figures from conversation-eval results: pass rate, pass^k, router accuracy, cost, latency.

pass^k is τ-bench's: the chance that k trials of a scenario, drawn from its n runs, all
pass, estimated as C(c, k) / C(n, k) with c successes, averaged over scenarios.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from math import comb
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from whsp_ai.evals.results import ScenarioResult, Trial


def pass_hat_k(outcomes: list[tuple[int, int]], k: int) -> float:
    """τ-bench pass^k over (n trials, c successes) per scenario; needs k ≤ n everywhere."""
    if not outcomes:
        return 0.0
    if any(k > n for n, _ in outcomes):
        raise ValueError(f"pass^{k} needs at least {k} trials of every scenario")
    return sum(comb(c, k) / comb(n, k) for n, c in outcomes) / len(outcomes)


def summarize(
    results: list[ScenarioResult], provider: str, seconds: float, repeat: int
) -> dict[str, Any]:
    trials = [t for r in results for t in r.trials]
    passed = sum(t.passed for t in trials)
    outcomes = [(len(r.trials), r.successes) for r in results]
    labeled = [
        (turn.expected_intent, turn.intent)
        for t in trials
        for turn in t.turns
        if turn.expected_intent is not None
    ]
    correct = sum(expected == got for expected, got in labeled)
    confusions = Counter(f"{e} → {g}" for e, g in labeled if e != g)
    messages = sum(t.customer_messages for t in trials)
    calls = sum(t.usage.calls for t in trials)
    latencies = [turn.latency_ms for t in trials for turn in t.turns if turn.latency_ms is not None]
    summary: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "provider": provider,
        "repeat": repeat,
        "scenarios": len(results),
        "trials": len(trials),
        "passed": passed,
        "failed": len(trials) - passed,
        "pass_rate": passed / len(trials) if trials else 0.0,
        "pass_hat_k": {str(k): pass_hat_k(outcomes, k) for k in range(1, repeat + 1) if outcomes},
        "router_accuracy": correct / len(labeled) if labeled else None,
        "labeled_turns": len(labeled),
        "router_confusions": dict(confusions.most_common(10)),
        "customer_messages": messages,
        "model_calls_per_message": calls / messages if messages else 0.0,
        "input_tokens_per_message": sum(t.usage.input_tokens for t in trials) / max(1, messages),
        "output_tokens_per_message": sum(t.usage.output_tokens for t in trials) / max(1, messages),
        "model_fallbacks": sum(t.usage.fallbacks for t in trials),
        # Replies in the persona's voice (graph/voiced.py): extra writer calls, model-written
        # replies sent, and those the guard refused (the template went out instead).
        "writer_calls_per_message": sum(t.usage.written for t in trials) / max(1, messages),
        "voiced_replies": sum(t.usage.voiced for t in trials),
        "guard_blocks": sum(t.usage.guard_blocks for t in trials),
        "turn_latency_p50_ms": statistics.median(latencies) if latencies else None,
        "turn_latency_p95_ms": _percentile(latencies, 0.95),
        "wall_seconds": seconds,
    }
    return summary


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_report(
    results: list[ScenarioResult], summary: dict[str, Any], console: Console, verbose: bool
) -> None:
    table = Table(title="conversation eval")
    for column in ("scenario", "business", "steps", "passed", "first problem"):
        table.add_column(column, overflow="fold", justify="right" if column == "steps" else "left")
    for r in results:
        ok = r.successes
        failing = next((t for t in r.trials if not t.passed), None)
        mark = "green" if ok == len(r.trials) else "red"
        table.add_row(
            r.scenario.id,
            r.scenario.business,
            str(len(r.scenario.steps)),
            f"[{mark}]{ok}/{len(r.trials)}[/]",
            failing.failures[0][:90] if failing else "",
        )
    console.print(table)
    for r in results:
        for n, trial in enumerate(r.trials, 1):
            if trial.passed:
                continue
            console.print(f"[red]FAIL[/] {r.scenario.id} (trial {n}, {r.scenario.source})")
            for problem in trial.failures:
                console.print(f"  - {problem}", highlight=False, markup=False)
            if verbose:
                print_transcript(trial, console)
    print_figures(summary, console)


def print_transcript(trial: Trial, console: Console) -> None:
    for turn in trial.turns:
        label = f" (intent {turn.intent}, labeled {turn.expected_intent})" if turn.intent else ""
        console.print(f"    {turn.step}. {turn.who}: {turn.said}{label}", markup=False)
        for reply in turn.replies:
            console.print("       > " + reply.replace("\n", "\n         "), markup=False)


def print_figures(summary: dict[str, Any], console: Console) -> None:
    lines = [
        f"provider: {summary['provider']}",
        f"scenarios: {summary['scenarios']}, trials: {summary['trials']}",
        f"pass rate: {summary['pass_rate']:.3f}",
    ]
    if summary["repeat"] > 1:
        lines.append(
            "pass^k: " + ", ".join(f"k={k}: {v:.3f}" for k, v in summary["pass_hat_k"].items())
        )
    if summary["router_accuracy"] is not None:
        lines.append(
            f"router accuracy: {summary['router_accuracy']:.3f} "
            f"on {summary['labeled_turns']} labeled turns"
        )
        for confusion, count in summary["router_confusions"].items():
            lines.append(f"  {count} × {confusion}")
    if summary["provider"] == "offline":
        lines.append("model calls per customer message: 0 (offline rules)")
    else:
        lines.append(
            f"per customer message: {summary['model_calls_per_message']:.2f} model calls, "
            f"{summary['input_tokens_per_message']:.0f} input / "
            f"{summary['output_tokens_per_message']:.0f} output tokens "
            f"({summary['model_fallbacks']} fallbacks to the offline rules)"
        )
        lines.append(
            f"voice: {summary['writer_calls_per_message']:.2f} writer calls per message, "
            f"{summary['voiced_replies']} model-written replies sent, "
            f"{summary['guard_blocks']} refused by the guard"
        )
    if summary["turn_latency_p50_ms"] is not None:
        lines.append(
            f"turn latency (webhook POST → last reply at the Graph API): "
            f"p50 {summary['turn_latency_p50_ms']:.0f} ms, "
            f"p95 {summary['turn_latency_p95_ms']:.0f} ms"
        )
    lines.append(f"wall time: {summary['wall_seconds']:.1f} s")
    for line in lines:
        console.print(line, highlight=False, markup=False)


def write_report(
    path: Path,
    results: list[ScenarioResult],
    summary: dict[str, Any],
    judge: dict[str, Any] | None = None,
) -> None:
    data = {
        "summary": summary,
        "judge": judge,
        "scenarios": [
            {
                "id": r.scenario.id,
                "source": r.scenario.source,
                "business": r.scenario.business,
                "tags": r.scenario.tags,
                "passed": r.successes,
                "trials": [
                    {
                        "passed": t.passed,
                        "failures": t.failures,
                        "seconds": round(t.seconds, 3),
                        "usage": asdict(t.usage),
                        "turns": [asdict(turn) for turn in t.turns],
                    }
                    for t in r.trials
                ],
            }
            for r in results
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
