"""`whsp-ai bench chaos`: kill -9 the service's processes while scripted customers chat.

Over `seconds` (3 minutes by default), on loopback with the fake Graph API:

- scripted customers chat in a closed loop (bench/scripts.py's cycles), each message
  waiting for the reply to the one before;
- a monkey SIGKILLs a random serving worker process at random moments (and the API now
  and then), keeping one worker serving, then starts it again, at once or only after the
  stall threshold, so that the surviving worker has to recover the dead one's messages;
- a webhook that was not answered 200 is sent again, as Meta does, and now and then one
  that was answered is delivered twice, as Meta also does.

At the end (bench/chaos_checks.py): messages lost, duplicated (the Graph API send window
counted apart) and out of order; rows stuck in the outbox; carts and checkout stages that
disagree with the script; conversations whose checkpoint is behind their processed
messages. Exit 1 on any of them.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from whsp_ai.bench import report, scripts
from whsp_ai.bench.chaos_checks import Reference, check, failures
from whsp_ai.bench.chaos_traffic import Customers, Tally
from whsp_ai.bench.ledger import Ledger, verify
from whsp_ai.bench.service import API_VERSION, TOKEN, Service, prepare
from whsp_ai.bench.traffic import drained
from whsp_ai.bench.wire import FakeGraph, WebhookClient
from whsp_ai.db.embedded import scratch_database


@dataclass
class ChaosConfig:
    seconds: float = 180.0
    businesses: int = 2
    customers: int = 8  # per business
    workers: int = 3  # two keep serving while one is killed
    concurrency: int = 4
    kill_every_s: float = 4.0  # mean time between kills
    api_share: float = 0.12  # of the kills, this share hits the API
    late_restart_share: float = 0.3  # of worker kills, restarted only after the threshold
    stalled_after_s: float = 5.0
    sending_stuck_after_s: float = 5.0
    meta_duplicates: float = 0.02  # acknowledged webhooks delivered a second time
    seed: int = 10
    data_dir: Path = Path(".whsp-data")


def say(line: str) -> None:
    print(line, flush=True)


async def monkey(
    service: Service, config: ChaosConfig, tally: Tally, rng: random.Random, until: float
) -> None:
    """SIGKILL a process at random moments; start it again now, or after the threshold."""
    restarts: list[asyncio.Task[None]] = []

    async def restart(name: str, after: float) -> None:
        await asyncio.sleep(after)
        service.respawn(name)

    workers = [f"worker-{i}" for i in range(config.workers)]
    while True:
        pause = rng.expovariate(1 / config.kill_every_s)
        if time.monotonic() + pause >= until:
            break
        await asyncio.sleep(pause)
        # Only processes that got to serving: one killed while still starting (imports take
        # seconds on a loaded machine) holds no work, and the service would spend the run
        # starting up.
        up = [name for name in service.processes() if service.ready(name)]
        if rng.random() < config.api_share:
            if "api" not in up:
                continue
            name, after = "api", rng.uniform(0.2, 1.5)
            tally.api_kills += 1
        else:
            candidates = [w for w in workers if w in up]
            # One serving worker is kept, so that the run measures recovery by the survivor
            # rather than how long a start takes (20 s on a loaded 2-core machine).
            if len(candidates) < 2:
                continue
            name = rng.choice(candidates)
            tally.worker_kills += 1
            late = rng.random() < config.late_restart_share
            s = config.stalled_after_s
            after = rng.uniform(s, 2 * s) if late else rng.uniform(0.0, 1.0)
        service.kill(name)
        restarts.append(asyncio.create_task(restart(name, after)))
    await asyncio.gather(*restarts)


async def run(config: ChaosConfig) -> dict[str, Any]:
    with scratch_database(config.data_dir, "chaos") as url:
        return await _run(config, url)


async def _run(config: ChaosConfig, url: str) -> dict[str, Any]:
    began = time.monotonic()
    rng = random.Random(config.seed)
    businesses = scripts.businesses(config.businesses)
    ids = await prepare(url, businesses)
    ledger, tally = Ledger(), Tally()
    graph = FakeGraph(TOKEN, API_VERSION, ledger.on_post)
    env = {
        "WHSP_STALLED_AFTER_S": str(config.stalled_after_s),
        "WHSP_SENDING_STUCK_AFTER_S": str(config.sending_stuck_after_s),
    }
    service = Service(url, await graph.start(), config.workers, config.concurrency, env)
    service.start()
    client = WebhookClient("127.0.0.1", service.port)
    customers = Customers(client, ledger, tally, rng)
    reference = Reference(url, ids)
    result: dict[str, Any] = {"config": {k: str(v) for k, v in asdict(config).items()}}
    try:
        await service.wait_ready()
        # Before any kill: one customer per business plays the cycle twice, to know the
        # cart and checkout stage that each step of the script leads to.
        cycle = len(scripts.CYCLES["es"])
        await asyncio.gather(
            *(
                customers.chat(
                    b, scripts.customer_id(b.index, "warmup", 0), math.inf, reference, 2 * cycle
                )
                for b in businesses
            )
        )
        say(
            f"service up and script recorded after {time.monotonic() - began:.1f}s; "
            f"killing for {config.seconds:.0f}s"
        )
        customers.duplicate_share = config.meta_duplicates
        until = time.monotonic() + config.seconds
        await asyncio.gather(
            monkey(service, config, tally, rng, until),
            *(
                customers.chat(b, scripts.customer_id(b.index, "conversations", c), until)
                for b in businesses
                for c in range(config.customers)
            ),
        )
        await asyncio.gather(*customers.duplicates)
        for name in service.processes():
            service.respawn(name)  # anything the monkey left dead
        settle_s = 3 * (config.stalled_after_s + config.sending_stuck_after_s) + 60
        result["drained"] = await drained(url, ledger, settle_s)
        await client.aclose()
    finally:
        problems = service.log_problems()
        recovered = sum(
            path.read_text(errors="replace").count("of a stalled worker (lock")
            for path in service.logs.glob("worker-*.log")
        )
        service.stop(keep_logs=True)
        await graph.close()
    verdict = verify(ledger, url)
    checks = await check(url, ids, businesses, reference, tally)
    e2e = verdict.e2e_ms.get("chaos", [])
    result.update(
        seconds=time.monotonic() - began,
        kills={"worker": tally.worker_kills, "api": tally.api_kills},
        webhook_resends=tally.resends,
        meta_duplicates=tally.meta_duplicates,
        messages=verdict.messages,
        lost=verdict.lost,
        duplicated=verdict.duplicated,
        duplicated_send_window=verdict.duplicated_send_window,
        out_of_order=verdict.out_of_order,
        e2e_ms=report.summary(e2e),
        stalled_jobs_retried=recovered,
        service_log_warnings=problems,
        service_logs=str(service.logs),
        problems=verdict.problems[:20],
        **checks,
    )
    _print(result, e2e)
    return result


def _print(r: dict[str, Any], e2e: list[float]) -> None:
    say(
        f"chaos: {r['messages']} messages in {r['seconds']:.0f}s, {r['kills']['worker']} worker "
        f"kills, {r['kills']['api']} API kills, {r['webhook_resends']} webhook resends, "
        f"{r['meta_duplicates']} duplicate deliveries by 'Meta', "
        f"{r['stalled_jobs_retried']} jobs of killed workers retried"
    )
    say(report.latency_line("  e2e (webhook POST → first reply)", e2e))
    say(
        f"  lost {r['lost']}, duplicated {r['duplicated']} (+{r['duplicated_send_window']} in "
        f"the Graph API send window), out of order {r['out_of_order']}"
    )
    say(
        f"  outbox rows stuck {r['outbox_stuck']}, carts that disagree {r['carts_wrong']}, "
        f"checkout stages that disagree {r['stages_wrong']}, checkpoints behind "
        f"{r['checkpoints_behind']} (ahead {r['checkpoints_ahead']}) of "
        f"{r['conversations']} conversations; {r['customers_off_script']} customers off script"
    )
    for problem in [*r["problems"], *r["check_problems"]][:20]:
        say(f"  {problem}")
    say(f"  service logs in {r['service_logs']} ({r['service_log_warnings']} warnings/errors)")


def main(config: ChaosConfig, json_path: Path | None) -> bool:
    """Run, print, write the JSON; False when anything was lost, wrong or behind."""
    result = asyncio.run(run(config))
    if json_path is not None:
        report.write_json(json_path, result)
    return not failures(result)
