"""Knowledge retrieval over the demo businesses' real data (real Postgres)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEMO_DIR
from whsp_ai.db.database import Database
from whsp_ai.db.models import Business
from whsp_ai.importer.load import import_business
from whsp_ai.importer.schema import load_business_file
from whsp_ai.tools.knowledge import retrieve

EVAL_BUSINESSES = DEMO_DIR.parent / "evals" / "businesses"


async def _load(db: Database, path: Path) -> Business:
    async with db.session() as session:
        result = await import_business(session, load_business_file(path))
    async with db.session() as session:
        business = await session.get(Business, result.business_id)
    assert business is not None
    return business


async def _ask(db: Database, business: Business, question: str) -> list[tuple[str, str]]:
    async with db.session() as session:
        found = await retrieve(session, business=business, question=question)
    return [(m.kind, m.topic or m.question) for m in found]


PEPE = [
    ("cuanto cobran de envio", ("fact", "fee")),
    ("a que hora abren?", ("fact", "hours")),
    ("donde estan ubicados?", ("fact", "address")),
    ("aceptan tarjeta?", ("fact", "payment")),
    ("hacen descuento si compro varios", ("rule", "No hacemos descuentos")),
    ("dan factura", ("faq", "¿Hacen factura?")),
    ("me pueden duplicar una llave", ("faq", "¿Hacen duplicado de llaves?")),
    ("tienen estacionamiento?", ("faq", "¿Tienen estacionamiento?")),
    (
        "oiga y la garantia de los taladros de cuanto es",
        ("faq", "¿Dan garantía en herramientas eléctricas?"),
    ),
]


@pytest.mark.parametrize(("question", "expected"), PEPE)
async def test_questions_find_their_entry(
    db: Database, question: str, expected: tuple[str, str]
) -> None:
    business = await _load(db, DEMO_DIR / "ferreteria-don-pepe.yaml")
    assert expected in await _ask(db, business, question)


@pytest.mark.parametrize(
    "question", ["oigan estan contratando? busco chamba", "tienen desarmador de cruz?", "hola"]
)
async def test_what_the_data_does_not_say_finds_nothing(db: Database, question: str) -> None:
    business = await _load(db, DEMO_DIR / "ferreteria-don-pepe.yaml")
    assert await _ask(db, business, question) == []


async def test_a_near_faq_question_is_not_an_answer(db: Database) -> None:
    business = await _load(db, EVAL_BUSINESSES / "farmacia-san-rafael.yaml")
    assert await _ask(db, business, "hacen pruebas de covid?") == []
    assert ("faq", "¿Ponen inyecciones?") in await _ask(db, business, "¿Ponen inyecciones?")
