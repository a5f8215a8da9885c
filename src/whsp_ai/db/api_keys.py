"""Owner API keys: random, shown once, stored only as a SHA-256 hash."""

import hashlib
import secrets

PREFIX = "whsp_"


def new_api_key() -> str:
    # 32 random bytes; high entropy is why a fast hash (not a password KDF) is the right tool.
    return PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
