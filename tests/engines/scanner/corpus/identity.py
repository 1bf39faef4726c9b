"""Who a simulated site belongs to: organisation names, addresses, phones, e-mail, bank account.

Everything here is fictional detail on real place names; numbers are made up and never dialled.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, replace

# (province, slug, area code, "tỉnh"/"thành phố", districts)
PROVINCES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    (
        "Hải Phòng",
        "haiphong",
        "0225",
        "thành phố",
        ("Quận Lê Chân", "Quận Ngô Quyền", "Quận Hồng Bàng", "Huyện An Dương"),
    ),
    ("Quảng Ninh", "quangninh", "0203", "tỉnh", ("Thành phố Hạ Long", "Huyện Vân Đồn", "Thị xã Đông Triều")),
    ("Hải Dương", "haiduong", "0220", "tỉnh", ("Huyện Kim Thành", "Huyện Gia Lộc", "Thành phố Chí Linh")),
    ("Thái Bình", "thaibinh", "0227", "tỉnh", ("Huyện Vũ Thư", "Huyện Kiến Xương", "Huyện Tiền Hải")),
    ("Nam Định", "namdinh", "0228", "tỉnh", ("Huyện Hải Hậu", "Huyện Giao Thủy", "Huyện Ý Yên")),
    ("Hưng Yên", "hungyen", "0221", "tỉnh", ("Huyện Văn Lâm", "Huyện Khoái Châu", "Thị xã Mỹ Hào")),
    ("Bắc Ninh", "bacninh", "0222", "tỉnh", ("Thành phố Từ Sơn", "Huyện Quế Võ", "Huyện Gia Bình")),
    ("Ninh Bình", "ninhbinh", "0229", "tỉnh", ("Huyện Gia Viễn", "Huyện Kim Sơn", "Thành phố Tam Điệp")),
)

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("Sở Xây dựng", "soxaydung"),
    ("Sở Tư pháp", "sotuphap"),
    ("Sở Tài chính", "sotaichinh"),
    ("Sở Giáo dục và Đào tạo", "sogddt"),
    ("Sở Y tế", "soyte"),
    ("Sở Văn hóa, Thể thao và Du lịch", "sovhttdl"),
    ("Sở Nông nghiệp và Môi trường", "sonnmt"),
    ("Sở Khoa học và Công nghệ", "sokhcn"),
    ("Sở Nội vụ", "sonoivu"),
    ("Sở Công Thương", "socongthuong"),
    ("Sở Dân tộc và Tôn giáo", "sodttg"),
    ("Ban Quản lý Khu kinh tế", "bqlkkt"),
)
SCHOOLS = (
    "Trường THPT Trần Phú",
    "Trường THPT Ngô Quyền",
    "Trường THCS Chu Văn An",
    "Trường Tiểu học Lê Văn Tám",
    "Trường THPT Thái Phiên",
    "Trường THCS Hồng Bàng",
    "Trường Mầm non Hoa Sen",
    "Trường THPT Lê Quý Đôn",
)
HOSPITALS = ("Bệnh viện Đa khoa", "Trung tâm Y tế", "Bệnh viện Y học cổ truyền", "Bệnh viện Phụ sản")
WARDS = ("Phường Trần Nguyên Hãn", "Xã An Hồng", "Phường Cát Dài", "Xã Đại Bản", "Phường Vạn Mỹ", "Xã Tân Tiến")
STREETS = (
    "Lạch Tray",
    "Trần Phú",
    "Lê Lợi",
    "Điện Biên Phủ",
    "Hoàng Văn Thụ",
    "Nguyễn Trãi",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Hai Bà Trưng",
    "Tô Hiệu",
)
BANKS = (
    ("Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)", 13),
    ("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam (BIDV)", 14),
    ("Ngân hàng TMCP Công thương Việt Nam (VietinBank)", 12),
    ("Ngân hàng Nông nghiệp và Phát triển Nông thôn (Agribank)", 13),
    ("Kho bạc Nhà nước", 10),
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Hữu", "Thanh", "Ngọc")
GIVEN = ("Hùng", "Mai", "Dũng", "Lan", "Tuấn", "Hương", "Thắng", "Hà", "Long", "Nga", "Sơn", "Phương", "Cường")

KINDS = ("department", "district", "ward", "school", "lottery", "sports", "police", "hospital")


@dataclass(frozen=True)
class BankAccount:
    number: str
    bank: str
    holder: str


@dataclass(frozen=True)
class Identity:
    """Who the site says it is; tampering changes phone, e-mail or bank account in a later run."""

    org_name: str
    portal_title: str
    parent: str
    province: str
    domain: str
    address: str
    phone: str
    fax: str
    hotline: str
    email: str
    bank: BankAccount | None
    director: str


def ascii_slug(text: str, sep: str = "-") -> str:
    """Vietnamese text → ascii slug ("Sở Tư pháp" → "so-tu-phap")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return sep.join(words)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def phone_number(rng: random.Random, area: str, style: int) -> str:
    a, b = rng.randint(3000, 3999), rng.randint(100, 999)
    if style == 0:
        return f"{area}.{a}.{b}"
    if style == 1:
        return f"({area}) {str(a)[0]} {str(a)[1:]} {b}"
    return f"{area} {a} {b}"


def hotline_number(rng: random.Random) -> str:
    prefix = rng.choice(("1900", "1800", "0912", "0983"))
    if prefix in ("1900", "1800"):
        return f"{prefix} {rng.randint(1000, 9999)}"
    return f"{prefix}.{rng.randint(100, 999)}.{rng.randint(100, 999)}"


def bank_account(rng: random.Random, holder: str) -> BankAccount:
    bank, digits = rng.choice(BANKS)
    number = "".join(str(rng.randint(0, 9)) for _ in range(digits))
    number = "1" + number[1:]
    return BankAccount(number=number, bank=bank, holder=holder)


def _org_for_kind(
    rng: random.Random, kind: str, province: tuple[str, str, str, str, tuple[str, ...]]
) -> tuple[str, str, str]:
    """(organisation name, portal title, host prefix) for a kind of site."""
    name, _slug, _area, level, districts = province
    full = f"{level} {name}"
    if kind == "department":
        dept, host = rng.choice(DEPARTMENTS)
        return f"{dept} {full}", f"Cổng thông tin điện tử {dept} {name}", host
    if kind == "police" and rng.random() < 0.5:
        return f"Công an {full}", f"Cổng thông tin điện tử Công an {full}", "congan"
    picks = {"ward": WARDS, "school": SCHOOLS, "hospital": HOSPITALS}
    unit = rng.choice(picks.get(kind, districts))
    slug = ascii_slug(unit.replace("Trường ", ""), "")
    table = {
        "district": (f"Ủy ban nhân dân {unit}", f"Cổng thông tin điện tử {unit}", slug),
        "ward": (f"Ủy ban nhân dân {unit}", f"Trang thông tin điện tử {unit}", slug),
        "school": (f"{unit} – {name}", f"Website {unit}", slug),
        "lottery": (f"Công ty TNHH MTV Xổ số kiến thiết {name}", f"Xổ số kiến thiết {name}", "xskt"),
        "sports": (
            f"Trung tâm Văn hóa – Thể thao {unit}",
            f"Trung tâm Văn hóa – Thể thao {unit}",
            "ttvhtt" + slug[-8:],
        ),
        "police": (f"Công an {unit}", f"Trang tin Công an {unit}", "ca" + slug[-8:]),
        "hospital": (f"{unit} {name}", f"{unit} {name}", "bv" + slug[-6:]),
    }
    return table[kind]


def make_identity(rng: random.Random, kind: str, with_bank: bool) -> Identity:
    province = rng.choice(PROVINCES)
    name, slug, area, level, _districts = province
    org, title, host = _org_for_kind(rng, kind, province)
    tld = "edu.vn" if kind == "school" else ("com.vn" if kind == "lottery" else "gov.vn")
    domain = f"{host}.{slug}.{tld}"
    style = rng.randint(0, 2)
    street_no = rng.randint(1, 250)
    address = f"Số {street_no} đường {rng.choice(STREETS)}, {rng.choice(province[4])}, {level} {name}"
    email_user = rng.choice(("vanphong", "banbientap", "lienhe", host[:12]))
    bank = bank_account(rng, org) if with_bank else None
    return Identity(
        org_name=org,
        portal_title=title,
        parent=f"Ủy ban nhân dân {level} {name}",
        province=name,
        domain=domain,
        address=address,
        phone=phone_number(rng, area, style),
        fax=phone_number(rng, area, style),
        hotline=hotline_number(rng),
        email=f"{email_user}@{domain}",
        bank=bank,
        director=person_name(rng),
    )


def tamper_identity(rng: random.Random, ident: Identity, field_name: str) -> tuple[Identity, str]:
    """The attacker's version of one contact detail, and the new value (ASCII) as evidence."""
    if field_name == "phone":
        new_phone = f"0{rng.choice((86, 88, 96, 97, 98, 32, 33, 39))}{rng.randint(1000000, 9999999)}"
        new_phone = f"{new_phone[:4]}.{new_phone[4:7]}.{new_phone[7:]}"
        return replace(ident, phone=new_phone, hotline=new_phone), new_phone
    if field_name == "email":
        local = ident.domain.split(".")[0]
        new_email = rng.choice((f"{local}.hotro@gmail.com", f"{local}-gov@outlook.com", f"lienhe@{local}-gov.info"))
        return replace(ident, email=new_email), new_email
    holder = person_name(rng)
    new_bank = BankAccount(
        number="".join(str(rng.randint(0, 9)) for _ in range(11)) + "8",
        bank=rng.choice(BANKS[:4])[0],
        holder=holder.upper(),
    )
    return replace(ident, bank=new_bank), new_bank.number
