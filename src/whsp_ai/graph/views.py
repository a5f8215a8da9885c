"""How products and carts read in a reply; every figure comes from the database."""

from __future__ import annotations

from whsp_ai.db.models import Business
from whsp_ai.messages import replies
from whsp_ai.messages.replies import Reply
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools.cart import CartSummary
from whsp_ai.tools.catalog import ProductHit


def product_label(hit: ProductHit, business: Business, lang: Lang) -> str:
    label = f"{hit.name} — {money(hit.price, business.currency)}"
    if hit.status == "unconfirmed":
        label += " " + t("unconfirmed_note", lang)
    elif hit.stock == 0:
        label += " " + t("out_of_stock_note", lang)
    return label


def product_list(
    hits: list[ProductHit], business: Business, lang: Lang, header_key: str, header: str = ""
) -> Reply:
    """`header`: the intro's words when they were voiced (graph/voiced.py), else the template."""
    lines = [header or t(header_key, lang)]
    lines += [f"{i}. {product_label(h, business, lang)}" for i, h in enumerate(hits, 1)]
    # the title may be shortened (messages/titles.py); the description keeps the full name
    items = [
        (f"product:{h.sku}", h.name, f"{money(h.price, business.currency)} · {h.name}")
        for h in hits
    ]
    return replies.rows("\n".join(lines), t("list_products", lang), items)


def product_detail(hit: ProductHit, business: Business, lang: Lang) -> Reply:
    stock = t("stock_left", lang, n=hit.stock) if hit.stock is not None and hit.stock <= 5 else ""
    body = t(
        "product_detail",
        lang,
        name=hit.name,
        price=money(hit.price, business.currency),
        stock=stock,
        description=hit.description,
    ).strip()
    if hit.status == "unconfirmed" or hit.stock == 0:
        note = "unconfirmed_note" if hit.status == "unconfirmed" else "out_of_stock_note"
        return replies.text(f"{body}\n{t(note, lang)}")
    return replies.buttons(
        body,
        [(f"add:{hit.sku}", t("btn_add", lang)), ("cart:view", t("btn_view_cart", lang))],
    )


def cart_text(summary: CartSummary, business: Business, lang: Lang) -> str:
    cur = business.currency
    lines = [t("cart_header", lang)]
    lines += [
        t("cart_line", lang, qty=line.quantity, name=line.name, total=money(line.line_total, cur))
        for line in summary.lines
    ]
    totals = summary.totals
    lines.append(t("subtotal", lang, amount=money(totals.subtotal, cur)))
    if totals.delivery_fee:
        lines.append(t("delivery", lang, amount=money(totals.delivery_fee, cur)))
        if business.free_delivery_over is not None:
            lines.append(
                t("free_delivery_hint", lang, amount=money(business.free_delivery_over, cur))
            )
    elif business.delivery_fee:
        lines.append(t("delivery_free", lang))
    lines.append(t("total", lang, amount=money(totals.total, cur)))
    return "\n".join(lines)


def cart_buttons(lang: Lang) -> list[tuple[str, str]]:
    return [("cart:view", t("btn_view_cart", lang)), ("checkout:start", t("btn_checkout", lang))]
