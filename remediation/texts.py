"""The wording a drafted plan starts from (seed 004's, made general); people edit it."""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cchc.text import in_sentence
from scoring.models import PublicationDecision, Unit, UnitLevel

if TYPE_CHECKING:
    from remediation.models import Plan

LEVEL_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Phường ", "Huyện ", "Tỉnh ", "Xã ")

PURPOSE = (
    "Kịp thời chấn chỉnh, khắc phục tồn tại, hạn chế và các tiêu chí bị trừ điểm trong công "
    "tác cải cách hành chính năm {year}, góp phần nâng cao Chỉ số cải cách hành chính, tăng "
    "cường hiệu lực, hiệu quả quản lý nhà nước.\n"
    "Đề ra các nhiệm vụ, giải pháp nhằm khắc phục hạn chế, nâng cao Chỉ số cải cách hành "
    "chính năm {work_year}.\n"
    "Tăng cường vai trò, trách nhiệm của người đứng đầu và đội ngũ cán bộ, công chức về công "
    "tác cải cách hành chính."
)
REQUIREMENTS = (
    "Người đứng đầu cơ quan xác định rõ vai trò, trách nhiệm của cá nhân trong cải cách hành "
    "chính; thường xuyên kiểm tra, đôn đốc cán bộ, công chức được giao thực hiện nghiêm túc, "
    "đầy đủ, kịp thời các giải pháp khắc phục theo Kế hoạch.\n"
    "Việc khắc phục tồn tại, hạn chế và các tiêu chí bị trừ điểm phải được tiến hành đồng bộ "
    "trên tất cả các lĩnh vực có tiêu chí bị trừ điểm, gắn với việc thực hiện có hiệu quả Kế "
    "hoạch cải cách hành chính năm {work_year}."
)
ORGANISATION = (
    "{carried_by} được giao chủ trì căn cứ nội dung Kế hoạch tổ chức thực hiện; báo cáo kết "
    "quả thực hiện hằng quý, 6 tháng và cả năm về {short} ({through}) để tổng hợp, báo cáo "
    "{upward}.\n"
    "Giao {follows} theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; trong quá trình thực "
    "hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo {short} để xem xét, giải quyết."
)


@dataclass(frozen=True)
class Level:
    """How a plan of one level of unit speaks: who carries it out, through whom they
    report, who signs, and where it is sent (seeds 003, 004 for a commune)."""

    carried_by: str
    through: str
    follows: str
    recipients: tuple[str, ...]
    signer_authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_position: str = "CHỦ TỊCH"


COMMUNE = Level(
    carried_by="Các công chức, bộ phận chuyên môn của UBND {kind}",
    through="qua công chức Văn phòng - Thống kê phụ trách cải cách hành chính",
    follows="công chức Văn phòng - Thống kê",
    recipients=(
        "{parent}",
        "Phòng Nội vụ {parent_short}",
        "Thường trực Đảng ủy, HĐND {kind}",
        "Chủ tịch, các Phó Chủ tịch UBND {kind}",
        "UBMTTQ và các đoàn thể {kind}",
        "Các công chức, bộ phận chuyên môn UBND {kind}",
        "Lưu: VT",
    ),
)
DISTRICT = Level(
    carried_by="Các cơ quan chuyên môn thuộc UBND {kind}, UBND các xã, thị trấn",
    through="qua Phòng Nội vụ",
    follows="Phòng Nội vụ",
    recipients=(
        "{parent}",
        "Sở Nội vụ {parent_short}",
        "Thường trực {kind_title} ủy, HĐND {kind}",
        "Chủ tịch, các Phó Chủ tịch UBND {kind}",
        "Các cơ quan chuyên môn thuộc UBND {kind}",
        "UBND các xã, thị trấn",
        "Lưu: VT, NV",
    ),
)
DEPARTMENT = Level(
    carried_by="Các phòng, đơn vị thuộc Sở",
    through="qua Văn phòng Sở",
    follows="Văn phòng Sở",
    recipients=(
        "{parent}",
        "Sở Nội vụ {parent_short}",
        "Giám đốc, các Phó Giám đốc Sở",
        "Các phòng, đơn vị thuộc Sở",
        "Lưu: VT, VP",
    ),
    signer_authority="",
    signer_position="GIÁM ĐỐC",
)
PROVINCE = Level(
    carried_by="Các sở, ban, ngành, UBND các huyện, thị xã, thành phố",
    through="qua Sở Nội vụ",
    follows="Sở Nội vụ",
    recipients=(
        "Bộ Nội vụ",
        "Thường trực Tỉnh ủy, HĐND tỉnh",
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
        "Các sở, ban, ngành tỉnh",
        "UBND các huyện, thị xã, thành phố",
        "Lưu: VT, NC",
    ),
)
LEVELS = {
    UnitLevel.COMMUNE: COMMUNE,
    UnitLevel.DISTRICT: DISTRICT,
    UnitLevel.DEPARTMENT: DEPARTMENT,
    UnitLevel.PROVINCE: PROVINCE,
}


def place_name(unit: Unit) -> str:
    """ "Xã Cẩm Sơn" → "Cẩm Sơn", as in "Cẩm Sơn, ngày … tháng … năm …"."""
    for prefix in LEVEL_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def kind_word(unit: Unit) -> str:
    """ "Xã Cẩm Sơn" → "xã", "Huyện An Lão" → "huyện", "Thị trấn …" → "thị trấn"."""
    for prefix in LEVEL_PREFIXES:
        if unit.name.startswith(prefix):
            return prefix.strip().lower()
    return ""


def is_ubnd(unit: Unit) -> bool:
    """A unit that is its own Ủy ban nhân dân (a department is not)."""
    return unit.level != UnitLevel.DEPARTMENT


def agency_name(unit: Unit) -> str:
    """The issuing agency in a sentence: "Ủy ban nhân dân xã Cẩm Sơn", "Sở Tư pháp"."""
    return f"Ủy ban nhân dân {in_sentence(unit.name)}" if is_ubnd(unit) else unit.name


def short_name(unit: Unit) -> str:
    """ "UBND xã Cẩm Sơn", "UBND huyện An Lão", "Sở Tư pháp"."""
    return f"UBND {in_sentence(unit.name)}" if is_ubnd(unit) else unit.name


def own_name(unit: Unit) -> str:
    """What the plan calls its own agency (seed 004: "UBND xã"): "UBND huyện", "Sở"."""
    if not is_ubnd(unit):
        return "Sở"
    kind = kind_word(unit)
    return f"UBND {kind}" if kind else short_name(unit)


def legal_bases(
    unit: Unit, year: int, decision: PublicationDecision | None, higher: "Plan | None" = None
) -> str:
    """The decision publishing the results when it is recorded (seed 004 cites it),
    else the results the unit's jurisdiction published; then the higher level's own
    plan when there is one (seed 003), one a line."""
    if decision is not None:
        lines = [decision_citation(decision)]
    else:
        parent = unit.parent
        lines = [
            f"Căn cứ kết quả xác định Chỉ số cải cách hành chính năm {year}"
            + (f" do {short_name(parent)} công bố" if parent else "")
            + ";"
        ]
    if higher is not None:
        lines.append(higher_plan_citation(higher))
    return "\n".join(lines)


def higher_plan_citation(plan: "Plan") -> str:
    """ "Thực hiện Kế hoạch số 259/KH-UBND ngày 01/04/2021 của UBND huyện Thanh Hà về việc
    …;" (seed 003). A number left for the e-office system to stamp is not cited."""
    number = plan.number.strip()
    number = f" số {number}" if number and not number.startswith("/") else ""
    signed = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    subject = f" về việc {plan.summary[:1].lower()}{plan.summary[1:]}" if plan.summary else ""
    return f"Thực hiện Kế hoạch{number}{signed} của {short_name(plan.unit)}{subject};"


def decision_citation(decision: PublicationDecision) -> str:
    """ "Căn cứ Quyết định số 9471/QĐ-UBND ngày 26/12/2023 của UBND huyện Cẩm Xuyên về
    việc phê duyệt Chỉ số cải cách hành chính năm 2023;"."""
    issuer = f" của {decision.issuer}" if decision.issuer else ""
    subject = f" về việc {decision.subject}" if decision.subject else ""
    signed = f"{decision.signed_on:%d/%m/%Y}"
    return f"Căn cứ Quyết định số {decision.number} ngày {signed}{issuer}{subject};"


def level_of(unit: Unit) -> Level:
    return LEVELS.get(unit.level, COMMUNE)


def _fill(text: str, unit: Unit) -> str:
    parent = unit.parent
    kind = kind_word(unit)
    return text.format(
        kind=kind,
        kind_title=kind[:1].upper() + kind[1:],
        parent=short_name(parent) if parent else "",
        parent_short=in_sentence(parent.name) if parent else "",
    )


def recipients(unit: Unit) -> list[str]:
    """Nơi nhận: the level above first (when there is one), then the unit's own, "Lưu" last."""
    lines = level_of(unit).recipients
    if unit.parent is None:
        lines = tuple(line for line in lines if "{parent" not in line)
    return [_fill(line, unit) for line in lines]


def organisation(unit: Unit) -> str:
    level = level_of(unit)
    parent = unit.parent
    return ORGANISATION.format(
        carried_by=_fill(level.carried_by, unit),
        short=own_name(unit),
        through=level.through,
        upward=short_name(parent) if parent else "Bộ Nội vụ",
        follows=level.follows,
    )


def supervising_agency(unit: Unit) -> str:
    """Only a unit under a cơ quan chủ quản prints one (a department under UBND tỉnh);
    a UBND's own plan has none (Nghị định 30; seeds 003, 004)."""
    parent = unit.parent
    return short_name(parent).upper() if parent and not is_ubnd(unit) else ""


def plan_defaults(
    unit: Unit,
    year: int,
    decision: PublicationDecision | None = None,
    higher: "Plan | None" = None,
) -> dict:
    work_year = year + 1
    level = level_of(unit)
    return {
        "number": "/KH-UBND" if is_ubnd(unit) else "/KH",
        "place": place_name(unit),
        "summary": f"Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm {year}",
        "supervising_agency": supervising_agency(unit),
        "issuing_agency": agency_name(unit).upper(),
        "legal_bases": legal_bases(unit, year, decision, higher),
        "purpose": PURPOSE.format(year=year, work_year=work_year),
        "requirements": REQUIREMENTS.format(work_year=work_year),
        "organisation": organisation(unit),
        "recipients": "\n".join(recipients(unit)),
        "signer_authority": level.signer_authority,
        "signer_position": level.signer_position,
    }


def default_deadline(work_year: int) -> str:
    return f"Năm {work_year}"


def task_objective(title: str) -> str:
    return f"Đạt điểm tối đa tiêu chí «{title}»"


BLANK = "\u00a0" * 6  # room to write a number or a day in by hand


def number_line(number: str) -> str:
    """ "Số: 05/KH-UBND"; a number not yet given leaves room for it: "Số:       /KH-UBND".
    A "Số:" typed in front of the number is not printed twice."""
    number = re.sub(r"^số\s*:\s*", "", number.strip(), flags=re.IGNORECASE)
    return f"Số: {BLANK}{number}" if number.startswith("/") or not number else f"Số: {number}"


def date_phrase(issued_on, work_year: int) -> str:
    """ "ngày 05 tháng 01 năm 2024", with room for the day while it is a draft.

    Nghị định 30 pads days below 10 and the months 1 and 2 only (so nobody can
    put a 1 in front): "ngày 05 tháng 8 năm 2024", "ngày 26 tháng 12 năm 2023"."""
    if issued_on is None:
        return f"ngày{BLANK}tháng{BLANK}năm {work_year}"
    month = f"{issued_on.month:02d}" if issued_on.month < 3 else str(issued_on.month)
    return f"ngày {issued_on:%d} tháng {month} năm {issued_on:%Y}"


def dated_line(place: str, issued_on, work_year: int) -> str:
    """ "Cẩm Sơn, ngày 05 tháng 01 năm 2024"."""
    when = date_phrase(issued_on, work_year)
    return f"{place}, {when}" if place else when[:1].upper() + when[1:]


def agency_lines(name: str) -> list[str]:
    """ "ỦY BAN NHÂN DÂN XÃ CẨM SƠN" on two lines, broken where a clerk breaks it."""
    for prefix in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "):
        if name.upper().startswith(prefix) and len(name) > len(prefix):
            return [name[: len(prefix)].strip(), name[len(prefix) :].strip()]
    return [name]
