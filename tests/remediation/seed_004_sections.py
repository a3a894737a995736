# ruff: noqa: E501 (a transcription: the seed's lines are kept whole, as typed)
"""Seed 004's section III as the commune typed it: each field's criterion lines."""

SEED_004_DEDUCTIONS = {
    "1": """- Thực hiện Kế hoạch CCHC đạt: 1,43/1,5 điểm (bị trừ 0,7 điểm)
- Kết quả khắc phục tồn tại, hạn chế do cấp trên chỉ ra năm trước: 1,84/2 điểm (bị trừ 0,16 điểm)
- Đổi mới, sáng tạo trong triển khai nhiệm vụ CCHC: đạt 0,5/2 điểm, bị trừ 1,5 điểm.
- Đối thoại của lãnh đạo xã với người dân: đạt 0,96/1 điểm, bị trừ 0,04 điểm
- Thực hiện nhiệm vụ được UBND huyện, CT UBND huyện giao: đạt 1,4/1,5 điểm, bị trừ 0,1 điểm.""",
    "2": "Điểm số bị trừ: 0,25 điểm, nội dung bị trừ điểm là công tác góp ý các dự thảo văn bản "
    "quy phạm pháp luật được lấy ý kiến.",
    "3": """- Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận trong năm được giải quyết trước và đúng hạn, bị trừ 0,01 điểm.

- Ban hành kế hoạch rà soát, đánh giá TTHC: bị trừ 0,5 điểm""",
    "4": "- Thực hiện quy chế dân chủ cơ sở và dân vận chính quyền ở đơn vị: bị trừ 0,5 điểm.",
    "5": """- Kết quả thực hiện nhiệm vụ của cán bộ, công chức: bị trừ 0,38 điểm
- Cập nhật thông tin vào phần mềm quản lý cán bộ, công chức: bị trừ 1 điểm
- Trong năm không có văn bản phê bình của cấp trên: không có điểm do có văn bản phê bình.""",
    "6": """- Thực hiện giải ngân vốn đầu tư ngân sách nhà nước: bị trừ 0,14 điểm
- Thực hiện các kiến nghị sau thanh tra, kiểm tra, kiểm toán nhà nước về tài chính, ngân sách: bị trừ 0,5 điểm""",
    "7": """- Tỷ lệ cán bộ, công chức cấp xã có chữ ký số hoặc chữ ký điện tử cá nhân: bị trừ 0,2 điểm (tổng 0,5 điểm)
- Tỷ lệ người dân ở độ tuổi trưởng thành thuộc xã có chữ ký số hoặc chữ ký điện tử cá nhân: bị trừ 0,5 điểm (tổng 0,5 điểm)
- Tỷ lệ hộ gia đình, cơ quan, tổ chức, khu di tích có địa chỉ số: bị trừ 0,5 điểm (tổng 0,5 điểm)
- Tỷ lệ văn bản được thực hiện dưới dạng điện tử, được ký số: bị trừ 0,73 điểm (tổng 4 điểm)
- Trang thông tin điện tử có đầy đủ các loại thông tin cung cấp theo quy định tại Khoản 1, Điều 4, Nghị định 42/2022/NĐ-CP: bị trừ 1 điểm (tổng 0,5 điểm)
- Tỷ lệ hồ sơ trực tuyến toàn trình: bị trừ 0,18 điểm (tổng 1,5 điểm)
- Tỷ lệ hồ sơ phát sinh giao dịch thanh toán trực tuyến: bị trừ 0,39 điểm (tổng 0,5 điểm)
- Tỷ lệ thanh toán trực tuyến: bị trừ 0,22 điểm (tổng 0,5 điểm)
- Đánh giá việc sắp xếp tài liệu, lưu trữ hồ sơ: bị trừ 0,25 điểm (tổng 0,5 điểm)
- Đánh giá mức độ tuân thủ quy trình TTHC thông qua xem xét tỷ lệ hồ sơ giải quyết đúng và trước hạn: bị trừ 0,25 điểm (tổng 0,5 điểm)

- Đánh giá mức độ tuân thủ quy trình TTHC thông qua kiểm tra, bóc mẫu hồ sơ kết hợp kiểm tra trên Cổng dịch vụ công quốc gia/ hệ thống thông tin giải quyết TTHC của tỉnh để đánh giá (đã loại trừ các hồ sơ quá hạn ở 7b.2.3.1): bị trừ 0,75 điểm (tổng 1,5 điểm)

- Đánh giá việc tuân thủ quy trình điện tử giải quyết TTHC trên Cổng dịch vụ công quốc gia/ Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh (thông qua kiểm tra trực tiếp trên Cổng/hệ thống (đã loại trừ các hồ sơ quá hạn ở 7b.2.3.1)): bị trừ 0,25 điểm.

- Thực hiện các kiến nghị sau thanh tra, kiểm tra, kiểm toán nhà nước về tài chính, ngân sách: bị trừ 0,5 điểm""",
    "8": """- Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC: bị trừ 0,01 điểm

- Mức độ thu hút đầu tư: bị trừ 2/2 điểm

- Thực hiện thu ngân sách theo kế hoạch được giao: bị trừ 0,5/2 điểm

- Mức độ thực hiện các chỉ tiêu phát triển KT-XH do HĐND xã giao: bị trừ 0,53/2 điểm.""",
}


def type_seed_004(plan) -> None:
    """Each section's deductions replaced by seed 004's lines, as the plan page saves them."""
    for section in plan.sections.select_related("field"):
        section.deductions = SEED_004_DEDUCTIONS[section.field.code]
        section.edited_fields = [*section.edited_fields, "deductions"]
        section.save(update_fields=["deductions", "edited_fields"])
