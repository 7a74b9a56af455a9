"""Password hashing: Argon2id (argon2-cffi's RFC 9106 profile), salted per password, slow on purpose.

Only the hash is ever stored; a password is never written, logged or put in an exception message.
"""

from __future__ import annotations

import contextlib
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.errors import UsageError

MIN_LENGTH = 8
MAX_LENGTH = 256  # longer input is refused before hashing (no hashing of megabytes on request)

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so an unknown name costs the same time."""
    return _hasher.hash("not a password: equalises the time of unknown names")


def check_strength(password: str, name: str = "") -> None:
    """Refuse passwords that are too short, too long, or the account name itself."""
    if len(password) < MIN_LENGTH:
        raise UsageError(f"密码至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise UsageError(f"密码最多 {MAX_LENGTH} 个字符")
    if name and password.strip().lower() == name.strip().lower():
        raise UsageError("密码不能与账号名相同")


def hash_password(password: str) -> str:
    """An Argon2id hash string (algorithm, parameters and salt included)."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a mismatch, a missing or damaged hash, or a password
    too long to be one of ours. Always spends one verification's time."""
    if len(password) > MAX_LENGTH or not stored_hash:
        _verify_dummy(password[:MAX_LENGTH])
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (rehash on next sign-in)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def _verify_dummy(password: str) -> None:
    with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
        _hasher.verify(_dummy_hash(), password)


def spend_verification_time(password: str) -> None:
    """One wasted verification: for unknown or disabled accounts, so their answer takes as long."""
    _verify_dummy(password[:MAX_LENGTH])
