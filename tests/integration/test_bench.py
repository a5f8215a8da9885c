"""The end-to-end benchmark's machinery, in a tiny run, so it can't rot unnoticed.

Figures are printed, never asserted here: only what must hold on any machine is checked
(every reply delivered exactly once, the scripts still match the engine, the last lines).
"""

from __future__ import annotations

import pytest

from tests.conftest import TEST_DATA_DIR
from whsp_ai.bench.ledger import Ledger, Post, Sent, verify
from whsp_ai.bench.report import parse_last_lines
from whsp_ai.bench.run import BenchConfig, run
from whsp_ai.db.database import Database


async def test_a_tiny_run_delivers_every_reply_exactly_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    customers, turns, rate, rate_seconds = 2, 15, 20.0, 0.5
    config = BenchConfig.make(
        quick=True,
        businesses=1,
        customers=customers,
        turns=turns,
        rate=rate,
        rate_seconds=rate_seconds,
        workers=1,
        data_dir=TEST_DATA_DIR,
    )
    result = await run(config)
    printed = capsys.readouterr().out
    last = parse_last_lines(printed)
    assert (last["lost"], last["duplicated"]) == (0, 0), printed
    checked = result["exactly_once"]
    warmup = 2  # one warm-up customer, two turns
    assert checked["messages"] == warmup + customers * turns + int(rate * rate_seconds)
    assert checked["out_of_order"] == checked["failed_acks"] == checked["graph_refused"] == 0
    assert checked["service_log_problems"] == 0, checked["service_logs"]
    conversations = result["conversations"]
    assert conversations["script_misses"] == 0, "a scripted tap found no such button"
    assert conversations["orders_placed"] == customers  # one full cycle each ends in an order
    assert result["e2e_ms"]["conversations"]["n"] == customers * turns
    assert result["bytes_per_conversation"]["checkpoint"] > 0


async def test_the_check_counts_lost_and_duplicated_messages(db: Database) -> None:
    ledger = Ledger()
    # Acknowledged, but nothing was recorded, processed or delivered: lost.
    ledger.sent["wamid.a"] = Sent("wamid.a", "1990000", "521", "conversations", 0.0, 1.0, 200)
    # A message the Graph API received that no outbox row claims: delivered twice.
    ledger.posts["wamid.bench.1"] = Post("1990000", "521", {"to": "521"}, 0.5)
    ledger.receipts["wamid.a"] += [0.1, 0.2]  # two read receipts: one too many
    verdict = verify(ledger, db.url)
    assert (verdict.messages, verdict.lost, verdict.duplicated) == (1, 1, 2)


def test_last_lines_are_parsed_or_refused() -> None:
    text = "noise\ne2e_p50_ratio_vs_floor: 1.50\nthroughput_msgs_per_s: 151\nack_p99_ms: 20\n"
    figures = parse_last_lines(text + "lost: 0 duplicated: 3\n")
    assert figures == {
        "e2e_p50_ratio_vs_floor": 1.5,
        "throughput_msgs_per_s": 151,
        "ack_p99_ms": 20,
        "lost": 0,
        "duplicated": 3,
    }
    with pytest.raises(ValueError, match="last lines"):
        parse_last_lines(text)
