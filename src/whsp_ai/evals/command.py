"""`whsp-ai eval`: a throwaway database, a progress bar, the figures, a JSON report."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from whsp_ai.db.database import Database
from whsp_ai.db.embedded import scratch_database
from whsp_ai.evals.conversations import run_scenarios
from whsp_ai.evals.report import print_report, summarize, write_report
from whsp_ai.evals.results import ScenarioResult, Trial
from whsp_ai.evals.scenario import Scenario
from whsp_ai.settings import Settings


@dataclass
class EvalOptions:
    provider: str = "offline"
    repeat: int = 1
    judge: bool = False
    verbose: bool = False
    report: Path | None = None
    data_dir: Path = Path(".whsp-data")


@dataclass
class EvalOutcome:
    results: list[ScenarioResult]
    summary: dict[str, Any]
    judge: dict[str, Any] | None
    report_path: Path


async def run_eval(
    scenarios: list[Scenario], settings: Settings, options: EvalOptions, out: Console, err: Console
) -> EvalOutcome:
    started = time.perf_counter()
    progress = Progress(
        TextColumn("{task.description:<36}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    with scratch_database(options.data_dir, "evalconv") as url:
        database = Database(settings.model_copy(update={"database_url": url}))
        await database.open()  # migrate once; every trial then only empties the tables
        await database.close()
        with progress:
            task = progress.add_task("starting", total=len(scenarios) * options.repeat, failed=0)
            failed = 0

            def advanced(trial: Trial) -> None:
                nonlocal failed
                failed += not trial.passed
                progress.update(task, advance=1, description=trial.scenario, failed=failed)

            results = await run_scenarios(
                scenarios,
                database_url=url,
                settings=settings,
                provider=options.provider,
                repeat=options.repeat,
                snapshot=options.judge,
                on_trial=advanced,
            )
    summary = summarize(results, options.provider, time.perf_counter() - started, options.repeat)
    judged: dict[str, Any] | None = None
    if options.judge:
        judged = await _judge(results, settings, err)
    print_report(results, summary, out, options.verbose)
    if judged is not None and judged.get("grades"):
        from whsp_ai.evals.judge import print_judgement

        print_judgement(judged, out)
    path = options.report or options.data_dir / "eval-report.json"
    write_report(path, results, summary, judged)
    out.file.flush()
    err.print(f"report written to {path}", highlight=False)
    return EvalOutcome(results, summary, judged, path)


async def _judge(
    results: list[ScenarioResult], settings: Settings, err: Console
) -> dict[str, Any] | None:
    from whsp_ai.evals.judge import Judge, judge_unavailable

    reason = judge_unavailable(settings)
    if reason:
        err.print(f"judge skipped: {reason}", highlight=False)
        return {"skipped": reason}
    judge = Judge(settings)
    try:
        return await judge.grade_all(results, err)
    finally:
        await judge.aclose()
