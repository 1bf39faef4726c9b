"""Keeping bots and floods off the public portal without third-party services.

The report form is open to anyone, so it gets layered, cheap defences, none of which sends a
visitor's data to another company (no reCAPTCHA/hCaptcha/Turnstile):

- **Honeypot**: a text field hidden from people (off-screen, ``aria-hidden``, no tab stop, no
  autofill) that form-filling bots complete. Filled → refused.
- **Signed form token** (``django.core.signing``, salted, keyed by SECRET_KEY): issued with the form,
  carrying the time it was issued and a random nonce. A submission sooner than
  ``HAIDANG_PORTAL_MIN_FILL_SECONDS`` after issue is a script, one older than :data:`MAX_FORM_AGE`
  is stale (both refused with a message and a fresh token, the input kept); a nonce is accepted once,
  so one fetched form cannot be replayed in a loop.
- **Rate limits per client address** in Django's cache: reports per hour and tracking-code lookups
  per hour (``HAIDANG_PORTAL_REPORTS_PER_HOUR``, ``HAIDANG_PORTAL_LOOKUPS_PER_HOUR``). Lookups count
  whether or not the code exists, so the limit says nothing about codes. Codes have ~59 bits of
  entropy (``incidents.tracking``), so the limit is against load, not against guessing.
- **Size caps**: field lengths in the form, at most three attachments checked by content, and the
  whole request refused above :data:`MAX_REQUEST_BYTES` before Django parses it.

No proof-of-work: it needs JavaScript (the portal runs without any, under a CSP that forbids
scripts), it costs most on the cheap phones many citizens use, and a bot farm pays it easily.

The client address is ``REMOTE_ADDR``; only when that is one of ``HAIDANG_PORTAL_TRUSTED_PROXIES``
is ``X-Forwarded-For`` read, from the right, skipping trusted proxies, so a visitor cannot choose
their own address. Addresses are hashed before they become cache keys.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

FORM_SIGNING_SALT = "haidang.portal.report-form"
MAX_FORM_AGE = 4 * 3600  # seconds: long enough to write a careful report, short enough to expire
MAX_REQUEST_BYTES = 20 * 1024 * 1024
WINDOW = 3600  # seconds, for the hourly rate limits


class TokenProblem(StrEnum):
    MISSING = "missing"
    TOO_FAST = "too_fast"
    EXPIRED = "expired"
    REUSED = "reused"


def issue_form_token(now: float | None = None) -> str:
    issued = time.time() if now is None else now
    return signing.dumps({"t": round(issued, 3), "n": secrets.token_urlsafe(12)}, salt=FORM_SIGNING_SALT)


def check_form_token(token: str, now: float | None = None) -> TokenProblem | None:
    """None when the token is genuine, old enough and fresh enough; else why not. Marks it used."""
    current = time.time() if now is None else now
    try:
        payload = signing.loads(token, salt=FORM_SIGNING_SALT, max_age=MAX_FORM_AGE)
        issued, nonce = float(payload["t"]), str(payload["n"])
    except signing.SignatureExpired:
        return TokenProblem.EXPIRED
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenProblem.MISSING
    if current - issued < settings.HAIDANG_PORTAL_MIN_FILL_SECONDS:
        return TokenProblem.TOO_FAST
    if current - issued > MAX_FORM_AGE:
        return TokenProblem.EXPIRED
    if not cache.add(f"portal:nonce:{nonce}", 1, timeout=MAX_FORM_AGE + 60):
        return TokenProblem.REUSED
    return None


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: the peer, or the first untrusted hop when the peer is a trusted proxy."""
    peer = _valid(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.HAIDANG_PORTAL_TRUSTED_PROXIES)
    if peer not in trusted:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        address = _valid(hop)
        if address and address not in trusted:
            return address
    return peer


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


@dataclass(frozen=True)
class Limit:
    scope: str
    per_hour: int


def reports_limit() -> Limit:
    return Limit("report", int(settings.HAIDANG_PORTAL_REPORTS_PER_HOUR))


def lookups_limit() -> Limit:
    return Limit("lookup", int(settings.HAIDANG_PORTAL_LOOKUPS_PER_HOUR))


def _key(limit: Limit, address: str, now: float) -> str:
    # Hash so raw addresses do not sit in a shared cache; the window number makes it a fixed window.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]
    return f"portal:rl:{limit.scope}:{digest}:{int(now // WINDOW)}"


def is_limited(limit: Limit, address: str, now: float | None = None) -> bool:
    """Whether ``address`` has used up ``limit`` in the current hour (without counting this call)."""
    count = cache.get(_key(limit, address, time.time() if now is None else now), 0)
    return int(count) >= limit.per_hour


def spend(limit: Limit, address: str, now: float | None = None) -> bool:
    """Count one use; False when the hour's allowance was already used up."""
    key = _key(limit, address, time.time() if now is None else now)
    cache.add(key, 0, timeout=WINDOW + 60)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW + 60)
        used = 1
    return used <= limit.per_hour
