"""The facts a model-written reply may use, built by code from the database and the owner's text.

A `Facts` is what the model is shown and what the guard checks the reply against: the
persona, the shop's rules, knowledge entries ({topic, owner's text}), figures (label,
value) worded by us, products with their database prices, and the cart. Nothing in it
comes from a model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from whsp_ai.db.models import Business
from whsp_ai.prompts.money import money
from whsp_ai.prompts.texts import Lang, t
from whsp_ai.tools.cart import CartSummary
from whsp_ai.tools.catalog import ProductHit

DAYS: dict[str, tuple[str, ...]] = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Entry:
    """One piece of the business's knowledge: a faq question or an info topic, and the text."""

    topic: str
    text: str


@dataclass(frozen=True)
class ProductFact:
    name: str
    price: str  # formatted from the database: "$45.00 MXN"
    description: str = ""
    category: str | None = None
    note: str = ""  # "(agotado)", "(por confirmar)", "quedan 3"


@dataclass(frozen=True)
class Facts:
    business: str
    agent: str
    tone: str
    language: str  # the business's, which is also its catalog's
    rules: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    figures: tuple[tuple[str, str], ...] = ()  # (label, value), worded by our templates
    products: tuple[ProductFact, ...] = ()
    cart: tuple[str, ...] = ()

    def but(self, **changes: Any) -> Facts:
        """A copy with some parts replaced: `facts.but(products=...)`."""
        for name in ("rules", "entries", "figures", "products", "cart"):
            if name in changes:
                changes[name] = tuple(changes[name])
        return replace(self, **changes)

    def adding(
        self,
        *,
        entries: Iterable[Entry] = (),
        figures: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        products: Iterable[ProductFact] = (),
    ) -> Facts:
        more = figures.items() if isinstance(figures, Mapping) else figures
        return replace(
            self,
            entries=self.entries + tuple(entries),
            figures=self.figures + tuple(more),
            products=self.products + tuple(products),
        )

    def sentences(self) -> list[tuple[str, str]]:
        """Every statement the facts make, with the topic it falls under when it names none."""
        out = [(f"{self.agent}, {self.business}", "")]
        out += [(rule, "") for rule in self.rules]
        out += [(e.text, e.topic) for e in self.entries]
        out += [(f"{label}: {value}", label) for label, value in self.figures]
        out += [(_product_line(p), "price") for p in self.products]
        out += [(line, "price") for line in self.cart]
        return out

    def render(self) -> str:
        """The FACTS block a model is shown: the only things it may state."""
        lines = [f"Business: {self.business}. You are {self.agent}."]
        if self.rules:
            lines += ["Rules of the house:", *(f"- {r}" for r in self.rules)]
        if self.entries:
            lines += ["Knowledge (the owner's own words):"]
            lines += [f"- {e.topic}: {e.text}" for e in self.entries]
        if self.figures:
            lines += ["Figures:", *(f"- {label}: {value}" for label, value in self.figures)]
        if self.products:
            lines += ["Products (prices from the catalog):"]
            lines += [f"- {_product_line(p)}" for p in self.products]
        if self.cart:
            lines += ["The customer's cart:", *(f"- {line}" for line in self.cart)]
        return "\n".join(lines)


def _product_line(p: ProductFact) -> str:
    parts = [f"{p.name} — {p.price}"]
    if p.note:
        parts.append(p.note)
    if p.category:
        parts.append(f"[{p.category}]")
    if p.description:
        parts.append(f": {p.description}")
    return " ".join(parts)


def business_facts(business: Business, lang: Lang) -> Facts:
    """What is always true of the business: persona, rules, checkout figures, info and faq."""
    persona = business.persona or {}
    figures: list[tuple[str, str]] = []
    if business.payment_methods:
        figures.append(("payment methods", ", ".join(business.payment_methods)))
    if business.delivery_fee:
        figures.append(
            (
                "delivery fee",
                t("delivery", lang, amount=money(business.delivery_fee, business.currency)),
            )
        )
    if business.free_delivery_over is not None:
        hint = t(
            "free_delivery_hint", lang, amount=money(business.free_delivery_over, business.currency)
        )
        figures.append(("free delivery", hint))
    return Facts(
        business=business.name,
        agent=str(persona.get("agent_name") or business.name),
        tone=str(persona.get("tone") or "friendly"),
        language=business.language,
        rules=tuple(str(r) for r in persona.get("rules") or []),
        entries=tuple(info_entries(business.info or {}, lang))
        + tuple(
            Entry(str(item.get("q", "")), str(item.get("a", "")))
            for item in business.faq or []
            if item.get("a")
        ),
        figures=tuple(figures),
    )


def info_entries(info: Mapping[str, Any], lang: Lang) -> list[Entry]:
    """The business file's `info`, one entry per topic; hours read as "Tuesday 10:00-18:00"."""
    out: list[Entry] = []
    for key, value in info.items():
        if key == "timezone" or value in (None, "", {}, []):
            continue
        if key == "hours" and isinstance(value, Mapping):
            days = [f"{DAYS[lang][i]} {value[k]}" for i, k in enumerate(_DAY_KEYS) if k in value]
            out.append(Entry("opening hours", "; ".join(days)))
        elif isinstance(value, Mapping):
            out.append(Entry(key, "; ".join(f"{k}: {v}" for k, v in value.items())))
        elif isinstance(value, list):
            out.append(Entry(key, "; ".join(str(v) for v in value)))
        else:
            out.append(Entry(key, str(value)))
    return out


def now_figures(
    business: Business, lang: Lang, now: datetime | None = None
) -> list[tuple[str, str]]:
    """The business's local day and time, so "are you open now?" can be answered."""
    zone = (business.info or {}).get("timezone")
    if not zone:
        return []
    try:
        local = (now or datetime.now(ZoneInfo(zone))).astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return []
    return [("now, at the shop", f"{DAYS[lang][local.weekday()]} {local:%H:%M}")]


def product_fact(hit: ProductHit, business: Business, lang: Lang) -> ProductFact:
    note = ""
    if hit.status == "unconfirmed":
        note = t("unconfirmed_note", lang)
    elif hit.stock == 0:
        note = t("out_of_stock_note", lang)
    return ProductFact(
        hit.name, money(hit.price, business.currency), hit.description, hit.category, note
    )


def cart_lines(summary: CartSummary, business: Business, lang: Lang) -> list[str]:
    """The cart as the customer reads it (views.cart_text's lines), every figure from the db."""
    if summary.empty:
        return [t("cart_empty", lang).split(".")[0]]
    cur = business.currency
    lines = [
        t(
            "cart_line", lang, qty=line.quantity, name=line.name, total=money(line.line_total, cur)
        ).lstrip("• ")
        for line in summary.lines
    ]
    lines.append(t("subtotal", lang, amount=money(summary.totals.subtotal, cur)))
    if summary.totals.delivery_fee:
        lines.append(t("delivery", lang, amount=money(summary.totals.delivery_fee, cur)))
    elif business.delivery_fee:
        lines.append(t("delivery_free", lang))
    lines.append(t("total", lang, amount=money(summary.totals.total, cur)))
    return lines
