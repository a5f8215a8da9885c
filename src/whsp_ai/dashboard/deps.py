"""The dashboard's dependencies: the database session, the logged-in business, CSRF checks.

A page (GET) without a valid session redirects to the login page. A change (POST) is
checked for its CSRF token before anything else runs: without a valid one it is a 403 and
the handler never starts, so nothing changes.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.channel import Channel
from whsp_ai.dashboard.session import (
    CSRF_FIELD,
    CSRF_HEADER,
    OwnerSession,
    SessionCodec,
    resolve_secret,
)
from whsp_ai.db.database import Database
from whsp_ai.db.models import Business
from whsp_ai.settings import Settings

MAX_BODY_BYTES = 25 * 1024 * 1024  # the largest form: a CSV import of up to 20 MB


class LoginRequired(Exception):
    """No valid session: the exception handler sends the browser to the login page."""


def codec(request: Request) -> SessionCodec:
    """One codec per app, made on first use (after start-up, when the data dir exists)."""
    state = request.app.state
    found: SessionCodec | None = getattr(state, "dashboard_codec", None)
    if found is None:
        settings: Settings = state.settings
        found = SessionCodec(resolve_secret(settings), int(settings.dashboard_session_hours * 3600))
        state.dashboard_codec = found
    return found


async def get_db_session(request: Request) -> AsyncIterator[AsyncSession]:
    db: Database = request.app.state.db
    async with db.session() as session:
        yield session


def get_channel(request: Request) -> Channel:
    channel: Channel = request.app.state.channel
    return channel


CodecDep = Annotated[SessionCodec, Depends(codec)]
# scope="function": the transaction commits before the response leaves.
DbDep = Annotated[AsyncSession, Depends(get_db_session, scope="function")]
ChannelDep = Annotated[Channel, Depends(get_channel)]


@dataclass(frozen=True)
class Owner:
    """The logged-in business and what each page needs to draw its forms."""

    business: Business
    csrf: str

    @property
    def id(self) -> int:
        return self.business.id or 0


async def _owner_of(
    session_data: OwnerSession | None, db: AsyncSession, codec: SessionCodec
) -> Owner | None:
    if session_data is None:
        return None
    business = await db.get(Business, session_data.business_id)
    if business is None:
        return None
    # A rotated API key ends the sessions opened with the old one.
    if not hmac.compare_digest(
        codec.fingerprint(business.api_key_hash), session_data.key_fingerprint
    ):
        return None
    return Owner(business, codec.csrf_token(session_data))


async def current_owner(request: Request, db: DbDep, codec: CodecDep) -> Owner:
    owner = await _owner_of(codec.read(request), db, codec)
    if owner is None:
        raise LoginRequired
    return owner


async def optional_owner(request: Request, db: DbDep, codec: CodecDep) -> Owner | None:
    return await _owner_of(codec.read(request), db, codec)


async def checked_owner(request: Request, db: DbDep, codec: CodecDep) -> Owner:
    """The owner behind a state-changing request whose CSRF token is valid; 403 otherwise.

    The session is checked before the body is read: without one, nothing is parsed.
    """
    session_data = codec.read(request)
    if session_data is None:
        raise HTTPException(403, "the session has ended; log in again")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413, "the upload is too large")
    token = request.headers.get(CSRF_HEADER)
    if token is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    if not codec.csrf_ok(session_data, token):
        raise HTTPException(403, "missing or invalid CSRF token; reload the page and try again")
    owner = await _owner_of(session_data, db, codec)
    if owner is None:
        raise HTTPException(403, "the session has ended; log in again")
    return owner


OwnerDep = Annotated[Owner, Depends(current_owner)]
MaybeOwnerDep = Annotated[Owner | None, Depends(optional_owner)]
WriterDep = Annotated[Owner, Depends(checked_owner)]
