"""The dashboard's session: a signed, expiring HttpOnly cookie, and CSRF tokens bound to it.

No server-side session store: the cookie carries the business id, a fingerprint of the
business's current API key hash (rotating the key ends every session) and a random session
id that the CSRF token is derived from. itsdangerous signs and timestamps it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from whsp_ai.settings import Settings

COOKIE = "whsp_dashboard"
COOKIE_PATH = "/dashboard"
SECRET_FILE = "dashboard-secret"  # noqa: S105  (a file name, not a secret)
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class OwnerSession:
    business_id: int
    key_fingerprint: str
    sid: str


def resolve_secret(settings: Settings) -> str:
    """WHSP_DASHBOARD_SECRET, or a random one kept in the data dir so restarts keep sessions."""
    if settings.dashboard_secret:
        return settings.dashboard_secret
    folder = Path(settings.whsp_data_dir).expanduser()
    path = folder / SECRET_FILE
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except OSError:
        existing = ""
    if len(existing) >= 32:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # 0600 from the start: the secret forges sessions for every business.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(secret)
    return secret


def key_fingerprint(secret: str, api_key_hash: str) -> str:
    """Names the API key a session was opened with, without putting its hash in a cookie."""
    return hmac.new(secret.encode(), api_key_hash.encode(), hashlib.sha256).hexdigest()[:24]


class SessionCodec:
    """Signs and reads the session cookie; derives and checks CSRF tokens."""

    def __init__(self, secret: str, max_age_s: int) -> None:
        self._secret = secret
        self._signer = URLSafeTimedSerializer(secret, salt="whsp-dashboard-session")
        self.max_age_s = max_age_s

    def fingerprint(self, api_key_hash: str) -> str:
        return key_fingerprint(self._secret, api_key_hash)

    def open(
        self, response: Response, request: Request, *, business_id: int, key_hash: str
    ) -> None:
        value = self._signer.dumps(
            {"b": business_id, "k": self.fingerprint(key_hash), "s": secrets.token_urlsafe(18)}
        )
        response.set_cookie(
            COOKIE,
            value,
            max_age=self.max_age_s,
            path=COOKIE_PATH,
            httponly=True,
            samesite="lax",
            secure=is_https(request),
        )

    @staticmethod
    def close(response: Response, request: Request) -> None:
        response.delete_cookie(
            COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax", secure=is_https(request)
        )

    def read(self, request: Request) -> OwnerSession | None:
        """The request's valid, unexpired session; None for a missing, forged or old cookie."""
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._signer.loads(raw, max_age=self.max_age_s)
        except BadSignature:  # also SignatureExpired, its subclass
            return None
        if not isinstance(data, dict):
            return None
        business_id, fingerprint, sid = data.get("b"), data.get("k"), data.get("s")
        if not (isinstance(business_id, int) and isinstance(fingerprint, str)):
            return None
        if not isinstance(sid, str) or not sid:
            return None
        return OwnerSession(business_id, fingerprint, sid)

    def csrf_token(self, session: OwnerSession) -> str:
        return hmac.new(
            self._secret.encode(), f"csrf:{session.sid}".encode(), hashlib.sha256
        ).hexdigest()

    def csrf_ok(self, session: OwnerSession, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token(session), token or "")


def is_https(request: Request) -> bool:
    """HTTPS here, or at the proxy in front of us (X-Forwarded-Proto): the cookie is Secure."""
    if request.url.scheme == "https":
        return True
    forwarded = request.headers.get("x-forwarded-proto", "")
    return forwarded.split(",")[0].strip().lower() == "https"
