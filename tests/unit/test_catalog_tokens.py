"""How catalog search reads words: accents, plurals, prices and sizes written many ways."""

import pytest

from whsp_ai.text.search import is_plural, tokens


@pytest.mark.parametrize(
    ("written", "same_as"),
    [
        ("pintura blanca 4 litros", "Pintura blanca 4 L"),
        ("4L", "4 l"),
        ("kyusu 0.25 L", "Kyusu 250 ml"),
        ("sencha 100gr", "Sencha 100 g"),
        ("1 kg de clavos", "clavos 1000 g"),
        ("brocha de dos pulgadas", 'Brocha 2"'),
        ("brocha 4 pulg", 'Brocha 4"'),
        ("medio litro", "500 ml"),
        ("FOCOS LED 9W", "foco led 9 w"),
        ("tubería", "TUBERIA"),
    ],
)
def test_the_same_thing_written_differently_reads_the_same(written: str, same_as: str) -> None:
    assert sorted(tokens(written)) == sorted(tokens(same_as))


def test_sizes_stay_distinct_and_fractions_stay_fractions() -> None:
    assert tokens("4 L") != tokens("19 L")
    assert sorted(tokens("tubo 1/2 pulgada")) == sorted(tokens('Tubo 1/2"')) == ["1/2", "tubo"]


def test_a_stated_price_is_not_part_of_the_product() -> None:
    assert tokens("martillo a $1") == tokens("martillo")
    assert tokens("earl grey for 5 dollars") == tokens("earl grey")


def test_plural_queries_are_browsing() -> None:
    assert is_plural("focos") and is_plural("teapots")
    assert not is_plural("earl grey") and not is_plural("cinta de aislar")
