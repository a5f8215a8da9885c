"""Accent and case folding used on both sides of search."""

from whsp_ai.db.text import fold, product_search_text


def test_fold_strips_accents_case_and_spaces() -> None:
    assert fold("  Pintura   Vinílica  BLANCA ") == "pintura vinilica blanca"
    assert fold("Ñandú Güero") == "nandu guero"


def test_search_text_covers_name_aliases_category_description() -> None:
    text = product_search_text("Foco LED 9 W", ["bombilla"], "Electricidad", "Luz cálida")
    for word in ("foco", "bombilla", "electricidad", "calida"):
        assert word in text
