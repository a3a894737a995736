"""What a check finds: a difference with its row, or a note that something could not
be checked."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Difference:
    """One figure of the table that is not what it should be. `row` is the table's
    row (or the text's line); None for what is missing from the table altogether."""

    row: int | None
    unit: str
    column: str
    found: str
    expected: str
    sentence: str  # what is wrong, in Vietnamese, without the row

    @property
    def message(self) -> str:
        """ "Dòng 5 (Xã Cẩm Sơn): tổng điểm 85,08 nhưng cộng các lĩnh vực được 84,08"."""
        where = self.unit if self.row is None else f"Dòng {self.row} ({self.unit})"
        return f"{where}: {self.sentence}"


@dataclass
class Findings:
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was not checked, and why

    def extend(self, other: "Findings") -> None:
        self.differences += other.differences
        self.notes += other.notes
