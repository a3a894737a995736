from collections import defaultdict
from collections.abc import Iterator

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from cchc.formatting import format_points
from scoring.engine import refresh_tallies
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    CriterionSource,
    Framework,
    Score,
    Unit,
)
from scoring.resources.base import ImportResource, NumberedRows, Row, code_field, value_field
from scoring.resources.widgets import REQUIRED, PointsWidget, TextWidget, YesNoWidget, cell_text
from scoring.services import assessments_bump_version

IMPORTED = "nhập từ tệp"


HISTORY_BATCH = 2000  # score ids per history statement


def imported_values(score: Score) -> tuple:
    return (score.self_score, score.appraised_score, score.note, score.not_applicable)


def history_copy(score_ids: list[int], *, history_type: str) -> None:
    """django-simple-history's rows for these scores as they now stand, copied by the
    database (INSERT … SELECT). The library's bulk_history_create builds a model
    instance per row: 11 s for 100,000 imported scores, against well under one here.
    Who: the admin user through the library's request middleware, or none."""
    history = Score.history.model
    columns = ", ".join(connection.ops.quote_name(f.column) for f in history.tracked_fields)
    user = history.get_default_history_user(None)
    stamp = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        IMPORTED,
        history_type,
        user.pk if user else None,
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(score_ids), HISTORY_BATCH):
            batch = score_ids[start : start + HISTORY_BATCH]
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} ({columns}, history_date,"
                " history_change_reason, history_type, history_user_id)"
                f" SELECT {columns}, %s, %s, %s, %s FROM {Score._meta.db_table}"
                f" WHERE id IN ({', '.join(['%s'] * len(batch))})",
                [*stamp, *batch],
            )


class ScoreResource(ImportResource):
    """Scores of one year: `unit_code, criterion_code, self_score, appraised_score,
    note`, optionally `not_applicable`. Creates the assessments it needs, against
    `framework` or else the one framework for the unit's level and the year, with the
    unit's current group; existing scores are updated. A fixed number of queries
    whatever the number of rows."""

    unit_code = code_field("unit_code", "assessment__unit__code")
    criterion_code = code_field("criterion_code", "criterion__code")
    self_score = value_field("self_score", PointsWidget())
    appraised_score = value_field("appraised_score", PointsWidget())
    note = value_field("note", TextWidget())
    not_applicable = value_field("not_applicable", YesNoWidget(), default=False)

    required_columns = ("unit_code", "criterion_code", "self_score", "appraised_score", "note")

    class Meta:
        model = Score
        fields = (
            "unit_code",
            "criterion_code",
            "self_score",
            "appraised_score",
            "note",
            "not_applicable",
        )
        import_id_fields = ("unit_code", "criterion_code")
        use_bulk = True

    def __init__(
        self, *, year: int | None = None, framework: Framework | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.year = year
        self.framework = framework
        self.assessments: dict[str, Assessment] = {}  # by unit code
        self.targets: dict[tuple, tuple[Assessment, Criterion]] = {}
        self.existing: dict[tuple, Score] = {}
        self.stored: dict[int, tuple] = {}  # imported columns of each existing score, by pk

    def setting_problems(self) -> list[str]:
        return [] if self.year else ["Chưa chọn năm đánh giá."]

    @staticmethod
    def key(row: Row) -> tuple[str, str]:
        return cell_text(row.get("unit_code")), cell_text(row.get("criterion_code"))

    def prepare(self, rows: NumberedRows, headers: list[str]) -> list[str]:
        units = Unit.objects.filter(code__in={self.key(row)[0] for _, row in rows})
        units = {unit.code: unit for unit in units.select_related("ranking_group")}
        unit_problems = self.plan_assessments(units)
        self.report_units(rows, units, unit_problems)
        for number, row in rows:
            if not self.key(row)[1]:
                self.add_problem(number, "criterion_code", REQUIRED)
        first = self.first_rows(rows, self.key, "criterion_code", "Đơn vị «{}», tiêu chí «{}»")
        self.resolve_criteria(first)
        self.existing = {
            (score.assessment.unit.code, score.criterion.code): score
            for score in Score.objects.filter(
                assessment__in=[a for a in self.assessments.values() if a.pk]
            ).select_related("assessment__unit", "criterion")
        }
        self.stored = {score.pk: imported_values(score) for score in self.existing.values()}
        Assessment.objects.bulk_create([a for a in self.assessments.values() if not a.pk])
        return []

    def plan_assessments(self, units: dict[str, Unit]) -> dict[str, str]:
        """The assessment each unit's scores go to, stored or to create; else a problem."""
        stored = {
            a.unit_id: a
            for a in Assessment.objects.filter(
                year=self.year, unit__in=units.values()
            ).select_related("framework")
        }
        candidates = defaultdict(list)
        if self.framework is None:
            for framework in Framework.objects.filter(year_from__lte=self.year).filter(
                Q(year_to__isnull=True) | Q(year_to__gte=self.year)
            ):
                candidates[framework.level].append(framework)
        problems = {}
        for code, unit in units.items():
            assessment = stored.get(unit.pk)
            problem = (
                self.stored_problem(code, assessment)
                if assessment
                else self.framework_problem(unit, candidates[unit.level])
            )
            if problem:
                problems[code] = problem
            elif assessment:
                self.assessments[code] = assessment
            else:
                self.assessments[code] = Assessment(
                    unit=unit,
                    year=self.year,
                    framework=self.framework or candidates[unit.level][0],
                    ranking_group=unit.ranking_group,
                )
        return problems

    def stored_problem(self, code: str, assessment: Assessment) -> str | None:
        where = f"Kết quả năm {self.year} của đơn vị «{code}»"
        if assessment.status == AssessmentStatus.PUBLISHED:
            return f"{where} đã công bố, không nhập điểm vào được nữa."
        if self.framework and assessment.framework_id != self.framework.pk:
            return (
                f"{where} đã chấm theo bộ chỉ số «{assessment.framework.name}», "
                f"không phải «{self.framework.name}»."
            )
        return None

    def framework_problem(self, unit: Unit, candidates: list[Framework]) -> str | None:
        level = unit.get_level_display()
        if self.framework and self.framework.level != unit.level:
            return (
                f"Bộ chỉ số «{self.framework.name}» dành cho cấp "
                f"«{self.framework.get_level_display()}», đơn vị «{unit.code}» thuộc cấp «{level}»."
            )
        if self.framework:
            return None
        if not candidates:
            return f"Không có bộ chỉ số nào cho cấp «{level}» áp dụng năm {self.year}."
        if len(candidates) > 1:
            names = ", ".join(f"«{framework.name}»" for framework in candidates)
            return (
                f"Có {len(candidates)} bộ chỉ số cho cấp «{level}» áp dụng năm {self.year} "
                f"({names}); hãy chọn một."
            )
        return None

    def report_units(self, rows: NumberedRows, units: dict[str, Unit], problems: dict) -> None:
        """Each unit's problem once, on its first row, rather than on every score."""
        rows_of = defaultdict(list)
        for number, row in rows:
            rows_of[self.key(row)[0]].append(number)
        for code, numbers in rows_of.items():
            if not code:
                for number in numbers:
                    self.add_problem(number, "unit_code", REQUIRED)
                continue
            problem = problems.get(code)
            if code not in units:
                problem = f"Không có đơn vị mã «{code}»."
            if problem and len(numbers) > 1:
                problem = f"{problem.removesuffix('.')} ({len(numbers)} dòng có mã này)."
            if problem:
                self.add_problem(numbers[0], "unit_code", problem)

    def resolve_criteria(self, first: dict[tuple, tuple[int, Row]]) -> None:
        framework_ids = {a.framework_id for a in self.assessments.values()}
        criteria = {
            (c.framework_id, c.code): c
            for c in Criterion.objects.filter(framework_id__in=framework_ids)
        }
        for (unit_code, code), (number, _) in first.items():
            assessment = self.assessments.get(unit_code)
            if assessment is None:
                continue
            criterion = criteria.get((assessment.framework_id, code))
            if criterion is None:
                self.add_problem(
                    number,
                    "criterion_code",
                    f"Bộ chỉ số «{assessment.framework.name}» không có tiêu chí mã «{code}».",
                )
            elif not criterion.is_leaf:
                self.add_problem(
                    number,
                    "criterion_code",
                    f"Tiêu chí «{code}» có tiêu chí con; chỉ chấm điểm tiêu chí không có con.",
                )
            else:
                self.targets[unit_code, code] = (assessment, criterion)

    def check_row(self, instance: Score, row: Row, failed: set[str]) -> Iterator[tuple[str, str]]:
        if instance.criterion_id is None:
            return
        criterion = instance.criterion
        if criterion.source == CriterionSource.SURVEY and instance.self_score is not None:
            yield (
                "self_score",
                f"Tiêu chí «{criterion.code}» của đơn vị «{instance.assessment.unit.code}» là "
                "tiêu chí điều tra xã hội học, do Nội vụ nhập: đơn vị không tự chấm, "
                "chỉ nhập điểm thẩm định (appraised_score), để trống self_score.",
            )
            failed = failed | {"self_score"}
        for name in ("self_score", "appraised_score"):
            value = getattr(instance, name)
            if name in failed or value is None:
                continue
            if not criterion.min_points <= value <= criterion.max_points:
                yield (
                    name,
                    f"{format_points(value)} nằm ngoài khoảng điểm của tiêu chí «{criterion.code}»"
                    f" (từ {format_points(criterion.min_points)}"
                    f" đến {format_points(criterion.max_points)}).",
                )

    def get_instance(self, instance_loader, row: Row) -> Score | None:
        return self.existing.get(self.key(row))

    def init_instance(self, row: Row | None = None) -> Score:
        target = self.targets.get(self.key(row or {}))
        if target is None:
            return Score()
        assessment, criterion = target
        return Score(assessment=assessment, criterion=criterion)

    def bulk_create(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ) -> None:
        self.bulk_write(
            self.create_instances, batch_size, dry_run, using_transactions, raise_errors, result
        )

    def bulk_update(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ) -> None:
        self.bulk_write(
            self.update_instances, batch_size, dry_run, using_transactions, raise_errors, result
        )

    def bulk_write(
        self, instances: list[Score], batch_size, dry_run, using_transactions, raise_errors, result
    ) -> None:
        """The admin's new and changed scores through `upsert`, like the commands' (Django's
        bulk_update builds a CASE per row and takes several times longer on large files)."""
        if not instances or (dry_run and not using_transactions):
            return
        try:
            self.upsert(instances, batch_size=batch_size)
        except Exception as error:  # reported as import-export reports a failed batch
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    def upsert(self, scores: list[Score], *, batch_size: int | None = None) -> None:
        """New and changed scores alike, one INSERT … ON CONFLICT UPDATE per batch, and a
        history row for each score the file created or changed (who: the admin user, or
        none for a command), so the sheet's history starts from the imported values.
        The assessments of those scores move their sheet's token first: a sheet opened
        before the import cannot then be saved over it. Unchanged rows move nothing."""
        created = [score for score in scores if score.pk is None]
        changed = [
            score
            for score in scores
            if score.pk is not None and self.stored[score.pk] != imported_values(score)
        ]
        assessments_bump_version(assessment_ids={s.assessment_id for s in created + changed})
        Score.objects.bulk_create(
            scores,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=["assessment", "criterion"],
            update_fields=self.get_bulk_update_fields(),
        )
        history_copy([score.pk for score in created], history_type="+")
        history_copy([score.pk for score in changed], history_type="~")
        refresh_tallies({score.assessment_id for score in created + changed})

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        # Rows of a unit whose problem was told on its first row are not imported.
        if not import_validation_errors and instance.criterion_id is None:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)
