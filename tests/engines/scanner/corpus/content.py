"""Ordinary Vietnamese news for simulated portals: titles, summaries, paragraphs, work schedules."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from .identity import Identity, ascii_slug, person_name

CATEGORIES: dict[str, str] = {
    "tin-tuc": "Tin tức – Sự kiện",
    "thong-bao": "Thông báo",
    "van-ban": "Văn bản chỉ đạo điều hành",
}

COMMON_TITLES = (
    "Hội nghị tổng kết công tác năm {year} và triển khai nhiệm vụ năm {next}",
    "Thông báo lịch tiếp công dân tháng {month}/{year}",
    "Kế hoạch thực hiện chuyển đổi số năm {year}",
    "Tập huấn nâng cao kỹ năng bảo đảm an toàn thông tin cho cán bộ, công chức",
    "Triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử",
    "Hưởng ứng Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Công khai dự toán ngân sách năm {year}",
    "Thông báo nghỉ lễ Quốc khánh 2/9 năm {year}",
    "Hội nghị sơ kết 6 tháng đầu năm {year}",
    "Phát động phong trào thi đua yêu nước giai đoạn {year}–{next}",
    "Kết quả thực hiện cải cách hành chính quý {quarter} năm {year}",
    "Quyết định công bố danh mục thủ tục hành chính mới ban hành",
    "Tuyên truyền phòng, chống cháy nổ trong mùa hanh khô",
)
KIND_TITLES: dict[str, tuple[str, ...]] = {
    "department": (
        "Lãnh đạo Sở làm việc với các doanh nghiệp trên địa bàn",
        "Thông báo tuyển dụng viên chức năm {year}",
        "Hướng dẫn thực hiện dịch vụ công trực tuyến toàn trình",
        "Đoàn kiểm tra liên ngành kiểm tra công tác quản lý nhà nước",
    ),
    "district": (
        "Ra quân tổng vệ sinh môi trường hưởng ứng Tháng hành động",
        "Trao quà cho gia đình chính sách nhân dịp Tết Nguyên đán",
        "Tiếp xúc cử tri trước kỳ họp Hội đồng nhân dân",
        "Khởi công xây dựng trường mầm non tại địa phương",
    ),
    "ward": (
        "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư",
        "Thông báo thu phí vệ sinh môi trường năm {year}",
        "Rà soát hộ nghèo, hộ cận nghèo năm {year}",
    ),
    "school": (
        "Lễ khai giảng năm học {year}–{next}",
        "Thông báo tuyển sinh lớp 10 năm học {year}–{next}",
        "Học sinh nhà trường đạt giải cao trong kỳ thi học sinh giỏi thành phố",
        "Hội nghị cha mẹ học sinh đầu năm học",
        "Thời khóa biểu học kỳ {quarter} áp dụng từ tuần {week}",
    ),
    "lottery": (
        "Công ty tổ chức mở thưởng định kỳ tại trụ sở",
        "Thông báo tuyển đại lý bán vé xổ số",
        "Trao giải đặc biệt cho khách hàng may mắn",
        "Công ty đóng góp quỹ an sinh xã hội từ nguồn thu xổ số",
    ),
    "sports": (
        "Giải bóng đá thiếu niên nhi đồng năm {year} khởi tranh",
        "Khai mạc Hội khỏe Phù Đổng cấp quận",
        "Chương trình nghệ thuật chào mừng ngày thành lập Đảng",
        "Lớp bơi hè miễn phí cho thiếu nhi năm {year}",
        "Đội tuyển bóng chuyền nữ giành huy chương bạc",
    ),
    "police": (
        "Công an ra quân bảo đảm trật tự an toàn giao thông dịp cuối năm",
        "Cấp căn cước cho người dân tại địa bàn cơ sở",
        "Bắt giữ đối tượng trộm cắp tài sản",
        "Tuyên truyền phòng cháy chữa cháy tại khu dân cư",
    ),
    "hospital": (
        "Bệnh viện triển khai đặt lịch khám bệnh trực tuyến",
        "Khám sàng lọc miễn phí bệnh tăng huyết áp cho người cao tuổi",
        "Thông báo giá dịch vụ khám bệnh, chữa bệnh năm {year}",
        "Chiến dịch tiêm chủng mở rộng tại địa phương",
    ),
}
POSITIONS = ("Giám đốc", "Phó Giám đốc", "Chủ tịch", "Phó Chủ tịch", "Trưởng phòng", "Hiệu trưởng", "Chánh Văn phòng")
SENTENCES = (
    "Sáng ngày {d}, {org} đã tổ chức hội nghị với sự tham dự của đại diện các phòng, ban, đơn vị trực thuộc.",
    "Phát biểu tại hội nghị, đồng chí {name}, {position}, đề nghị các đơn vị tập trung triển khai quyết liệt các "
    "nhiệm vụ trọng tâm.",
    "Theo báo cáo, trong kỳ đã giải quyết {n} hồ sơ thủ tục hành chính, trong đó {p}% hồ sơ được giải quyết trước "
    "và đúng hạn.",
    "Các đại biểu đã thảo luận, đóng góp nhiều ý kiến tâm huyết nhằm nâng cao chất lượng phục vụ người dân và doanh "
    "nghiệp.",
    "Đơn vị yêu cầu cán bộ, công chức nghiêm túc chấp hành kỷ luật, kỷ cương hành chính, thực hiện tốt quy chế dân "
    "chủ ở cơ sở.",
    "Người dân có thể tra cứu thông tin chi tiết tại Cổng dịch vụ công hoặc liên hệ bộ phận một cửa để được hướng dẫn.",
    "Kế hoạch được triển khai từ ngày {d} đến hết ngày {d2} trên phạm vi toàn {scope}.",
    "Kết thúc hội nghị, {org} đã khen thưởng {k} tập thể và {n2} cá nhân có thành tích xuất sắc.",
    "Mọi ý kiến đóng góp xin gửi về {org} trước ngày {d2} để tổng hợp, báo cáo cấp có thẩm quyền.",
    "Văn bản này thay thế các quy định trước đây trái với nội dung hướng dẫn tại văn bản này.",
    "Trong thời gian tới, đơn vị tiếp tục đẩy mạnh ứng dụng công nghệ thông tin, xây dựng chính quyền số.",
    "Đây là hoạt động thiết thực nhằm lan tỏa tinh thần đoàn kết, tương thân tương ái trong cộng đồng.",
)
SCHEDULE_ITEMS = (
    "Họp giao ban lãnh đạo",
    "Tiếp công dân định kỳ",
    "Làm việc với Đoàn kiểm tra",
    "Dự Hội nghị trực tuyến toàn quốc",
    "Kiểm tra tiến độ các công trình",
    "Họp Hội đồng thi đua – khen thưởng",
    "Làm việc tại cơ quan",
    "Dự lễ kỷ niệm ngày truyền thống",
)
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


@dataclass(frozen=True)
class Article:
    aid: int
    slug: str
    title: str
    category: str
    day: date
    summary: str
    paragraphs: tuple[str, ...]
    hard_negative: str | None = None


@lru_cache(maxsize=4096)
def vn_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vn_weekday(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, ngày {vn_date(day)}"


def _fill(template: str, rng: random.Random, ident: Identity, day: date) -> str:
    return template.format(
        year=day.year,
        next=day.year + 1,
        month=day.month,
        quarter=rng.randint(1, 4),
        week=rng.randint(1, 52),
        d=vn_date(day),
        d2=vn_date(day + timedelta(days=rng.randint(10, 40))),
        org=ident.org_name,
        name=person_name(rng),
        position=rng.choice(POSITIONS),
        n=rng.randint(120, 4800),
        n2=rng.randint(5, 40),
        p=rng.randint(96, 100),
        k=rng.randint(3, 15),
        scope=ident.province,
    )


def make_article(rng: random.Random, aid: int, kind: str, ident: Identity, day: date) -> Article:
    pool = KIND_TITLES.get(kind, ()) + COMMON_TITLES
    title = _fill(rng.choice(pool), rng, ident, day)
    category = rng.choice(("tin-tuc", "tin-tuc", "thong-bao", "van-ban"))
    paragraphs = tuple(_fill(s, rng, ident, day) for s in rng.sample(SENTENCES, rng.randint(3, 6)))
    return Article(
        aid=aid,
        slug=ascii_slug(title)[:70].rstrip("-"),
        title=title,
        category=category,
        day=day,
        summary=paragraphs[0],
        paragraphs=paragraphs,
    )


def schedule_rows(rng: random.Random, ident: Identity, monday: date) -> list[tuple[str, str, str]]:
    """(day, time, activity) rows of a week's lịch công tác."""
    rows = []
    for offset in range(5):
        day = monday + timedelta(days=offset)
        for slot in ("08h00", "14h00"):
            who = f"Đ/c {person_name(rng)}"
            rows.append((vn_weekday(day), slot, f"{rng.choice(SCHEDULE_ITEMS)} – {who} chủ trì, tại {ident.org_name}"))
    return rows


def lottery_results(rng: random.Random, day: date) -> list[tuple[str, str]]:
    """A draw's prizes (giải đặc biệt … giải bảy) with random winning numbers."""

    def nums(count: int, digits: int) -> str:
        return " – ".join(str(rng.randint(0, 10**digits - 1)).zfill(digits) for _ in range(count))

    return [
        ("Giải đặc biệt", nums(1, 5)),
        ("Giải nhất", nums(1, 5)),
        ("Giải nhì", nums(2, 5)),
        ("Giải ba", nums(6, 5)),
        ("Giải tư", nums(4, 4)),
        ("Giải năm", nums(6, 4)),
        ("Giải sáu", nums(3, 3)),
        ("Giải bảy", nums(4, 2)),
    ]
