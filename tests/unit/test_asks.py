"""Which asks are the same thing (shared approvals), and quoting a customer to the owner."""

from __future__ import annotations

import pytest

from whsp_ai.text.quote import block_quote, quotation, strip_links
from whsp_ai.tools.asks import same_ask

SAME = [
    ("¿Hacen pasteles sin gluten? https://bit.ly/x1", "hacen pasteles sin gluten"),
    ("oye, hacen pasteles sin gluten?", "Hacen pasteles sin gluten por favor"),
    ("hola! hacen envios a cholula??", "hacen envío a Cholula"),
    ("velas de cumpleaños", "velas de cumpleaño"),
    ("escaleras de aluminio", "escalera de alumino"),
    ("Escaleras de Aluminio!", "escaleras aluminio"),
    ("hi, do you deliver to Brooklyn?", "do you deliver to brooklyn thanks"),
    ("do u have gift cards", "do u have gift card"),
]
DIFFERENT = [
    ("martillo de bola", "martillo de bola grande"),
    ("do you sell gift cards", "do you sell gift wrap"),
    ("hacen pasteles sin gluten", "hacen pasteles de chocolate sin gluten"),
    ("are you open on christmas", "are you open on new years day"),
    ("pintura blanca", "pintura negra"),
    ("foco 9 w", "foco 12 w"),
    ("velas", "globos"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_near_duplicates_are_one_ask(a: str, b: str) -> None:
    assert same_ask(a, b) and same_ask(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_things_are_not(a: str, b: str) -> None:
    assert not same_ask(a, b) and not same_ask(b, a)


@pytest.mark.parametrize(
    ("said", "kept"),
    [
        ("tienen esto? https://amzn.to/3xYz ya", "tienen esto? ya"),
        ("mira www.tienda.com/p/1 y bit.ly/abc", "mira y"),
        ("lo vi en mercadolibre.com.mx/p/123 barato", "lo vi en barato"),
        ("HTTP://EXAMPLE.ORG/x?y=1#z", ""),
        ("pintura 4.5 L a las 8.30 a.m.", "pintura 4.5 L a las 8.30 a.m."),
    ],
)
def test_links_are_stripped(said: str, kept: str) -> None:
    assert strip_links(said) == kept


def test_a_quotation_is_a_bounded_block_quote() -> None:
    assert quotation("hola https://x.co/a\n\n  mundo ") == "> hola\n> mundo"
    assert quotation("https://x.co") == "> …"
    long = quotation("a" * 600, limit=100)
    assert len(long) == 102 and long.endswith("…")
    assert block_quote("see https://shop.example.com") == "> see https://shop.example.com"
