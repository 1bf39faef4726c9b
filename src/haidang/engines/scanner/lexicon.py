"""Vocabulary of foreign content, in folded form (see :mod:`textnorm`).

Terms are not a verdict on their own: :mod:`spam` weighs them against promotional language, news
and warning language, where they appear (hidden, in a link, in the title) and what the site normally
says. Categories are stable codes used in finding kinds.
"""

from __future__ import annotations

import re

# Strong terms: rarely written on a government page except as spam (or as news about it).
GAMBLING = (
    "nha cai", "ca cuoc", "ca do", "tai xiu", "no hu", "ban ca", "game bai", "danh bai", "doi thuong",
    "lo de", "danh de", "soi cau", "soi keo", "keo nha cai", "ty le keo", "ti le keo", "keo bong da",
    "casino", "slot game", "baccarat", "poker", "xoc dia", "rong ho", "da ga", "xoc dia", "sam loc",
    "tien len mien nam", "phom", "sicbo", "roulette", "blackjack", "jackpot", "cong game", "quay hu",
    "lode", "xsmb", "du doan xo so", "nha cai uy tin", "sports betting", "online casino", "free spins",
    "betting", "sportsbook", "live casino", "slots", "real money", "game doi thuong", "ca do bong da",
    "the thao ao", "esport ca cuoc", "danh bac online", "choi bai", "dat cuoc", "code tan thu", "keo thom",
    "tip bong da", "xo so online", "ga choi", "slot gacor", "gacor", "togel", "judi online", "judi bola",
    "situs slot", "maxwin", "rtp slot", "sbobet", "bandar", "pragmatic play", "sportsbet", "bet online",
)  # fmt: skip
ADULT = (
    "phim sex", "sex viet", "phim jav", "jav", "phim nguoi lon", "clip nong", "gai goi", "phim heo",
    "porn", "xxx", "hentai", "khong che", "sex", "phim 18+", "anh nong", "chat sex", "webcam sex",
    "escort", "gai xinh khoe", "phim khieu dam", "truyen sex", "cam girl",
)  # fmt: skip
PHARMA = (
    "viagra", "cialis", "levitra", "kamagra", "thuoc cuong duong", "thuoc kich duc", "cuong duong",
    "kich duc", "thuoc giam can cap toc", "tang kich thuoc", "pharmacy", "without prescription",
    "thuoc phong the", "payday loan", "replica watches", "cheap jerseys", "tramadol", "xanax",
)  # fmt: skip
CRYPTO = (
    "airdrop", "usdt", "ket noi vi", "connect wallet", "double your", "x100 tai khoan", "lai 30%",
    "san coin", "dao coin", "giveaway", "claim token", "btc in 24h", "nhan ngay", "seed phrase",
)  # fmt: skip
CHINESE = (
    "博彩", "赌场", "百家乐", "娱乐城", "老虎机", "赌博", "六合彩", "真人荷官", "体育投注", "网上赌场",
    "彩票", "澳门", "棋牌", "开户", "色情", "成人视频", "伟哥",
    # Japanese keyword hack, Korean and Thai gambling spam: same treatment (foreign script, no diacritics).
    "激安", "通販", "スーパーコピー", "コピー品", "偽物", "ブランド財布", "アダルト", "出会い", "カジノ",
    "オンラインカジノ", "パチンコ", "バイアグラ", "카지노", "바카라", "토토", "먹튀", "슬롯", "บาคาร่า",
    "สล็อต", "คาสิโน", "แทงบอล",
)  # fmt: skip
# Hacker signatures: what defacers sign their work with.
DEFACEMENT = (
    "hacked by", "h4cked by", "hacked", "h4cked", "hack3d", "defaced by", "defaced", "owned by", "pwned",
    "greetz", "greets to", "was here", "security is low", "cyber army", "cyber team", "touched by",
    "we are anonymous", "expect us", "sieu hacker", "hacker viet", "hacked by", "was here", "owned",
    "da bi hack boi", "bi hack boi", "security breached", "haxor",
)  # fmt: skip
# Taunts aimed at the site's administrator (Vietnamese and English), with no signature.
TAUNTS = (
    "admin oi", "xin loi admin", "bao mat kem", "bao mat qua kem", "kiem tra lai bao mat", "va lai web",
    "va loi di", "lo hong to", "patch your", "fix your security", "your security is", "bi hack",
    "da bi chiem quyen", "chiem quyen", "website nay da bi", "trang web nay da bi", "nhu cai ro",
    "ngu quen", "admin ngu", "telegram", "new owners", "new management",
    "under new management", "domain is for sale", "contact us on telegram", "greetings", "thanks to",
)  # fmt: skip
# How an article reports on an attack (as opposed to a defacer boasting about one).
SECURITY_NEWS = (
    "tan cong", "su co", "khac phuc", "cho biet", "theo", "canh bao", "khuyen cao", "dieu tra", "bao cao",
    "ngay", "trung tam", "bo thong tin", "an toan thong tin", "phong chong", "xu ly", "ngan chan",
)  # fmt: skip

# Promotional language: what spam says to make you click, sign up or pay. PROMO_STRONG is rarely
# written by a government page; PROMO_WEAK ("đăng ký", "trực tuyến", "mới nhất") is on every page and
# only counts next to several foreign-content terms.
PROMO_STRONG = (
    "uy tin", "link vao", "link moi", "nhan thuong", "khuyen mai", "tang code", "giftcode", "gift code",
    "nap tien", "nap rut", "rut tien", "hoan tra", "tai app", "choi ngay", "so 1", "hang dau", "100k",
    "bonus", "gia re", "chinh hang", "giao hang", "buy", "cheap", "real cash", "nhan ngay", "x2",
    "xem ngay", "vietsub", "tang tien", "daftar", "link alternatif", "tan thu", "no deposit", "free spins",
)  # fmt: skip
PROMO_WEAK = (
    "dang ky", "dang nhap", "top", "truc tuyen", "online", "moi nhat", "hom nay", "free", "mua", "win",
    "mien phi", "lai suat", "click", "truy cap", "deposit", "uu dai", "chinh thuc",
)  # fmt: skip
PROMO = PROMO_STRONG + PROMO_WEAK

# News, law and warning language: how a government page talks about the same subjects.
NEWS = (
    "triet pha", "bat giu", "khoi to", "dieu tra", "canh bao", "lua dao", "doi tuong", "vu an", "tang vat",
    "tam giu", "cong an", "toa an", "xet xu", "vi pham", "nghiem cam", "nghi dinh", "luat", "quy dinh",
    "tuyen truyen", "phong chong", "to giac", "xu phat", "tinh trang", "nguoi dan", "de nghi", "thu doan",
    "hinh su", "to chuc danh bac", "danh bac", "chuyen an", "so doi tuong", "ho so", "thong tu",
    "cap phep", "kinh doanh", "thi diem", "nghi quyet", "hoi thao", "cau lac bo", "hoc sinh", "ket qua",
    "quay so mo thuong", "xo so kien thiet", "giai dac biet", "tinh tao", "can trong", "khuyen cao",
)  # fmt: skip

# Known-bad link and brand shapes: letters followed by 2–3 digits ending the way gambling brands do,
# or a gambling word glued to digits (fb88, 789bet, kuwin68, nohu52, hitclub86, bet88vip).
BRAND = re.compile(
    r"\b(?:[a-z]{1,8}(?:88|99|68|79|86|66|69|789|888|777|365)(?:bet|win|vip|club)?|(?!alphabet)[a-z0-9]{1,6}bet"
    r"|\d{2,4}(?:bet|win|club|vip)|(?:bet|club|nohu|banca|tx|lucky|kubet|jun)\d{1,3}"
    r"|kubet|1xbet|sv388|bet365|w88|fb88|m88|vn88|kuwin|go88|sunwin|iwin|rikvip|hitclub|b52|789club)\b"
)
# Host names that carry gambling/adult words even without diacritics: nha-cai, cacuoc, nohu, casino …
BAD_HOST = re.compile(
    r"(?:nha-?cai|ca-?cuoc|ca-?do|no-?hu|ban-?ca|tai-?xiu|casino|slot|bet|sex|porn|jav|viagra|cialis|"
    r"lode|danhde|soikeo|gamebai|doithuong|poker|baccarat|xocdia|taixiu)"
)
# Tokens that look like gambling brands but are ordinary on government pages.
BRAND_FALSE_FRIENDS = frozenset({"covid19", "h5n1", "mp4", "g20", "iso9001"})

# Top-level domains that attackers register in bulk; a government page rarely loads code from them.
ABUSED_TLDS = frozenset({
    "xyz", "top", "club", "online", "site", "win", "bet", "vip", "fun", "live", "icu", "buzz", "shop", "cc",
    "pw", "tk", "ml", "ga", "cf", "gq", "casino", "poker", "sbs", "cfd", "click", "link", "rest", "lol",
})  # fmt: skip
