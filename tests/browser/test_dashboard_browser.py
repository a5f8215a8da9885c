"""The dashboard in headless Chromium, against `whsp-ai serve` on the test database.

One browser and one service for the module; the tests run in order, as one owner's visit:
log in, refuse a forged change (CSRF), answer an approval a customer's message raised, and
look at every page at 390 px and 1280 px (screenshots in artifacts/screenshots/, no
horizontal scroll on the phone).
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import text

from tests.browser.conftest import Live
from tests.browser.harness import PHONE, eventually, shoot

CUSTOMER = "5215511112222"


def _open(driver: Any, live: Live, path: str) -> None:
    driver.get(live.url + path)


def _check_page(driver: Any, name: str) -> None:
    """A real page (not an error), screenshot at both widths, no sideways scroll on a phone."""
    assert driver.find_elements(By.CSS_SELECTOR, "header.top"), f"{name}: not a dashboard page"
    assert "Internal Server Error" not in driver.page_source
    widths = shoot(driver, name)
    assert widths[PHONE] <= PHONE, f"{name}: {widths[PHONE]} px wide at {PHONE} px"


@pytest.fixture
def owner(browser: Any, live: Live) -> None:
    """The owner logged in (each test can run alone: the log-in test doesn't have to go first)."""
    _open(browser, live, "/dashboard/approvals")
    if browser.current_url.endswith("/dashboard/login"):
        browser.find_element(By.NAME, "api_key").send_keys(live.api_key)
        browser.find_element(By.NAME, "api_key").submit()


async def _one(live: Live, statement: str, **params: object) -> Any:
    async with live.db.session() as session:
        return (await session.execute(text(statement), params)).first()


async def test_log_in_with_the_business_key(browser: Any, live: Live) -> None:
    browser.delete_all_cookies()
    _open(browser, live, "/dashboard/sales")
    assert browser.current_url.endswith("/dashboard/login")
    _check_page(browser, "login")
    field = browser.find_element(By.NAME, "api_key")
    field.send_keys("not-the-key")
    field.submit()
    assert "not valid" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.NAME, "api_key").send_keys(live.api_key)
    browser.find_element(By.NAME, "api_key").submit()
    assert browser.current_url.endswith("/dashboard/")
    assert "Ferretería Don Pepe" in browser.find_element(By.CSS_SELECTOR, ".brand").text
    _check_page(browser, "home")


async def _drill_approval(live: Live) -> Any:
    return await _one(
        live,
        "SELECT a.id, a.number, a.product_id, a.status FROM approvals a JOIN customers c "
        "ON c.id = a.customer_id WHERE a.business_id = :b AND c.wa_id = :w",
        w=CUSTOMER,
        b=live.business_id,
    )


async def _asked_for_a_drill(live: Live) -> Any:
    """The customer's approval for the drill (pending until answered), asked once a module."""
    found = await _drill_approval(live)
    if found is None:
        live.service.customer_says(live.phone_number_id, CUSTOMER, "quiero 1 taladro percutor")
        found = await eventually(lambda: _drill_approval(live), "the customer's approval")
    return found


async def test_a_forged_change_is_refused_and_changes_nothing(
    browser: Any, live: Live, owner: None
) -> None:
    approval = await _asked_for_a_drill(live)
    _open(browser, live, "/dashboard/approvals")
    # A request from the page with the session cookie but without the token: a forgery.
    status = browser.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch('/dashboard/approvals/' + arguments[0], {method: 'POST',
              body: new URLSearchParams({decision: 'reject'})})
          .then(r => done(r.status), e => done(String(e)));
        """,
        approval.id,
    )
    assert status == 403
    still = await _one(live, "SELECT status FROM approvals WHERE id = :id", id=approval.id)
    assert still.status == approval.status  # pending, unless the answer test ran first


async def test_answer_an_approval(browser: Any, live: Live, owner: None) -> None:
    approval = await _asked_for_a_drill(live)
    _open(browser, live, "/dashboard/approvals")
    _check_page(browser, "approvals")
    item = browser.find_element(By.ID, f"approval-{approval.id}")
    price = item.find_element(By.NAME, "price")
    price.clear()
    price.send_keys("1499")
    stock = item.find_element(By.NAME, "stock")
    stock.clear()
    stock.send_keys("3")
    item.find_element(By.CSS_SELECTOR, "button[value=confirm]").click()

    async def answered() -> Any:
        return await _one(
            live,
            "SELECT a.status, p.price, p.stock, p.status AS product_status FROM approvals a "
            "JOIN products p ON p.id = a.product_id WHERE a.id = :id AND a.status <> 'pending'",
            id=approval.id,
        )

    row = await eventually(answered, "the approval to be confirmed")
    assert (row.status, float(row.price), row.stock, row.product_status) == (
        "confirmed",
        1499.0,
        3,
        "confirmed",
    )
    notice = browser.find_element(By.ID, f"approval-{approval.id}").text
    assert "Confirmed" in notice

    async def told() -> Any:  # the customer hears it on WhatsApp
        return await _one(
            live,
            "SELECT id FROM outbound_messages WHERE business_id = :b AND to_wa_id = :w "
            "AND payload::text ILIKE '%taladro%' AND created_at > "
            "(SELECT resolved_at FROM approvals WHERE id = :id) - interval '1 second'",
            b=live.business_id,
            w=CUSTOMER,
            id=approval.id,
        )

    await eventually(told, "the customer's WhatsApp message about the answer")


async def test_sales_and_conversations_pages(browser: Any, live: Live, owner: None) -> None:
    await _asked_for_a_drill(live)  # so there is a conversation to open
    _open(browser, live, "/dashboard/sales")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.chart")) >= 2
    _check_page(browser, "sales")
    _open(browser, live, "/dashboard/conversations")
    _check_page(browser, "conversations")
    browser.find_element(By.CSS_SELECTOR, f'a.convo[href$="/{CUSTOMER}"]').click()
    assert "taladro percutor" in browser.find_element(By.CSS_SELECTOR, ".thread").text
    _check_page(browser, "conversation")


async def test_a_new_greeting_greets_the_next_conversation(
    browser: Any, live: Live, owner: None
) -> None:
    _open(browser, live, "/dashboard/agent")
    _check_page(browser, "agent")
    greeting = browser.find_element(By.NAME, "greeting")
    greeting.clear()
    greeting.send_keys("¡Buenas! Aquí Pepe, el de la ferre. ¿Qué se le ofrece?")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    assert "errors" not in browser.find_element(By.TAG_NAME, "main").text.lower()
    newcomer = "5215599990001"
    live.service.customer_says(live.phone_number_id, newcomer, "hola")

    async def greeted() -> Any:
        return await _one(
            live,
            "SELECT payload FROM outbound_messages WHERE business_id = :b AND to_wa_id = :w "
            "AND payload ->> 'type' IS NOT NULL ORDER BY id LIMIT 1",
            b=live.business_id,
            w=newcomer,
        )

    first = await eventually(greeted, "the agent's greeting")
    assert "Aquí Pepe, el de la ferre" in str(first.payload)
    _open(browser, live, f"/dashboard/conversations/{newcomer}")
    assert "Aquí Pepe, el de la ferre" in browser.find_element(By.CSS_SELECTOR, ".thread").text


async def test_orders_and_products_pages(browser: Any, live: Live, owner: None) -> None:
    _open(browser, live, "/dashboard/orders")
    _check_page(browser, "orders")
    browser.find_element(By.CSS_SELECTOR, 'main a[href^="/dashboard/orders/"]').click()
    _check_page(browser, "order")
    _open(browser, live, "/dashboard/products")
    _check_page(browser, "products")
    _open(browser, live, "/dashboard/products?q=taladro")
    assert "Taladro" in browser.find_element(By.TAG_NAME, "main").text


async def test_hand_a_conversation_off_and_back(browser: Any, live: Live, owner: None) -> None:
    person = "5215599990002"
    live.service.customer_says(live.phone_number_id, person, "quiero hablar con una persona")

    async def handed_off() -> Any:
        return await _one(
            live,
            "SELECT id FROM customers WHERE business_id = :b AND wa_id = :w "
            "AND handed_off_at IS NOT NULL",
            b=live.business_id,
            w=person,
        )

    await eventually(handed_off, "the conversation to be handed off")
    _open(browser, live, "/dashboard/conversations")
    assert "with you" in browser.find_element(By.CSS_SELECTOR, f'a.convo[href$="/{person}"]').text
    _open(browser, live, f"/dashboard/conversations/{person}")
    _check_page(browser, "conversation-handoff")
    browser.find_element(By.ID, "reply-text").send_keys("Hola, soy Pepe en persona. ¿Qué busca?")
    browser.find_element(By.CSS_SELECTOR, 'form[action$="/reply"] button').click()

    async def sent(words: str) -> Any:
        return await _one(
            live,
            "SELECT id FROM outbound_messages WHERE business_id = :b AND to_wa_id = :w "
            "AND payload::text ILIKE :words ORDER BY id DESC LIMIT 1",
            b=live.business_id,
            w=person,
            words=f"%{words}%",
        )

    reply = await eventually(lambda: sent("Pepe en persona"), "the owner's reply in the outbox")
    assert "Pepe en persona" in browser.find_element(By.CSS_SELECTOR, ".thread").text

    # while handed off the agent stays silent: the customer's next message gets no answer
    live.service.customer_says(live.phone_number_id, person, "necesito 200 tornillos")

    async def processed() -> Any:
        return await _one(
            live,
            "SELECT id FROM inbound_messages WHERE business_id = :b AND customer_wa_id = :w "
            "AND payload::text LIKE '%200 tornillos%' AND status = 'processed'",
            b=live.business_id,
            w=person,
        )

    await eventually(processed, "the customer's message to be processed")
    answered = await _one(
        live,
        "SELECT count(*) AS n FROM outbound_messages WHERE business_id = :b AND to_wa_id = :w "
        "AND id > :after AND payload ->> 'type' IS NOT NULL",
        b=live.business_id,
        w=person,
        after=reply.id,
    )
    assert answered.n == 0

    browser.find_element(By.CSS_SELECTOR, 'form[action$="/handback"] button').click()

    async def back() -> Any:
        done = await handed_off()
        return None if done else await sent("otra vez")

    await eventually(back, "the hand back and the customer told")
    assert browser.find_elements(By.CSS_SELECTOR, 'form[action$="/takeover"]')


async def test_move_an_order_along(browser: Any, live: Live, owner: None) -> None:
    order = await _one(
        live,
        "SELECT o.id, o.number, c.wa_id, (SELECT coalesce(max(id), 0) FROM outbound_messages) "
        "AS last_out FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.business_id = :b AND o.status = 'pending' ORDER BY o.id DESC LIMIT 1",
        b=live.business_id,
    )
    _open(browser, live, f"/dashboard/orders/{order.id}")
    browser.find_element(By.CSS_SELECTOR, "#order-status button[value=paid]").click()

    async def paid() -> Any:
        return await _one(
            live,
            "SELECT o.status, (SELECT payload FROM outbound_messages WHERE to_wa_id = :w "
            "AND id > :after AND payload ->> 'type' IS NOT NULL ORDER BY id LIMIT 1) AS told "
            "FROM orders o WHERE o.id = :id AND o.status = 'paid'",
            id=order.id,
            w=order.wa_id,
            after=order.last_out,
        )

    row = await eventually(paid, "the order to be paid")
    assert row.told is not None and f"#{order.number}" in str(row.told)  # told on WhatsApp
    section = browser.find_element(By.ID, "order-status").text
    assert "paid" in section and "Mark shipped" in section and "Mark pending" not in section
    _check_page(browser, "order-paid")


async def test_answer_a_question_and_save_it_to_the_faq(
    browser: Any, live: Live, owner: None
) -> None:
    asker = "5215599990003"
    live.service.customer_says(live.phone_number_id, asker, "oigan estan contratando?")

    async def asked() -> Any:
        return await _one(
            live,
            "SELECT a.id FROM approvals a JOIN approval_customers ac ON ac.approval_id = a.id "
            "JOIN customers c ON c.id = ac.customer_id WHERE a.business_id = :b "
            "AND a.kind = 'question' AND a.status = 'pending' AND c.wa_id = :w",
            b=live.business_id,
            w=asker,
        )

    question = await eventually(asked, "the customer's question for the owner")
    _open(browser, live, "/dashboard/approvals")
    item = browser.find_element(By.ID, f"approval-{question.id}")
    item.find_element(By.NAME, "answer").send_keys("Por ahora no, pero gracias por preguntar.")
    assert item.find_element(By.NAME, "save_to_faq").is_selected()  # on by default
    item.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    async def answered() -> Any:
        return await _one(
            live,
            "SELECT a.status, (SELECT faq::text FROM businesses WHERE id = :b) AS faq, "
            "(SELECT count(*) FROM outbound_messages WHERE to_wa_id = :w "
            "AND payload::text LIKE '%gracias por preguntar%') AS told "
            "FROM approvals a WHERE a.id = :id AND a.status = 'answered'",
            b=live.business_id,
            w=asker,
            id=question.id,
        )

    row = await eventually(answered, "the answer to reach the customer")
    assert row.told == 1 and "gracias por preguntar" in row.faq
