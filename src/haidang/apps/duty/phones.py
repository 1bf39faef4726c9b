"""Vietnamese telephone numbers as duty officers type them: mobile, landline, 1800/1900 lines.

Validity comes from Google's libphonenumber metadata (the ``phonenumbers`` package), which follows
the numbering plan as it changes; this module only adds what spreadsheets do to numbers.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumbers import shortnumberinfo

_SEPARATORS = re.compile(r"[\s.\-()/]")
_REGION = "VN"


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, _REGION)
    except phonenumbers.NumberParseException:
        return None


def normalize_phone(value: str) -> str:
    """``+84 912.345.678`` → ``0912345678``. Returns the input stripped when it is not a number."""
    text = _SEPARATORS.sub("", value.strip())
    if len(text) == 9 and text.isdigit() and text[0] in "35789":
        # A spreadsheet that stored the number as an integer dropped its leading zero.
        text = "0" + text
    elif text.startswith("84") and len(text) == 11 and text.isdigit():
        text = "+" + text
    number = _parse(text)
    if number is None or not _is_vietnamese(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")


def _is_emergency(number: phonenumbers.PhoneNumber) -> bool:
    return bool(shortnumberinfo.is_valid_short_number_for_region(number, _REGION))


def _is_vietnamese(number: phonenumbers.PhoneNumber | None) -> bool:
    if number is None:
        return False
    return (number.country_code == 84 and phonenumbers.is_valid_number(number)) or _is_emergency(number)


def validate_vn_phone(value: str) -> None:
    """Duty contacts are Vietnamese numbers: a valid +84 number or an emergency short number."""
    if not _is_vietnamese(_parse(value)):
        raise ValidationError(
            _(
                "Số điện thoại không hợp lệ. Nhập số di động 10 chữ số (ví dụ 0912 345 678), "
                "số cố định có mã vùng (ví dụ 0225 3822 123) hoặc số 1800/1900."
            ),
            code="phone",
        )
