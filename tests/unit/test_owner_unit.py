"""The owner loop's pure parts: typed answers, the business file's templates, transitions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.factories import business_dict
from whsp_ai.importer.schema import BusinessFileError, load_business_file
from whsp_ai.nlu.offline.owner_answer import TypedAnswer, parse
from whsp_ai.tools.orders import TRANSITIONS


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("1200 3", TypedAnswer("confirm", Decimal("1200"), 3)),
        ("$1,200 3", TypedAnswer("confirm", Decimal("1200"), 3)),
        ("1.200 3", TypedAnswer("confirm", Decimal("1200"), 3)),
        ("1200.50 10", TypedAnswer("confirm", Decimal("1200.50"), 10)),
        ("precio 1200, quedan 3", TypedAnswer("confirm", Decimal("1200"), 3)),
        ("3 piezas a 1200", TypedAnswer("confirm", Decimal("1200"), 3)),
        ("21 each, 10 in stock", TypedAnswer("confirm", Decimal("21"), 10)),
        ("si, 1200 y 3", TypedAnswer("confirm", Decimal("1200"), 3)),
        ("1200", TypedAnswer("confirm", Decimal("1200"), None)),
        ("quedan 3", TypedAnswer("confirm", None, 3)),
        ("no", TypedAnswer("reject")),
        ("No.", TypedAnswer("reject")),
        ("nope", TypedAnswer("reject")),
        ("sí", TypedAnswer("confirm")),
        ("ok", TypedAnswer("confirm")),
    ],
)
def test_typed_answers(said: str, answer: TypedAnswer) -> None:
    assert parse(said) == answer


@pytest.mark.parametrize(
    "said",
    [
        "cuanto cuesta?",
        "espera",  # "wait" is no rejection
        "no tengo",
        "a 1200 piezas",  # price or stock? not sure: no answer
        "12 3 4",
        "tengo 3 pero a 1200 y mas",
        "1200 3 mañana",
        "",
        "1.5.5 3",
        "99999999999 3",
        "1200 99999999999",
    ],
)
def test_what_is_no_typed_answer(said: str) -> None:
    assert parse(said) is None


def test_an_answer_reads_as_the_api_takes_it() -> None:
    assert parse("1200 3").as_answer() == {"decision": "confirm", "price": "1200", "stock": 3}  # type: ignore[union-attr]
    assert parse("no").as_answer() == {"decision": "reject"}  # type: ignore[union-attr]


def test_orders_never_go_back() -> None:
    assert TRANSITIONS["pending"] == {"paid", "shipped", "delivered", "cancelled"}
    assert TRANSITIONS["paid"] == {"shipped", "delivered", "cancelled"}
    assert TRANSITIONS["shipped"] == {"delivered", "cancelled"}
    assert TRANSITIONS["delivered"] == TRANSITIONS["cancelled"] == frozenset()


def test_business_file_templates(tmp_path: Path) -> None:
    data = business_dict()
    data["whatsapp"]["templates"] = {
        "owner_notice": "aviso_dueno",
        "customer_update": "aviso_cliente",
        "language": "es_MX",
    }
    path = tmp_path / "biz.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    loaded = load_business_file(path)
    assert loaded.whatsapp.templates.owner_notice == "aviso_dueno"
    for bad, field in (
        ({"owner_notice": "Aviso Dueño"}, "whatsapp.templates.owner_notice"),
        ({"language": "spanish"}, "whatsapp.templates.language"),
        ({"owner_notise": "x"}, "whatsapp.templates.owner_notise"),
    ):
        data["whatsapp"]["templates"] = bad
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        with pytest.raises(BusinessFileError) as refused:
            load_business_file(path)
        assert f"field '{field}'" in str(refused.value)
