"""The wording a drafted plan starts from (seed 004's, made general); people edit it."""

import re

from cchc.formatting import format_points
from cchc.text import in_sentence
from scoring.models import PublicationDecision, Unit

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
    "Các cơ quan, bộ phận, cá nhân được giao chủ trì căn cứ nội dung Kế hoạch tổ chức thực "
    "hiện; báo cáo kết quả thực hiện hằng quý, 6 tháng và cả năm về {short} (qua công chức "
    "phụ trách cải cách hành chính) để tổng hợp.\n"
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo {short} để xem "
    "xét, giải quyết."
)


def place_name(unit: Unit) -> str:
    """ "Xã Cẩm Sơn" → "Cẩm Sơn", as in "Cẩm Sơn, ngày … tháng … năm …"."""
    for prefix in LEVEL_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name[len(prefix) :]
    return unit.name


def short_name(unit: Unit) -> str:
    return f"UBND {in_sentence(unit.name)}"


def legal_bases(unit: Unit, year: int, decision: PublicationDecision | None) -> str:
    """The decision publishing the results when it is recorded (seed 004 cites it),
    else the results the unit's jurisdiction published."""
    if decision is not None:
        return decision_citation(decision)
    parent = unit.parent
    return (
        f"Căn cứ kết quả xác định Chỉ số cải cách hành chính năm {year}"
        + (f" do UBND {in_sentence(parent.name)} công bố" if parent else "")
        + ";"
    )


def decision_citation(decision: PublicationDecision) -> str:
    """ "Căn cứ Quyết định số 9471/QĐ-UBND ngày 26/12/2023 của UBND huyện Cẩm Xuyên về
    việc phê duyệt Chỉ số cải cách hành chính năm 2023;"."""
    issuer = f" của {decision.issuer}" if decision.issuer else ""
    subject = f" về việc {decision.subject}" if decision.subject else ""
    signed = f"{decision.signed_on:%d/%m/%Y}"
    return f"Căn cứ Quyết định số {decision.number} ngày {signed}{issuer}{subject};"


def plan_defaults(unit: Unit, year: int, decision: PublicationDecision | None = None) -> dict:
    work_year = year + 1
    parent = unit.parent
    short = short_name(unit)
    recipients = [f"UBND {in_sentence(parent.name)}", "Phòng Nội vụ"] if parent else []
    recipients += ["Chủ tịch, các Phó Chủ tịch UBND", "Các cơ quan, bộ phận liên quan", "Lưu: VT"]
    return {
        "number": "/KH-UBND",
        "place": place_name(unit),
        "summary": f"Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm {year}",
        "supervising_agency": f"UBND {parent.name}".upper() if parent else "",
        "issuing_agency": f"Ủy ban nhân dân {in_sentence(unit.name)}".upper(),
        "legal_bases": legal_bases(unit, year, decision),
        "purpose": PURPOSE.format(year=year, work_year=work_year),
        "requirements": REQUIREMENTS.format(work_year=work_year),
        "organisation": ORGANISATION.format(short=short),
        "recipients": "\n".join(recipients),
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_position": "CHỦ TỊCH",
    }


def default_deadline(work_year: int) -> str:
    return f"Năm {work_year}"


def task_objective(title: str) -> str:
    return f"Đạt điểm tối đa tiêu chí «{title}»"


def criterion_line(title: str, achieved, max_points, deducted) -> str:
    """Seed 004's wording: "…: đạt 0,5/2 điểm, bị trừ 1,5 điểm"."""
    return (
        f"{title}: đạt {format_points(achieved)}/{format_points(max_points)} điểm, "
        f"bị trừ {format_points(deducted)} điểm"
    )


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


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(number: int) -> str:
    return ROMAN[number - 1] if 0 < number <= len(ROMAN) else str(number)


def agency_lines(name: str) -> list[str]:
    """ "ỦY BAN NHÂN DÂN XÃ CẨM SƠN" on two lines, broken where a clerk breaks it."""
    for prefix in ("ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "):
        if name.upper().startswith(prefix) and len(name) > len(prefix):
            return [name[: len(prefix)].strip(), name[len(prefix) :].strip()]
    return [name]
