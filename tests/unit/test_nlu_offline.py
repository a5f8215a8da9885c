"""The offline understanding: intents, cart actions, search filters and checkout answers."""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import Any

import pytest

from whsp_ai.nlu import offline
from whsp_ai.nlu.lexicon import words
from whsp_ai.nlu.models import Expecting, TurnInput, Understanding
from whsp_ai.nlu.offline import understand

HARDWARE = ["Herramientas", "Pinturas", "Plomería", "Electricidad", "Tornillería", "Jardín"]
TEA = ["Black", "Green", "Herbal", "Matcha", "Oolong", "Teaware", "Accessories"]
SHOWN = ["Foco LED 9 W", "Foco LED 15 W luz cálida", "Cinta de aislar negra"]


def ask(
    text: str,
    *,
    expecting: Expecting | None = None,
    methods: list[str] | None = None,
    shown: list[str] | None = None,
) -> Understanding:
    return understand(
        TurnInput(
            text=text,
            locale="es",
            shown=SHOWN if shown is None else shown,
            expecting=expecting,
            payment_methods=methods if methods is not None else ["efectivo", "transferencia"],
            categories=HARDWARE + TEA,
        )
    )


def actions(u: Understanding) -> list[tuple[str, int | None, dict[str, Any]]]:
    """Each action as (op, quantity, the product fields that are set)."""
    return [(a.op, a.quantity, a.product.model_dump(exclude_defaults=True)) for a in u.actions]


# --- intents said in a fixed phrase -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("hola", "greet"),
        ("Hola!", "greet"),
        ("buenas tardes", "greet"),
        ("Buenos días, ¿cómo está?", "greet"),
        ("hi", "greet"),
        ("hello", "greet"),
        ("hey", "greet"),
        ("hi there, how are you?", "greet"),
        ("qué llevo", "view_cart"),
        ("¿Qué llevo en el carrito?", "view_cart"),
        ("ver carrito", "view_cart"),
        ("mi carrito", "view_cart"),
        ("cuánto llevo", "view_cart"),
        ("show my cart", "view_cart"),
        ("what's in my cart?", "view_cart"),
        ("quiero ver mi carrito", "view_cart"),
        ("quiero pagar", "checkout"),
        ("es todo", "checkout"),
        ("eso es todo, gracias", "checkout"),
        ("finalizar compra", "checkout"),
        ("quiero pagar con tarjeta", "checkout"),
        ("checkout", "checkout"),
        ("that's all", "checkout"),
        ("That's it, thanks!", "checkout"),
        ("I want to pay", "checkout"),
        ("proceed to checkout", "checkout"),
        ("cancelar", "cancel"),
        ("cancela el pedido", "cancel"),
        ("ya no quiero nada", "cancel"),
        ("cancel", "cancel"),
        ("never mind", "cancel"),
        ("nevermind", "cancel"),
        ("ayuda", "help"),
        ("cómo funciona?", "help"),
        ("qué puedes hacer", "help"),
        ("Hola, ¿me pueden ayudar?", "help"),
        ("help", "help"),
        ("what can you do?", "help"),
        ("are you a bot?", "help"),
        ("sí", "confirm"),
        ("si", "confirm"),
        ("Sí, por favor", "confirm"),
        ("dale", "confirm"),
        ("va", "confirm"),
        ("claro", "confirm"),
        ("ok", "confirm"),
        ("correcto", "confirm"),
        ("confirmo", "confirm"),
        ("yes", "confirm"),
        ("yep", "confirm"),
        ("sure", "confirm"),
        ("confirm", "confirm"),
        ("👍", "confirm"),
        ("no", "deny"),
        ("No.", "deny"),
        ("mejor no", "deny"),
        ("nel", "deny"),
        ("nope", "deny"),
        ("no thanks", "deny"),
        ("no, gracias", "deny"),
        ("gracias", "other"),
        ("muchas gracias", "other"),
        ("thanks", "other"),
        ("jajaja", "other"),
        ("cuéntame un chiste", "other"),
        ("tell me a joke", "other"),
        ("what time do you open?", "other"),
        ("¿Hacen envíos?", "other"),
        ("horario", "other"),
    ],
)
def test_phrase_intents(text: str, intent: str) -> None:
    u = ask(text)
    assert u.intent == intent
    assert u.actions == []
    assert u.reply is None


# --- cart actions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        ("agrega 2 desarmadores", "add", [("add", 2, {"query": "desarmadores"})]),
        (
            "agrega 2 desarmadores de cruz por favor",
            "add",
            [("add", 2, {"query": "desarmadores de cruz"})],
        ),
        ("quiero 3 focos", "add", [("add", 3, {"query": "focos"})]),
        ("ponme una cinta", "add", [("add", 1, {"query": "cinta"})]),
        ("dame dos", "add", [("add", 2, {"last": True})]),
        ("mándame 2", "add", [("add", 2, {"last": True})]),
        ("agrégalo", "add", [("add", None, {"last": True})]),
        ("me lo llevo", "add", [("add", None, {"last": True})]),
        ("dame el segundo", "add", [("add", None, {"index": 2})]),
        ("la primera", "add", [("add", None, {"index": 1})]),
        ("el número 2", "add", [("add", None, {"index": 2})]),
        ("agrega el 3", "add", [("add", None, {"index": 3})]),
        ("dame el último", "add", [("add", None, {"index": 3})]),
        ("3 de esos", "add", [("add", 3, {"last": True})]),
        ("dame 2 del segundo", "add", [("add", 2, {"index": 2})]),
        ("quiero una docena de focos", "add", [("add", 12, {"query": "focos"})]),
        ("agrega media docena de brochas", "add", [("add", 6, {"query": "brochas"})]),
        ("Hola, me da 3 focos por favor", "add", [("add", 3, {"query": "focos"})]),
        ("me puedes agregar 2 focos al carrito?", "add", [("add", 2, {"query": "focos"})]),
        ("quiero comprar 2 martillos", "add", [("add", 2, {"query": "martillos"})]),
        ("necesito 2 brochas", "add", [("add", 2, {"query": "brochas"})]),
        ("agrega 1,000 tornillos", "add", [("add", 1000, {"query": "tornillos"})]),
        ("add 2 earl grey", "add", [("add", 2, {"query": "earl grey"})]),
        ("add 2 earl grey to my cart", "add", [("add", 2, {"query": "earl grey"})]),
        ("I'll take the first one", "add", [("add", None, {"index": 1})]),
        ("I want 3 of those", "add", [("add", 3, {"last": True})]),
        ("I'll take it", "add", [("add", None, {"last": True})]),
        ("the second one please", "add", [("add", None, {"index": 2})]),
        ("#2", "add", [("add", None, {"index": 2})]),
        ("number 3", "add", [("add", None, {"index": 3})]),
        ("could I get 2 sencha", "add", [("add", 2, {"query": "sencha"})]),
        ("add a couple of whisks", "add", [("add", 2, {"query": "whisks"})]),
        ("add half a dozen teapots", "add", [("add", 6, {"query": "teapots"})]),
        ("add 2 assam second flush", "add", [("add", 2, {"query": "assam second flush"})]),
        ("earl grey x2", "add", [("add", 2, {"query": "earl grey"})]),
        ("one more", "add", [("add", None, {"last": True})]),
        ("quita la cinta", "remove", [("remove", None, {"query": "cinta"})]),
        ("elimina el martillo", "remove", [("remove", None, {"query": "martillo"})]),
        ("ya no quiero los focos", "remove", [("remove", None, {"query": "focos"})]),
        ("quítalo", "remove", [("remove", None, {"last": True})]),
        ("quita uno", "remove", [("remove", 1, {"last": True})]),
        ("quita 2 focos", "remove", [("remove", 2, {"query": "focos"})]),
        ("cancela el martillo", "remove", [("remove", None, {"query": "martillo"})]),
        ("remove the teapot", "remove", [("remove", None, {"query": "teapot"})]),
        ("take out the whisk", "remove", [("remove", None, {"query": "whisk"})]),
        ("take the whisk out", "remove", [("remove", None, {"query": "whisk"})]),
        ("I don't want the teapot anymore", "remove", [("remove", None, {"query": "teapot"})]),
        ("mejor que sean 3 focos", "set_quantity", [("set", 3, {"query": "focos"})]),
        ("cambia los focos a 5", "set_quantity", [("set", 5, {"query": "focos"})]),
        ("cámbialo a 2", "set_quantity", [("set", 2, {"last": True})]),
        ("que sean 3", "set_quantity", [("set", 3, {"last": True})]),
        ("solo 1 martillo", "set_quantity", [("set", 1, {"query": "martillo"})]),
        ("make it 4 earl grey", "set_quantity", [("set", 4, {"query": "earl grey"})]),
        ("make it 4", "set_quantity", [("set", 4, {"last": True})]),
        ("change the teapot to 2", "set_quantity", [("set", 2, {"query": "teapot"})]),
        ("I only want 2 teapots", "set_quantity", [("set", 2, {"query": "teapots"})]),
        (
            "agrega 2 focos y quita la cinta",
            "cart_edit",
            [("add", 2, {"query": "focos"}), ("remove", None, {"query": "cinta"})],
        ),
        (
            "add a whisk and remove the teapot",
            "cart_edit",
            [("add", 1, {"query": "whisk"}), ("remove", None, {"query": "teapot"})],
        ),
        (
            "quita la cinta, y cambia los focos a 4",
            "cart_edit",
            [("remove", None, {"query": "cinta"}), ("set", 4, {"query": "focos"})],
        ),
        (
            "agrega 2 focos y 3 cintas",
            "add",
            [("add", 2, {"query": "focos"}), ("add", 3, {"query": "cintas"})],
        ),
        (
            "agrega 2 focos, 3 cintas y una brocha",
            "add",
            [
                ("add", 2, {"query": "focos"}),
                ("add", 3, {"query": "cintas"}),
                ("add", 1, {"query": "brocha"}),
            ],
        ),
        (
            "quita la cinta y el martillo",
            "remove",
            [("remove", None, {"query": "cinta"}), ("remove", None, {"query": "martillo"})],
        ),
        (
            "quiero el primero y el tercero",
            "add",
            [("add", None, {"index": 1}), ("add", None, {"index": 3})],
        ),
        ("agrega también 2 focos", "add", [("add", 2, {"query": "focos"})]),
        # 'y' inside a product name does not split it
        (
            "agrega pintura blanca y negra",
            "add",
            [("add", None, {"query": "pintura blanca y negra"})],
        ),
        ("add salt and pepper", "add", [("add", None, {"query": "salt and pepper"})]),
        # a closing phrase after the items is not one more item
        ("agrega 2 focos y es todo", "add", [("add", 2, {"query": "focos"})]),
        ("sí, agrega 2 focos", "add", [("add", 2, {"query": "focos"})]),
        ("no, quita la cinta", "remove", [("remove", None, {"query": "cinta"})]),
        ("cambia la cantidad de focos a 3", "set_quantity", [("set", 3, {"query": "focos"})]),
        # asking about a product in the same breath is not adding it
        ("agrega 2 focos y dame el precio del martillo", "add", [("add", 2, {"query": "focos"})]),
    ],
)
def test_cart_actions(
    text: str, intent: str, expected: list[tuple[str, int | None, dict[str, Any]]]
) -> None:
    u = ask(text)
    assert u.intent == intent
    assert actions(u) == expected
    assert u.search_query is None


def test_last_without_a_list_points_at_the_last_product() -> None:
    u = ask("the last one", shown=[])
    assert actions(u) == [("add", None, {"last": True})]


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "query", "filters"),
    [
        ("tienen focos?", "focos", {}),
        ("busco pintura blanca", "pintura blanca", {}),
        ("¿Tienen pintura blanca?", "pintura blanca", {}),
        ("cuánto cuesta el martillo", "martillo", {}),
        ("precio de la brocha", "brocha", {}),
        ("quiero saber el precio del martillo", "martillo", {}),
        ("¿Cuánto cuestan los focos LED?", "focos led", {}),
        ("cinta de aislar", "cinta de aislar", {}),
        ("y los focos?", "focos", {}),
        ("necesito una brocha", "brocha", {}),
        ("do you have earl grey?", "earl grey", {}),
        ("earl grey", "earl grey", {}),
        ("I'm looking for a teapot", "teapot", {}),
        ("I need a teapot", "teapot", {}),
        ("how much does the teapot cost?", "teapot", {}),
        ("what's the price of the kyusu teapot?", "kyusu teapot", {}),
        ("do you have any matcha bowls", "matcha bowls", {}),
        ("tell me about the gaiwan", "gaiwan", {}),
        ("quisiera información sobre los taladros", "taladros", {}),
        ("dame el precio del martillo", "martillo", {}),
        ("me urge un taladro", "taladro", {}),
        ("recomiéndame algo", None, {}),
        ("qué pinturas tienen", None, {"category": "Pinturas"}),
        ("tienen herramientas?", None, {"category": "Herramientas"}),
        ("¿Tienen algo de plomería?", None, {"category": "Plomería"}),
        ("herbal teas", None, {"category": "Herbal"}),
        ("how much is the matcha", None, {"category": "Matcha"}),
        ("what teas do you have?", "teas", {}),
        ("menos de 100", None, {"max_price": Decimal(100)}),
        ("focos por debajo de $50", "focos", {"max_price": Decimal(50)}),
        ("tienen focos de menos de 50 pesos?", "focos", {"max_price": Decimal(50)}),
        ("algo de menos de cien pesos", None, {"max_price": Decimal(100)}),
        ("más de 200", None, {"min_price": Decimal(200)}),
        ("entre 100 y 200 pesos", None, {"min_price": Decimal(100), "max_price": Decimal(200)}),
        ("focos de más de $1,000.50", "focos", {"min_price": Decimal("1000.50")}),
        ("teapots under $20", "teapots", {"max_price": Decimal(20)}),
        ("less than 15 dollars", None, {"max_price": Decimal(15)}),
        ("below 30", None, {"max_price": Decimal(30)}),
        ("over 10", None, {"min_price": Decimal(10)}),
        ("under twenty dollars", None, {"max_price": Decimal(20)}),
        ("black teas under $15", None, {"category": "Black", "max_price": Decimal(15)}),
        ("el más barato", None, {"sort": "cheapest"}),
        ("la más económica", None, {"sort": "cheapest"}),
        ("cuál es el martillo más barato", "martillo", {"sort": "cheapest"}),
        ("the cheapest oolong", None, {"category": "Oolong", "sort": "cheapest"}),
        ("el más caro", None, {"sort": "priciest"}),
        ("the most expensive teapot", "teapot", {"sort": "priciest"}),
        ("pinturas disponibles", None, {"category": "Pinturas", "in_stock": True}),
        ("¿Tienen tornillos en existencia?", "tornillos", {"in_stock": True}),
        ("green tea in stock", None, {"category": "Green", "in_stock": True}),
        # a size is not a price
        ("pintura de menos de 4 litros", "pintura de menos de 4 litros", {}),
        # 'matcha bowl' is a product, not the Matcha category
        ("matcha bowl", "matcha bowl", {}),
    ],
)
def test_search(text: str, query: str | None, filters: dict[str, Any]) -> None:
    u = ask(text)
    assert u.intent == "search"
    assert u.search_query == query
    assert u.filters.model_dump(exclude_defaults=True) == filters
    assert u.actions == []


@pytest.mark.parametrize(
    "text", ["¿cuánto cuesta el segundo?", "dame más detalles del segundo", "price of the 2nd one"]
)
def test_search_about_a_shown_product_uses_its_name(text: str) -> None:
    u = ask(text)
    assert (u.intent, u.search_query) == ("search", "foco led 15 w luz calida")


# --- checkout answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Av. Juárez 10, Col. Centro", "Av. Juárez 10, Col. Centro"),
        ("mi dirección es Av. Juárez 10", "Av. Juárez 10"),
        ("Mi dirección es: Calle Ñandú 5, Mérida", "Calle Ñandú 5, Mérida"),
        ("5 de Mayo 120, Centro", "5 de Mayo 120, Centro"),
        ("Sin número, colonia Centro", "Sin número, colonia Centro"),
        ("envíalo a Reforma 222, CDMX", "Reforma 222, CDMX"),
        ("deliver to 12 Oak St", "12 Oak St"),
        ("my address is 221B Baker Street, London", "221B Baker Street, London"),
        ("  Calle Quintana Roo 45 int. 3  ", "Calle Quintana Roo 45 int. 3"),
    ],
)
def test_address_when_expected(text: str, address: str) -> None:
    u = ask(text, expecting="address")
    assert (u.intent, u.address) == ("provide_address", address)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("cancelar", "cancel"),
        ("ayuda", "help"),
        ("qué llevo", "view_cart"),
        ("no", "deny"),
        ("quita la cinta", "remove"),
        ("agrega 2 focos", "add"),
    ],
)
def test_not_an_address_even_when_expected(text: str, intent: str) -> None:
    u = ask(text, expecting="address")
    assert u.intent == intent
    assert u.address is None


def test_address_announced_without_expectation() -> None:
    u = ask("hola, mi dirección es Calle 5 de Mayo 23")
    assert (u.intent, u.address) == ("provide_address", "Calle 5 de Mayo 23")


@pytest.mark.parametrize(
    ("text", "methods", "method"),
    [
        ("efectivo", ["efectivo", "transferencia", "tarjeta"], "efectivo"),
        ("en efectivo por favor", ["efectivo", "transferencia", "tarjeta"], "efectivo"),
        ("EFECTIVO", ["Efectivo", "Tarjeta"], "Efectivo"),
        ("cash", ["efectivo", "transferencia", "tarjeta"], "efectivo"),
        ("con tarjeta", ["efectivo", "transferencia", "tarjeta"], "tarjeta"),
        ("credit card", ["efectivo", "transferencia", "tarjeta"], "tarjeta"),
        ("tarj", ["efectivo", "transferencia", "tarjeta"], "tarjeta"),
        ("transferencia", ["efectivo", "transferencia", "tarjeta"], "transferencia"),
        ("bank transfer", ["card", "cash", "paypal"], None),
        ("bank transfer", ["Transferencia bancaria", "Efectivo"], "Transferencia bancaria"),
        ("paypal", ["card", "cash", "paypal"], "paypal"),
        ("PayPal please", ["card", "cash", "PayPal"], "PayPal"),
        ("card", ["card", "cash", "paypal"], "card"),
        ("con tarjeta", ["card", "cash", "paypal"], "card"),
        ("la 2", ["efectivo", "transferencia", "tarjeta"], "transferencia"),
        ("2", ["efectivo", "transferencia", "tarjeta"], "transferencia"),
        ("the second", ["card", "cash", "paypal"], "cash"),
        ("la última", ["efectivo", "transferencia", "tarjeta"], "tarjeta"),
        ("no tengo tarjeta, en efectivo", ["efectivo", "tarjeta"], "efectivo"),
        ("tarjeta de débito", ["Tarjeta de crédito", "Tarjeta de débito"], "Tarjeta de débito"),
    ],
)
def test_payment_when_expected(text: str, methods: list[str], method: str | None) -> None:
    u = ask(text, expecting="payment", methods=methods)
    if method is None:
        assert u.intent != "choose_payment"
    else:
        assert (u.intent, u.payment_method) == ("choose_payment", method)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("cancelar", "cancel"), ("5", "other"), ("tarjeta", "search"), ("ayuda", "help")],
)
def test_payment_not_matched_falls_through(text: str, intent: str) -> None:
    u = ask(text, expecting="payment", methods=["efectivo", "transferencia"])
    assert (u.intent, u.payment_method) == (intent, None)


def test_ambiguous_payment_is_not_guessed() -> None:
    u = ask("tarjeta", expecting="payment", methods=["Tarjeta de crédito", "Tarjeta de débito"])
    assert u.intent != "choose_payment"


@pytest.mark.parametrize("expecting", ["confirm_order", "confirm_cart"])
@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sí", "confirm"),
        ("Si, confirmo", "confirm"),
        ("listo", "confirm"),
        ("confirmo el pedido", "confirm"),
        ("yes please", "confirm"),
        ("no", "deny"),
        ("mejor no", "deny"),
        ("not yet", "deny"),
        ("quita la cinta", "remove"),
        ("cancelar", "cancel"),
    ],
)
def test_confirmation(expecting: Expecting, text: str, intent: str) -> None:
    assert ask(text, expecting=expecting).intent == intent


# --- language, robustness, speed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola", "es"),
        ("¿tienen focos?", "es"),
        ("agrega 2 earl grey", "es"),
        ("cinta de aislar", "es"),
        ("hi", "en"),
        ("do you have earl grey?", "en"),
        ("add 2 focos", "en"),
        ("earl grey", None),
        ("ok", None),
        ("no", None),
        ("👍", None),
    ],
)
def test_language(text: str, language: str | None) -> None:
    assert ask(text).language == language


NASTY = [
    "",
    " ",
    "?",
    "¿¡!?.,;:",
    "😀😀😀",
    "🙏",
    "2",
    "12345",
    "dos",
    "a" * 5000,
    "agrega 2 focos y " * 300,
    "9" * 5000,
    "1," * 2000,
    "hola " * 1000,
    "menos de " * 700,
    "entre 1 y " * 600,
    "#",
    "$",
    "x2",
    "el",
    "de de de",
    "\n\n\t",
    "agrega",
    "quita",
    "cambia a",
    "make it",
    "日本語のメッセージ",
    "Привет",
    "\x00\x01",
]


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("expecting", [None, "address", "payment", "confirm_order"])
def test_never_raises(text: str, expecting: Expecting | None) -> None:
    # The core, not the safety net in understand(), must cope with these.
    turn = TurnInput(
        text=text, locale="en", expecting=expecting, payment_methods=["cash"], categories=TEA
    )
    u = offline._understand(turn)
    assert isinstance(u, Understanding)
    assert u.reply is None


@pytest.mark.parametrize(
    "text", ["", "?", "😀😀😀", "2", "12345", "¿¡!?.,;:", "日本語のメッセージ"]
)
def test_garbage_is_other(text: str) -> None:
    assert ask(text, shown=[]).intent == "other"


def test_random_text_never_raises() -> None:
    rng = random.Random(7)
    alphabet = "abcdeiouñáé 0123456789$#,.;?!¿¡-'👍"
    vocab = sorted(
        words("agrega quita dame el la 2 dos y , focos add the first one ese a to de $ 100")
    )
    for i in range(2000):
        if i % 2:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        else:
            text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12)))
        u = offline._understand(TurnInput(text=text, locale="es", shown=["a"], categories=TEA))
        assert u.reply is None


def test_reply_is_always_none() -> None:
    for text in ("hola", "help", "gracias", "agrega 2 focos", "what can you do"):
        assert ask(text).reply is None


def test_fast_enough() -> None:
    texts = ["hola", "tienen focos?", "agrega 2 focos y quita la cinta", "how much is the matcha"]
    turns = [TurnInput(text=t, locale="es", categories=HARDWARE) for t in texts * 50]
    start = time.perf_counter()
    for turn in turns:
        understand(turn)
    per_call = (time.perf_counter() - start) / len(turns)
    assert per_call < 0.005  # generous: measured around 0.1 ms


# --- found by the conversation evals ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agrégame otro desarmador de cruz", [("add", 1, {"query": "desarmador de cruz"})]),
        ("oye y otras 2 pinzas de electricista", [("add", 2, {"query": "pinzas de electricista"})]),
        ("y una cinta de aislar", [("add", 1, {"query": "cinta de aislar"})]),
        ("and a bamboo whisk", [("add", 1, {"query": "bamboo whisk"})]),
        ("another whisk please", [("add", 1, {"query": "whisk"})]),
    ],
)
def test_more_of_something_and_messages_that_go_on(
    text: str, expected: list[tuple[str, int | None, dict[str, Any]]]
) -> None:
    assert actions(ask(text)) == expected


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("mejor cancela", "cancel"),  # not "remove the last product"
        ("ya es todo, quiero pagar", "checkout"),
        ("pásame la cuenta", "checkout"),
        ("I'm done, let's check out", "checkout"),
        ("otra vez hola", "other"),  # 'otra vez' is no product
    ],
)
def test_sentences_that_say_one_thing(text: str, intent: str) -> None:
    assert ask(text).intent == intent


@pytest.mark.parametrize("expecting", ["confirm_order", "confirm_cart"])
@pytest.mark.parametrize("text", ["no, espérame", "espera", "hold on", "un momento"])
def test_waiting_is_not_yet(expecting: Expecting, text: str) -> None:
    assert ask(text, expecting=expecting).intent == "deny"


@pytest.mark.parametrize("text", ["con bitcoin", "pago con vales", "with venmo", "apple pay"])
def test_a_payment_method_the_business_lacks_is_still_an_answer(text: str) -> None:
    u = ask(text, expecting="payment", methods=["efectivo", "transferencia"])
    assert (u.intent, u.payment_method) == ("choose_payment", None)


@pytest.mark.parametrize(
    ("text", "category"),
    [("¿qué tienen de plomería?", "Plomería"), ("what do you have in herbal", "Herbal")],
)
def test_what_do_you_have_in_a_category(text: str, category: str) -> None:
    u = ask(text)
    assert (u.intent, u.filters.category, u.search_query) == ("search", category, None)


def test_texting_shorthand() -> None:
    assert ask("do u have camomile").search_query == "camomile"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("vacía mi carrito", "clear_cart"),
        ("quita todo", "clear_cart"),
        ("empty my cart", "clear_cart"),
        ("remove everything", "clear_cart"),
        ("cancela todo", "cancel"),
        ("start over", "cancel"),
    ],
)
def test_clearing_the_cart_is_not_cancelling(text: str, intent: str) -> None:
    assert ask(text).intent == intent


def test_a_named_price_is_not_part_of_the_product() -> None:
    assert actions(ask("agrega 1 martillo a $1")) == [("add", 1, {"query": "martillo"})]
    assert actions(ask("add 2 gyokuro at $1 each")) == [("add", 2, {"query": "gyokuro"})]
    assert actions(ask("add 2 more butterfly pea flower")) == [
        ("add", 2, {"query": "butterfly pea flower"})
    ]


def test_any_news_on_a_product_is_a_search() -> None:
    assert ask("any news on the oriental beauty?").search_query == "oriental beauty"


def test_a_bare_number_is_how_many_of_one_product_or_which_row_of_a_list() -> None:
    assert actions(ask("2", shown=["Sencha 100 g"])) == [("add", 2, {"last": True})]
    assert actions(ask("tres piezas", shown=["Sencha 100 g"])) == [("add", 3, {"last": True})]
    listed = ask("2", shown=SHOWN)
    assert (listed.intent, listed.search_query) == ("search", "foco led 15 w luz calida")
    assert ask("7", shown=SHOWN).intent == "other"  # no such row
    assert ask("2 focos", shown=["Sencha 100 g"]).actions[0].product.query == "focos"


def test_a_list_after_a_cart_verb_is_several_products() -> None:
    assert actions(ask("agrega focos, cinta de aislar y brochas de 2 pulgadas")) == [
        ("add", None, {"query": "focos"}),
        ("add", None, {"query": "cinta de aislar"}),
        ("add", None, {"query": "brochas de 2 pulgadas"}),
    ]
    # without a list, 'y' stays inside one product's name
    assert actions(ask("agrega pintura blanca y negra")) == [
        ("add", None, {"query": "pintura blanca y negra"})
    ]


# --- needs and browsing (issue 12 §2) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("algo para colgar cuadros", "para colgar cuadros"),
        ("something for a cold", "for a cold"),
        ("quiero proteger mi compu de los picos de luz", "proteger de los picos de luz"),
        ("i want something smoky", "smoky"),
        ("something to descale my kettle", "to descale"),
    ],
)
def test_need(text: str, words: str) -> None:
    u = ask(text)
    assert (u.intent, u.search_query) == ("need", words)


@pytest.mark.parametrize(
    "text",
    [
        "I'm looking for a teapot",
        "add 2 earl grey for my mom",
        "quiero ver focos",
        "recomiéndame algo",
    ],
)
def test_not_a_need(text: str) -> None:
    assert ask(text).intent != "need"


@pytest.mark.parametrize(
    "text",
    [
        "¿Qué tienen?",
        "que venden?",
        "q manejan",
        "what do you have?",
        "wat u got",
        "menu",
        "buenas tardes, ¿qué venden y hacen envíos?",
    ],
)
def test_browse(text: str) -> None:
    assert ask(text).intent == "browse"
