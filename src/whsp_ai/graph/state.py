"""Graph state: small and bounded. The cart lives in tables, never here."""

from __future__ import annotations

from typing import Annotated, Any, Literal, NotRequired, TypedDict

from whsp_ai.messages.replies import Reply
from whsp_ai.nlu.models import Understanding

HISTORY_WINDOW = 12  # messages kept for context; older ones live only in the message tables

CheckoutStage = Literal["confirm_cart", "address", "payment", "confirm_order"]


def keep_recent(left: list[dict[str, str]], right: list[dict[str, str]]) -> list[dict[str, str]]:
    """Append, then keep only the last HISTORY_WINDOW entries, so checkpoints stay bounded."""
    return (left + right)[-HISTORY_WINDOW:]


class ShownItem(TypedDict):
    sku: str
    name: str


class Checkout(TypedDict):
    stage: CheckoutStage
    address: NotRequired[str]
    payment_method: NotRequired[str]
    shown_cart: NotRequired[str]  # the cart (skus, quantities, prices) the customer confirmed


class Pending(TypedDict):
    """A cart action waiting for the answer to "which one?"."""

    op: Literal["add", "remove", "set"]
    quantity: int | None


class InputState(TypedDict):
    """One inbound customer message: free text, or the id of a tapped button or list row."""

    text: NotRequired[str]
    action_id: NotRequired[str]


class OutputState(TypedDict):
    replies: list[Reply]
    new_approvals: NotRequired[list[int]]
    turns: NotRequired[int]  # messages handled in this conversation; paces checkpoint pruning


class State(InputState):
    # Reset by the router at the start of each turn; exactly one responder node fills it.
    replies: list[Reply]
    history: Annotated[list[dict[str, str]], keep_recent]
    understanding: NotRequired[dict[str, Any] | None]
    lang: NotRequired[Literal["es", "en"]]
    shown: NotRequired[list[ShownItem]]
    checkout: NotRequired[Checkout | None]
    focus: NotRequired[ShownItem | None]  # the one product "ese" / "that one" points at
    pending: NotRequired[Pending | None]
    customer_id: NotRequired[int]
    turns: NotRequired[int]
    new_approvals: NotRequired[list[int]]  # approvals this turn raised; the engine starts them
    locale_saved: NotRequired[str]  # the language last written to customers.locale


class Update(TypedDict, total=False):
    """What a node may return: a partial State, typed field by field."""

    replies: list[Reply]
    history: list[dict[str, str]]
    understanding: dict[str, Any] | None  # Understanding.model_dump(mode="json"); see below
    lang: Literal["es", "en"]
    shown: list[ShownItem]
    checkout: Checkout | None
    focus: ShownItem | None
    pending: Pending | None
    customer_id: int
    turns: int
    new_approvals: list[int]
    locale_saved: str


def understanding_of(state: State) -> Understanding:
    """The turn's understanding, as the typed model (the state stores its JSON form)."""
    return Understanding.model_validate(state.get("understanding") or {"intent": "other"})
