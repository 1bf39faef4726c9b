"""Every check the scanner runs, by name. Cloaking runs last, over the others' findings."""

from __future__ import annotations

from collections.abc import Callable

from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.checks import code, content, defacement, redirects, tampering
from haidang.engines.scanner.types import Finding
from haidang.engines.scanner.view import SiteView

Check = Callable[[SiteView, Baseline], list[Finding]]

CHECKS: dict[str, Check] = {
    "defacement": defacement.evaluate,
    "content": content.evaluate,
    "redirects": redirects.evaluate,
    "code": code.evaluate,
    "tampering": tampering.evaluate,
}
