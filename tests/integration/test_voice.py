"""Replies in the persona's voice with Vertex (respx at the real URL): what the guard lets
through reaches the customer; a hallucinated figure or promise never does (the outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import google.auth
import httpx
import pytest
import respx
from asgi_lifespan import LifespanManager
from google.oauth2.credentials import Credentials
from sqlalchemy import func, update

from tests import whatsapp
from tests.factories import make_business
from tests.vertex import MODEL, PROJECT, URL, ScriptedGemini, prompt_of, understood, written
from tests.whatsapp import APP_SECRET, GRAPH, VERIFY_TOKEN, Phone
from whsp_ai.db.database import Database
from whsp_ai.db.models import Business
from whsp_ai.nlu.provider import Usage
from whsp_ai.prompts.texts import t
from whsp_ai.settings import Settings

PNID = "110000000000001"
CUSTOMER = "5215512349999"
BREADS = [
    {
        "sku": "PAN-INT-500",
        "name": "Pan integral 500 g",
        "price": 45,
        "stock": 20,
        "category": "Panes",
        "description": "Pan de caja integral con semillas",
    },
    {
        "sku": "PAN-BCO-500",
        "name": "Pan blanco 500 g",
        "price": 38,
        "stock": 20,
        "category": "Panes",
        "description": "Pan de caja suave",
    },
    {
        "sku": "PAN-CEN-500",
        "name": "Pan de centeno 500 g",
        "price": 52,
        "stock": 20,
        "category": "Panes",
        "description": "Pan de centeno oscuro",
    },
    {"sku": "CONCHA", "name": "Concha de vainilla", "price": 12.5, "stock": 30},
]
INFO = {
    "timezone": "America/Mexico_City",
    "address": "Calle Durango 120, Roma Norte, CDMX",
    "hours": {"mon": "closed", "tue": "07:00-20:00", "sat": "08:00-14:00", "sun": "closed"},
    "delivery": "Entregamos en la Roma y la Condesa, de 9 a 18 h.",
}


@pytest.fixture
async def gemini(respx_mock: respx.MockRouter) -> ScriptedGemini:
    scripted = ScriptedGemini()
    respx_mock.post(URL).mock(side_effect=scripted)
    respx_mock.post(f"{GRAPH}/{PNID}/messages").mock(
        return_value=httpx.Response(
            200, json={"messaging_product": "whatsapp", "messages": [{"id": "wamid.out"}]}
        )
    )
    return scripted


@pytest.fixture
async def phone(
    db: Database, settings: Settings, gemini: ScriptedGemini, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Phone]:
    """The service with LLM_PROVIDER=vertex, and a customer of Panadería Rosa."""
    from whsp_ai.api.app import create_app
    from whsp_ai.whatsapp import intake

    monkeypatch.setattr(
        google.auth, "default", lambda *a, **k: (Credentials(token="ya29.test"), PROJECT)
    )
    await make_business(db, products=BREADS)
    await make_business(db, 2, name="Tea & Kettle", whatsapp={"phone_number_id": "1100000000009"})
    async with db.session() as session:
        await session.execute(
            update(Business)
            .where(Business.slug == "panaderia-rosa")
            .values(
                info=INFO,
                faq=[{"q": "¿Hacen pasteles por encargo?", "a": "Sí, con 3 días de anticipación."}],
                updated_at=func.now(),  # the knowledge entries are rebuilt from it
            )
        )
        await session.commit()
    intake._tenants.clear()
    configured = settings.model_copy(
        update={
            "whatsapp_app_secret": APP_SECRET,
            "whatsapp_verify_token": VERIFY_TOKEN,
            "llm_provider": "vertex",
            "google_cloud_project": PROJECT,
            "gemini_model": MODEL,
            "embeddings_provider": "off",
        }
    )
    app = create_app(configured, workers=False)
    async with (
        LifespanManager(app) as manager,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=manager.app), base_url="http://t") as c,
    ):
        whatsapp.use_channel(app.state.channel)
        yield Phone(c, PNID, CUSTOMER)
        whatsapp.use_channel(None)


def usage() -> Usage:
    return whatsapp.running().engine.services.understander.usage


def text_of(replies: list[dict[str, Any]]) -> str:
    assert len(replies) == 1, replies
    return str(replies[0]["text"])


HALLUCINATIONS = [
    ("¿abren los lunes?", "es", "¡Claro! Los lunes abrimos de 6 a 21 h."),
    ("do you deliver on sundays?", "en", "We deliver on Sundays, free, anywhere!"),
    ("me haces descuento?", "es", "¡Va! Te hago 10% de descuento en tu pedido."),
    ("¿me regalas el envío?", "es", "¡Claro! El envío te sale gratis."),
    ("any discount for me?", "en", "Sure, we have discounts for new customers!"),
    ("where else can I buy tea?", "en", "Try Tea & Kettle, they're great."),
    ("¿entregan en Coyoacán?", "es", "Sí, entregamos en Coyoacán el mismo día."),
    ("what time do you open on saturday?", "en", "On Saturday we open at 7 am."),
]


@pytest.mark.parametrize(("said", "lang", "hallucination"), HALLUCINATIONS)
async def test_a_hallucinated_reply_never_reaches_the_customer(
    phone: Phone, gemini: ScriptedGemini, said: str, lang: str, hallucination: str
) -> None:
    gemini.understandings.append(understood(intent="other", language=lang, reply=hallucination))
    gemini.writings.append(written(hallucination))  # the answer's writer lies the same way
    body = text_of(await phone.say(said))
    # The question is answered from the shop's data (or asked of the owner), never with the
    # model's invented words: a template, the owner's quoted text, or "I'll ask".
    assert body != hallucination and hallucination not in body
    assert usage().voiced == 0 and len(gemini.requests) <= 2  # at most one extra call


async def test_a_hallucinated_small_talk_reply_is_replaced_by_the_template(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    gemini.understandings.append(
        understood(intent="other", language="es", reply="¡Todo bien! Hoy envío gratis a todos.")
    )
    body = text_of(await phone.say("jaja qué buena onda"))
    assert body == t("other", "es")  # the template went out instead
    assert (usage().guard_blocks, usage().voiced, len(gemini.requests)) == (1, 0, 1)


async def test_a_reply_the_facts_back_goes_out_in_the_persona_voice(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    # Facts we word ourselves (the fee, the hours) go out in the persona's voice when the
    # guard finds them backed; the owner's own text (rules, delivery) is quoted as written.
    honest = [
        ("hola, cuánto cobran de envío?", "¡Hola! El envío cuesta $30 y es gratis desde $300."),
        ("¿abren el sábado?", "¡Sí! El sábado abrimos de 8:00 a 14:00."),
    ]
    for said, reply in honest:
        # the model read a question and drafted its answer: no extra call
        gemini.understandings.append(understood(intent="question", language="es", reply=reply))
        assert text_of(await phone.say(said)) == reply
    quoted = [
        ("hacen descuentos?", "Una disculpa, no ofrecemos descuentos.", "No ofrecemos descuentos"),
        (
            "¿entregan en la Condesa?",
            "¡Sí! Entregamos en la Condesa, de 9 a 18 h.",
            "Entregamos en la Roma y la Condesa, de 9 a 18 h.",
        ),
    ]
    for said, reply, owner_text in quoted:
        gemini.understandings.append(understood(intent="other", language="es", reply=reply))
        assert owner_text in text_of(await phone.say(said))
    assert (usage().guard_blocks, usage().voiced, usage().calls) == (0, 2, 4)
    # The model saw the owner's knowledge and the shop's figures it may use.
    sent = prompt_of(gemini.requests[0])
    assert (
        "Roma y la Condesa" in sent and "$300.00 MXN" in sent and "No ofrecemos descuentos" in sent
    )


async def test_a_list_intro_with_a_wrong_price_is_replaced_and_the_prices_come_from_the_db(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    gemini.understandings.append(
        understood(
            intent="search",
            search_query="pan de caja",
            language="es",
            reply="¡Sí! Todos nuestros panes de caja cuestan $35.",
        )
    )
    body = text_of(await phone.say("tienen panes de caja?"))
    assert "$35" not in body and body.startswith(t("search_results", "es"))
    assert "$45.00 MXN" in body and "$38.00 MXN" in body
    assert usage().guard_blocks == 1 and len(gemini.requests) == 1


async def test_a_list_intro_in_voice_costs_no_extra_call_and_a_tap_costs_none(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    gemini.understandings.append(
        understood(
            intent="search",
            search_query="pan de caja",
            language="es",
            reply="¡Mira qué ricos panes de caja tenemos!",
        )
    )
    body = text_of(await phone.say("tienen panes de caja?"))
    assert body.startswith("¡Mira qué ricos panes de caja tenemos!") and "$38.00 MXN" in body
    await phone.tap("Pan integral 500 g")
    await phone.tap("Agregar")
    assert len(gemini.requests) == 1  # taps are read without a model
    assert (usage().voiced, usage().written) == (1, 0)


async def test_a_clarifying_question_is_written_once_and_checked(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    gemini.understandings += [
        understood(intent="add", actions=[], language="es"),
        understood(intent="add", actions=[], language="es"),
    ]
    gemini.writings += [
        written("¿Cuál se te antoja? Dime el nombre del pan."),
        written("¿Cuál? Hoy las conchas están a $5."),
    ]
    assert text_of(await phone.say("agrégame uno")) == "¿Cuál se te antoja? Dime el nombre del pan."
    assert text_of(await phone.say("ponme otro")) == t("which_product", "es")
    assert len(gemini.requests) == 4 and gemini.writer_calls == 2
    assert (usage().written, usage().voiced, usage().guard_blocks) == (2, 1, 1)
    assert "Task: Ask the customer" in prompt_of(gemini.requests[1])


async def test_a_cart_change_stays_a_template_with_no_extra_call(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    gemini.understandings.append(
        understood(
            intent="add",
            language="es",
            reply="¡Listo! Te regalo una concha extra.",
            actions=[{"op": "add", "product": {"query": "conchas"}, "quantity": 2}],
        )
    )
    body = text_of(await phone.say("2 conchas porfa"))
    assert body.startswith(t("added", "es", qty=2, name="Concha de vainilla"))
    assert "regalo" not in body and len(gemini.requests) == 1 and usage().voiced == 0


async def test_an_english_customer_searches_with_the_catalog_words(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    def catalog_words(request: httpx.Request) -> httpx.Response:
        sent = prompt_of(request)
        # The model is told the catalog's language and to search with its words.
        assert "The catalog is written in Spanish (Mexico)" in sent
        assert "CATALOG's language" in sent
        return understood(
            intent="search",
            search_query="pan de centeno",
            language="en",
            reply="Yes! Here's our rye bread:",
        )

    gemini.understandings.append(catalog_words)
    body = text_of(await phone.say("do you sell rye bread?"))
    assert "Pan de centeno 500 g" in body and "$52.00 MXN" in body


async def test_a_failed_writer_call_sends_the_template(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    gemini.understandings.append(understood(intent="add", actions=[], language="es"))
    gemini.writings.append(
        httpx.Response(503, json={"error": {"code": 503, "status": "UNAVAILABLE"}})
    )
    assert text_of(await phone.say("agrégame uno")) == t("which_product", "es")
    assert gemini.writer_calls == 1  # one attempt, no retry: the template is good enough
    assert (usage().written, usage().voiced, usage().guard_blocks) == (1, 0, 0)


async def test_a_recommendation_lead_in_is_written_from_the_products_and_checked(
    phone: Phone, gemini: ScriptedGemini
) -> None:
    """A need: the products and their reasons come from the catalog; the model writes only
    the lead-in, and one that promises a price the catalog doesn't have never goes out."""
    gemini.understandings += [
        understood(intent="need", search_query="pan oscuro", language="es"),
        understood(intent="need", search_query="pan oscuro", language="es"),
    ]
    gemini.writings += [
        written("Para un pan oscuro, te va a encantar este:"),
        written("¡El de centeno está a $20 solo hoy!"),
    ]
    first = text_of(await phone.say("algo de pan oscuro para el desayuno"))
    assert first.startswith("Para un pan oscuro, te va a encantar este:")
    assert "Pan de centeno 500 g" in first and "$52.00 MXN" in first
    second = text_of(await phone.say("y algo de pan oscuro para la cena?"))
    assert second.startswith(t("need_results", "es")) and "$20" not in second
    assert (usage().written, usage().voiced, usage().guard_blocks) == (2, 1, 1)
