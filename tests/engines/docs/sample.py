"""One official document used by the renderer tests, with hostile content in the body."""

from __future__ import annotations

from datetime import date

from haidang.engines.docs import (
    BulletList,
    Heading,
    Issuer,
    LabeledField,
    OfficialDocument,
    Paragraph,
    Signer,
    Table,
)

HOSTILE = '<script>alert(1)</script><img src="file:///etc/passwd">\x00\x1b&amp;'


def sample_document(**changes: object) -> OfficialDocument:
    fields: dict[str, object] = {
        "issuer": Issuer(name="Sở Khoa học và Công nghệ", parent="UBND thành phố Hải Phòng"),
        "kind": "Báo cáo",
        "summary": "Ban đầu về sự cố an toàn thông tin mạng",
        "place": "Hải Phòng",
        "issued_on": date(2026, 9, 2),
        "symbol": "bc-skhcn",
        "signer": Signer(title="Phó Giám đốc", authority="KT. Giám đốc", name="Nguyễn Văn An"),
        "body": (
            Heading("I. THÔNG TIN ĐƠN VỊ BÁO CÁO SỰ CỐ"),
            LabeledField("Tên đơn vị", "Sở Tư pháp"),
            Paragraph(f"Trang chủ bị thay giao diện.\nNội dung lạ: {HOSTILE}\n\nĐoạn thứ hai."),
            BulletList(("Cô lập máy chủ", "Khôi phục từ bản sao lưu")),
            Table(("STT", "Loại", "Giá trị"), (("1", "URL", "http://evil.example/x"), ("2", "IPv4"))),
        ),
        "recipients": ("- Như trên;", "Cơ quan điều phối quốc gia (để b/c)", "Lưu: VT, ATTT."),
        "author": "Sở Khoa học và Công nghệ",
    }
    fields.update(changes)
    return OfficialDocument(**fields)  # type: ignore[arg-type]
