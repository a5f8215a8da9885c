"""The Graph API client: one pooled async httpx client, errors classified for retrying."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from whsp_ai.settings import Settings

# Meta error codes worth retrying: throttling and transient failures.
RETRYABLE_CODES = {1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131056, 133004}
# Codes retrying cannot fix; recorded, never retried.
WINDOW_CLOSED = 131047  # outside the 24-hour customer-service window
PERMANENT_CODES = {100, 131008, 131009, 131026, 131047, 131049, 131051, 131052, 132000, 132001}


@dataclass
class SendError(Exception):
    status: int | None
    code: int | None
    message: str
    retryable: bool

    def __str__(self) -> str:
        return f"Graph API error {self.code or self.status}: {self.message}"


class GraphClient:
    def __init__(self, settings: Settings, http: httpx.AsyncClient | None = None) -> None:
        self.base = f"{settings.whatsapp_graph_url}/{settings.whatsapp_api_version}"
        self.http = http or httpx.AsyncClient(
            timeout=httpx.Timeout(10.0, connect=5.0),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    async def send(self, phone_number_id: str, token: str, body: dict[str, Any]) -> str:
        """POST one message; its WhatsApp message id, or SendError."""
        data = await self._post(phone_number_id, token, body)
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            return ""  # Meta took it (2xx); without its id, status updates can't be matched

    async def mark_read(self, phone_number_id: str, token: str, message_id: str) -> None:
        body = {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
        await self._post(phone_number_id, token, body)

    async def _post(self, phone_number_id: str, token: str, body: dict[str, Any]) -> Any:
        url = f"{self.base}/{phone_number_id}/messages"
        try:
            response = await self.http.post(
                url, json=body, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.TimeoutException as exc:
            raise SendError(None, None, f"timeout: {type(exc).__name__}", True) from exc
        except httpx.TransportError as exc:
            raise SendError(None, None, f"network: {type(exc).__name__}", True) from exc
        if response.status_code < 400:
            try:
                return response.json()
            except ValueError:  # accepted, but the answer is unreadable: don't resend it
                return {}
        code, message = None, response.text[:300]
        try:
            error = response.json().get("error", {})
            code, message = error.get("code"), error.get("message", message)
        except ValueError:
            pass
        retryable = (
            response.status_code >= 500
            or response.status_code == 429
            or (code in RETRYABLE_CODES and code not in PERMANENT_CODES)
        )
        raise SendError(response.status_code, code, message, retryable)

    async def aclose(self) -> None:
        await self.http.aclose()
