"""Presentation rules of Vietnamese administrative documents, in one place.

Source: Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, Phụ lục I
"Thể thức, kỹ thuật trình bày văn bản hành chính và bản sao văn bản":

- Mục I.1–I.3: khổ giấy A4 (210 × 297 mm), trình bày theo chiều dài; lề trên và lề dưới 20–25 mm,
  lề trái 30–35 mm, lề phải 15–20 mm; phông chữ Times New Roman (bộ mã Unicode TCVN 6909:2001), màu đen.
- Mục II.1 Quốc hiệu: chữ in hoa, cỡ 12–13, đứng, đậm. Tiêu ngữ: cỡ 13–14, đứng, đậm, chữ cái đầu
  các cụm từ viết hoa, nối bằng gạch nối có cách chữ, phía dưới có đường kẻ ngang nét liền dài bằng dòng chữ.
- Mục II.2 Tên cơ quan: tên cơ quan chủ quản in hoa cỡ 12–13, đứng; tên cơ quan ban hành in hoa cỡ
  12–13, đứng, đậm, phía dưới có đường kẻ ngang nét liền dài 1/3 đến 1/2 dòng chữ, đặt cân đối.
- Mục II.3 Số, ký hiệu: cỡ 13, đứng; số nhỏ hơn 10 ghi thêm số 0 phía trước.
- Mục II.4 Địa danh và thời gian: cỡ 13–14, nghiêng; ngày nhỏ hơn 10 và tháng 1, 2 ghi thêm số 0.
- Mục II.5 Tên loại và trích yếu: tên loại in hoa cỡ 13–14, đứng, đậm, canh giữa; trích yếu cỡ 13–14,
  đứng, đậm, canh giữa; phía dưới có đường kẻ ngang nét liền dài 1/3 đến 1/2 dòng chữ.
- Mục II.6 Nội dung: cỡ 13–14, căn đều hai lề, lùi đầu dòng 1–1,27 cm, cách đoạn tối thiểu 6 pt,
  cách dòng từ dòng đơn đến 1,5 dòng.
- Mục II.7 Người ký: quyền hạn, chức vụ in hoa cỡ 13–14, đứng, đậm; họ tên cỡ 13–14, đứng, đậm.
- Mục II.9 Nơi nhận: từ "Nơi nhận" cỡ 12, nghiêng, đậm, có dấu hai chấm; danh sách cỡ 11, đứng,
  mỗi dòng bắt đầu bằng gạch đầu dòng, kết thúc bằng dấu chấm phẩy, dòng cuối "Lưu: ..." kết thúc bằng dấu chấm.
- Mục III Số trang: chữ số Ả Rập, cỡ 13–14, đứng, canh giữa trong lề trên, không hiển thị ở trang thứ nhất.
- Mục IV (Mẫu 1.1–1.2): ô 1 (Quốc hiệu, Tiêu ngữ) bên phải, ô 2 (tên cơ quan) và ô 3 (số, ký hiệu)
  bên trái; ô 4 (địa danh, thời gian) dưới Quốc hiệu; ô 9a/9b (nơi nhận) dưới bên trái; ô 7 (chữ ký) dưới bên phải.

Where the decree gives a range, the values below pick one point inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL = "Nơi nhận:"


@dataclass(frozen=True, slots=True)
class Layout:
    """Page geometry (millimetres) and type sizes (points) of an administrative document."""

    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    margin_top_mm: float = 20.0  # 20–25
    margin_bottom_mm: float = 20.0  # 20–25
    margin_left_mm: float = 30.0  # 30–35
    margin_right_mm: float = 15.0  # 15–20
    header_distance_mm: float = 10.0  # the page number sits inside the top margin
    font_family: str = "Times New Roman"
    # WeasyPrint finds fonts through fontconfig: Liberation Serif has Times New Roman's metrics.
    css_font_stack: str = '"Times New Roman", "Liberation Serif", serif'
    national_name_pt: float = 12.0  # 12–13; at 13 pt it wraps in LibreOffice's rendering of the 95 mm column
    motto_pt: float = 14.0  # 13–14
    agency_pt: float = 13.0  # 12–13
    number_pt: float = 13.0  # 13
    place_date_pt: float = 14.0  # 13–14
    kind_pt: float = 14.0  # 13–14
    summary_pt: float = 14.0  # 13–14
    body_pt: float = 14.0  # 13–14
    table_pt: float = 13.0  # tables may use a smaller size than the body
    signer_pt: float = 14.0  # 13–14
    recipients_label_pt: float = 12.0  # 12
    recipients_pt: float = 11.0  # 11
    page_number_pt: float = 13.0  # 13–14
    first_line_indent_mm: float = 12.7  # 1–1.27 cm
    paragraph_after_pt: float = 6.0  # at least 6
    line_spacing: float = 1.15  # single to 1.5
    header_left_mm: float = 70.0  # ô 2 and ô 3
    header_right_mm: float = 95.0  # ô 1 and ô 4; left + right = page width − margins
    footer_left_mm: float = 75.0  # ô 9
    footer_right_mm: float = 90.0  # ô 7
    short_rule_fraction: float = 0.4  # 1/3 to 1/2 of the line above

    @property
    def text_width_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm


ND30 = Layout()
