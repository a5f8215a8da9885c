"""Telling every customer who waits on an approval its outcome, each in their own language."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.db.models import Approval, Business, Customer
from whsp_ai.db.repositories import approval_customers, customers
from whsp_ai.graph import views
from whsp_ai.graph.services import current
from whsp_ai.messages import replies
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, language_of, t
from whsp_ai.text.quote import block_quote, quotation
from whsp_ai.tools import approvals as approval_tools
from whsp_ai.tools import messages as message_tools
from whsp_ai.tools.catalog import search_products
from whsp_ai.tools.questions import Answered


async def waiting_customers(
    session: AsyncSession, business: Business, approval: Approval
) -> list[Customer]:
    """Everyone waiting on the approval, first asker first. An approval raised before
    approval_customers existed (or by code that skipped it) still has its first asker."""
    rows = await approval_customers.waiting(
        session, business_id=business.id or 0, approval_id=approval.id or 0
    )
    if rows:
        return [customer for _, customer in rows]
    if approval.customer_id is None:
        return []
    first = await customers.by_id(
        session, business_id=business.id or 0, customer_id=approval.customer_id
    )
    return [first] if first else []


async def tell_outcome(
    session: AsyncSession, business: Business, outcome: approval_tools.Outcome
) -> int:
    """The owner confirmed or rejected a product: every waiting customer hears it. Returns
    how many were told."""
    approval = outcome.approval
    waiting = await waiting_customers(session, business, approval)
    alternatives: list[Any] = []
    if approval.status != "confirmed" or outcome.product is None:
        found = await search_products(
            session,
            business_id=business.id or 0,
            query=approval.query,
            limit=5,
            embedder=(await current()).embedder,
        )
        product = outcome.product
        alternatives = [h for h in found.hits if not product or h.sku != product.sku]
    for customer in waiting:
        lang = language_of(customer.locale, business.language)
        message = _outcome_message(business, outcome, customer, lang, alternatives)
        await _send(session, business, approval, customer, message)
    return len(waiting)


def _outcome_message(
    business: Business,
    outcome: approval_tools.Outcome,
    customer: Customer,
    lang: Lang,
    alternatives: list[Any],
) -> replies.Reply:
    approval, product = outcome.approval, outcome.product
    name = product.name if product else approval.query
    if approval.status == "confirmed" and product is not None:
        price = money(product.price, business.currency)
        change = outcome.cart_changes.get(customer.id or 0)
        if change is not None and change.kind in ("added", "added_partial"):
            body = t(
                "approval_confirmed_added",
                lang,
                business=business.name,
                name=name,
                price=price,
                qty=change.quantity,
            )
            return replies.buttons(body, views.cart_buttons(lang))
        body = t("approval_confirmed", lang, business=business.name, name=name, price=price)
        return replies.buttons(body, [(f"add:{product.sku}", t("btn_add", lang))])
    body = t("approval_rejected", lang, business=business.name, name=name)
    if not alternatives:
        return replies.text(body)
    listing = views.product_list(alternatives, business, lang, "approval_alternatives")
    listing["text"] = body + "\n" + listing["text"]
    return listing


async def tell_answer(session: AsyncSession, business: Business, answered: Answered) -> int:
    """The owner answered a question: every waiting customer gets the owner's words, quoted.
    Returns how many were told."""
    approval = answered.approval
    waiting = await waiting_customers(session, business, approval)
    for customer in waiting:
        lang = language_of(customer.locale, business.language)
        body = t(
            "question_answered",
            lang,
            business=business.name,
            question=quotation(approval.query, limit=200),
            answer=block_quote(answered.answer, limit=3500),
        )
        await _send(session, business, approval, customer, replies.text(body))
    return len(waiting)


async def _send(
    session: AsyncSession,
    business: Business,
    approval: Approval,
    customer: Customer,
    message: replies.Reply,
) -> None:
    await message_tools.send(
        session,
        business_id=business.id or 0,
        to_wa_id=customer.wa_id,
        reply=message,
        dedupe_key=f"approval:{approval.id}:answer:{customer.id}",
    )
