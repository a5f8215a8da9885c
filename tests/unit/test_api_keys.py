"""API keys are long, random and stored only as a hash."""

from whsp_ai.db.api_keys import hash_api_key, new_api_key


def test_keys_are_random_and_long() -> None:
    keys = {new_api_key() for _ in range(100)}
    assert len(keys) == 100
    # token_urlsafe(32) encodes 32 random bytes in 43 characters, after the prefix
    assert all(len(k) >= len("whsp_") + 43 for k in keys)


def test_hash_is_stable_and_not_the_key() -> None:
    key = new_api_key()
    assert hash_api_key(key) == hash_api_key(key)
    assert key not in hash_api_key(key)
    assert hash_api_key(key) != hash_api_key(new_api_key())
