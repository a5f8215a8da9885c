"""The app's 422 answer: FastAPI's own shape, with text a response cannot carry made safe."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def _encodable(value: Any) -> Any:
    """Lone UTF-16 surrogates become U+FFFD: the 422 echoes the input, and UTF-8 can't hold
    them, so FastAPI's own handler crashed while writing the answer (a 500)."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    return value


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    detail = _encodable(jsonable_encoder(exc.errors()))
    return JSONResponse(status_code=422, content={"detail": detail})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
