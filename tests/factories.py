"""factory_boy factories and small builders shared by the tests."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import factory
import openpyxl
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import override_settings

from scoring.engine import refresh_tallies
from scoring.models import (
    Assessment,
    AssessmentStatus,
    ClassificationBand,
    Criterion,
    CriterionLink,
    Framework,
    RankingGroup,
    Score,
    ScoringCalendar,
    Unit,
    UnitLevel,
)
from scoring.services import framework_rebuild_tree

# Texts a spreadsheet would run as a formula; every export must give them as text.
FORMULA_TEXTS = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(1)", "-2+3", "\t=1", "\r=1"]


class RankingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RankingGroup

    name = factory.Sequence(lambda n: f"Khối {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Xã thử nghiệm {n}")
    level = UnitLevel.COMMUNE
    ranking_group = factory.SubFactory(RankingGroupFactory)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    name = factory.Sequence(lambda n: f"Bộ chỉ số thử nghiệm {n}")
    level = UnitLevel.COMMUNE
    year_from = 2020


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    unit = factory.SubFactory(UnitFactory)
    year = 2023
    framework = factory.SubFactory(FrameworkFactory)
    ranking_group = factory.LazyAttribute(lambda a: a.unit.ranking_group)
    status = AssessmentStatus.PUBLISHED


def build_framework(rows: list[tuple[str, str | None, str]], **framework_fields) -> Framework:
    """A framework from (code, parent_code, max_points) rows, with its tree rebuilt."""
    framework = FrameworkFactory(**framework_fields)
    by_code: dict[str, Criterion] = {}
    for order, (code, parent_code, max_points) in enumerate(rows):
        by_code[code] = Criterion.objects.create(
            framework=framework,
            parent=by_code[parent_code] if parent_code else None,
            code=code,
            title=f"Tiêu chí {code}",
            max_points=Decimal(max_points),
            order=order,
        )
    framework_rebuild_tree(framework=framework)
    return framework


def score_assessment(assessment: Assessment, points: dict[str, str | None], **fields) -> None:
    """Score leaves by code: {"1.1": "0,5"}-style strings or None for unscored."""
    leaves = {c.code: c for c in assessment.framework.criteria.filter(is_leaf=True)}
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=leaves[code],
            self_score=None if value is None else Decimal(value.replace(",", ".")),
            **fields,
        )
        for code, value in points.items()
    )
    refresh_tallies([assessment.pk])


def add_bands(group: RankingGroup) -> None:
    for label, minimum in (("Tốt", "90"), ("Khá", "80"), ("Trung bình", "70")):
        ClassificationBand.objects.create(group=group, label=label, min_index=Decimal(minimum))


def write_csv(path: Path, rows: list[list], *, delimiter: str = ",", bom: bool = False) -> Path:
    """A CSV file as a spreadsheet saves it: a header row, then the data rows."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        csv.writer(file, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def load_demo_data(*args: str) -> str:
    """Run `load_demo` as `make run` does, with DEBUG on; returns what it printed."""
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """How many rows each scoring table holds, to show that nothing was written."""
    models = (RankingGroup, Unit, Framework, Criterion, CriterionLink, Assessment, Score)
    return {model.__name__: model.objects.count() for model in models}


__all__ = [
    "FORMULA_TEXTS",
    "AssessmentFactory",
    "FrameworkFactory",
    "RankingGroupFactory",
    "Score",
    "UnitFactory",
    "add_bands",
    "build_framework",
    "calendar_everywhere",
    "load_demo_data",
    "row_counts",
    "score_assessment",
    "write_csv",
    "write_xlsx",
]


def calendar_everywhere(year: int, **dates) -> ScoringCalendar:
    """The same calendar for every jurisdiction with a sheet in `year` (the unit above
    each sheet's unit), as the one calendar of a year was before calendars belonged to
    a jurisdiction; returns one of them."""
    parents = Unit.objects.filter(children__assessments__year=year).distinct()
    calendars = [
        ScoringCalendar.objects.update_or_create(unit=parent, year=year, defaults=dates)[0]
        for parent in parents
    ]
    assert calendars, f"no sheet of {year} has a unit above it to hold a calendar"
    return calendars[0]


def user_with_role(role: str, unit=None, username: str | None = None, full_name: str | None = None):
    """A user with a Membership; administrators get superuser rights too.

    Users have a full name (an appraisal is signed off with it) unless `full_name=""`.
    """
    from django.contrib.auth import get_user_model

    from scoring.models import Membership, Role

    username = username or f"user-{role}-{getattr(unit, 'code', 'all')}"
    user = get_user_model().objects.create_user(
        username=username,
        first_name=f"Cán bộ {username}" if full_name is None else full_name,
        password="secret-pass-123",
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
    )
    Membership.objects.create(user=user, role=role, unit=unit)
    return user


def update_scores(scores: QuerySet[Score], **values) -> int:
    """A bulk change to stored scores, as an import or a script makes it, with the
    tallies of their assessments refreshed as every real write path does."""
    assessment_ids = set(scores.values_list("assessment_id", flat=True))
    changed = scores.update(**values)
    refresh_tallies(assessment_ids)
    return changed
