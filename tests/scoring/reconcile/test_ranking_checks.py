"""A ranking table checked against itself (no database): sums, index, ranks with ties."""

from scoring.reconcile.checks import check_ranking, competition_ranks
from scoring.reconcile.reading import read_table

HEADER = [
    "Xếp thứ",
    "Tên đơn vị",
    "Lĩnh vực 1",
    "Lĩnh vực 2",
    "Tổng điểm",
    "Điểm tối đa",
    "Chỉ số (%)",
]
# Hand-made and exact: two units tie at 80 (both 2nd), the next is 4th.
EXACT = [
    ["1", "Xã An Hòa", "50,5", "40", "90,5", "100", "90,5"],
    ["2", "Xã Bình Minh", "45", "35", "80", "100", "80"],
    ["2", "Xã Cát Tiên", "44,25", "35,75", "80", "100", "80"],
    ["4/4", "Xã Đông Sơn", "40,004", "33,333", "73,337", "100", "73,34"],
]


def messages(rows: list[list[str]]) -> list[str]:
    return [difference.message for difference in check_ranking(read_table([HEADER, *rows]))]


def test_an_exact_hand_made_table_with_a_tie_reports_nothing() -> None:
    assert messages(EXACT) == []


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    assert competition_ranks([90, 80, 80, 70]) == [1, 2, 2, 4]


def test_a_wrong_total_a_wrong_rank_and_a_wrong_index_are_each_reported() -> None:
    rows = [list(row) for row in EXACT]
    rows[0][4] = "91,5"  # fields add up to 90,5; the index 90,5 no longer follows
    rows[2][0] = "3"  # tied with Bình Minh: 2nd
    rows[3][6] = "73,33"  # 73,337 % rounds to 73,34

    assert messages(rows) == [
        "Dòng 2 (Xã An Hòa): tổng điểm 91,5 nhưng cộng các lĩnh vực được 90,5",
        "Dòng 2 (Xã An Hòa): chỉ số 90,5% nhưng tổng điểm ÷ điểm tối đa = 91,5%",
        "Dòng 4 (Xã Cát Tiên): xếp hạng 3 nhưng theo điểm trong bảng thì xếp thứ 2 (đồng hạng)",
        "Dòng 5 (Xã Đông Sơn): chỉ số 73,33% nhưng tổng điểm ÷ điểm tối đa = 73,34%",
    ]


def test_ranks_follow_the_index_when_the_table_has_no_max() -> None:
    header = ["Hạng", "Đơn vị", "Chỉ số"]
    rows = [["1", "A", "85,08"], ["1", "B", "85,08"], ["2", "C", "80"]]
    found = check_ranking(read_table([header, *rows]))

    assert [(d.row, d.found, d.expected) for d in found] == [(4, "2", "3")]
