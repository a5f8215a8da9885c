"""List row titles: shortened where rows agree, never where they differ (issue 13 §5)."""

from __future__ import annotations

from whsp_ai.messages import replies
from whsp_ai.messages.titles import keeps_apart, row_titles

PAINTS = ["Pintura vinílica blanca 4 L", "Pintura vinílica gris 4 L"]


def test_the_word_that_differs_is_kept_whole() -> None:
    # the case: clipping gave "Pintura vinílica bl… 4 L" and "…gr… 4 L"
    titles = row_titles(PAINTS, 24)
    assert all(len(t) <= 24 for t in titles)
    assert "blanca" in titles[0] and "gris" in titles[1]
    assert all(keeps_apart(t, n, PAINTS) for t, n in zip(titles, PAINTS, strict=True))


def test_two_sizes_keep_their_sizes() -> None:
    names = ["Pintura vinílica blanca 19 L", "Pintura vinílica blanca 4 L"]
    titles = row_titles(names, 24)
    assert titles[0].endswith("19 L") and titles[1].endswith("4 L")


def test_a_title_that_fits_is_left_alone() -> None:
    assert row_titles(["Foco LED 9 W", "Foco LED 15 W luz cálida"], 24) == [
        "Foco LED 9 W",
        "Foco LED 15 W luz cálida",
    ]


def test_one_long_name_alone_keeps_its_size() -> None:
    assert row_titles(['Taladro percutor 1/2" 650 W'], 24) == ["Taladro percutor… 650 W"]


def test_the_same_name_twice_still_gets_two_titles() -> None:
    titles = row_titles(["Sencha 100 g", "Sencha 100 g"], 24)
    assert len(set(titles)) == 2


def test_a_list_reply_clips_together() -> None:
    reply = replies.rows("x", "See", [(f"p:{i}", n, "") for i, n in enumerate(PAINTS)])
    assert [r["title"] for r in reply["rows"]] == row_titles(PAINTS, 24)
