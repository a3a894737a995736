"""reconcile_results on seed 004's table (section II with the criterion lines of section
III, transcribed in seed_004.csv): its five slips and nothing else."""

from pathlib import Path

from tests.scoring.reconcile.helpers import SEED_004, run_reconcile, write_lines

SEED_SLIPS = [
    "Dòng 3 (1.1. Thực hiện Kế hoạch CCHC): điểm bị trừ 0,7 nhưng điểm tối đa − điểm đạt "
    "= 1,5 − 1,43 = 0,07",
    "Dòng 9 (3. Cải cách thủ tục hành chính): điểm bị trừ 1,51 nhưng cộng các tiêu chí được 0,51",
    "Dòng 21 (7. Xây dựng, phát triển chính quyền điện tử, chính quyền số): điểm bị trừ "
    "5,73 nhưng cộng các tiêu chí được 5,72",
    "Dòng 26 (7.5. Trang thông tin điện tử có đầy đủ các loại thông tin cung cấp theo quy "
    "định tại Khoản 1, Điều 4, Nghị định 42/2022/NĐ-CP): điểm bị trừ 1 lớn hơn điểm tối đa "
    "0,5 của tiêu chí",
    "Dòng 35 (8. Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh "
    "tế xã hội): điểm bị trừ 2,54 nhưng cộng các tiêu chí được 3,04",
]
FIELD_5_UNVERIFIABLE = (
    "Dòng 14 (5. Cải cách chế độ công vụ): có dòng không ghi điểm nên không kiểm được tổng "
    "điểm bị trừ của các tiêu chí."
)
# Seed 004 with its slips put right: 0,07; 1,5 lost on 3.2; 7.5's max 1 and 7.6 losing
# 0,19 (so field 7 reaches 5,73); 0,03 lost on 8.4.
CORRECTIONS = {
    'CCHC,"1,5","1,43","0,7"': 'CCHC,"1,5","1,43","0,07"',
    'đánh giá TTHC",,,"0,5"': 'đánh giá TTHC",,,"1,5"',
    'Nghị định 42/2022/NĐ-CP","0,5",,1': 'Nghị định 42/2022/NĐ-CP",1,,1',
    'toàn trình,"1,5",,"0,18"': 'toàn trình,"1,5",,"0,19"',
    'do HĐND xã giao,2,,"0,53"': 'do HĐND xã giao,2,,"0,03"',
}


def test_seed_004_reports_each_of_its_five_slips_and_nothing_else() -> None:
    status, lines = run_reconcile(SEED_004)

    assert status == 1
    differences = [
        line for line in lines if line.startswith("Dòng") and line not in FIELD_5_UNVERIFIABLE
    ]
    assert differences == SEED_SLIPS
    assert FIELD_5_UNVERIFIABLE in lines  # a line without a figure: said once, not a slip
    assert lines[-1] == "Có 5 chỗ sai lệch trong 39 dòng."


def test_seed_004_put_right_reports_nothing(tmp_path: Path) -> None:
    text = SEED_004.read_text(encoding="utf-8")
    for slip, right in CORRECTIONS.items():
        assert slip in text
        text = text.replace(slip, right)
    status, lines = run_reconcile(write_lines(tmp_path / "dung.csv", text.splitlines()))

    assert status == 0
    assert [
        line for line in lines if line.startswith("Dòng") and "không kiểm được" not in line
    ] == []
    assert lines[-1] == "Không có chỗ sai lệch nào trong 39 dòng."


def test_a_total_row_that_the_fields_do_not_reach_is_reported(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "tong.csv",
        [
            "STT;Nội dung;Điểm tối đa;Điểm đạt",
            "1;Chỉ đạo điều hành;11;9,13",
            "2;Cải cách thể chế;7;6,75",
            ";TỔNG CỘNG;18;16,88",
        ],
    )
    status, lines = run_reconcile(path)

    assert status == 1
    assert lines[1:-1] == [
        "Dòng 4 (TỔNG CỘNG): điểm đạt 16,88 nhưng cộng các lĩnh vực được 15,88",
    ]


def test_an_unreadable_figure_is_reported_with_its_row(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "chu.csv",
        ["TT,Nội dung,Điểm tối đa,Điểm đạt", "1,Chỉ đạo điều hành,11,chín"],
    )
    status, lines = run_reconcile(path)

    assert status == 1
    assert (
        lines[1]
        == "Dòng 2 (1. Chỉ đạo điều hành): ô điểm đạt không đọc được: «chín» không phải là số."
    )


def test_a_file_without_known_headers_is_refused_in_vietnamese(tmp_path: Path) -> None:
    status, lines = run_reconcile(write_lines(tmp_path / "la.csv", ["a,b", "1,2"]))

    assert status == 1
    assert lines[-1].startswith("Không nhận ra dòng tiêu đề của bảng")


def test_a_figure_printed_without_decimals_is_compared_at_its_columns_places(tmp_path) -> None:
    path = write_lines(
        tmp_path / "tron.csv",
        [
            "TT,Nội dung,Điểm bị trừ",
            "8,Tác động của cải cách hành chính,1",
            '8.1,Tỷ lệ hài lòng,"0,01"',
            "8.2,Mức độ thu hút đầu tư,1",
        ],
    )
    status, lines = run_reconcile(path)

    assert status == 1
    assert lines[1] == (
        "Dòng 2 (8. Tác động của cải cách hành chính): điểm bị trừ 1 nhưng cộng các tiêu chí "
        "được 1,01"
    )
