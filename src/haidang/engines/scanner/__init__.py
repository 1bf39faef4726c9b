"""Website integrity scanner: defacement, foreign content, redirects, cloaking, injected code, tampering.

Framework-free. ``scan_sites(urls, state_dir)`` fetches each site as several probes (browser, mobile,
Googlebot, Bingbot, visitors from Google), runs every check in :data:`registry.CHECKS` over the
evidence and the site's learned baseline, and returns one :class:`SiteResult` per URL.
"""

from haidang.engines.scanner.registry import CHECKS
from haidang.engines.scanner.scanner import evaluate_site, scan_site, scan_sites, scan_sites_async
from haidang.engines.scanner.types import Finding, ProbeName, ScanOptions, Severity, SiteResult

__all__ = [
    "CHECKS",
    "Finding",
    "ProbeName",
    "ScanOptions",
    "Severity",
    "SiteResult",
    "evaluate_site",
    "scan_site",
    "scan_sites",
    "scan_sites_async",
]
