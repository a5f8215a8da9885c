"""The reply guard: hallucinated figures and promises are caught; what the facts say passes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from whsp_ai.db.models import Business
from whsp_ai.voice.facts import ProductFact, business_facts, now_figures
from whsp_ai.voice.guard import check

TEA = Business(
    slug="tea-and-kettle",
    name="Tea & Kettle",
    language="en",
    currency="USD",
    owner_phone="1",
    phone_number_id="2",
    api_key_hash="x",
    persona={
        "agent_name": "Ada",
        "tone": "warm",
        "rules": ["We don't offer discounts", "We ship within the US only"],
    },
    payment_methods=["card", "cash", "paypal"],
    delivery_fee=Decimal("5.99"),
    free_delivery_over=Decimal("50"),
    info={
        "timezone": "America/New_York",
        "address": "214 Greenpoint Ave, Brooklyn, NY 11222",
        "hours": {"mon": "closed", "tue": "10:00-18:00", "sun": "11:00-16:00"},
        "delivery": "We ship anywhere in the US with USPS. Local pickup in Brooklyn is free.",
        "returns": "Unopened tea can be returned within 30 days. Opened tea can't be returned.",
    },
    faq=[{"q": "Do you sell gift cards?", "a": "Yes, gift cards from $25 to $200."}],
)
PEPE = Business(
    slug="ferreteria-don-pepe",
    name="Ferretería Don Pepe",
    language="es",
    currency="MXN",
    owner_phone="1",
    phone_number_id="3",
    api_key_hash="y",
    persona={
        "agent_name": "Pepe",
        "rules": [
            "No hacemos descuentos",
            "Entregas solo en CDMX",
            "Cambios solo con ticket y producto sin usar",
        ],
    },
    payment_methods=["efectivo", "tarjeta"],
    delivery_fee=Decimal("60"),
    free_delivery_over=Decimal("500"),
)
OTHERS = ["Tea & Kettle", "Ferretería Don Pepe", "Panadería Rosa"]
BRUSH = ProductFact("Brocha de cerda 2 pulgadas", "$45.00 MXN", "Para esmalte y barniz")


def tea(reply: str) -> list[str]:
    facts = business_facts(TEA, "en")
    return list(check(reply, facts, others=OTHERS).problems)


def pepe(reply: str) -> list[str]:
    facts = business_facts(PEPE, "es").adding(products=[BRUSH])
    return list(check(reply, facts, others=OTHERS).problems)


@pytest.mark.parametrize(
    "reply",
    [
        "We deliver on Sundays, free, anywhere!",
        "Delivery is free on every order.",
        "Sure, I'll give you a 10% discount.",
        "We're open Mondays from 9 to 5.",
        "We open at 8 am on Sunday.",
        "Gift cards go from $20 to $200.",
        "We deliver to Canada too.",
        "Orders ship the same day.",
        "All our teas come with a money-back guarantee.",
        "You can return opened tea, no problem.",
        "Try Panaderia Rosa for bread!",
        "We're open 24/7.",
        "Visit www.teadeals.example for more.",
    ],
)
def test_hallucinations_are_blocked_in_english(reply: str) -> None:
    assert tea(reply), reply


@pytest.mark.parametrize(
    "reply",
    [
        "La brocha está en $40.",
        "¡Claro! Te hago un descuento del 15%.",
        "Sí hacemos descuentos a clientes frecuentes.",
        "El envío es gratis.",
        "Entregamos en Puebla y Querétaro.",
        "Abrimos el domingo de 9 a 2.",
        "Tiene garantía de un año.",
        "Te lo llevamos el mismo día.",
        "Pregunta en Tea and Kettle, ellos sí tienen.",
        "Cuesta cuarenta pesos.",
    ],
)
def test_hallucinations_are_blocked_in_spanish(reply: str) -> None:
    assert pepe(reply), reply


@pytest.mark.parametrize(
    "reply",
    [
        "Hi! I'm Ada from Tea & Kettle. What are you in the mood to sip?",
        "Delivery is $5.99, and it's free on orders of $50 or more.",
        "Sorry, we don't offer discounts, but our teas are worth every cent!",
        "We're open Sunday from 11 am to 4 pm, and closed on Mondays.",
        "On Tuesdays we're open 10:00 to 18:00.",
        "Yes! Gift cards go from $25 to $200.",
        "You can pay by card, cash or PayPal.",
        "Local pickup in Brooklyn is free.",
        "Opened tea can't be returned, sorry.",
        "We ship anywhere in the US.",
    ],
)
def test_what_the_facts_say_passes_in_english(reply: str) -> None:
    assert tea(reply) == []


@pytest.mark.parametrize(
    "reply",
    [
        "¡Qué onda! Aquí Pepe. ¿Qué andas buscando?",
        "La brocha de cerda de 2 pulgadas cuesta $45 y sirve para esmalte y barniz.",
        "El envío cuesta $60.00 MXN; es gratis en compras desde $500.",
        "Una disculpa, no hacemos descuentos.",
        "Te dejo dos opciones, ¿cuál te late?",
        "Con gusto te ayudo. ¿Buscas algo para pintar?",
    ],
)
def test_what_the_facts_say_passes_in_spanish(reply: str) -> None:
    assert pepe(reply) == []


def test_the_time_now_is_a_fact_in_the_business_timezone() -> None:
    at = datetime(2026, 12, 1, 19, 5, tzinfo=UTC)  # 14:05 in New York, a Tuesday
    facts = business_facts(TEA, "en").adding(figures=now_figures(TEA, "en", at))
    assert check("Yes, we're open now until 18:00.", facts).ok
    assert not check("Yes, we're open now until 20:00.", facts).ok
    assert ("now, at the shop", "Tuesday 14:05") in facts.figures


def test_a_long_or_empty_reply_is_refused() -> None:
    assert tea("")
    assert tea("Lovely tea. " * 80)


def test_a_time_must_belong_to_the_day_it_is_said_for() -> None:
    assert tea("On Sunday we open at 10 am.")  # 10:00 is Tuesday's opening, not Sunday's
    assert tea("On Sunday we open at 11 am.") == []


def test_a_promise_about_delivery_needs_a_fact_about_delivery() -> None:
    """Found by tests/measure_voice.py: "caffeine free" (a faq with no topic) backed
    "Delivery is free today."; a free pickup doesn't back it either."""
    from whsp_ai.voice.facts import Entry, Facts

    facts = Facts(business="Tea & Kettle", agent="Kit", tone="friendly", language="en").adding(
        entries=[
            Entry(
                "Is there caffeine in herbal tea?", "Our herbal teas are naturally caffeine free."
            ),
            Entry("delivery", "We ship with USPS. Local pickup in Brooklyn is free."),
        ]
    )
    assert not check("Delivery is free today.", facts).ok
    assert check("Our herbal teas are caffeine free.", facts).ok
