"""Documents built by hand, shaped like the remediation plan (seeds 001, 004), for the
renderers' tests: nothing here reads the database."""

from dataclasses import replace
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
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "11", "9,13", "1,87"),
    ("2", "Cải cách thể chế", "7", "6,75", "0,25"),
    ("3", "Cải cách thủ tục hành chính", "14,5", "12,99", "1,51"),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "6", "5,5", "0,5"),
    ("5", "Cải cách chế độ công vụ", "16,5", "14,62", "1,88"),
    ("6", "Cải cách tài chính công", "13,5", "12,86", "0,64"),
    ("7", "Xây dựng, phát triển chính quyền điện tử, chính quyền số", "20", "14,27", "5,73"),
    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức", "11,5", "8,96", "2,54"),
)
MATRIX_COLUMNS = (
    Column("TT", 5, "center"),
    Column("Mục tiêu/Chỉ tiêu", 14),
    Column("Nhiệm vụ", 14),
    Column("Hoạt động", 14),
    Column("Kết quả, sản phẩm", 12),
    Column("Chủ trì", 11),
    Column("Phối hợp", 11),
    Column("Thời gian hoàn thành", 9, "center"),
    Column("Kinh phí (triệu đồng)", 10, "center"),
)
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def fields_table() -> Table:
    columns = (
        Column("TT", 7, "center"),
        Column("Nội dung", 51),
        Column("Điểm tối đa", 13, "center"),
        Column("Điểm thẩm định", 16, "center"),
        Column("Điểm bị trừ", 13, "center"),
    )
    rows = tuple(Row(cells) for cells in FIELDS)
    total = Row(("", "Tổng điểm", "100", "85,08", "14,92"), kind="total")
    return Table(columns, (*rows, total), keep_together=True)


def task_row(field: int, task: int) -> Row:
    return Row(
        (
            str(task),
            f"Khắc phục tiêu chí {field}.{task} bị trừ điểm năm 2023",
            f"Nhiệm vụ {field}.{task}: rà soát, hoàn thiện quy trình thực hiện",
            "Ban hành kế hoạch; phân công; kiểm tra, đôn đốc; báo cáo kết quả thực hiện",
            "Kế hoạch, báo cáo",
            "Công chức Văn phòng - Thống kê",
            "Các công chức UBND xã",
            "Quý II/2024",
            "5",
        )
    )


def matrix(tasks_per_field: int = 4) -> Table:
    rows: list[Row] = []
    for number, (_, title, *_points) in enumerate(FIELDS, start=1):
        rows.append(Row((ROMAN[number - 1], title.upper()), kind="group"))
        rows += [task_row(number, task) for task in range(1, tasks_per_field + 1)]
    budget = str(5 * tasks_per_field * len(FIELDS))
    rows.append(Row(("", "Tổng kinh phí (triệu đồng)", *[""] * 6, budget), kind="total"))
    return Table(MATRIX_COLUMNS, tuple(rows), size="small")


def body() -> tuple:
    return (
        Paragraph(
            "Thực hiện Quyết định số 9471/QĐ-UBND ngày 26 tháng 12 năm 2023 của UBND huyện"
            " Cẩm Xuyên về việc phê duyệt Chỉ số cải cách hành chính năm 2023.",
            "basis",
        ),
        Paragraph(
            "Để kịp thời khắc phục các tồn tại, hạn chế và các tiêu chí bị trừ điểm trong công"
            " tác cải cách hành chính năm 2023, UBND xã xây dựng Kế hoạch khắc phục như sau:"
        ),
        Heading("I. MỤC ĐÍCH, YÊU CẦU"),
        Heading("1. Mục đích", 2),
        Paragraph("Kịp thời chấn chỉnh, khắc phục tồn tại, hạn chế năm 2023;", "item"),
        Paragraph("Đề ra các nhiệm vụ, giải pháp nâng cao Chỉ số cải cách hành chính.", "item"),
        Heading("II. KẾT QUẢ ĐẠT ĐƯỢC"),
        Paragraph("Năm 2023, xã được chấm 85,08/100 điểm; xếp thứ 3/23 xã, thị trấn. Cụ thể:"),
        fields_table(),
        Heading("III. NỘI DUNG TRỪ ĐIỂM, NHIỆM VỤ VÀ GIẢI PHÁP KHẮC PHỤC"),
        Heading("1. Công tác chỉ đạo, điều hành cải cách hành chính", 2),
        Heading("1.1. Điểm số bị trừ: 1,87 điểm, trong đó:", 3),
        Paragraph(
            "Tiêu chí 1.3. Đổi mới, sáng tạo trong triển khai nhiệm vụ CCHC: đạt 0,5/2 điểm,"
            " bị trừ 1,5 điểm, trong đó:",
            "item",
        ),
        Paragraph(
            "Tiêu chí 1.3.1. Có sáng kiến được công nhận: đạt 0/1 điểm, bị trừ 1 điểm.", "subitem"
        ),
        Paragraph("Chủ trì thực hiện: Công chức Văn phòng - Thống kê."),
        Paragraph(
            "Trên đây là Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách hành chính"
            " năm 2023 của UBND xã Cẩm Sơn./.",
            "closing",
        ),
    )


def document(*, body_blocks: tuple | None = None, tasks_per_field: int = 4) -> Document:
    return Document(
        metadata=Metadata(
            title="Kế hoạch khắc phục tồn tại, hạn chế CCHC năm 2023 - Xã Cẩm Sơn",
            author="Ủy ban nhân dân xã Cẩm Sơn",
            subject="Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
            keywords=("cải cách hành chính", "kế hoạch khắc phục", "2023"),
            created=date(2024, 1, 5),
        ),
        header=Header(
            issuer_lines=("ỦY BAN NHÂN DÂN", "XÃ CẨM SƠN"),
            number_line="Số: 05/KH-UBND",
            dated_line="Cẩm Sơn, ngày 05 tháng 01 năm 2024",
            kind="KẾ HOẠCH",
            summary="Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
        ),
        body=body() if body_blocks is None else body_blocks,
        signoff=Signoff(
            recipients=("UBND huyện Cẩm Xuyên", "Phòng Nội vụ huyện", "Lưu: VT"),
            authority="TM. ỦY BAN NHÂN DÂN",
            position="Chủ tịch",
            signer_name="Hoàng Văn Hiệp",
        ),
        appendices=(
            Appendix(
                title="PHỤ LỤC",
                summary="NHIỆM VỤ KHẮC PHỤC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CCHC NĂM 2023",
                note="(Kèm theo Kế hoạch số 05/KH-UBND ngày 05/01/2024 của UBND xã Cẩm Sơn)",
                blocks=(matrix(tasks_per_field),),
            ),
        ),
        filename="ke-hoach-cam-son-2023",
    )


def short_document() -> Document:
    """One page: the signature block lands on page 1."""
    return replace(document(), body=body()[:2], appendices=())


def long_document() -> Document:
    """The same opening, then enough paragraphs to push the signature onto page 2."""
    filler = tuple(
        Paragraph(f"Nội dung thứ {n}: triển khai, kiểm tra, đôn đốc thực hiện nhiệm vụ.", "item")
        for n in range(1, 26)
    )
    return replace(short_document(), body=body()[:2] + filler)
