"""`whsp-ai bench`: the end-to-end load test over loopback, then the floor, then the report.

1. A scratch database on the embedded Postgres, N businesses cloned from the demo files.
2. The fake Graph API and the service (API process + worker processes) on loopback.
3. Warm-up: one customer per business, two turns.
4. Conversations: N × M customers at once, each `turns` turns of its scripted cycle, each
   message waiting for the reply to the one before. Gives end-to-end latency, sustained
   throughput, acks under that load, CPU per message by process, and the checkpoint and
   database bytes of a conversation after `turns` turns.
5. Fixed rate: webhook POSTs at `rate`/s for `rate_seconds`, open loop, then every reply.
6. The exactly-once check (bench/ledger.py) over everything sent.
7. The floor (bench/floor.py) with the same number of conversations and turns.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import psycopg

from whsp_ai.bench import report, scripts
from whsp_ai.bench.engine import CHECKPOINT_BYTES_SQL
from whsp_ai.bench.floor import floor_in_child
from whsp_ai.bench.ledger import Ledger, verify
from whsp_ai.bench.service import API_VERSION, TOKEN, Service, cpu_used, prepare
from whsp_ai.bench.traffic import Traffic, drained
from whsp_ai.bench.wire import FakeGraph, WebhookClient
from whsp_ai.db.embedded import scratch_database


@dataclass
class BenchConfig:
    businesses: int
    customers: int
    turns: int
    rate: float
    rate_seconds: float
    rate_customers: int
    workers: int
    concurrency: int
    data_dir: Path
    quick: bool = False

    @classmethod
    def make(cls, *, quick: bool, **overrides: Any) -> BenchConfig:
        base: dict[str, Any] = (
            dict(businesses=2, customers=5, turns=100, rate_seconds=2.0)
            if quick
            else dict(businesses=4, customers=20, turns=100, rate_seconds=10.0)
        )
        base.update(rate=200.0, rate_customers=200, workers=1, concurrency=8)
        base.update({k: v for k, v in overrides.items() if v is not None})
        base.setdefault("data_dir", Path(".whsp-data"))
        return cls(quick=quick, **base)


def say(line: str) -> None:
    print(line, flush=True)


async def run(config: BenchConfig, profile_dir: Path | None = None) -> dict[str, Any]:
    with scratch_database(config.data_dir, "bench") as url:
        return await _run(config, url, profile_dir)


async def _run(config: BenchConfig, url: str, profile_dir: Path | None) -> dict[str, Any]:
    began = time.perf_counter()
    businesses = scripts.businesses(config.businesses)
    ids = await prepare(url, businesses)
    ledger = Ledger()
    graph = FakeGraph(TOKEN, API_VERSION, ledger.on_post)
    service = Service(url, await graph.start(), config.workers, config.concurrency)
    service.start()
    result: dict[str, Any] = {"config": {k: str(v) for k, v in asdict(config).items()}}
    ok = False
    try:
        await service.wait_ready()
        traffic = Traffic(WebhookClient("127.0.0.1", service.port), ledger)
        await traffic.conversations(businesses, 1, 2, "warmup")
        up_after = time.perf_counter() - began
        say(f"service up with {config.workers} worker process(es) after {up_after:.1f}s")

        conversations = config.businesses * config.customers
        size_before = _database_size(url)
        stats_before = _pg_stats(url)
        cpu_before = service.cpu_snapshot()
        profilers = _profile(service, profile_dir) if profile_dir else []
        started = time.perf_counter()
        await traffic.conversations(businesses, config.customers, config.turns, "conversations")
        elapsed = time.perf_counter() - started
        _stop_profilers(profilers)
        cpu = cpu_used(service.cpu_snapshot(), cpu_before)
        messages = conversations * config.turns
        await asyncio.sleep(1.0)  # backends flush their statistics at most once a second
        stats = _delta(_pg_stats(url), stats_before)
        result["conversations"] = {
            "conversations": conversations,
            "messages": messages,
            "seconds": elapsed,
            "throughput_msgs_per_s": messages / elapsed,
            "ack_ms": report.summary(traffic.acks.get("conversations", [])),
            "cpu_ms_per_message": {k: v * 1000 / messages for k, v in cpu.items()},
            "postgres_per_message": {k: v / messages for k, v in stats.items() if v},
            "orders_placed": _orders(url),
            "script_misses": traffic.script_misses,
            "reply_timeouts": traffic.reply_timeouts,
        }
        await drained(url, ledger, 60)
        result["bytes_per_conversation"] = _bytes_per_conversation(
            url, ids, businesses, config.customers
        ) | {"database_growth": (_database_size(url) - size_before) / conversations}

        rate_seconds = await traffic.fixed_rate(
            businesses, config.rate, config.rate_seconds, config.rate_customers
        )
        rate_started = time.perf_counter() - rate_seconds
        finished = await drained(url, ledger, 180)
        sent_at_rate = len(traffic.acks.get("rate", []))
        result["rate"] = {
            "requests": sent_at_rate,
            "target_per_s": config.rate,
            "achieved_per_s": sent_at_rate / rate_seconds,
            "ack_ms": report.summary(traffic.acks.get("rate", [])),
            "all_replied_after_s": time.perf_counter() - rate_started if finished else None,
        }
        await traffic.client.aclose()
        ok = True
    finally:
        problems = service.log_problems()
        service.stop(keep_logs=not ok or problems > 0)
        await graph.close()
        if not ok:
            say(f"the run failed; service logs kept in {service.logs}")
    verdict = verify(ledger, url)
    result["exactly_once"] = {
        "messages": verdict.messages,
        "lost": verdict.lost,
        "duplicated": verdict.duplicated,
        "out_of_order": verdict.out_of_order,
        "failed_acks": verdict.failed_acks,
        "stray_posts": verdict.stray_posts,
        "graph_refused": graph.stats.refused,
        "webhook_resends": traffic.client.retries,
        "service_log_problems": problems,
        "service_logs": str(service.logs) if problems else None,
        "problems": verdict.problems[:20],
    }
    result["e2e_ms"] = {phase: report.summary(v) for phase, v in verdict.e2e_ms.items()}

    floor_started = time.perf_counter()
    floor, floor_seconds = await asyncio.to_thread(floor_in_child, url, conversations, config.turns)
    result["floor"] = {
        "turn_ms": report.summary(floor),
        "throughput_msgs_per_s": len(floor) / floor_seconds,
    }
    ours = result["e2e_ms"].get("conversations", {}).get("p50", float("nan"))
    result["e2e_p50_ratio_vs_floor"] = ours / result["floor"]["turn_ms"]["p50"]
    result["seconds"] = time.perf_counter() - began
    result["phase_seconds"] = {
        "start": up_after,
        "conversations": elapsed,
        "fixed_rate_and_replies": result["rate"]["all_replied_after_s"],
        "floor": time.perf_counter() - floor_started,
    }
    _print(result, verdict.e2e_ms, traffic.acks, floor)
    return result


def _print(
    r: dict[str, Any], e2e: dict[str, list[float]], acks: dict[str, list[float]], floor: list[float]
) -> None:
    c, b, x = r["conversations"], r["bytes_per_conversation"], r["exactly_once"]
    say(
        f"conversations: {c['conversations']} at once × {c['messages'] // c['conversations']} "
        f"turns = {c['messages']} messages in {c['seconds']:.1f}s, "
        f"{c['orders_placed']} orders placed, {c['script_misses']} script misses"
    )
    e2e_name = "  e2e (webhook POST → first reply at Graph API)"
    say(report.latency_line(e2e_name, e2e.get("conversations", [])))
    say(report.latency_line("  webhook ack under that load", acks.get("conversations", [])))
    say(
        "  CPU ms per message: "
        + ", ".join(f"{k} {v:.2f}" for k, v in c["cpu_ms_per_message"].items())
        + f" (total {sum(c['cpu_ms_per_message'].values()):.2f})"
    )
    pg = c["postgres_per_message"]
    top = sorted(((v, k) for k, v in pg.items() if k.startswith("seq_rows:")), reverse=True)[:3]
    say(
        f"  Postgres per message: {pg.get('transactions', 0):.1f} transactions, "
        f"{pg.get('rows_returned', 0):.0f} rows returned, "
        f"{pg.get('rows_written', 0):.1f} rows written; rows read by sequential scans: "
        + ", ".join(f"{k.split(':', 1)[1]} {v:.0f}" for v, k in top)
    )
    say(
        f"  bytes per conversation after {c['messages'] // c['conversations']} turns: checkpoint "
        f"{b['checkpoint']:.0f}, rows {b['rows']:.0f} ({b['rows_by_table']}), "
        f"database growth {b['database_growth']:.0f}"
    )
    rate = r["rate"]
    say(
        f"fixed rate: {rate['requests']} webhook POSTs at {rate['achieved_per_s']:.0f}/s "
        f"(target {rate['target_per_s']:.0f}/s), all replied after "
        f"{rate['all_replied_after_s'] or float('nan'):.1f}s"
    )
    say(report.latency_line("  webhook ack", acks.get("rate", [])))
    say(report.latency_line("  e2e", e2e.get("rate", [])))
    say(
        f"floor (one-node LangGraph + AsyncPostgresSaver, same conversations and turns): "
        f"{r['floor']['throughput_msgs_per_s']:.0f} turns/s"
    )
    say(report.latency_line("  turn", floor))
    say(
        f"exactly once: {x['messages']} messages, out of order {x['out_of_order']}, failed acks "
        f"{x['failed_acks']}, stray posts {x['stray_posts']}, refused by Graph "
        f"{x['graph_refused']}, webhook resends {x['webhook_resends']}, service log "
        f"warnings/errors {x['service_log_problems']}"
    )
    for problem in x["problems"][:10]:
        say(f"  {problem}")
    if x["service_logs"]:
        say(f"  service logs kept in {x['service_logs']}")
    phases = ", ".join(f"{k} {v or float('nan'):.1f}s" for k, v in r["phase_seconds"].items())
    say(f"total time: {r['seconds']:.1f}s ({phases})")
    for line in report.last_lines(
        r["e2e_p50_ratio_vs_floor"],
        c["throughput_msgs_per_s"],
        rate["ack_ms"]["p99"],
        x["lost"],
        x["duplicated"],
    ):
        say(line)


def _delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {k: after[k] - before.get(k, 0.0) for k in after}


# Postgres's own counters (no pg_stat_statements in the embedded server): transactions,
# rows returned and written, and rows read by sequential scans, table by table.
STATS_SQL = """
SELECT 'transactions' AS k, xact_commit + xact_rollback AS v FROM pg_stat_database
 WHERE datname = current_database()
UNION ALL SELECT 'rows_returned', tup_returned FROM pg_stat_database
 WHERE datname = current_database()
UNION ALL SELECT 'rows_written', tup_inserted + tup_updated + tup_deleted FROM pg_stat_database
 WHERE datname = current_database()
UNION ALL SELECT 'seq_rows:' || relname, seq_tup_read FROM pg_stat_user_tables
UNION ALL SELECT 'index_scans:' || relname, idx_scan FROM pg_stat_user_tables
"""


def _pg_stats(url: str) -> dict[str, float]:
    with psycopg.connect(url, autocommit=True) as conn:
        return {str(k): float(v or 0) for k, v in conn.execute(STATS_SQL).fetchall()}


def _database_size(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def _orders(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM orders").fetchone()
    return int(row[0]) if row else 0


# Live row bytes of a set of conversations, table by table (pg_column_size of whole rows).
ROWS_SQL = {
    "checkpoints": CHECKPOINT_BYTES_SQL,
    "inbound": """SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM inbound_messages t
                  WHERE customer_wa_id = ANY(%(wa_ids)s)""",
    "outbound": """SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM outbound_messages t
                   WHERE to_wa_id = ANY(%(wa_ids)s)""",
    "customers": """SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM customers t
                    WHERE wa_id = ANY(%(wa_ids)s)""",
    "carts": """
        SELECT (SELECT coalesce(sum(pg_column_size(c.*)), 0) FROM carts c
                JOIN customers u ON u.id = c.customer_id WHERE u.wa_id = ANY(%(wa_ids)s))
             + (SELECT coalesce(sum(pg_column_size(i.*)), 0) FROM cart_items i
                JOIN carts c ON c.id = i.cart_id JOIN customers u ON u.id = c.customer_id
                WHERE u.wa_id = ANY(%(wa_ids)s))""",
    "orders": """
        SELECT (SELECT coalesce(sum(pg_column_size(o.*)), 0) FROM orders o
                JOIN customers u ON u.id = o.customer_id WHERE u.wa_id = ANY(%(wa_ids)s))
             + (SELECT coalesce(sum(pg_column_size(i.*)), 0) FROM order_items i
                JOIN orders o ON o.id = i.order_id JOIN customers u ON u.id = o.customer_id
                WHERE u.wa_id = ANY(%(wa_ids)s))""",
}


def _bytes_per_conversation(
    url: str, ids: dict[str, int], businesses: list[scripts.BenchBusiness], customers: int
) -> dict[str, Any]:
    pairs = [
        (ids[b.phone_number_id], scripts.customer_id(b.index, "conversations", c))
        for b in businesses
        for c in range(customers)
    ]
    params = {"threads": [f"{bid}:{wa}" for bid, wa in pairs], "wa_ids": [wa for _, wa in pairs]}
    by_table = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for table, sql in ROWS_SQL.items():
            row = conn.execute(sql, params).fetchone()
            by_table[table] = round(int(row[0] if row else 0) / len(pairs))
    return {
        "checkpoint": by_table["checkpoints"],
        "rows": sum(by_table.values()),
        "rows_by_table": by_table,
    }


def _profile(service: Service, out: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy on every service process (a dev dependency), raw collapsed stacks."""
    spy = str(Path(sys.executable).with_name("py-spy"))
    out.mkdir(parents=True, exist_ok=True)
    options = ["--rate", "250", "--nonblocking", "--format", "raw"]
    return [
        subprocess.Popen(  # noqa: S603
            [spy, "record", "--pid", str(pid), *options, "--output", str(out / f"{name}.txt")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name, pid in service.pids().items()
    ]


def _stop_profilers(profilers: list[subprocess.Popen[bytes]]) -> None:
    for p in profilers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(p.pid, signal.SIGINT)
    for p in profilers:
        p.wait(timeout=60)


def main(config: BenchConfig, json_path: Path | None, profile_dir: Path | None) -> bool:
    """Run, print, write the JSON; False when a message was lost, duplicated or reordered."""
    result = asyncio.run(run(config, profile_dir))
    if json_path is not None:
        report.write_json(json_path, result)
    checked = result["exactly_once"]
    return not (checked["lost"] or checked["duplicated"] or checked["out_of_order"])
