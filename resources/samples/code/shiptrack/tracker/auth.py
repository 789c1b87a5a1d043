"""Bearer tokens for the shiptrack API."""

import hashlib
import hmac
import secrets
import time

TOKEN_LIFETIME_S = 3600


def issue_token(user_id: str, key: bytes, now: float | None = None) -> str:
    """Return 'user.expiry.nonce.signature'; the signature is HMAC-SHA256 over the first three parts."""
    expiry = int((now or time.time()) + TOKEN_LIFETIME_S)
    nonce = secrets.token_hex(8)
    payload = f"{user_id}.{expiry}.{nonce}"
    signature = hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()
    return f"{payload}.{signature}"


def verify_token(token: str, key: bytes, now: float | None = None) -> str | None:
    """Return the user id of a valid, unexpired token, else None. Compares signatures in constant time."""
    try:
        user_id, expiry, nonce, signature = token.split(".")
    except ValueError:
        return None
    expected = hmac.new(key, f"{user_id}.{expiry}.{nonce}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        return None
    if int(expiry) < (now or time.time()):
        return None
    return user_id
