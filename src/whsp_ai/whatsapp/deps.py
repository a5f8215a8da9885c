"""What the queue's jobs work with: handed to them by the composition root (channel.py)
through procrastinate's worker context, never looked up in a process-wide global."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whsp_ai.db.database import Database
from whsp_ai.graph.engine import Engine
from whsp_ai.whatsapp.queue import CONTEXT_KEY
from whsp_ai.whatsapp.sender import OutboxSender


@dataclass(frozen=True)
class JobDeps:
    db: Database
    engine: Engine
    sender: OutboxSender

    def worker_context(self) -> dict[str, Any]:
        """procrastinate's `additional_context` for workers that run our jobs."""
        return {CONTEXT_KEY: self}
