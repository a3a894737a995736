"""What a plan still leaves empty, listed on its page before it is issued.

The printed plan leaves out what is empty (no dotted gaps), so nobody sees in the
file what was forgotten: this list says it before the plan is signed.
"""

from dataclasses import dataclass

from remediation.models import Plan

SECTION_PARTS = (
    ("deductions", "nội dung bị trừ điểm"),
    ("deadline", "thời gian khắc phục"),
    ("lead", "chủ trì thực hiện"),
    ("coordinators", "phối hợp"),
    ("solutions", "giải pháp thực hiện"),
)


@dataclass(frozen=True)
class Gap:
    anchor: str  # the id of the page element to fix it in: "linh-vuc-12", "nguoi-ky"
    text: str  # "Lĩnh vực 3. Cải cách thủ tục hành chính: chưa có chủ trì thực hiện, phối hợp"


def plan_gaps(plan: Plan) -> list[Gap]:
    """The plan's empty parts, in document order (2 queries)."""
    gaps = []
    sections = plan.sections.select_related("field").order_by("order", "pk")
    unnamed = _unnamed_task_counts(plan)
    for section in sections:
        missing = [label for name, label in SECTION_PARTS if not getattr(section, name).strip()]
        if unnamed.get(section.pk):
            missing.append(f"tên {unnamed[section.pk]} nhiệm vụ")
        if missing:
            where = f"Lĩnh vực {section.field.code}. {section.field.title}"
            gaps.append(Gap(f"linh-vuc-{section.pk}", f"{where}: chưa có {', '.join(missing)}"))
    if not plan.signer_name.strip():
        gaps.append(Gap("nguoi-ky", "Người ký: chưa có họ tên người ký"))
    return gaps


def _unnamed_task_counts(plan: Plan) -> dict[int, int]:
    counts: dict[int, int] = {}
    for section_id in plan.tasks.filter(name="").values_list("section_id", flat=True):
        counts[section_id] = counts.get(section_id, 0) + 1
    return counts
