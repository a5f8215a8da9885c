"""The dashboard's pages, in the order the menu and the home page list them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    blurb: str


# One entry per page; the menu and GET /dashboard/ both read this list, so a page added
# here is linked from everywhere.
PAGES: list[Page] = [
    Page("approvals", "Approvals", "/dashboard/approvals", "Answer what customers are waiting on"),
    Page("orders", "Orders", "/dashboard/orders", "Orders and their status"),
    Page("products", "Products", "/dashboard/products", "Catalog: prices, stock, CSV"),
    Page("agent", "Agent", "/dashboard/agent", "The agent's persona and checkout settings"),
    Page("conversations", "Conversations", "/dashboard/conversations", "What customers wrote"),
    Page("sales", "Sales", "/dashboard/sales", "Orders and revenue per day, top products"),
]
