"""Tracking codes handed to people who report through the public portal.

A code is 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 31^12 ≈ 2^59, far beyond
guessing. Only its SHA-256 is stored, so a leaked database does not reveal any reporter's code, and a
lookup by digest compares nothing character by character.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(code: str) -> str | None:
    """Upper-case, without spaces or dashes; None when it cannot be a code (so no query is made)."""
    cleaned = "".join(code.split()).replace("-", "").upper()[: LENGTH + 1]
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def digest(normalized: str) -> str:
    return hashlib.sha256(normalized.encode("ascii")).hexdigest()


def display(code: str) -> str:
    """``ABCD-EFGH-JKMN``: easier to read out over the phone."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
