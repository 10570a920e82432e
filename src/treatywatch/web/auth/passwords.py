"""Password hashing and the minimum bar a new password must clear.

Hashes use Argon2id (argon2-cffi's defaults follow RFC 9106's
recommendations), so a leaked ``users`` table costs an attacker real
memory and time per guess. When those defaults are raised in a later
release, :func:`needs_rehash` lets a successful login upgrade the stored
hash without asking anyone to reset their password.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from treatywatch.errors import TreatywatchError

MIN_LENGTH = 10
MAX_LENGTH = 1024
"""Longer inputs are refused: Argon2 would hash them fine, but an unbounded
field is a cheap way to make the server do work."""
MIN_DISTINCT = 5
COMMON = frozenset(
    {
        "password",
        "password1",
        "password12",
        "password123",
        "passw0rd",
        "123456789",
        "1234567890",
        "12345678910",
        "qwertyuiop",
        "qwerty1234",
        "qwerty123456",
        "iloveyou",
        "letmein123",
        "administrator",
        "changeme",
        "changeme123",
        "treatywatch",
        "welcome123",
        "abc123456789",
        "0987654321",
    }
)

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher.hash("treatywatch-dummy-password")


class WeakPasswordError(TreatywatchError):
    """The chosen password is empty, short or guessable."""


def check_strength(password: str, *, username: str | None = None) -> None:
    """Refuse passwords that an online or offline guesser would find quickly.

    A short, explainable rule set (length, variety, not the username, not a
    top-list password) rather than composition rules, which push people to
    ``Password1!`` without making guesses harder.
    """
    hint = (
        f"choose at least {MIN_LENGTH} characters, e.g. a few unrelated words; "
        "a password manager helps"
    )
    if not password or not password.strip():
        raise WeakPasswordError("the password is empty", hint=hint)
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(
            f"the password is too short ({len(password)} characters, at least {MIN_LENGTH})",
            hint=hint,
        )
    if len(password) > MAX_LENGTH:
        raise WeakPasswordError(
            f"the password is too long (more than {MAX_LENGTH} characters)",
            hint="use a shorter passphrase",
        )
    if len(set(password)) < MIN_DISTINCT:
        raise WeakPasswordError("the password repeats too few different characters", hint=hint)
    lowered = password.lower()
    if lowered in COMMON:
        raise WeakPasswordError("the password is on the list of most common passwords", hint=hint)
    if username and username.lower() in lowered:
        raise WeakPasswordError("the password contains the username", hint=hint)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; a missing or corrupt hash never matches.

    With no stored hash a dummy hash is still verified, so the response
    time does not reveal which usernames exist.
    """
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True
