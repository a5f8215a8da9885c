"""FastAPI dependencies as Annotated aliases."""

import hmac
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from whsp_ai.channel import Channel
from whsp_ai.db.api_keys import hash_api_key
from whsp_ai.db.database import Database
from whsp_ai.db.models import Business
from whsp_ai.db.repositories import businesses
from whsp_ai.settings import Settings

_bearer = HTTPBearer(auto_error=False, description="The business's API key")


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_channel(request: Request) -> Channel:
    channel: Channel = request.app.state.channel
    return channel


async def get_session(db: Annotated[Database, Depends(get_db)]) -> AsyncIterator[AsyncSession]:
    async with db.session() as session:
        yield session


DatabaseDep = Annotated[Database, Depends(get_db)]
ChannelDep = Annotated[Channel, Depends(get_channel)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
# scope="function": the transaction commits before the response leaves, so a 201 means saved.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_business(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Business:
    """The one business whose API key came in the Authorization header; 401 otherwise."""
    unauthorized = HTTPException(
        status_code=401,
        detail="missing or invalid API key",
        headers={"WWW-Authenticate": "Bearer"},
    )
    if credentials is None or not credentials.credentials:
        raise unauthorized
    digest = hash_api_key(credentials.credentials)
    business = await businesses.by_api_key_hash(session, api_key_hash=digest)
    # The lookup is by hash; comparing the hashes again in constant time keeps timing flat.
    if business is None or not hmac.compare_digest(business.api_key_hash, digest):
        raise unauthorized
    return business


BusinessDep = Annotated[Business, Depends(get_business)]


class ErrorBody(BaseModel):
    detail: str


# Every route behind the API key can answer 401; the OpenAPI document says so (schemathesis
# checks every status against it).
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorBody,
        "description": "missing or invalid API key",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    }
}
# FastAPI answers 400 when a body cannot be decoded at all (not UTF-8, say), before JSON.
BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "the body could not be read"}
}


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(**constraints: Any) -> Any:
    """A field that may be left out but, when given, may not be null.

    The field's type has no None, so the OpenAPI document offers no null; the default of
    None only marks "not given" (with `exclude_unset`, or read as "no filter").
    """
    return Field(default=None, json_schema_extra=_no_default, **constraints)


async def single_valued_query(request: Request) -> None:
    """Every query parameter of these routes takes one value: `?limit=1&limit=5` is a
    mistake to refuse (422), not a choice to make silently for the client."""
    keys = [key for key, _ in request.query_params.multi_items()]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise HTTPException(
            status_code=422,
            detail=[
                {"loc": ["query", key], "msg": "given more than once", "type": "repeated"}
                for key in repeated
            ],
        )
