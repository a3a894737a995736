"""A plan in the document model, worded as seed 004 (xã Cẩm Sơn, 2023), long enough
for several pages and a landscape appendix: what the Word renderer's tests read back."""

from datetime import date

from cchc.documents.model import (
    Appendix,
    Column,
    Document,
    Header,
    Heading,
    Metadata,
    Paragraph,
    Row,
    Signoff,
    Table,
)

FIELDS = (
    ("1.", "Chỉ đạo điều hành", "11", "9,13", "1,87"),
    ("2.", "Cải cách thể chế", "7", "6,75", "0,25"),
    ("3.", "Cải cách thủ tục hành chính", "14,5", "12,99", "1,51"),
    ("4.", "Cải cách tổ chức bộ máy", "6", "5,5", "0,5"),
    ("5.", "Cải cách chế độ công vụ", "16,5", "14,62", "1,88"),
    ("6.", "Cải cách tài chính công", "13,5", "12,86", "0,64"),
    ("7.", "Xây dựng, phát triển chính quyền điện tử, chính quyền số", "20", "14,27", "5,73"),
    (
        "8.",
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế xã hội",
        "11,5",
        "8,96",
        "2,54",
    ),
)

RESULTS = Table(
    columns=(
        Column("TT", 7, "center"),
        Column("Nội dung", 51),
        Column("Điểm tối đa", 13, "center"),
        Column("Điểm thẩm định", 16, "center"),
        Column("Điểm bị trừ", 13, "center"),
    ),
    rows=(
        *(Row(cells) for cells in FIELDS),
        Row(("", "Tổng điểm", "100", "85,08", "14,92"), kind="total"),
    ),
    keep_together=True,
)

SOLUTION = (
    "Tăng cường công tác đôn đốc, kiểm tra, giám sát việc thực hiện CCHC trong cơ quan. "
    "Chỉ đạo quyết liệt việc khắc phục tồn tại, hạn chế đã được chỉ ra. Ưu tiên bố trí "
    "kinh phí để khắc phục đối với các tiêu chí cần kinh phí thực hiện."
)


def _field(number: int, title: str, deducted: str) -> tuple:
    return (
        Heading(f"{number}. {title}", level=2),
        Paragraph(f"{number}.1. Điểm số bị trừ: {deducted} điểm, trong đó:"),
        Paragraph(f"Tiêu chí {number}.1. Thực hiện Kế hoạch: đạt 1,43/1,5 điểm", "item"),
        Paragraph("Chưa ban hành kế hoạch rà soát kịp thời", "subitem"),
        Paragraph(f"{number}.2. Thời gian khắc phục: Năm 2024."),
        Paragraph(f"{number}.3. Chủ trì thực hiện: Công chức Văn phòng - Thống kê."),
        Paragraph(f"{number}.4. Giải pháp thực hiện:"),
        Paragraph(SOLUTION, "item"),
    )


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
MATRIX = Table(
    columns=(
        Column("TT", 5, "center"),
        Column("Mục tiêu/Chỉ tiêu", 14),
        Column("Nhiệm vụ", 14),
        Column("Hoạt động", 14),
        Column("Kết quả, sản phẩm", 12),
        Column("Chủ trì", 11),
        Column("Phối hợp", 11),
        Column("Thời gian hoàn thành", 9),
        Column("Kinh phí (triệu đồng)", 10, "right"),
    ),
    rows=(
        *(
            row
            for number, (_, title, *_) in zip(ROMAN, FIELDS, strict=True)
            for row in (
                Row((number, title.upper()), kind="group"),
                Row(
                    (
                        "1",
                        "Nâng điểm tiêu chí",
                        "Ban hành kế hoạch",
                        "Rà soát\nTrình ký",
                        "Kế hoạch",
                        "Văn phòng",
                        "Tư pháp",
                        "Quý I/2024",
                        "2,5",
                    )
                ),
            )
        ),
        Row(("", "Tổng kinh phí (triệu đồng)", "", "", "", "", "", "", "20"), kind="total"),
    ),
    size="small",
)


def plan() -> Document:
    fields = tuple(
        block
        for index, (_, title, _max, _got, lost) in enumerate(FIELDS, start=1)
        for block in _field(index, title, lost)
    )
    return Document(
        metadata=Metadata(
            title="Kế hoạch khắc phục tồn tại, hạn chế CCHC năm 2023 - Xã Cẩm Sơn",
            author="Ủy ban nhân dân xã Cẩm Sơn",
            subject="Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
            keywords=("CCHC", "kế hoạch", "2023"),
            created=date(2024, 1, 5),
        ),
        header=Header(
            issuer_lines=("Ủy ban nhân dân", "xã Cẩm Sơn"),
            number_line="Số: 05/KH-UBND",
            dated_line="Cẩm Sơn, ngày 05 tháng 01 năm 2024",
            kind="Kế hoạch",
            summary="Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
        ),
        body=(
            Paragraph(
                "Thực hiện Quyết định số 9471/QĐ-UBND ngày 26/12/2023 của UBND huyện Cẩm Xuyên "
                "về việc phê duyệt Chỉ số cải cách hành chính năm 2023;",
                "basis",
            ),
            Paragraph("UBND xã xây dựng Kế hoạch khắc phục như sau:"),
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            Heading("1. Mục đích", level=2),
            Paragraph("Kịp thời chấn chỉnh, khắc phục tồn tại, hạn chế;", "item"),
            Heading("1.1. Yêu cầu cụ thể", level=3),
            Paragraph("Người đứng đầu cơ quan phải xác định vai trò, trách nhiệm.\nDòng hai."),
            Heading("II. KẾT QUẢ ĐẠT ĐƯỢC"),
            Paragraph("Năm 2023, xã được chấm 85,08/100 điểm; xếp thứ 3/23 xã, thị trấn."),
            RESULTS,
            Heading("III. NỘI DUNG TRỪ ĐIỂM, NHIỆM VỤ VÀ GIẢI PHÁP KHẮC PHỤC"),
            *fields,
            Paragraph(
                "Trên đây là Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách hành "
                "chính năm 2023 của UBND xã./.",
                "closing",
            ),
        ),
        signoff=Signoff(
            recipients=("UBND huyện Cẩm Xuyên", "Phòng Nội vụ huyện", "Lưu: VT"),
            authority="TM. Ủy ban nhân dân",
            position="Chủ tịch",
            signer_name="Hoàng Văn Hiệp",
        ),
        appendices=(
            Appendix(
                title="Phụ lục",
                summary="NHIỆM VỤ KHẮC PHỤC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CCHC NĂM 2023",
                note="(Kèm theo Kế hoạch số 05/KH-UBND ngày 05/01/2024 của UBND xã Cẩm Sơn)",
                blocks=(MATRIX,),
            ),
        ),
        filename="ke-hoach-cam-son-2023",
    )
