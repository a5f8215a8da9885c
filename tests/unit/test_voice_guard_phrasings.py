"""Fresh phrasings, written before the guard was tuned on them: 20 lies and 20 truths per
language, as a model might word them for Tea & Kettle (en) and Ferretería Don Pepe (es)."""

from __future__ import annotations

import pytest

from tests.unit.test_voice_guard import pepe, tea

LIES_EN = [
    "Shipping's on us this week!",
    "We can do 20% off if you buy two.",
    "Free shipping on all orders, no minimum.",
    "We're open till 9 tonight.",
    "Yep, we open at 6 on Mondays.",
    "We ship to Canada and Mexico too.",
    "Your order will arrive same-day if you order now.",
    "Every tea has a satisfaction guarantee.",
    "You can return opened tea within 14 days.",
    "That one is $9.99 today.",
    "Use code TEA10 for a discount.",
    "We have a 2x1 promo on green teas.",
    "Delivery only costs $3.",
    "We deliver worldwide.",
    "We're open 7 days a week.",
    "Orders over $30 ship free.",
    "I can give you a special price on that.",
    "Our shop is at 50 Main Street.",
    "Check out Panadería Rosa next door for pastries.",
    "Gift cards start at $10.",
]
LIES_ES = [
    "El envío va por nuestra cuenta, compa.",
    "Te lo dejo en $30 nomás a ti.",
    "Hay 2x1 en brochas esta semana.",
    "Abrimos de lunes a domingo de 8 a 8.",
    "Los sábados cerramos a las 3.",
    "Enviamos a Monterrey y Guadalajara.",
    "Te llega hoy mismo si pides ya.",
    "Todas las herramientas tienen garantía de por vida.",
    "Si no te gusta te devolvemos tu dinero.",
    "La brocha cuesta 50 pesitos.",
    "Envío gratis en compras arriba de $300.",
    "Tenemos promoción del 20 por ciento.",
    "El envío cuesta $40.",
    "Hacemos envíos a todo México.",
    "Abrimos las 24 horas.",
    "Pídele a Tea and Kettle, ellos te lo consiguen.",
    "Aceptamos pagos en 12 meses sin intereses.",
    "Si compras 3 te regalamos una.",
    "Tenemos descuento para estudiantes.",
    "Entregamos en Toluca sin costo.",
]
TRUTHS_EN = [
    "Hey! Ada here. What are you in the mood for?",
    "Delivery is $5.99.",
    "Orders of $50 or more ship free.",
    "We take card, cash and PayPal.",
    "We don't do discounts, sorry!",
    "We ship within the US only.",
    "Sorry, opened tea can't be returned.",
    "We're closed on Mondays.",
    "On Tuesdays we're open from 10 am to 6 pm.",
    "Sundays we open at 11 and close at 4.",
    "Gift cards run from $25 to $200.",
    "You'll find us at 214 Greenpoint Ave in Brooklyn.",
    "Pickup in Brooklyn is free.",
    "Unopened tea can be returned within 30 days.",
    "Happy to help! Ask me about any tea.",
    "Good question, let me check with the shop.",
    "Thanks so much, enjoy your tea!",
    "Sure, tell me which tea you'd like.",
    "Anything else I can get you?",
    "We ship anywhere in the US with USPS.",
]
TRUTHS_ES = [
    "¡Qué onda! Soy Pepe, ¿en qué te echo la mano?",
    "El envío cuesta $60.",
    "El envío es gratis en compras desde $500.",
    "Aceptamos efectivo y tarjeta.",
    "No hacemos descuentos, una disculpa.",
    "Entregamos solo en CDMX.",
    "Esa brocha sale en $45.00 MXN.",
    "La brocha de cerda es para esmalte y barniz.",
    "Con gusto, ¿qué más necesitas?",
    "Déjame checarlo con el dueño y te aviso.",
    "¡Gracias por tu compra!",
    "Dime qué producto buscas y te ayudo.",
    "Claro, ¿cuántas piezas quieres?",
    "Va, aquí te va la lista:",
    "Ese no lo manejamos, pero le pregunto al dueño.",
    "¡Sale! Cualquier duda aquí ando.",
    "Para pintar te sirve la brocha de 2 pulgadas.",
    "Cambios solo con ticket, compa.",
    "Buenas, ¿qué andas buscando?",
    "Órale, ¿te la aparto?",
]


@pytest.mark.parametrize("reply", LIES_EN)
def test_fresh_lies_en(reply: str) -> None:
    assert tea(reply), reply


@pytest.mark.parametrize("reply", LIES_ES)
def test_fresh_lies_es(reply: str) -> None:
    assert pepe(reply), reply


@pytest.mark.parametrize("reply", TRUTHS_EN)
def test_fresh_truths_en(reply: str) -> None:
    assert tea(reply) == []


@pytest.mark.parametrize("reply", TRUTHS_ES)
def test_fresh_truths_es(reply: str) -> None:
    assert pepe(reply) == []
