"""Password hashing: Argon2id (argon2-cffi's RFC 9106 profile), salted per password, slow on purpose.

Only the hash is ever stored; a password is never written, logged or put in an exception message.
"""

from __future__ import annotations

import contextlib
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.errors import UsageError

MIN_LENGTH = 10
MAX_LENGTH = 256  # longer input is refused before hashing (no hashing of megabytes on request)
MIN_DIFFERENT_CHARACTERS = 4
COMMON_PASSWORDS = frozenset(
    [
        "password",
        "password1",
        "password12",
        "password123",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "admin123",
        "admin1234",
        "admin@123",
        "administrator",
        "qwertyuiop",
        "qwerty123",
        "qwerty1234",
        "1qaz2wsx",
        "1qaz2wsx3edc",
        "1q2w3e4r5t",
        "qwe123456",
        "asdfghjkl",
        "zxcvbnm123",
        "abc123456",
        "abcd123456",
        "a123456789",
        "aa12345678",
        "123456789a",
        "iloveyou",
        "woaini1314",
        "woaini520",
        "welcome123",
        "changeme",
        "letmein123",
        "sunshine123",
        "football123",
        "dragon1234",
        "baseball12",
        "monkey1234",
        "superman12",
    ]
)
"""Passwords at the top of every leaked list that pass the other rules (length, not only digits)."""

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the account does not exist, so an unknown name costs the same time."""
    return _hasher.hash("not a password: equalises the time of unknown names")


def check_strength(password: str, name: str = "") -> None:
    """Refuse weak passwords: shorter than MIN_LENGTH, only digits, fewer than four different
    characters, one of the most common passwords, or the account name (either way round)."""
    if len(password) < MIN_LENGTH:
        raise UsageError(f"密码至少 {MIN_LENGTH} 个字符")
    if len(password) > MAX_LENGTH:
        raise UsageError(f"密码最多 {MAX_LENGTH} 个字符")
    folded = password.strip().casefold()
    if folded.isdigit():
        raise UsageError("密码不能全是数字")
    if len(set(folded)) < MIN_DIFFERENT_CHARACTERS:
        raise UsageError(f"密码至少要有 {MIN_DIFFERENT_CHARACTERS} 个不同的字符")
    if folded in COMMON_PASSWORDS:
        raise UsageError("这是最常见的密码之一，请换一个")
    if name and name.strip().casefold() in (folded, folded[::-1]):
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
