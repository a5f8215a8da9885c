"""Quantities from digits and number words, Spanish and English, accent-insensitive."""

from decimal import Decimal

import pytest

from whsp_ai.nlu.numbers import is_number_word, leading_amount, leading_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2),
        ("12", 12),
        ("1,000", 1000),
        ("cero", 0),
        ("uno", 1),
        ("una", 1),
        ("un", 1),
        ("dos", 2),
        ("tres", 3),
        ("Diez", 10),
        ("quince", 15),
        ("dieciséis", 16),
        ("DIECISÉIS", 16),
        ("veinte", 20),
        ("veintiún", 21),
        ("veintitrés", 23),
        ("treinta y cinco", 35),
        ("cien", 100),
        ("ciento veinte", 120),
        ("doscientos cincuenta", 250),
        ("mil", 1000),
        ("mil quinientos", 1500),
        ("una docena", 12),
        ("docena", 12),
        ("dos docenas", 24),
        ("media docena", 6),
        ("un par", 2),
        ("one", 1),
        ("three", 3),
        ("eleven", 11),
        ("twenty", 20),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("ninety nine", 99),
        ("a hundred", 100),
        ("one hundred and twenty", 120),
        ("two thousand five hundred", 2500),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("half dozen", 6),
        ("a couple", 2),
        ("a pair", 2),
        ("couple", 2),
    ],
)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "a",
        "a few",
        "some",
        "focos",
        "2.5",
        "segundo",
        "2do",
        "12345678",  # phone-like digit runs are not quantities
        "9" * 5000,  # and must not hit int()'s digit limit
        "dos tres",  # two numbers, not one
        "y",
    ],
)
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 focos", (2, "focos")),
        ("dos focos LED", (2, "focos led")),
        ("una docena de focos", (12, "de focos")),
        ("media docena de brochas", (6, "de brochas")),
        ("un par de guantes", (2, "de guantes")),
        ("a couple of whisks", (2, "of whisks")),
        ("half a dozen teapots", (6, "teapots")),
        ("three earl grey", (3, "earl grey")),
        ("treinta y cinco tornillos", (35, "tornillos")),
        ("veinte y", (20, "y")),  # a dangling 'y' is left for the caller
        ("3 de esos", (3, "de esos")),
    ],
)
def test_leading_number(text: str, expected: tuple[int, str]) -> None:
    assert leading_number(text) == expected


@pytest.mark.parametrize("text", ["focos 2", "the first one", "a whisk", "", "x2"])
def test_no_leading_number(text: str) -> None:
    assert leading_number(text) is None


@pytest.mark.parametrize(
    ("text", "amount", "used"),
    [
        ("$50 o menos", Decimal(50), 3),
        ("12.50 pesos", Decimal("12.50"), 5),
        ("$ 1,000", Decimal(1000), 7),
        ("cien pesos", Decimal(100), 5),
        ("twenty dollars", Decimal(20), 7),
    ],
)
def test_leading_amount(text: str, amount: Decimal, used: int) -> None:
    assert leading_amount(text) == (amount, used)


def test_leading_amount_none() -> None:
    assert leading_amount("pesos") is None


def test_is_number_word() -> None:
    assert is_number_word("Veinte")
    assert is_number_word("7")
    assert not is_number_word("focos")
