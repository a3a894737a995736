"""Interleaved timing, the medians and spreads it gives, and the table it prints.

Timings are wall-clock milliseconds (floats): they measure the program, they are
not points, so the Decimal rule for points does not apply to them.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

Action = Callable[[], object]


@dataclass(frozen=True)
class Sample:
    """The timed runs of one side of a row, in milliseconds."""

    runs: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    def __str__(self) -> str:
        return f"{self.median:,.0f} ({min(self.runs):,.0f}–{max(self.runs):,.0f})"


@dataclass(frozen=True)
class Result:
    """One row of the table: the app beside its floor, and the goal for their ratio."""

    operation: str
    engine: Sample
    floor: Sample
    goal: float

    @property
    def ratio(self) -> float:
        return self.engine.median / self.floor.median

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal

    def cells(self) -> list[str]:
        return [
            self.operation,
            str(self.engine),
            str(self.floor),
            f"{self.ratio:.2f}×",
            f"≤ {self.goal:g}×",
            _met(self.met),
        ]


@dataclass(frozen=True)
class Check:
    """A row measured against a goal that is no ratio to a floor (memory, the load test)."""

    operation: str
    measured: str
    goal: str
    met: bool

    def cells(self) -> list[str]:
        return [self.operation, self.measured, "", "", self.goal, _met(self.met)]


def _met(met: bool) -> str:
    return "yes" if met else "**no**"


def interleaved(
    engine: Action,
    floor: Action,
    runs: int,
    *,
    before: Callable[[], None] | None = None,
    warmup: int = 1,
) -> tuple[Sample, Sample]:
    """Engine, floor, engine, floor...: `warmup` untimed rounds, then `runs` timed ones.

    Taking them in turn spreads whatever else the machine does over both sides.
    `before` runs untimed ahead of every call, to undo what the previous one wrote.
    """
    times: dict[str, list[float]] = {"engine": [], "floor": []}
    for round_ in range(warmup + runs):
        for name, action in (("engine", engine), ("floor", floor)):
            if before is not None:
                before()
            start = time.perf_counter()
            action()
            if round_ >= warmup:
                times[name].append((time.perf_counter() - start) * 1000)
    return Sample(tuple(times["engine"])), Sample(tuple(times["floor"]))


def timed(action: Action, runs: int, *, warmup: int = 1) -> Sample:
    """One action alone: `warmup` untimed calls, then `runs` timed ones."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return Sample(tuple(times))


TABLE_HEAD = (
    "| operation | app ms, median (min–max) | floor ms, median (min–max) | ratio | goal | met? |\n"
    "|---|---:|---:|---:|---:|---|"
)


def table(rows: list[Result | Check]) -> str:
    return "\n".join([TABLE_HEAD, *("| " + " | ".join(row.cells()) + " |" for row in rows)])
