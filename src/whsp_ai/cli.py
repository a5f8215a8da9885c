"""The `whsp-ai` command line."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from whsp_ai.settings import get_settings

if TYPE_CHECKING:
    from whsp_ai.db.database import Database

T = TypeVar("T")

app = typer.Typer(
    help="WHSP-AI: a multi-tenant WhatsApp sales agent for small businesses.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
business_app = typer.Typer(
    help="Create and update businesses and their catalogs.", no_args_is_help=True
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(business_app, name="business")
app.add_typer(db_app, name="db")
eval_app = typer.Typer(
    help="Measure quality: conversation scenarios (no subcommand), search, captured drafts."
)
app.add_typer(eval_app, name="eval")
bench_app = typer.Typer(help="Benchmarks that print figures (nothing is asserted).")
app.add_typer(bench_app, name="bench")

err = Console(stderr=True)


def _setup_logging() -> None:
    from whsp_ai.log_config import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)


def _with_database(
    work: Callable[[Database], Awaitable[T]], *, migrate: bool = True, uvloop: bool = False
) -> T:
    """Open the database (starting the embedded server if needed), run `work`, close it.

    With `uvloop`, on uvloop's event loop when it is installed (it comes with uvicorn's
    extras; the API already runs on it): a worker spends less CPU per message on it.
    """
    from whsp_ai.db.database import Database, DatabaseConfigError

    async def run() -> T:
        settings = get_settings()
        if settings.uses_embedded_db and not settings.whsp_data_dir.exists():
            err.print(
                f"no embedded database in {settings.whsp_data_dir.absolute()} yet: creating "
                "one there (WHSP_DATA_DIR chooses another)",
                markup=False,
                soft_wrap=True,
            )
        database = Database(settings)
        try:
            await database.open(migrate=migrate)
        except DatabaseConfigError as exc:
            err.print(f"[red]database error:[/red] {exc}")
            raise typer.Exit(1) from None
        try:
            return await work(database)
        finally:
            await database.close()

    if uvloop:
        try:
            import uvloop as fast_loop
        except ImportError:  # not on Windows
            pass
        else:
            return fast_loop.run(run())
    return asyncio.run(run())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    demo: Annotated[
        bool, typer.Option("--demo", help="Import the bundled demo businesses first.")
    ] = False,
    workers: Annotated[
        bool,
        typer.Option(
            "--workers/--no-workers",
            help="Also process messages here (--no-workers: HTTP only, with `whsp-ai worker`).",
        ),
    ] = True,
) -> None:
    """Run the HTTP API and the background workers in one process."""
    import uvicorn

    from whsp_ai.api.app import create_app

    _setup_logging()
    settings = get_settings()
    uvicorn.run(
        create_app(settings, demo=demo, workers=workers),
        host=host,
        port=port,
        log_config=None,
        timeout_graceful_shutdown=10,
    )


@app.command()
def worker(
    concurrency: Annotated[
        int, typer.Option(help="Messages processed at once (other conversations).")
    ] = 8,
    niceness: Annotated[
        int, typer.Option("--nice", help="Lower this process's CPU priority by this much.")
    ] = 10,
) -> None:
    """Process inbound messages and deliver replies, without the HTTP API (for scaling out)."""
    import os
    import signal

    if niceness:
        # Processing is throughput work; webhook acks on the same machine are latency work.
        os.nice(niceness)

    from whsp_ai.channel import Channel

    _setup_logging()

    async def work(database: Database) -> None:
        channel = await Channel.start(database, get_settings())
        channel.run_workers(concurrency)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        err.print(f"worker running ({concurrency} at a time); Ctrl-C to stop", highlight=False)
        await stop.wait()
        await channel.stop()

    _with_database(work, uvloop=True)


@bench_app.callback(invoke_without_command=True)
def bench(
    ctx: typer.Context,
    quick: Annotated[
        bool, typer.Option("--quick", help="A smaller run that finishes in under a minute.")
    ] = False,
    businesses: Annotated[
        int | None, typer.Option(min=1, help="Businesses, cloned from the demo files.")
    ] = None,
    customers: Annotated[
        int | None, typer.Option(min=1, help="Customers per business, all talking at once.")
    ] = None,
    turns: Annotated[int | None, typer.Option(min=1, help="Messages per customer.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="`whsp-ai worker` processes beside the API (default 1)."),
    ] = None,
    rate: Annotated[
        float, typer.Option(min=1, help="Webhook requests per second of the fixed-rate phase.")
    ] = 200.0,
    rate_seconds: Annotated[
        float | None, typer.Option(min=0.5, help="Length of the fixed-rate phase.")
    ] = None,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write every figure to this JSON file.")
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(help="Record py-spy profiles (raw stacks) of every service process here."),
    ] = None,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """End-to-end load test over loopback, then the LangGraph floor; prints figures.

    The service (API + worker processes) runs on a scratch database with a fake Graph API;
    N businesses × M customers play scripted conversations. The last four lines are
    machine-readable: e2e_p50_ratio_vs_floor, throughput_msgs_per_s, ack_p99_ms (at 200
    req/s) and lost/duplicated. The exit status is 1 when a message was lost, duplicated
    or delivered out of order.
    """
    if ctx.invoked_subcommand is not None:
        return
    from whsp_ai.bench.run import BenchConfig, main

    config = BenchConfig.make(
        quick=quick,
        businesses=businesses,
        customers=customers,
        turns=turns,
        workers=workers,
        rate=rate,
        rate_seconds=rate_seconds,
        data_dir=data_dir,
    )
    if not main(config, json_path, profile):
        raise typer.Exit(1)


@bench_app.command("search")
def bench_search(
    products: Annotated[
        int, typer.Option(min=100, help="Products in the large catalog.")
    ] = 100_000,
    small: Annotated[int, typer.Option(min=1, help="Smaller businesses beside it.")] = 10,
    rounds: Annotated[int, typer.Option(min=10, help="Query groups per catalog kind.")] = 200,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """Search latency (p50/p95) on a large catalog and small ones, index build time."""
    from whsp_ai.bench.search import run

    asyncio.run(run(products, small, rounds, data_dir))


@bench_app.command("import")
def bench_import(
    products: Annotated[int, typer.Option(min=1, help="Products in the generated file.")] = 10_000,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """A generated catalog imported from file to committed rows, then imported again."""
    from whsp_ai.bench.importer import run

    asyncio.run(run(products, data_dir))


@bench_app.command("engine")
def bench_engine(
    turns: Annotated[int, typer.Option(min=1, help="Turns of the timed conversation.")] = 100,
    concurrency: Annotated[
        int, typer.Option(min=1, help="Conversations at once in the throughput runs.")
    ] = 16,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """The conversation engine alone, in this process: turn latency, the checkpointer's
    share, checkpoint bytes, and throughput with one saver lock or four."""
    from whsp_ai.bench.engine import run

    asyncio.run(run(turns, concurrency, data_dir))


@bench_app.command("dashboard")
def bench_dashboard(
    renders: Annotated[int, typer.Option(min=5, help="Timed renders of each page.")] = 50,
    orders: Annotated[int, typer.Option(min=1, help="Orders in the big shop.")] = 10_000,
    products: Annotated[int, typer.Option(min=100, help="Products in the big shop.")] = 10_000,
    customers: Annotated[int, typer.Option(min=30, help="Customers, with messages.")] = 2_000,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write every figure to this JSON file.")
    ] = None,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """Every dashboard page rendered through the app, p50/p95, on a shop with 10,000 orders
    and 10,000 products; exit 1 when a page's p95 is 200 ms or more."""
    from whsp_ai.bench.dashboard import passed, run, write_json
    from whsp_ai.bench.dashboard_seed import Size

    size = Size(products=products, orders=orders, customers=customers)
    timings = asyncio.run(run(renders, size, data_dir))
    if json_path is not None:
        write_json(timings, json_path)
    if not passed(timings):
        raise typer.Exit(1)


@bench_app.command("chaos")
def bench_chaos(
    seconds: Annotated[float, typer.Option(min=10, help="How long to kill processes.")] = 180.0,
    workers: Annotated[int, typer.Option(min=2, help="`whsp-ai worker` processes.")] = 3,
    customers: Annotated[int, typer.Option(min=1, help="Scripted customers per business.")] = 8,
    kill_every: Annotated[
        float, typer.Option(min=0.2, help="Mean seconds between two kills.")
    ] = 4.0,
    seed: Annotated[int, typer.Option(help="Seed of the random kills.")] = 10,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write every figure to this JSON file.")
    ] = None,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """SIGKILL workers (and the API now and then) while scripted customers chat, on loopback.

    Counts messages lost, duplicated (the Graph API send window apart) and out of order,
    outbox rows stuck, carts and checkout stages that disagree with the script, and
    conversations whose checkpoint is behind their processed messages; exit 1 on any.
    """
    from whsp_ai.bench.chaos import ChaosConfig, main

    config = ChaosConfig(
        seconds=seconds,
        workers=workers,
        customers=customers,
        kill_every_s=kill_every,
        seed=seed,
        data_dir=data_dir,
    )
    if not main(config, json_path):
        raise typer.Exit(1)


@business_app.command("import")
def business_import(
    file: Annotated[Path, typer.Argument(help="Business file, YAML or JSON (CONTRACT §3).")],
    rotate_key: Annotated[
        bool, typer.Option("--rotate-key", help="Issue a new API key (the old one stops working).")
    ] = False,
    prune: Annotated[
        bool, typer.Option("--prune", help="Delete products that are not in the file.")
    ] = False,
) -> None:
    """Create or update one business and its catalog. Prints one JSON object on stdout."""
    from whsp_ai.importer.load import import_business
    from whsp_ai.importer.schema import BusinessFileError, load_business_file

    _setup_logging()
    try:
        data = load_business_file(file)
    except BusinessFileError as exc:
        sys.stderr.write(f"{exc}\n")
        raise typer.Exit(2) from None

    async def work(database: Database) -> dict[str, object]:
        progress = Progress(
            TextColumn("importing {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        with progress:
            task = progress.add_task(data.slug, total=len(data.products))
            async with database.session() as session:
                result = await import_business(
                    session,
                    data,
                    rotate_key=rotate_key,
                    prune=prune,
                    on_progress=lambda n: progress.advance(task, n),
                )
        err.print(
            f"{result.slug}: {result.products_created} products created, "
            f"{result.products_updated} updated, {result.products_pruned} pruned",
            highlight=False,
        )
        # Which database, because a service elsewhere only sees this business if it is its own.
        err.print(f"wrote to {database.settings.database_label()}", markup=False, soft_wrap=True)
        return {"business": result.slug, "created": result.created, "api_key": result.api_key}

    try:
        output = _with_database(work)
    except BusinessFileError as exc:
        sys.stderr.write(f"{file}: {exc}\n")
        raise typer.Exit(2) from None
    sys.stdout.write(json.dumps(output) + "\n")


@app.command()
def chat(
    slug: Annotated[str, typer.Argument(help="The business to talk to.")],
    customer: Annotated[
        str, typer.Option(help="Your WhatsApp id as the customer.")
    ] = "5210000000000",
) -> None:
    """Talk to a business as a customer in the terminal, through the same engine as WhatsApp."""
    # Only light imports before the slug is known to exist: the engine loads behind the prompt.
    from whsp_ai.chat.start import HELP, business_name, converse, open_database

    settings = get_settings()

    def say(text: str) -> None:
        err.print(text, markup=False, highlight=False, soft_wrap=True)

    if settings.uses_embedded_db and not settings.whsp_data_dir.exists():
        say(f"no database at {settings.whsp_data_dir.absolute()} yet: import a business first")
        say("(whsp-ai business import FILE), or set WHSP_DATA_DIR / DATABASE_URL")
        raise typer.Exit(2)
    url, server = open_database(settings, say)
    try:
        try:
            name, known = business_name(url, slug)
        except ConnectionError as exc:
            say(f"database error: {exc}")
            raise typer.Exit(1) from None
        if name is None:
            say(f"no business with slug {slug!r} in the {settings.database_label()}")
            say(f"known: {', '.join(known)}" if known else "it has no businesses yet")
            say("import one with `whsp-ai business import FILE`")
            raise typer.Exit(2)
        say(f"Chatting with {name} as {customer}. {HELP}")
        asyncio.run(converse(settings, slug, customer, say))
    finally:
        if server is not None:
            server.stop()


@eval_app.callback(invoke_without_command=True)
def eval_conversations(
    ctx: typer.Context,
    provider: Annotated[
        str, typer.Option(help="Understanding provider: offline (rules) or vertex (Gemini).")
    ] = "offline",
    repeat: Annotated[
        int, typer.Option("--repeat", "-k", min=1, help="Trials per scenario (pass^k when > 1).")
    ] = 1,
    only: Annotated[
        str | None, typer.Option(help="Regular expression over scenario ids, titles and tags.")
    ] = None,
    judge: Annotated[
        bool, typer.Option("--judge", help="Also have Gemini grade every reply (needs Vertex).")
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(help="Where to write the JSON report (default DATA_DIR/eval-report.json)."),
    ] = None,
    min_pass_rate: Annotated[
        float, typer.Option(min=0, max=1, help="Exit 1 when the pass rate is below this.")
    ] = 0.95,
    max_harm: Annotated[
        int, typer.Option(min=0, help="Exit 1 when the harm count (wrong effects) is above this.")
    ] = 0,
    scenarios: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenarios", help="Scenario files or directories (default: the bundled set)."
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print the transcript of every failure.")
    ] = False,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """Play the conversation scenarios through the real pipeline and grade the final state.

    The last line is `N passed, M failed` (trials); the exit status is 1 when the pass rate
    is below --min-pass-rate or the harm count is above --max-harm.
    """
    if ctx.invoked_subcommand is not None:
        return
    from whsp_ai.evals.command import EvalOptions, run_eval
    from whsp_ai.evals.scenario import ScenarioError, load_scenarios, select
    from whsp_ai.log_config import configure_logging

    settings = get_settings()
    configure_logging("WARNING", settings.log_format)  # the progress bar and table speak
    if provider not in ("offline", "vertex"):
        err.print(f"--provider must be offline or vertex, not {provider!r}")
        raise typer.Exit(2)
    if provider == "vertex" and not settings.google_cloud_project:
        err.print("--provider vertex needs GOOGLE_CLOUD_PROJECT (and Vertex AI credentials)")
        raise typer.Exit(2)
    try:
        chosen = load_scenarios(scenarios)
    except ScenarioError as exc:
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    if not scenarios:
        chosen = [s for s in chosen if not s.draft]  # captured drafts run only when named
    chosen = select(chosen, only)
    if not chosen:
        err.print(f"no scenario matches {only!r}")
        raise typer.Exit(2)
    options = EvalOptions(provider, repeat, judge, verbose, report, data_dir)
    outcome = asyncio.run(run_eval(chosen, settings, options, Console(), err))
    summary = outcome.summary
    harmful = summary["harm_total"] > max_harm
    failing = summary["pass_rate"] < min_pass_rate or harmful
    sys.stdout.flush()  # the table first, then the verdict, then the count: in one log too
    if summary["pass_rate"] < min_pass_rate:
        err.print(f"pass rate {summary['pass_rate']:.3f} is below {min_pass_rate:.2f}")
    if harmful:
        err.print(f"harm count {summary['harm_total']} is above {max_harm}")
    print(f"{summary['passed']} passed, {summary['failed']} failed")  # the contract's last line
    if failing:
        raise typer.Exit(1)


@eval_app.command("capture")
def eval_capture(
    slug: Annotated[str, typer.Argument(help="The business whose conversations to capture.")],
    since: Annotated[
        str | None,
        typer.Option(help="Messages from this date or time on, ISO 8601 (default: 7 days ago)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for the draft files.")] = Path(
        ".whsp-data/captured"
    ),
) -> None:
    """Turn recorded conversations into draft scenarios for review (one file per customer).

    Customer numbers are pseudonymized with a keyed hash; phone numbers, e-mails and
    delivery addresses in messages are masked. Expectations are drafted from the database
    as it is now: correct them to what should have happened before using a draft.
    """
    from datetime import UTC, datetime, timedelta

    from whsp_ai.evals.capture import CaptureError, capture, write

    _setup_logging()
    try:
        start = datetime.fromisoformat(since) if since else datetime.now(UTC) - timedelta(days=7)
    except ValueError:
        err.print(f"--since must be a date like 2026-11-20, not {since!r}")
        raise typer.Exit(2) from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)

    async def work(database: Database) -> list[Path]:
        try:
            drafts = await capture(database, slug, start)
        except CaptureError as exc:
            err.print(str(exc))
            raise typer.Exit(2) from None
        return await asyncio.to_thread(write, drafts, out)

    paths = _with_database(work)
    for path in paths:
        sys.stdout.write(f"{path}\n")
    err.print(f"{len(paths)} draft scenario(s) since {start:%Y-%m-%d %H:%M} in {out}")


@eval_app.command("search")
def eval_search(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every failing query.")
    ] = False,
    data_dir: Annotated[
        Path, typer.Option(help="Embedded Postgres for the throwaway database.")
    ] = Path(".whsp-data"),
) -> None:
    """Search quality on the labeled set: recall@1/@3, MRR, "none" false positives."""
    from whsp_ai.evals.search import print_report, run_search_eval

    _setup_logging()
    report = asyncio.run(run_search_eval(data_dir))
    print_report(report, Console(), verbose)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration (also done on every startup)."""
    from whsp_ai.db.migrate import head_revision

    _setup_logging()

    async def work(database: Database) -> None:
        return None  # opening the database applied the migrations

    _with_database(work)
    err.print(f"database is at migration {head_revision()}")


@db_app.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("-m", "--message", help="What the migration does.")],
) -> None:
    """For developers: write a new migration from the difference between models and database."""
    from alembic import command

    from whsp_ai.db.migrate import alembic_config

    _setup_logging()

    async def work(database: Database) -> None:
        await asyncio.to_thread(
            command.revision, alembic_config(database.url), message=message, autogenerate=True
        )

    _with_database(work)


if __name__ == "__main__":  # pragma: no cover
    app()
