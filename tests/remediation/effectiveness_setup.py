"""A plan of 2023 against an appraised 2024 scored on the next framework edition.

Edition 2023 → edition 2024, mapped by Nội vụ (EditionMapping): 1.4 has no
counterpart, 2.2 became 2.3, 1.3 of 2024 scores the remediation itself.

    lost 2023 → lost 2024 on the counterpart
    1.1   0,5 → 0      1.2   1 → 0,5     1.3   0 → 0,5 (lost more)    1.4 0,75 → none
    2.1   1,5 → 0,5 (2.1.1 0,5 → 0; 2.1.2 1 → 0,5)                    2.2 0,5 → 1 (as 2.3)

Tasks: field 1: T1 [1.1, 1.2] done; T2 [1.3] in progress; T3 [1.4, 1.2] not started.
field 2: T4 [2.1] done; T5 [2.1.2, 2.2] in progress.
"""

from dataclasses import dataclass
from datetime import date

from remediation.models import Plan, Section, Task, TaskStatus
from remediation.services import progress_update_create
from scoring.models import (
    AssessmentStatus,
    Criterion,
    CriterionCounterpart,
    EditionMapping,
    Framework,
    RankingGroup,
    Role,
    Unit,
    UnitLevel,
)
from tests.factories import (
    AssessmentFactory,
    UnitFactory,
    build_framework,
    score_assessment,
    user_with_role,
)

REPORTED = date(2024, 6, 30)
FOLLOW_UP = "Kết quả khắc phục tồn tại, hạn chế do cấp trên chỉ ra năm trước"
ROWS_2023 = [
    ("1", None, "4"),
    ("1.1", "1", "1"),
    ("1.2", "1", "1"),
    ("1.3", "1", "1"),
    ("1.4", "1", "1"),
    ("2", None, "3"),
    ("2.1", "2", "2"),
    ("2.1.1", "2.1", "1"),
    ("2.1.2", "2.1", "1"),
    ("2.2", "2", "1"),
]
ROWS_2024 = [
    ("1", None, "3"),
    ("1.1", "1", "1"),
    ("1.2", "1", "1"),
    ("1.3", "1", "1"),
    ("2", None, "3"),
    ("2.1", "2", "2"),
    ("2.1.1", "2.1", "1"),
    ("2.1.2", "2.1", "1"),
    ("2.3", "2", "1"),
]
MAPPED = {"1": "1", "1.1": "1.1", "1.2": "1.2", "1.3": "1.3", "2": "2", "2.1": "2.1"}
MAPPED |= {"2.1.1": "2.1.1", "2.1.2": "2.1.2", "2.3": "2.2"}  # new code → old code
SCORES_2023 = {"1.1": "0,5", "1.2": "0", "1.3": "1", "1.4": "0,25"}
SCORES_2023 |= {"2.1.1": "0,5", "2.1.2": "0", "2.2": "0,5"}
SCORES_2024 = {"1.1": "1", "1.2": "0,5", "1.3": "0,5", "2.1.1": "1", "2.1.2": "0,5", "2.3": "0"}
TASKS = (  # field, name, criteria, status
    ("1", "Rà soát, ban hành văn bản chỉ đạo", ("1.1", "1.2"), TaskStatus.DONE),
    ("1", "Khắc phục tồn tại năm trước", ("1.3",), TaskStatus.IN_PROGRESS),
    ("1", "Kiểm tra công tác CCHC", ("1.4", "1.2"), TaskStatus.NOT_STARTED),
    ("2", "Nâng cao chất lượng văn bản", ("2.1",), TaskStatus.DONE),
    ("2", "Theo dõi thi hành pháp luật", ("2.1.2", "2.2"), TaskStatus.IN_PROGRESS),
)


@dataclass(frozen=True)
class Editions:
    old: Framework
    new: Framework


def editions() -> Editions:
    """The two editions, mapped by a Nội vụ officer of the district."""
    old = build_framework(ROWS_2023, name="Bộ chỉ số xã 2023", year_from=2023, year_to=2023)
    new = build_framework(ROWS_2024, name="Bộ chỉ số xã 2024", year_from=2024)
    Criterion.objects.filter(framework=new, code="1.3").update(title=FOLLOW_UP)
    mapper = user_with_role(Role.HOME_AFFAIRS, username="doi-chieu")
    mapping = EditionMapping.objects.create(framework=new, previous=old, mapped_by=mapper)
    old_ids = dict(old.criteria.values_list("code", "id"))
    CriterionCounterpart.objects.bulk_create(
        CriterionCounterpart(
            mapping=mapping, criterion=criterion, previous_id=old_ids[MAPPED[criterion.code]]
        )
        for criterion in new.criteria.all()
    )
    return Editions(old, new)


def district(code: str = "H1") -> Unit:
    return UnitFactory(code=code, name=f"Huyện {code}", level=UnitLevel.DISTRICT)


def commune_plan(
    parent: Unit,
    frameworks: Editions,
    code: str = "H1-X1",
    next_status: str = AssessmentStatus.APPRAISED,
) -> Plan:
    """A commune with both years' results and its 2023 plan of the five tasks."""
    group = RankingGroup.objects.get_or_create(name="Khối xã")[0]
    unit = UnitFactory(code=code, name=f"Xã {code}", parent=parent, ranking_group=group)
    before = AssessmentFactory(unit=unit, framework=frameworks.old, year=2023)
    score_assessment(before, SCORES_2023)
    after = AssessmentFactory(unit=unit, framework=frameworks.new, year=2024, status=next_status)
    score_assessment(after, SCORES_2024)
    plan = Plan.objects.create(
        unit=unit, year=2023, summary="Khắc phục tồn tại, hạn chế năm 2023", issuing_agency="UBND"
    )
    fields = {c.code: c for c in frameworks.old.criteria.all()}
    sections = {
        code: Section.objects.create(plan=plan, field=fields[code], order=order)
        for order, code in enumerate(("1", "2"))
    }
    for order, (field_code, name, criteria, status) in enumerate(TASKS):
        task = Task.objects.create(plan=plan, section=sections[field_code], order=order, name=name)
        task.criteria.set([fields[code] for code in criteria])
        if status != TaskStatus.NOT_STARTED:
            progress_update_create(task=task, reported_on=REPORTED, status=status, progress=50)
    return plan
