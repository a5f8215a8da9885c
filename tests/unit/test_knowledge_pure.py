"""Business knowledge, pure parts: the file's info/faq sections, opening hours in the
business's timezone, the answers we word ourselves, and the topic words."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from tests.factories import business_dict
from whsp_ai.db.models import Business
from whsp_ai.importer.schema import BusinessFile
from whsp_ai.nlu.topics import asks_about_shop, days_in, topics_in
from whsp_ai.tools import hours
from whsp_ai.tools.knowledge_answer import fee_answer, hours_answer, payment_answer

HOURS = {"mon": "08:00-13:00,14:00-19:00", "sat": "09:00-14:00", "sun": "closed"}
INFO: dict[str, Any] = {"timezone": "America/Mexico_City", "hours": HOURS}
# 2026-12-07 is a Monday. 17:30 UTC is 11:30 in Mexico City; 02:00 UTC Tuesday is 20:00 Monday.
MONDAY_MORNING = datetime(2026, 12, 7, 17, 30, tzinfo=UTC)
MONDAY_NIGHT = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
MONDAY_LUNCH = datetime(2026, 12, 7, 19, 30, tzinfo=UTC)  # 13:30 local


def test_a_file_with_info_and_faq_loads() -> None:
    data = BusinessFile.model_validate(
        business_dict(info=INFO, faq=[{"q": "¿Factura?", "a": "Sí."}])
    )
    assert data.info.hours["mon"] == "08:00-13:00,14:00-19:00"
    assert data.faq[0].a == "Sí."


@pytest.mark.parametrize(
    ("section", "where"),
    [
        ({"info": {"hours": {"mon": "8-5"}}}, ("info", "hours")),
        ({"info": {"hours": {"lunes": "08:00-12:00"}}}, ("info", "hours")),
        ({"info": {"hours": {"mon": "12:00-08:00"}}}, ("info", "hours")),
        ({"info": {"hours": {"mon": "08:00-12:00,11:00-13:00"}}}, ("info", "hours")),
        ({"info": {"timezone": "Mexico/Puebla City"}}, ("info", "timezone")),
        ({"info": {"timezone": "../../etc/passwd"}}, ("info", "timezone")),
        ({"info": {"color": "azul"}}, ("info", "color")),
        ({"faq": [{"q": "¿Factura?"}]}, ("faq", 0, "a")),
        ({"faq": [{"q": "", "a": "Sí"}]}, ("faq", 0, "q")),
    ],
)
def test_a_bad_field_names_its_path(section: dict[str, Any], where: tuple[Any, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        BusinessFile.model_validate(business_dict(**section))
    assert [e["loc"][: len(where)] for e in caught.value.errors()] == [where]


def test_open_now_is_computed_in_the_business_timezone() -> None:
    assert hours.status(HOURS, "America/Mexico_City", MONDAY_MORNING).open
    lunch = hours.status(HOURS, "America/Mexico_City", MONDAY_LUNCH)
    assert not lunch.open and (lunch.next_day, lunch.next_opens) == ("mon", "14:00")
    night = hours.status(HOURS, "America/Mexico_City", MONDAY_NIGHT)
    # 02:00 UTC is already Tuesday in UTC, still Monday in Mexico City; Tuesday is closed
    assert not night.open and night.today == "mon" and night.next_day == "sat"
    assert hours.status(HOURS, "UTC", MONDAY_NIGHT).today == "tue"


def test_hours_answers_in_both_languages() -> None:
    text, figures = hours_answer(INFO, "¿abren el domingo?", "es", MONDAY_MORNING)
    assert text == "El domingo estamos cerrados." and figures == {"sun": "closed"}
    text, _ = hours_answer(INFO, "are you open now?", "en", MONDAY_MORNING)
    assert text.startswith("We're open right now, until 13:00. Our hours: Mon 08:00–13:00 and")
    text, _ = hours_answer(INFO, "horario?", "es", MONDAY_NIGHT)
    assert "abrimos el sábado a las 09:00" in text
    assert "lun 08:00–13:00 y 14:00–19:00; mar–vie cerrado; sáb 09:00–14:00; dom cerrado" in text


def test_fee_and_payment_are_worded_from_the_figures() -> None:
    shop = Business(
        slug="x",
        name="X",
        language="es",
        currency="MXN",
        owner_phone="1",
        phone_number_id="1",
        api_key_hash="x",
        payment_methods=["efectivo", "tarjeta"],
        delivery_fee=Decimal("30"),
        free_delivery_over=Decimal("300"),
    )
    text, figures = fee_answer(shop, "en")
    assert text == "Delivery costs $30.00 MXN, and it's free on orders of $300.00 MXN or more."
    assert figures == {"delivery_fee": "$30.00 MXN", "free_delivery_over": "$300.00 MXN"}
    text, _ = payment_answer(shop.payment_methods, "aceptan tarjeta?", "es")
    assert text == "Sí, aceptamos tarjeta. Formas de pago: efectivo y tarjeta."
    text, _ = payment_answer(shop.payment_methods, "formas de pago?", "es")
    assert text == "Aceptamos efectivo y tarjeta."


@pytest.mark.parametrize(
    ("said", "topics"),
    [
        ("¿abren el domingo?", {"hours"}),
        ("cuanto cobran de envio", {"delivery", "fee"}),
        ("do u take credit cards", {"payment"}),
        ("can I return opened tea?", {"returns"}),
        ("any promo codes?", {"discount"}),
        ("tienen desarmador de cruz?", set()),
    ],
)
def test_topic_words(said: str, topics: set[str]) -> None:
    assert topics_in(said) == topics


def test_cues_and_days() -> None:
    assert asks_about_shop("oigan estan contratando?")
    assert not asks_about_shop("agrégame 2 desarmadores")
    assert days_in("what time do you open tomorrow?") == ["tomorrow"]
    assert days_in("abren sabados y domingos?") == ["sat", "sun"]
