"""Which host names belong to the same site, and which third parties are ordinary.

"Same site" is the registrable domain (eTLD+1, from the public-suffix list bundled with tldextract,
never downloaded): ``www.sotttt.haiphong.gov.vn`` and ``haiphong.gov.vn`` are one site. An IP
address is its own site; ports never matter (http→https moves from 80 to 443).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

#: Third parties a government page ordinarily embeds: analytics, social plugins, video, maps, CDNs,
#: captcha, and the national trust badges. Scripts and frames from these are never "unknown".
REPUTABLE = frozenset({
    "google-analytics.com", "googletagmanager.com", "google.com", "google.com.vn", "gstatic.com",
    "googleapis.com", "googlesyndication.com", "doubleclick.net", "recaptcha.net", "youtube.com",
    "youtube-nocookie.com", "ytimg.com", "facebook.net", "facebook.com", "fbcdn.net", "zalo.me",
    "zaloapp.com", "zadn.vn", "jquery.com", "jsdelivr.net", "cloudflare.com", "cdnjs.com",
    "bootstrapcdn.com", "unpkg.com", "fontawesome.com", "twitter.com", "x.com", "vimeo.com",
    "gov.vn", "chinhphu.vn", "tinnhiemmang.vn", "ncsc.gov.vn", "vnpt.vn", "viettel.vn",
    "microsoft.com", "bing.com", "apple.com", "cloudflareinsights.com", "hotjar.com", "histats.com",
    "statcounter.com", "addthis.com", "sharethis.com", "tiktok.com", "instagram.com", "tawk.to",
    "subiz.com", "subiz.net", "fchat.vn", "uhchat.net", "ahachat.com", "addtoany.com", "disqus.com",
    "googleusercontent.com", "vnptit.vn", "vnpt-ca.vn", "baohaiphong.vn", "vietnamnet.vn", "vnexpress.net",
})  # fmt: skip
_TRUSTED_SUFFIXES = ("gov.vn", "edu.vn")


@lru_cache(maxsize=65536)  # menus and footers repeat the same links on every page of a site
def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


@lru_cache(maxsize=8192)
def site_of_host(host: str) -> str:
    host = host.strip("[]").rstrip(".").lower()
    if not host:
        return ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    parts = _EXTRACT(host)
    return parts.top_domain_under_public_suffix or host


def site_of(url: str) -> str:
    return site_of_host(host_of(url))


def same_site(url: str, site: str) -> bool:
    return site_of(url) == site


@lru_cache(maxsize=8192)
def is_reputable_host(host: str) -> bool:
    site = site_of_host(host)
    if site in REPUTABLE:
        return True
    return any(host == s or host.endswith("." + s) for s in _TRUSTED_SUFFIXES)


@lru_cache(maxsize=8192)
def looks_like_impostor(host: str) -> bool:
    """A host that borrows a reputable name without being it: ``jquery-cdn.top``, ``google-analytics.cc``."""
    if is_reputable_host(host):
        return False
    bare = host.replace("-", "").replace(".", "")
    names = ("jquery", "google", "analytic", "gstatic", "facebook", "cdnjs", "bootstrap", "cloudflare", "cdn", "static")
    return any(name in bare for name in names)


def on_abused_tld(host: str) -> bool:
    from haidang.engines.scanner.lexicon import ABUSED_TLDS

    return host.rsplit(".", 1)[-1] in ABUSED_TLDS
