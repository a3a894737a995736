"""Scoring rules: a unit declares a fact, the points follow.

A criterion's `rule` is one line of text, as written in the framework import:

    (empty) or "manual"                               the unit types the points
    "tiers: Kịp thời=1; Không kịp thời=0,5; Không ban hành=0"
                                                      the unit picks one tier
    "bands: >90=2; 70-90=1; <70=0"                    the unit declares a ratio (%);
                                                      the first matching band wins;
                                                      ">", ">=", "<", "<=" and "a-b"
                                                      (both ends included)
    "linear: 0,5"                                     ratio (%) ÷ 100 × 0,5, never
                                                      above the criterion's max;
                                                      "linear" alone uses the max

Numbers are written the Vietnamese way or with a dot ("0,5" or "0.5").
"""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

from cchc.formatting import POINT_PLACES, format_points, parse_points, round_half_up

MANUAL, TIERS, BANDS, LINEAR = "manual", "tiers", "bands", "linear"
KIND_LABELS = {
    MANUAL: "Chấm trực tiếp",
    TIERS: "Chọn mức",
    BANDS: "Theo khoảng tỷ lệ",
    LINEAR: "Tỷ lệ thuận",
}
HUNDRED = Decimal(100)
BAND = re.compile(r"^(?:(>=|<=|>|<)\s*(\S+)|(\S+)\s*-\s*(\S+))$")


@dataclass(frozen=True)
class Band:
    low: Decimal | None
    high: Decimal | None
    low_open: bool
    high_open: bool
    points: Decimal

    def matches(self, ratio: Decimal) -> bool:
        above = self.low is None or (ratio > self.low if self.low_open else ratio >= self.low)
        below = self.high is None or (ratio < self.high if self.high_open else ratio <= self.high)
        return above and below


@dataclass(frozen=True)
class Rule:
    kind: str
    tiers: tuple[tuple[str, Decimal], ...] = ()
    bands: tuple[Band, ...] = ()
    factor: Decimal | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def declares_ratio(self) -> bool:
        return self.kind in {BANDS, LINEAR}

    def points_values(self) -> list[Decimal]:
        return [points for _, points in self.tiers] + [band.points for band in self.bands]

    @property
    def browser_json(self) -> str:
        """A ratio rule as the sheet's script reads it to preview the points as one types;
        the server still computes them with rule_points on saving."""
        return json.dumps(
            {
                "factor": _plain(self.factor),
                "bands": [
                    [_plain(b.low), _plain(b.high), b.low_open, b.high_open, _plain(b.points)]
                    for b in self.bands
                ],
            }
        )


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def parse_rule(text: str) -> Rule:
    """The rule written in `text`; ValueError in Vietnamese when it cannot be read."""
    kind, _, body = (text or "").strip().partition(":")
    kind = kind.strip().casefold()
    body = body.strip()
    if kind in {"", MANUAL}:
        return Rule(MANUAL)
    if kind == TIERS:
        return Rule(TIERS, tiers=tuple(_tier(part) for part in _parts(body)))
    if kind == BANDS:
        return Rule(BANDS, bands=tuple(_band(part) for part in _parts(body)))
    if kind == LINEAR:
        return Rule(LINEAR, factor=_number(body) if body else None)
    raise ValueError(
        f"Không hiểu quy tắc «{text}»: dùng manual, tiers: …, bands: … hoặc linear: …."
    )


def _parts(body: str) -> list[str]:
    parts = [part.strip() for part in body.split(";") if part.strip()]
    if not parts:
        raise ValueError("Quy tắc chưa có mức nào.")
    return parts


def _number(text: str) -> Decimal:
    value = parse_points(text)
    if value is None:
        raise ValueError("Thiếu số trong quy tắc.")
    return value


def _tier(part: str) -> tuple[str, Decimal]:
    label, sep, points = part.rpartition("=")
    if not sep or not label.strip():
        raise ValueError(f"Mức «{part}» phải viết dạng «Tên mức=điểm».")
    return label.strip(), _number(points.strip())


def _band(part: str) -> Band:
    condition, sep, points = part.rpartition("=")
    # ">=90=2" splits at the last "=": the condition keeps its own "=".
    match = BAND.match(condition.strip()) if sep else None
    if not match:
        raise ValueError(f"Khoảng «{part}» phải viết dạng «>90=2», «70-90=1» hoặc «<70=0».")
    operator, bound, low, high = match.groups()
    value = _number(points.strip())
    if low is not None:
        return Band(_number(low), _number(high), False, False, value)
    limit = _number(bound)
    if operator.startswith(">"):
        return Band(limit, None, operator == ">", False, value)
    return Band(None, limit, False, operator == "<", value)


def rule_problems(rule: Rule, min_points: Decimal, max_points: Decimal) -> list[str]:
    """Points a rule would give outside the criterion's range."""
    return [
        f"Quy tắc cho {format_points(points)} điểm, ngoài khoảng "
        f"{format_points(min_points)}–{format_points(max_points)}."
        for points in rule.points_values()
        if not min_points <= points <= max_points
    ]


def rule_points(
    rule: Rule, max_points: Decimal, *, tier: str = "", ratio: Decimal | None = None
) -> Decimal | None:
    """The points a declared fact earns; None when nothing is declared.

    Raises ValueError (Vietnamese) for a tier the rule does not have or a ratio
    outside 0–100 %.
    """
    if rule.kind == TIERS:
        return _tier_points(rule, tier)
    if ratio is None:
        return None
    if not Decimal(0) <= ratio <= HUNDRED:
        raise ValueError("Tỷ lệ phải từ 0 đến 100%.")
    if rule.kind == BANDS:
        return next((band.points for band in rule.bands if band.matches(ratio)), Decimal(0))
    factor = max_points if rule.factor is None else rule.factor
    return min(max_points, round_half_up(ratio * factor / HUNDRED, POINT_PLACES))


def _tier_points(rule: Rule, tier: str) -> Decimal | None:
    if not tier:
        return None
    for label, points in rule.tiers:
        if label == tier:
            return points
    raise ValueError(f"«{tier}» không phải là một mức của tiêu chí này.")
