"""`whsp-ai eval capture`: recorded conversations become pseudonymized draft scenarios."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from whsp_ai.db.database import Database
from whsp_ai.db.repositories import businesses
from whsp_ai.evals.capture import PLACEHOLDER_ADDRESS, capture, pseudonym, write
from whsp_ai.evals.conversations import run_scenarios
from whsp_ai.evals.scenario import load_file
from whsp_ai.settings import Settings

WHSP = str(Path(sys.executable).with_name("whsp-ai"))
CUSTOMER = "5215512340001"  # the first customer the eval harness plays
ADDRESS = "Av. Reforma 123, Col. Juárez, CDMX"

# Real traffic, recorded by the real pipeline: the eval harness plays it through the webhook.
RECORDED = f"""\
scenarios:
  - id: recorded
    business: ferreteria-don-pepe
    also: [tea-and-kettle]
    steps:
      - say: hola
      - say: agrega 2 martillos
      - say: gracias! cualquier cosa mi cel es 55 1234 5678
      - send: image
      - say: quiero 1 taladro percutor
      - owner: {{decision: confirm, price: 1200, stock: 3}}
      - tap: Pagar
      - say: sí
      - say: {ADDRESS}
      - say: efectivo
      - say: sí
    expect:
      cart: {{}}
"""


async def record(tmp_path: Path, database_url: str, settings: Settings) -> None:
    path = tmp_path / "recorded.yaml"
    path.write_text(RECORDED, encoding="utf-8")
    [result] = await run_scenarios(load_file(path), database_url=database_url, settings=settings)
    assert result.trials[0].passed, result.trials[0].failures


async def test_capture_pseudonymizes_masks_and_replays(
    db: Database, database_url: str, settings: Settings, tmp_path: Path
) -> None:
    await record(tmp_path, database_url, settings)
    [draft] = await capture(db, "ferreteria-don-pepe", None)
    [again] = await capture(db, "ferreteria-don-pepe", None)
    assert draft.filename == again.filename  # the pseudonym is stable
    async with db.session() as session:
        business = await businesses.by_slug(session, slug="ferreteria-don-pepe")
    assert business is not None
    pseudo = pseudonym(business, CUSTOMER)
    assert draft.filename == f"ferreteria-don-pepe-{pseudo}.yaml"
    text = draft.text
    for secret in (CUSTOMER, "1234 5678", "Reforma 123", "Juárez"):
        assert secret not in text, secret
    assert "[phone]" in text and text.count(PLACEHOLDER_ADDRESS["es"]) >= 3  # said, echoed, order

    [path] = write([draft], tmp_path / "drafts")
    [scenario] = load_file(path)
    assert scenario.draft and scenario.id == f"captured-ferreteria-don-pepe-{pseudo}"
    assert [s.action for s in scenario.steps] == [
        "say", "say", "say", "send", "say", "owner", "tap", "say", "say", "say", "say"
    ]  # fmt: skip
    owner = scenario.steps[5].owner
    assert owner is not None
    assert (owner.decision, owner.price, owner.stock) == ("confirm", 1200, 3)
    assert scenario.steps[1].observed == ["Agregué 2 × Martillo de uña 16 oz.\nTotal: $438.00 MXN"]
    assert scenario.expect.orders is not None
    [order] = scenario.expect.orders
    assert order.total == 1578 and order.address == PLACEHOLDER_ADDRESS["es"]
    assert scenario.expect.approvals and scenario.expect.approvals[0].status == "confirmed"

    # The flywheel closes: the draft replays through the pipeline and its expectations hold.
    [replayed] = await run_scenarios([scenario], database_url=database_url, settings=settings)
    assert replayed.trials[0].passed, replayed.trials[0].failures


async def test_since_leaves_out_older_conversations(
    db: Database, database_url: str, settings: Settings, tmp_path: Path
) -> None:
    await record(tmp_path, database_url, settings)
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    assert await capture(db, "ferreteria-don-pepe", tomorrow) == []
    assert await capture(db, "tea-and-kettle", None) == []  # nobody wrote to the tea shop


async def test_the_command_writes_drafts_and_refuses_what_it_cannot_use(
    db: Database, database_url: str, settings: Settings, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    await record(tmp_path, database_url, settings)
    out = tmp_path / "drafts"
    args = [WHSP, "eval", "capture", "ferreteria-don-pepe", "--since", "2026-01-01"]
    run = subprocess.run(
        [*args, "--out", str(out)], env=cli_env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    [written] = run.stdout.split()
    assert Path(written).parent == out and CUSTOMER not in Path(written).read_text()
    assert "1 draft scenario(s)" in run.stderr
    for bad, problem in (
        (["panaderia-rosa"], "no business with slug 'panaderia-rosa'"),
        (["ferreteria-don-pepe", "--since", "yesterday"], "--since must be a date"),
    ):
        refused = subprocess.run(
            [WHSP, "eval", "capture", *bad],
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert refused.returncode == 2 and problem in refused.stderr
