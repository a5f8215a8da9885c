"""The business file loader: accepts CONTRACT §3, and names file, product and field on errors."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.factories import business_dict
from whsp_ai.demo import demo_files
from whsp_ai.importer.schema import BusinessFileError, load_business_file


def write(tmp_path: Path, data: Any, name: str = "biz.yaml") -> Path:
    path = tmp_path / name
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_for(path: Path) -> str:
    with pytest.raises(BusinessFileError) as info:
        load_business_file(path)
    message = str(info.value)
    assert str(path) in message, "the message must name the file"
    return message


def test_contract_example_loads(tmp_path: Path) -> None:
    business = load_business_file(write(tmp_path, business_dict()))
    assert business.slug == "panaderia-rosa"
    assert business.whatsapp.phone_number_id == "110000000000001"
    assert [p.sku for p in business.products] == ["PAN-INT-500", "CONCHA", "PASTEL-3L"]
    assert str(business.products[0].price) == "45.0"
    assert business.products[1].status == "confirmed"  # the default
    assert business.products[1].stock == 3 and business.products[2].stock is None
    assert business.checkout.payment_methods == ["efectivo", "transferencia", "tarjeta"]


def test_json_file_loads(tmp_path: Path) -> None:
    assert load_business_file(write(tmp_path, business_dict(), "biz.json")).currency == "MXN"


def test_unquoted_phone_numbers_are_accepted(tmp_path: Path) -> None:
    data = business_dict(owner_phone=5215512345678)
    data["whatsapp"]["phone_number_id"] = 110000000000001
    business = load_business_file(write(tmp_path, data))
    assert business.owner_phone == "5215512345678"
    assert business.whatsapp.phone_number_id == "110000000000001"


@pytest.mark.parametrize("path", demo_files(), ids=lambda p: p.stem)
def test_demo_files_are_valid(path: Path) -> None:
    business = load_business_file(path)
    assert len(business.products) >= 40
    assert sum(p.status == "unconfirmed" for p in business.products) >= 2
    assert any(p.stock is not None and p.stock <= 5 for p in business.products)
    assert all(p.category and p.aliases for p in business.products)


def test_missing_top_level_field(tmp_path: Path) -> None:
    data = business_dict()
    del data["currency"]
    assert "field 'currency': required field is missing" in error_for(write(tmp_path, data))


def test_missing_product_field_names_index_and_sku(tmp_path: Path) -> None:
    data = business_dict()
    del data["products"][1]["price"]
    message = error_for(write(tmp_path, data))
    assert "product #1 (sku 'CONCHA'): field 'price': required field is missing" in message


def test_duplicate_sku(tmp_path: Path) -> None:
    data = business_dict()
    data["products"][2]["sku"] = "CONCHA"
    message = error_for(write(tmp_path, data))
    assert "product #2 (sku 'CONCHA'): field 'sku': duplicate of product #1" in message


def test_negative_price(tmp_path: Path) -> None:
    data = business_dict()
    data["products"][0]["price"] = -1
    message = error_for(write(tmp_path, data))
    assert "product #0 (sku 'PAN-INT-500'): field 'price'" in message
    assert "greater than or equal to 0" in message


def test_unknown_currency(tmp_path: Path) -> None:
    message = error_for(write(tmp_path, business_dict(currency="PESOS")))
    assert "field 'currency'" in message and "ISO 4217" in message


@pytest.mark.parametrize("status", ["rejected", "maybe"])
def test_unknown_status(tmp_path: Path, status: str) -> None:
    data = business_dict()
    data["products"][1]["status"] = status
    message = error_for(write(tmp_path, data))
    assert "product #1 (sku 'CONCHA'): field 'status'" in message


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("slug: x\nname: [unclosed\nlanguage: es\n", encoding="utf-8")
    assert "malformed YAML at line" in error_for(path)


def test_malformed_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"slug": "x",', encoding="utf-8")
    assert "malformed JSON at line 1" in error_for(path)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    assert "mapping" in error_for(path)


def test_unknown_field_is_named(tmp_path: Path) -> None:
    data = business_dict()
    data["products"][0]["colour"] = "red"
    message = error_for(write(tmp_path, data))
    assert "product #0 (sku 'PAN-INT-500'): field 'colour': unknown field" in message


def test_bad_slug_and_language(tmp_path: Path) -> None:
    message = error_for(write(tmp_path, business_dict(slug="Panadería Rosa", language="fr")))
    assert "field 'slug'" in message and "field 'language'" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = business_dict(currency="XXY")
    data["products"][0]["price"] = -5
    data["products"][2]["stock"] = -1
    message = error_for(write(tmp_path, data))
    assert "currency" in message and "'price'" in message and "'stock'" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in error_for(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("where", "value", "field"),
    [
        (("name",), "Panadería\x00", "'name'"),
        (("persona", "agent_name"), "Ro\x00sa", "'persona.agent_name'"),
        (("persona", "greeting"), "Hola\x00", "'persona.greeting'"),
        (("persona", "rules", 0), "sin\x00descuentos", "'persona.rules.0'"),
        (("checkout", "payment_methods", 0), "efec\x00tivo", "'checkout.payment_methods.0'"),
        (("products", 1, "name"), "Concha\x00", "product #1 (sku 'CONCHA'): field 'name'"),
        (("products", 1, "description"), "\x00", "field 'description'"),
        (("products", 1, "aliases"), ["con\x00cha"], "field 'aliases.0'"),
        (("products", 1, "name"), "Concha \ud83d", "field 'name'"),  # half an emoji
        (("products", 1, "sku"), "CON/CHA", "field 'sku'"),
        (("products", 1, "sku"), "50%", "field 'sku'"),
        (("products", 1, "sku"), "A#1", "field 'sku'"),
        (("products", 1, "sku"), " CONCHA", "field 'sku'"),
        (("products", 1, "stock"), 2**31, "field 'stock'"),
        (("products", 1, "price"), 10**10, "field 'price'"),
    ],
)
def test_text_and_numbers_the_database_cannot_hold_are_located_errors(
    tmp_path: Path, where: tuple[Any, ...], value: Any, field: str
) -> None:
    data = business_dict()
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    # JSON, whose \u escapes can carry a lone surrogate into the file as a client would
    message = error_for(write(tmp_path, data, "biz.json"))
    assert field in message, message
