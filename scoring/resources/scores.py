from array import array
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q

from cchc.formatting import format_points
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
from scoring.resources.score_writes import IMPORTED as IMPORTED  # the benchmarks' name
from scoring.resources.score_writes import VALUE_COLUMNS, ScoreRow, write_scores
from scoring.resources.widgets import REQUIRED, PointsWidget, TextWidget, YesNoWidget, cell_text


def score_row(score) -> ScoreRow:
    return (
        score.assessment_id,
        score.criterion_id,
        score.self_score,
        score.appraised_score,
        score.note,
        score.not_applicable,
    )


class UnitTarget:
    """Where a unit's scores go, kept small: a national file names every unit. The
    first row of each criterion, by the criterion's place in its framework (0 for
    none yet), is how duplicates are found. `assessment` is the model instance, kept
    only where the rows become Scores (the admin's preview)."""

    __slots__ = ("assessment", "assessment_id", "first_rows", "framework_id")

    def __init__(self, assessment: Assessment, places: int, *, keep: bool) -> None:
        self.assessment = assessment if keep else None
        self.assessment_id = assessment.pk
        self.framework_id = assessment.framework_id
        self.first_rows = array("I", [0]) * places


class ScoreResource(ImportResource):
    """Scores of one year: `unit_code, criterion_code, self_score, appraised_score,
    note`, optionally `not_applicable`. Creates the assessments it needs, against
    `framework` or else the one framework for the unit's level and the year, with the
    unit's current group; existing scores are updated. A fixed number of queries for
    each chunk of rows (the admin's whole file is one), whatever its length."""

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
        # What the checks keep grows with the units and criteria named, not the rows:
        # the file's rows pass once, a chunk at a time on the commands' path.
        self.looked_up: set[str] = set()  # unit codes
        self.targets: dict[str, UnitTarget] = {}  # by unit code
        self.unstored: list[tuple[UnitTarget, Assessment]] = []  # assessments to create
        self.unit_problems: dict[str, str] = {}  # by unit code, told on its first row
        self.unit_rows: dict[str, list[int]] = {}  # by unit code: [first row, rows]
        self.candidates: dict[str, list[Framework]] | None = None  # by level
        self.frameworks: dict[int, Framework] = {}
        self.criteria: dict[int, dict[str, tuple[int, Criterion]]] = {}  # framework, code
        self.existing: dict[tuple, Score] = {}  # for the admin's preview
        self.keep_assessments = True
        self.value_columns: list[str] = []  # the score columns the file holds

    def setting_problems(self) -> list[str]:
        return [] if self.year else ["Chưa chọn năm đánh giá."]

    @staticmethod
    def key(row: Row) -> tuple[str, str]:
        return cell_text(row.get("unit_code")), cell_text(row.get("criterion_code"))

    def prepare(self, rows: NumberedRows, headers: list[str]) -> list[str]:
        """The admin's whole file, checked as the commands check each chunk of theirs."""
        self.start(headers)
        self.check_rows(rows)
        for number, problem in self.unit_messages():
            self.add_problem(number, "unit_code", problem)
        stored = [target.assessment_id for target in self.targets.values()]
        self.existing = {
            (score.assessment.unit.code, score.criterion.code): score
            for score in Score.objects.filter(
                assessment__in=[pk for pk in stored if pk]
            ).select_related("assessment__unit", "criterion")
        }
        self.create_assessments()
        return []

    def start(self, headers: list[str]) -> None:
        self.value_columns = [name for name in VALUE_COLUMNS if name in headers]

    def check_rows(self, rows: NumberedRows) -> None:
        """The checks that look beyond one row, for these rows after those checked before."""
        keys = [(number, self.key(row)) for number, row in rows]
        self.look_up_units({unit_code for _, (unit_code, _) in keys})
        for number, (unit_code, code) in keys:
            if unit_code:
                self.count_row(number, unit_code)
            else:
                self.add_problem(number, "unit_code", REQUIRED)
            if not code:
                self.add_problem(number, "criterion_code", REQUIRED)
            elif unit_code in self.targets:
                self.check_criterion(number, unit_code, code)

    def count_row(self, number: int, unit_code: str) -> None:
        counts = self.unit_rows.get(unit_code)
        if counts is None:
            self.unit_rows[unit_code] = [number, 1]
        else:
            counts[1] += 1

    def check_criterion(self, number: int, unit_code: str, code: str) -> None:
        target = self.targets[unit_code]
        found = self.criteria[target.framework_id].get(code)
        if found is None:
            name = self.frameworks[target.framework_id].name
            self.add_problem(
                number, "criterion_code", f"Bộ chỉ số «{name}» không có tiêu chí mã «{code}»."
            )
            return
        place, criterion = found
        first = target.first_rows
        if first[place]:
            self.add_problem(
                number,
                "criterion_code",
                f"Đơn vị «{unit_code}», tiêu chí «{code}» trùng với dòng {first[place] + 1}.",
            )
            return
        first[place] = number
        if not criterion.is_leaf:
            self.add_problem(
                number,
                "criterion_code",
                f"Tiêu chí «{code}» có tiêu chí con; chỉ chấm điểm tiêu chí không có con.",
            )

    def unit_messages(self) -> list[tuple[int, str]]:
        """Each unit's problem once, on its first row, rather than on every score."""
        messages = []
        for code, problem in self.unit_problems.items():
            number, rows = self.unit_rows[code]
            if rows > 1:
                problem = f"{problem.removesuffix('.')} ({rows} dòng có mã này)."
            messages.append((number, problem))
        return sorted(messages)

    def look_up_units(self, codes: set[str]) -> None:
        codes = codes - self.looked_up - {""}
        if not codes:
            return
        self.looked_up |= codes
        found = Unit.objects.filter(code__in=codes).select_related("ranking_group")
        units = {unit.code: unit for unit in found}
        for code in codes - units.keys():
            self.unit_problems[code] = f"Không có đơn vị mã «{code}»."
        self.plan_assessments(units)

    def plan_assessments(self, units: dict[str, Unit]) -> None:
        """The assessment each unit's scores go to, stored or to create; else its problem."""
        stored = {
            a.unit_id: a
            for a in Assessment.objects.filter(
                year=self.year, unit__in=units.values()
            ).select_related("framework")
        }
        candidates = self.frameworks_by_level()
        for code, unit in units.items():
            assessment = stored.get(unit.pk)
            problem = (
                self.stored_problem(code, assessment)
                if assessment
                else self.framework_problem(unit, candidates[unit.level])
            )
            if problem:
                self.unit_problems[code] = problem
                continue
            self.plan_target(
                code,
                assessment
                or Assessment(
                    unit=unit,
                    year=self.year,
                    framework=self.framework or candidates[unit.level][0],
                    ranking_group=unit.ranking_group,
                ),
            )

    def plan_target(self, code: str, assessment: Assessment) -> None:
        self.frameworks.setdefault(assessment.framework_id, assessment.framework)
        places = len(self.criteria_of(assessment.framework_id))
        target = UnitTarget(assessment, places, keep=self.keep_assessments)
        self.targets[code] = target
        if assessment.pk is None:
            self.unstored.append((target, assessment))

    def frameworks_by_level(self) -> dict[str, list[Framework]]:
        if self.candidates is None:
            self.candidates = defaultdict(list)
            if self.framework is None:
                for framework in Framework.objects.filter(year_from__lte=self.year).filter(
                    Q(year_to__isnull=True) | Q(year_to__gte=self.year)
                ):
                    self.candidates[framework.level].append(framework)
        return self.candidates

    def criteria_of(self, framework_id: int) -> dict[str, tuple[int, Criterion]]:
        if framework_id not in self.criteria:
            criteria = Criterion.objects.filter(framework_id=framework_id).order_by("pk")
            self.criteria[framework_id] = {
                criterion.code: (place, criterion) for place, criterion in enumerate(criteria)
            }
        return self.criteria[framework_id]

    def create_assessments(self) -> None:
        """The assessments planned so far that are not stored yet."""
        Assessment.objects.bulk_create([assessment for _, assessment in self.unstored])
        for target, assessment in self.unstored:
            target.assessment_id = assessment.pk
        self.unstored = []

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

    def check_row(self, instance: Score, row: Row, failed: set[str]) -> Iterator[tuple[str, str]]:
        if instance.criterion_id is None:
            return
        criterion = instance.criterion
        if criterion.source == CriterionSource.SURVEY and instance.self_score is not None:
            yield (
                "self_score",
                f"Tiêu chí «{criterion.code}» của đơn vị «{self.key(row)[0]}» là "
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
        target, criterion = self.target(row or {})
        if criterion is None:
            return Score()
        return Score(assessment=target.assessment, criterion=criterion)

    def target(self, row: Row) -> tuple[UnitTarget | None, Criterion | None]:
        """Where a row's score goes: its unit's target and a leaf criterion, or Nones."""
        unit_code, code = self.key(row)
        target = self.targets.get(unit_code)
        if target is None:
            return None, None
        found = self.criteria[target.framework_id].get(code)
        if found is None or not found[1].is_leaf:
            return None, None
        return target, found[1]

    def bulk_create(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ) -> None:
        self.bulk_write(self.create_instances, dry_run, using_transactions, raise_errors, result)

    def bulk_update(
        self, using_transactions, dry_run, raise_errors, batch_size=None, result=None
    ) -> None:
        self.bulk_write(self.update_instances, dry_run, using_transactions, raise_errors, result)

    def bulk_write(
        self, instances: list[Score], dry_run, using_transactions, raise_errors, result
    ) -> None:
        """The admin's new and changed scores written as the commands write theirs (Django's
        bulk_update builds a CASE per row and takes several times longer on large files)."""
        if not instances or (dry_run and not using_transactions):
            return
        try:
            self.write(instances)
        except Exception as error:  # reported as import-export reports a failed batch
            self.handle_import_error(result, error, raise_errors)
        finally:
            instances.clear()

    def write(self, scores: list) -> int:
        """New and changed scores alike (Scores, or the commands' ScoreDrafts), with their
        history (`write_scores`); returns how many were created."""
        return write_scores([score_row(score) for score in scores], columns=self.value_columns)

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        # Rows of a unit whose problem was told on its first row are not imported.
        if not import_validation_errors and instance.criterion_id is None:
            return True
        return super().skip_row(instance, original, row, import_validation_errors)
