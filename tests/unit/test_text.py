"""Accent and case folding, and the stored search columns, used on both sides of search."""

from whsp_ai.text.fold import fold
from whsp_ai.text.search import GRAM_DIM, grams_vector, product_search_fields


def test_fold_strips_accents_case_and_spaces() -> None:
    assert fold("  Pintura   Vinílica  BLANCA ") == "pintura vinilica blanca"
    assert fold("Ñandú Güero") == "nandu guero"


def test_search_fields_split_names_category_and_description() -> None:
    fields = product_search_fields("Foco LED 9 W", ["bombillas"], "Electricidad", "Luz cálida")
    assert fields["search_names"] == "foco led 9w bombilla"
    assert fields["search_category"] == "electricidad"
    assert fields["search_text"] == "luz calida"
    grams = fields["name_grams"]
    assert grams is not None and len(grams) == GRAM_DIM


def test_grams_are_unit_vectors_close_for_typos_and_far_for_other_words() -> None:
    def cosine(a: str, b: str) -> float:
        va, vb = grams_vector(a), grams_vector(b)
        assert va is not None and vb is not None
        return sum(x * y for x, y in zip(va, vb, strict=True))

    assert abs(cosine("desarmador", "desarmador") - 1.0) < 1e-3
    assert cosine("desarmadr", "desarmador") > 0.6
    assert cosine("pintura blanka", "pintura blanca") > 0.6
    assert cosine("desarmador", "pintura") < 0.3
    # sizes are one whole feature: 4 L matches 4000 ml exactly and not 400 ml at all
    assert abs(cosine("4 litros", "4000 ml") - 1.0) < 1e-3
    assert cosine("4 litros", "400 ml") < 1e-3
    assert grams_vector("de la") is None
