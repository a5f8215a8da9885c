"""X-Hub-Signature-256: HMAC-SHA256 of the raw body with the app secret, in constant time."""

import hashlib
import hmac


def valid_signature(secret: str, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def sign(secret: str, body: bytes) -> str:
    """The header value Meta would send (tests, the benchmark's fake traffic)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
