"""The identities the scanner fetches a page as."""

from __future__ import annotations

from haidang.engines.scanner.types import Probe, ProbeName

_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
_MOBILE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A556E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
_GOOGLEBOT = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.204 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
_BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"

PROBES: dict[ProbeName, Probe] = {
    ProbeName.DESKTOP: Probe(ProbeName.DESKTOP, _CHROME),
    ProbeName.MOBILE: Probe(ProbeName.MOBILE, _MOBILE),
    ProbeName.GOOGLEBOT: Probe(ProbeName.GOOGLEBOT, _GOOGLEBOT),
    ProbeName.BINGBOT: Probe(ProbeName.BINGBOT, _BINGBOT),
    ProbeName.REFERER_GOOGLE: Probe(ProbeName.REFERER_GOOGLE, _CHROME, "https://www.google.com/"),
    ProbeName.REFERER_GOOGLE_VN: Probe(ProbeName.REFERER_GOOGLE_VN, _CHROME, "https://www.google.com.vn/"),
    ProbeName.MOBILE_FROM_GOOGLE: Probe(ProbeName.MOBILE_FROM_GOOGLE, _MOBILE, "https://www.google.com.vn/"),
}

#: The home page is fetched as every visitor and crawler the issue names.
HOME_PROBES = (
    ProbeName.DESKTOP,
    ProbeName.MOBILE,
    ProbeName.GOOGLEBOT,
    ProbeName.BINGBOT,
    ProbeName.REFERER_GOOGLE,
    ProbeName.REFERER_GOOGLE_VN,
)
#: Inner pages: a visitor, a crawler, and a mobile visitor arriving from Google.
INNER_PROBES = (ProbeName.DESKTOP, ProbeName.GOOGLEBOT, ProbeName.MOBILE_FROM_GOOGLE)
