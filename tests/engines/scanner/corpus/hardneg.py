"""Hard negatives: legitimate articles full of words that spam also uses (đánh bạc, cá độ, xổ số, casino, game, crypto).

A scanner that flags these is judging words, not context; every site carrying them stays clean in every run.
"""

from __future__ import annotations

import random
from datetime import date

from .content import Article, vn_date
from .identity import Identity, ascii_slug, person_name

HARD_NEGATIVES = (
    "hardneg.police_gambling_bust",
    "hardneg.lottery_results",
    "hardneg.sports_betting_warning",
    "hardneg.scam_warning",
    "hardneg.casino_law",
    "hardneg.school_game_club",
    "hardneg.crypto_fintech",
)


def _police_bust(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    n = rng.randint(5, 30)
    money = rng.randint(2, 90)
    title = rng.choice(
        (
            f"Triệt phá đường dây đánh bạc qua mạng quy mô {money} tỷ đồng",
            f"Bắt {n} đối tượng tổ chức cá độ bóng đá qua mạng",
            "Khởi tố vụ án tổ chức đánh bạc dưới hình thức game bài đổi thưởng",
        )
    )
    return title, [
        f"Ngày {vn_date(day)}, {ident.org_name} cho biết đã triệt phá thành công đường dây đánh bạc qua mạng, "
        f"bắt giữ {n} đối tượng, thu giữ nhiều máy tính, điện thoại và sổ sách ghi chép.",
        "Qua công tác nắm tình hình, lực lượng Cảnh sát hình sự phát hiện nhóm đối tượng sử dụng các trang web "
        "cá độ bóng đá, tài xỉu, lô đề trực tuyến do nhà cái nước ngoài điều hành để tổ chức đánh bạc, "
        f"tổng số tiền giao dịch lên tới {money} tỷ đồng.",
        "Các đối tượng mở tài khoản, đại lý cấp dưới rồi lôi kéo người chơi nạp tiền vào tài khoản ảo, "
        "đặt cược các trận bóng đá giải Ngoại hạng Anh và các ván bài 'đổi thưởng'.",
        f"Đồng chí {person_name(rng)}, Trưởng phòng Cảnh sát hình sự, khuyến cáo người dân tuyệt đối không tham gia "
        "cá cược, đánh bạc qua mạng dưới mọi hình thức; không truy cập các đường link quảng cáo nhà cái, casino "
        "trực tuyến vì đây là hành vi vi phạm pháp luật.",
    ]


def _lottery(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    title = f"Kết quả xổ số kiến thiết {ident.province} ngày {vn_date(day)}"
    return title, [
        f"{ident.org_name} thông báo kết quả mở thưởng xổ số kiến thiết kỳ ngày {vn_date(day)}.",
        f"Giải đặc biệt trị giá 2 tỷ đồng thuộc về vé số có dãy số {rng.randint(0, 99999):05d}. "
        f"Giải nhất: {rng.randint(0, 99999):05d}. Giải nhì: {rng.randint(0, 99999):05d}.",
        "Khách hàng trúng thưởng vui lòng mang vé số nguyên vẹn đến trụ sở Công ty để lĩnh thưởng trong vòng "
        "30 ngày kể từ ngày mở thưởng. Công ty không chi trả vé rách, vé sửa chữa.",
        "Xổ số kiến thiết là hoạt động kinh doanh có điều kiện, mọi khoản thu được nộp ngân sách để đầu tư "
        "xây dựng trường học, bệnh viện. Người chơi lưu ý không mua bán số đề, lô đề trái phép.",
    ]


def _sports_warning(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    team = rng.choice(("Hải Phòng", "Quảng Ninh", "Nam Định", "Thanh Hóa"))
    return f"Đội bóng đá {team} thắng đậm, cổ động viên cần tỉnh táo trước cám dỗ cá cược", [
        f"Tối {vn_date(day)}, trên sân vận động Lạch Tray, đội bóng đá {team} đã giành chiến thắng 3–1 "
        "trong trận đấu thuộc vòng 12 V.League.",
        "Ban tổ chức khuyến cáo khán giả không tham gia cá cược, cá độ bóng đá dưới mọi hình thức. "
        "Thời gian gần đây xuất hiện nhiều trang web nhà cái quảng cáo 'soi kèo', 'tỷ lệ kèo' nhằm lôi kéo "
        "người hâm mộ, đặc biệt là học sinh, sinh viên.",
        f"{ident.org_name} sẽ tiếp tục tổ chức các giải bóng đá phong trào, lành mạnh cho thanh thiếu niên.",
    ]


def _scam_warning(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    fake_acct = "".join(str(rng.randint(0, 9)) for _ in range(10))
    return "Cảnh báo lừa đảo qua tin nhắn thông báo trúng thưởng, nạp tiền nhận quà", [
        f"Thời gian gần đây, {ident.org_name} nhận được phản ánh của người dân về thủ đoạn lừa đảo qua tin nhắn SMS "
        "và mạng xã hội.",
        "Đối tượng gửi tin nhắn có nội dung: 'Chúc mừng bạn đã trúng thưởng 01 xe SH Mode và 50.000.000đ từ chương "
        f"trình tri ân khách hàng. Để nhận thưởng, vui lòng nạp tiền phí hồ sơ vào số tài khoản {fake_acct}'.",
        "Một thủ đoạn khác là mời tham gia 'làm nhiệm vụ', 'đầu tư sàn ảo', 'nổ hũ nhận thưởng' trên ứng dụng lạ; "
        "ban đầu nạp ít tiền được trả thưởng, sau đó bị yêu cầu nạp số tiền lớn rồi bị chiếm đoạt.",
        "Người dân tuyệt đối không chuyển tiền, không cung cấp mã OTP; khi phát hiện dấu hiệu lừa đảo, "
        "hãy báo ngay cho cơ quan Công an gần nhất hoặc phản ánh qua đầu số 5656.",
    ]


def _casino_law(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    return "Phổ biến quy định về kinh doanh casino và trò chơi điện tử có thưởng", [
        "Nghị định số 03/2017/NĐ-CP về kinh doanh casino quy định điều kiện cấp Giấy chứng nhận đủ điều kiện "
        "kinh doanh casino, đối tượng được phép chơi và trách nhiệm của doanh nghiệp.",
        "Nghị định số 121/2021/NĐ-CP về kinh doanh trò chơi điện tử có thưởng dành cho người nước ngoài quy định "
        "các loại máy slot, điểm kinh doanh và việc quản lý tiền thưởng.",
        "Người Việt Nam chỉ được chơi casino trong khuôn khổ thí điểm theo quy định; mọi hình thức casino trực tuyến, "
        "đánh bạc qua mạng đều là hành vi bị nghiêm cấm.",
        f"{ident.org_name} đề nghị các cơ quan, đơn vị phổ biến rộng rãi đến cán bộ, công chức và nhân dân.",
    ]


def _game_club(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    return "Câu lạc bộ Game sáng tạo: học sinh tự lập trình trò chơi học tập", [
        f"Câu lạc bộ Game sáng tạo (Game Club) của {ident.org_name} sinh hoạt vào chiều thứ Sáu hằng tuần.",
        "Các em được hướng dẫn lập trình game bằng Scratch và Python, thiết kế nhân vật, màn chơi và luật chơi; "
        "sản phẩm tiêu biểu là trò chơi 'Vui học Toán' và 'Đố vui Lịch sử'.",
        "Nhà trường nhắc nhở học sinh không chơi game bạo lực, không tham gia các game đánh bài, 'game đổi thưởng' "
        "trên mạng và sử dụng thiết bị điện tử hợp lý.",
    ]


def _crypto_fintech(rng: random.Random, ident: Identity, day: date) -> tuple[str, list[str]]:
    return "Hội thảo Fintech: khung pháp lý cho tài sản số và tiền mã hóa", [
        f"Ngày {vn_date(day)}, {ident.org_name} phối hợp tổ chức Hội thảo 'Fintech và chuyển đổi số trong lĩnh vực "
        "tài chính'.",
        "Các chuyên gia đã trao đổi về công nghệ blockchain, tài sản số, tiền mã hóa (crypto) như Bitcoin, "
        "Ethereum và cơ chế thử nghiệm có kiểm soát (sandbox) cho các công ty công nghệ tài chính.",
        "Đại diện cơ quan quản lý lưu ý người dân cảnh giác với các dự án đầu tư tiền ảo hứa hẹn lợi nhuận cao, "
        "các ví điện tử và sàn giao dịch không được cấp phép.",
    ]


_WRITERS = {
    "hardneg.police_gambling_bust": _police_bust,
    "hardneg.lottery_results": _lottery,
    "hardneg.sports_betting_warning": _sports_warning,
    "hardneg.scam_warning": _scam_warning,
    "hardneg.casino_law": _casino_law,
    "hardneg.school_game_club": _game_club,
    "hardneg.crypto_fintech": _crypto_fintech,
}


def make_hard_negative(rng: random.Random, code: str, aid: int, ident: Identity, day: date) -> Article:
    title, paragraphs = _WRITERS[code](rng, ident, day)
    return Article(
        aid=aid,
        slug=ascii_slug(title)[:70].rstrip("-"),
        title=title,
        category="tin-tuc",
        day=day,
        summary=paragraphs[0],
        paragraphs=tuple(paragraphs),
        hard_negative=code,
    )
