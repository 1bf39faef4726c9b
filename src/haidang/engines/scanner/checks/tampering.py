"""Tampering: a phone number, e-mail address or bank account the site showed before has been replaced."""

from __future__ import annotations

from urllib.parse import urlsplit

from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.contacts import KINDS, extract_contacts
from haidang.engines.scanner.snippets import clip
from haidang.engines.scanner.types import Finding, ProbeName, Severity
from haidang.engines.scanner.view import SiteView

_TITLES = {
    "phone": "Số điện thoại liên hệ bị thay đổi",
    "email": "Địa chỉ thư điện tử liên hệ bị thay đổi",
    "bank_account": "Số tài khoản ngân hàng bị thay đổi",
}


def page_key(url: str) -> str:
    parts = urlsplit(url)
    return parts.path or "/"


def evaluate(view: SiteView, baseline: Baseline) -> list[Finding]:
    if not baseline.established:
        return []
    findings = []
    for page_view in view.pages:
        if page_view.page is None or page_view.probe != ProbeName.DESKTOP:
            continue
        before = baseline.contacts.get(page_key(page_view.url))
        if not before:
            continue
        now = extract_contacts(page_view.page.text)
        for kind in KINDS:
            old, new = set(before.get(kind, [])), now[kind]
            removed, added = old - new, new - old
            if removed and added:
                evidence = f"trước: {', '.join(sorted(removed)[:3])} → nay: {', '.join(sorted(added)[:3])}"
                severity = Severity.CRITICAL if kind == "bank_account" else Severity.HIGH
                findings.append(
                    Finding(f"tampering.{kind}", severity, _TITLES[kind], clip(evidence), page_view.url, ("desktop",))
                )
    return findings
