"""Attacker vocabulary: gambling/adult/pharma/crypto/English/Chinese spam, fake off-site hosts, text obfuscation.

Host names are invented and never resolved: nothing in the corpus fetches them.
"""

from __future__ import annotations

import html
import random

from .identity import ascii_slug

BRANDS = (
    "fb88",
    "w88",
    "kubet",
    "789bet",
    "vn88bet",
    "kuwin68",
    "lucky79",
    "sao99",
    "bet88vip",
    "nohu52",
    "banca30",
    "tx79",
    "red88win",
    "zbet9",
    "jun68",
    "hitclub86",
)
TLDS = ("club", "vip", "top", "fun", "bet", "win", "xyz", "online", "site", "live", "com", "net")

GAMBLING = (
    "nhà cái uy tín",
    "cá cược bóng đá",
    "tài xỉu online",
    "nổ hũ đổi thưởng",
    "bắn cá ăn xu",
    "game bài đổi thưởng",
    "lô đề online",
    "casino trực tuyến",
    "slot game tặng tiền",
    "soi kèo nhà cái hôm nay",
    "tỷ lệ kèo bóng đá",
    "xóc đĩa online",
    "đá gà trực tiếp",
)
GAMBLING_BRANDED = ("link vào {b} mới nhất", "{b} – nhà cái số 1", "đăng ký {b} nhận 100k", "tải app {b}")
ADULT = ("phim sex vietsub", "xem phim người lớn", "clip nóng gái xinh", "phim jav không che", "sex việt mới nhất")
PHARMA = (
    "mua viagra giá rẻ",
    "thuốc cường dương chính hãng",
    "cialis 20mg giao hàng nhanh",
    "thuốc kích dục nữ dạng nước",
    "thuốc giảm cân cấp tốc",
    "buy cheap viagra online",
)
CRYPTO = (
    "nhận ngay 500 USDT khi kết nối ví",
    "airdrop token miễn phí",
    "đầu tư Bitcoin lãi 30%/tháng",
    "sàn coin uy tín x100 tài khoản",
    "double your BTC in 24h",
)
ENGLISH = (
    "online casino bonus",
    "best online slots real money",
    "free spins no deposit",
    "sports betting odds today",
    "live baccarat online",
    "poker online win real cash",
)
CHINESE = ("博彩", "赌场", "百家乐", "澳门赌场官网", "真人荷官", "体育投注", "网上赌场", "老虎机")

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "gambling": GAMBLING,
    "adult": ADULT,
    "pharma": PHARMA,
    "crypto": CRYPTO,
    "english": ENGLISH,
    "chinese": CHINESE,
}
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\ufeff")


def spam_host(rng: random.Random, category: str) -> str:
    """An invented off-site host for a spam category (e.g. "fb88vn.club")."""
    if category == "gambling":
        brand = rng.choice(BRANDS)
        return rng.choice(
            (f"{brand}vn.{rng.choice(TLDS)}", f"{brand}.{rng.choice(TLDS)}", f"nhacai-{brand}.{rng.choice(TLDS)}")
        )
    stems = {
        "adult": ("phimhay18", "sexvn", "clipnong"),
        "pharma": ("thuoc-cuongduong", "pharma-vn", "viagra247"),
        "crypto": ("usdt-airdrop", "bitcoin-x2", "claim-wallet"),
        "english": ("casino-bonus", "slots-royal", "bet-lucky"),
        "chinese": ("amcasino", "bocai88", "baijiale"),
    }[category]
    return f"{rng.choice(stems)}{rng.randint(1, 99)}.{rng.choice(TLDS)}"


def spam_links(rng: random.Random, category: str, count: int) -> list[tuple[str, str]]:
    """(anchor text, URL) pairs for a link-spam block."""
    words = CATEGORY_WORDS[category]
    hosts = [spam_host(rng, category) for _ in range(rng.randint(2, 4))]
    links = []
    for i in range(count):
        host = hosts[i % len(hosts)]
        if category == "gambling" and rng.random() < 0.35:
            brand = host.split(".")[0].replace("nhacai-", "").replace("vn", "")
            text = rng.choice(GAMBLING_BRANDED).format(b=brand.upper() if rng.random() < 0.3 else brand)
        else:
            text = words[(i + rng.randint(0, len(words))) % len(words)]
        path = rng.choice(("", ascii_slug(text) + "/", "?ref=gov", "dang-ky"))
        links.append((text, f"https://{host}/{path}"))
    return links


def spaced(text: str) -> str:
    return " ".join(ch for ch in text if ch != " ")


def mixed_case(rng: random.Random, text: str) -> str:
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)


def zero_width(rng: random.Random, text: str) -> str:
    return "".join(ch + (rng.choice(ZERO_WIDTH) if ch != " " else "") for ch in text)


def entities(text: str) -> str:
    """Every non-space character as a numeric character reference (already HTML, do not escape again)."""
    return "".join(ch if ch == " " else f"&#{ord(ch)};" for ch in text)


def obfuscate(rng: random.Random, text: str, methods: tuple[str, ...]) -> str:
    """Apply obfuscation methods (codes without the "obfuscation." prefix) and return HTML-safe text."""
    for method in methods:
        if method == "no_diacritics":
            text = ascii_slug(text, " ")
        elif method == "spaced_letters":
            text = spaced(text)
        elif method == "mixed_case":
            text = mixed_case(rng, text)
        elif method == "zero_width":
            text = zero_width(rng, text)
    if "html_entities" in methods:
        return entities(text)
    return html.escape(text)


def anchors_html(rng: random.Random, links: list[tuple[str, str]], methods: tuple[str, ...]) -> str:
    parts = []
    for text, url in links:
        title = f' title="{html.escape(text)}"' if rng.random() < 0.3 and not methods else ""
        parts.append(f'<a href="{html.escape(url)}"{title}>{obfuscate(rng, text, methods)}</a>')
    sep = rng.choice((" ", " | ", ", ", "\n"))
    return sep.join(parts)


def spam_paragraph(rng: random.Random, category: str, methods: tuple[str, ...]) -> str:
    """A sentence of visible spam prose (no link) in the given category."""
    words = CATEGORY_WORDS[category]
    picked = rng.sample(words, 3)
    if category == "chinese":
        text = f"{picked[0]}，{picked[1]}，{picked[2]}，注册就送彩金"
    elif category == "english":
        text = f"Get the {picked[0]} now: {picked[1]} and {picked[2]}!"
    else:
        text = f"{picked[0].capitalize()}, {picked[1]}, {picked[2]} – uy tín, nạp rút nhanh, khuyến mãi 200%."
    return obfuscate(rng, text, methods)


def wallet_address(rng: random.Random) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    if rng.random() < 0.5:
        return "T" + "".join(rng.choice(alphabet) for _ in range(33))
    return "0x" + "".join(rng.choice("0123456789abcdef") for _ in range(40))
