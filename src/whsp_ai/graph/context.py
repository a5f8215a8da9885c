"""Per-run values: which business, which customer, which language. Never from the model."""

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Context:
    business_id: int
    customer_wa_id: str
    locale: Literal["es", "en"] = "es"
    # The recorded WhatsApp message this run answers; its replies go to the outbox with it.
    inbound_id: int | None = None

    @property
    def thread_id(self) -> str:
        return f"{self.business_id}:{self.customer_wa_id}"
