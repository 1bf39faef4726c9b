"""Contact details a visitor would trust: phone numbers, e-mail addresses, bank accounts.

Attackers who take over a portal quietly change these (a fee-payment account, the hotline) — the
page still looks right, so only a comparison with what the site showed before catches it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from haidang.engines.scanner.textnorm import fold

_PHONE = re.compile(r"(?<![\d])(?:\+?84[\s.\-]?|0)(?:\(?\d\)?[\s.\-]?){8,10}(?![\d])")
_HOTLINE = re.compile(r"(?<![\d])1[89]00[\s.\-]?\d{2,4}(?:[\s.\-]?\d{2,4})?(?![\d])")
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+\-]{0,63}@[a-z0-9][a-z0-9.\-]{0,250}\.[a-z]{2,24}", re.IGNORECASE)
_BANK = re.compile(
    r"(?:so tai khoan|tai khoan so|tai khoan|stk|so tk|tk so|account (?:no|number))[^0-9]{0,40}"
    r"((?:\d[\s.\-]?){7,18}\d)"
)
_NON_DIGIT = re.compile(r"\D")

KINDS = ("phone", "email", "bank_account")


def extract_contacts(text: str) -> dict[str, set[str]]:
    """Normalised contacts in ``text``: digits only for numbers, lower case for e-mail."""
    return {kind: set(values) for kind, values in _contacts(text).items()}


# The tampering check and learning read the same desktop pages in one scan: extract once.
@lru_cache(maxsize=64)
def _contacts(text: str) -> dict[str, frozenset[str]]:
    folded = fold(text)
    banks = {_NON_DIGIT.sub("", m) for m in _BANK.findall(folded)}
    phones = set()
    for match in [*_PHONE.findall(text), *_HOTLINE.findall(text)]:
        digits = _NON_DIGIT.sub("", match)
        if digits.startswith("84") and len(digits) >= 11:
            digits = "0" + digits[2:]
        if 8 <= len(digits) <= 11 and not any(digits in bank for bank in banks):
            phones.add(digits)
    emails = {e.lower().rstrip(".") for e in _EMAIL.findall(text)}
    return {"phone": frozenset(phones), "email": frozenset(emails), "bank_account": frozenset(banks)}
