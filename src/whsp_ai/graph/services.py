"""Process-wide resources the graph's nodes use: the database and the understanding provider.

The app lifespan (or the CLI) installs them. Under `langgraph dev` nothing installs them,
so the first node to ask opens them from the environment, like the service would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from whsp_ai.db.database import Database
from whsp_ai.db.models import Business, Product
from whsp_ai.nlu.factory import make_understander
from whsp_ai.nlu.provider import Understander, Writer
from whsp_ai.prompts.persona import business_prompt
from whsp_ai.search.embeddings import Embedder, make_embedder
from whsp_ai.settings import Settings, get_settings
from whsp_ai.voice.facts import business_facts

PROFILE_TTL_S = 5.0  # business profiles change rarely; products are never cached
PROMPT_TTL_S = 60.0


@dataclass
class Services:
    db: Database
    understander: Understander
    settings: Settings
    embedder: Embedder | None = None  # search by meaning, when configured
    _profiles: dict[int, tuple[float, Business]] = field(default_factory=dict)
    _categories: dict[int, tuple[float, list[str]]] = field(default_factory=dict)
    _prompts: dict[int, tuple[float, str]] = field(default_factory=dict)
    _names: tuple[float, list[str]] | None = None

    @property
    def writer(self) -> Writer | None:
        """The model that writes replies in the persona's voice; None offline (templates)."""
        model = self.understander
        return model if isinstance(model, Writer) else None

    async def business_names(self) -> list[str]:
        """Every business's name: a model-written reply may name none but its own."""
        if self._names and time.monotonic() - self._names[0] < PROMPT_TTL_S:
            return self._names[1]
        async with self.db.session() as session:
            rows = await session.execute(select(col(Business.name)))
            names = list(rows.scalars())
        self._names = (time.monotonic(), names)
        return names

    async def business(self, business_id: int) -> Business:
        cached = self._profiles.get(business_id)
        if cached and time.monotonic() - cached[0] < PROFILE_TTL_S:
            return cached[1]
        async with self.db.session() as session:
            business = await session.get(Business, business_id)
        if business is None:
            raise LookupError(f"no business {business_id}")
        self._profiles[business_id] = (time.monotonic(), business)
        return business

    def forget(self, business_id: int) -> None:
        """Drop this process's cached profile of a business the owner just changed (the
        dashboard, a faq answer), so its next message uses the change; other processes
        wait out the TTL."""
        for cache in (self._profiles, self._categories, self._prompts):
            cache.pop(business_id, None)

    async def categories(self, business_id: int) -> list[str]:
        """The business's product categories, for "qué pinturas tienen"-style filters."""
        cached = self._categories.get(business_id)
        if cached and time.monotonic() - cached[0] < PROFILE_TTL_S:
            return cached[1]
        async with self.db.session() as session:
            rows = await session.execute(
                select(col(Product.category))
                .distinct()
                .where(col(Product.business_id) == business_id, col(Product.category).is_not(None))
            )
            found = sorted(c for c in rows.scalars() if c)
        self._categories[business_id] = (time.monotonic(), found)
        return found

    async def business_prompt(self, business_id: int) -> str:
        """The model's per-business system prompt; empty for the offline provider."""
        if self.understander.name == "offline":
            return ""
        cached = self._prompts.get(business_id)
        if cached and time.monotonic() - cached[0] < PROMPT_TTL_S:
            return cached[1]
        business = await self.business(business_id)
        async with self.db.session() as session:
            names = await session.execute(
                select(col(Product.name))
                .where(col(Product.business_id) == business_id, col(Product.status) == "confirmed")
                .order_by(col(Product.updated_at).desc())
                .limit(40)
            )
            prompt = business_prompt(
                business, await self.categories(business_id), list(names.scalars())
            )
        # The business's standing facts (rules, info, faq, checkout figures): what a drafted
        # reply may say; the guard checks it against the same facts.
        facts = business_facts(business, "en" if business.language == "en" else "es")
        prompt += "\n\nFACTS about the business:\n" + facts.render()
        self._prompts[business_id] = (time.monotonic(), prompt)
        return prompt

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """The turn's transaction when a turn is running (as a savepoint), else a new one."""
        shared = _turn.get()
        if shared is None:
            async with self.db.session() as session:
                yield session
            return
        async with shared.begin_nested():
            yield shared

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[AsyncSession]:
        """One transaction for everything a customer message changes in our tables."""
        async with self.db.sessions() as session:
            token = _turn.set(session)
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            finally:
                _turn.reset(token)


_turn: ContextVar[AsyncSession | None] = ContextVar("whsp_turn_session", default=None)
_current: Services | None = None
_opening = asyncio.Lock()


def install(services: Services | None) -> None:
    global _current
    _current = services


async def current() -> Services:
    global _current
    if _current is not None:
        return _current
    async with _opening:
        if _current is None:
            settings = get_settings()
            database = Database(settings)
            await database.open()
            _current = Services(
                database, make_understander(settings), settings, make_embedder(settings)
            )
    return _current
