"""Folding defeats obfuscation; scoring separates promotion of gambling from news about it."""

from __future__ import annotations

import pytest

from haidang.engines.scanner.spam import defacement_score, host_looks_bad, score_text
from haidang.engines.scanner.textnorm import fold, unleet


@pytest.mark.parametrize(
    "text",
    ["nhà cái", "NhÀ CáI", "nha cai", "n h à c á i", "n.h.à.c.á.i", "n\u200bhà c\u200dái", "nhà\u00adcái", "nhà-cái"],
)
def test_it_folds_every_spelling_of_the_same_words(text: str) -> None:
    assert fold(text).replace(" ", "").replace("-", "") == "nhacai"


def test_it_folds_combining_tone_marks_from_windows_1258() -> None:
    assert fold("So\u031b\u0309 Y tê\u0301") == "so y te"


def test_it_reads_leet_speak() -> None:
    assert unleet("gh0st w4s h3r3 2025") == "ghost was here 2025"


@pytest.mark.parametrize(
    "text",
    [
        "Nhà cái uy tín FB88 – link vào FB88 mới nhất",
        "Tài xỉu online đổi thưởng, nạp rút nhanh, khuyến mãi 200%",
        "online casino bonus free spins no deposit",
        "mua viagra giá rẻ giao hàng nhanh",
        "澳门赌场官网 百家乐 真人荷官",
        "Đăng ký kubet nhận 100k",
    ],
)
def test_it_flags_promotion_in_visible_text(text: str) -> None:
    assert score_text(text).is_spam(context="text")


@pytest.mark.parametrize(
    "text",
    [
        "Công an triệt phá đường dây đánh bạc, cá độ bóng đá qua mạng với nhà cái nước ngoài, bắt giữ 12 đối tượng",
        "Kết quả xổ số kiến thiết: giải đặc biệt 48213",
        "Cảnh báo lừa đảo: tin nhắn báo trúng thưởng yêu cầu nạp tiền vào tài khoản",
        "Nghị định về kinh doanh casino: người Việt Nam được chơi thí điểm",
        "Câu lạc bộ game lập trình của học sinh trường THCS",
        "Hội thảo fintech: blockchain và tiền số Bitcoin trong thanh toán",
        "Đội bóng đá Hải Phòng thắng đậm, cổ động viên cần tỉnh táo trước cám dỗ cá cược",
        "Khu nghỉ dưỡng Đồ Sơn có casino, du khách đăng ký phòng trực tuyến",
    ],
)
def test_it_does_not_flag_news_law_or_warnings(text: str) -> None:
    score = score_text(text)
    assert not score.is_spam(context="text")
    assert not score.is_spam(context="title")


def test_it_is_stricter_when_text_is_hidden_or_linked() -> None:
    assert score_text("casino").is_spam(context="hidden")
    assert score_text("nhà cái").is_spam(context="link")
    assert not score_text("casino").is_spam(context="text")


@pytest.mark.parametrize("host", ["nhacai-fb88vn.club", "kubet-vip.top", "taixiu-online.bet", "789bet.win"])
def test_it_recognises_spam_hosts(host: str) -> None:
    assert host_looks_bad(host)


@pytest.mark.parametrize("host", ["chinhphu.vn", "xosothudo.com.vn", "haiphong.gov.vn", "baohaiphong.com.vn"])
def test_it_leaves_ordinary_hosts_alone(host: str) -> None:
    assert not host_looks_bad(host)


@pytest.mark.parametrize(
    "text",
    ["Hacked by Sad Hacker 1337", "VN-Gh0st ~ w4s h3r3", "Bảo mật như cái rổ! Đã ghé thăm – DarkCyb3r Team"],
)
def test_it_recognises_a_defacers_message(text: str) -> None:
    assert defacement_score(text).boasting


def test_it_does_not_take_news_about_an_attack_for_a_defacement() -> None:
    text = "Theo Trung tâm, nhiều website bị tin tặc tấn công chèn chữ hacked by; đề nghị khắc phục sự cố"
    assert not defacement_score(text).boasting


def test_it_does_not_take_a_friendly_footer_for_a_taunt() -> None:
    assert not defacement_score("Cảm ơn bạn đã ghé thăm website. Kênh Telegram của Sở: @sotttt").boasting
