"""The plan's PDF renderers, laid out in the format of Nghị định 30/2020/NĐ-CP
(the renderer itself is shared: `cchc.pdf`)."""

from django.template.loader import render_to_string

from cchc.pdf import html_to_pdf
from remediation.selectors import PlanDocument


def plan_html(document: PlanDocument) -> str:
    return render_to_string("remediation/pdf/plan.html", {"doc": document})


def plan_pdf(document: PlanDocument) -> bytes:
    """The plan (Mẫu 1.4, ký hiệu KH) with its task matrix as a landscape appendix."""
    return html_to_pdf(plan_html(document))
