"""Meta's limits, enforced by the message builders; the signature check."""

import pytest

from whsp_ai.messages import cloud_api as builders
from whsp_ai.messages import limits, replies
from whsp_ai.messages.cloud_api import LimitError
from whsp_ai.whatsapp.signature import sign, valid_signature

TO = "5215512345678"


def test_long_text_is_split_at_word_boundaries() -> None:
    body = ("palabra " * 1200).strip()  # ~9,600 characters
    parts = builders.text(TO, body)
    assert len(parts) == 3
    assert all(len(p["text"]["body"]) <= 4096 for p in parts)
    assert " ".join(p["text"]["body"] for p in parts) == body
    assert parts[0]["messaging_product"] == "whatsapp" and parts[0]["to"] == TO


def test_text_must_not_be_empty() -> None:
    with pytest.raises(LimitError):
        builders.text(TO, "   ")


def test_buttons_limits() -> None:
    ok = builders.buttons(TO, "¿Qué hacemos?", [("a", "Ver carrito"), ("b", "Pagar")])
    assert ok["interactive"]["action"]["buttons"][1]["reply"] == {"id": "b", "title": "Pagar"}
    with pytest.raises(LimitError, match="1 to 3"):
        builders.buttons(TO, "x", [(str(i), f"B{i}") for i in range(4)])
    with pytest.raises(LimitError, match="title over 20"):
        builders.buttons(TO, "x", [("a", "x" * 21)])
    with pytest.raises(LimitError, match="unique"):
        builders.buttons(TO, "x", [("a", "Pagar"), ("b", "Pagar")])
    with pytest.raises(LimitError, match="id over 256"):
        builders.buttons(TO, "x", [("a" * 257, "Pagar")])
    with pytest.raises(LimitError, match="body"):
        builders.buttons(TO, "x" * 1025, [("a", "Pagar")])


def test_list_limits() -> None:
    rows = [(f"r{i}", f"Producto {i}", "desc") for i in range(10)]
    ok = builders.list_message(TO, "Elige", "Ver productos", [("", rows)])
    assert len(ok["interactive"]["action"]["sections"][0]["rows"]) == 10
    with pytest.raises(LimitError, match="10 rows"):
        builders.list_message(TO, "Elige", "Ver", [("", [*rows, ("r10", "Once", "")])])
    with pytest.raises(LimitError, match="row title over 24"):
        builders.list_message(TO, "Elige", "Ver", [("", [("r", "x" * 25, "")])])
    with pytest.raises(LimitError, match="description over 72"):
        builders.list_message(TO, "Elige", "Ver", [("", [("r", "ok", "x" * 73)])])
    with pytest.raises(LimitError, match="button over 20"):
        builders.list_message(TO, "Elige", "x" * 21, [("", rows[:1])])
    with pytest.raises(LimitError, match="section title over 24"):
        builders.list_message(TO, "Elige", "Ver", [("x" * 25, rows[:1])])
    with pytest.raises(LimitError, match="need titles"):
        builders.list_message(TO, "Elige", "Ver", [("", rows[:1]), ("B", rows[1:2])])


def test_cta_url() -> None:
    ok = builders.cta_url(TO, "Paga aquí", "Pagar", "https://pay.example/123")
    assert ok["interactive"]["action"]["parameters"]["url"] == "https://pay.example/123"
    with pytest.raises(LimitError):
        builders.cta_url(TO, "Paga", "x" * 21, "https://pay.example")
    with pytest.raises(LimitError):
        builders.cta_url(TO, "Paga", "Pagar", "javascript:alert(1)")


def test_engine_replies_always_fit_and_round_trip() -> None:
    long_titles = [(f"add:SKU-{i}", "Un nombre de producto larguísimo") for i in range(5)]
    reply = replies.buttons("x" * 2000, long_titles)
    bodies = builders.from_reply(TO, reply)
    assert [b["type"] for b in bodies] == ["text", "interactive"]  # long body goes first as text
    assert len(bodies[1]["interactive"]["action"]["buttons"]) == 3
    listing = replies.rows(
        "Esto encontré", "Ver productos", [(f"p{i}", "y" * 40, "z" * 90) for i in range(12)]
    )
    [body] = builders.from_reply(TO, listing)
    assert builders.to_reply(body)["rows"][0]["id"] == "p0"


def test_signature() -> None:
    body = b'{"object":"whatsapp_business_account"}'
    header = sign("secret", body)
    assert valid_signature("secret", body, header)
    assert not valid_signature("secret", body + b" ", header)
    assert not valid_signature("other", body, header)
    assert not valid_signature("secret", body, None)
    assert not valid_signature("secret", body, header.removeprefix("sha256="))


def test_clipped_row_titles_keep_the_size() -> None:
    sizes = [
        "Pintura vinílica blanca 4 L",
        "Pintura vinílica blanca 19 L",
        "Nombre larguísimo sin medida",
    ]
    listing = replies.rows("Esto encontré", "Ver", [(f"p{i}", t, "") for i, t in enumerate(sizes)])
    titles = [row["title"] for row in listing["rows"]]
    # the words the paints share are shortened, not what tells them apart (issue 13 §5)
    assert titles == [
        "Pintura vin. blanca 4 L",
        "Pintura vin. blanca 19 L",
        "Nombre larguísimo sin m…",
    ]
    assert all(len(t) <= limits.ROW_TITLE_MAX for t in titles)
    [body] = builders.from_reply(TO, listing)  # Meta's limits still hold
    assert len(builders.to_reply(body)["rows"]) == 3
