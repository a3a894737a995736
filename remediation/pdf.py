"""The progress report's PDF renderer, laid out in the format of Nghị định 30/2020/NĐ-CP
(the renderer itself is shared: `cchc.pdf`). The plan is a document model now
(`remediation.documents`)."""

from datetime import date

from django.template.loader import render_to_string

from cchc.pdf import html_to_pdf
from remediation.selectors import PlanDocument, progress_report


def progress_report_html(document: PlanDocument, on: date) -> str:
    report = progress_report(document, on)
    return render_to_string(
        "remediation/pdf/progress.html", {"doc": document, "on": on, "report": report}
    )


def progress_report_pdf(document: PlanDocument, on: date) -> bytes:
    """Báo cáo kết quả thực hiện kế hoạch khắc phục (ký hiệu BC) as of `on`."""
    return html_to_pdf(progress_report_html(document, on))
