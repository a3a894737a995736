"""Plan pages: list, the editing page, drafting, tracking, PDF and Excel downloads.

Every view asks `remediation.selectors` for objects in the user's scope (which
asks `scoring.access`); every change is a POST ending in a redirect, or, when
the input is refused, the page again with what was typed and why.
"""

from remediation.views.downloads import (
    plan_docx_download,
    plan_pdf_download,
    plan_xlsx_download,
    progress_docx_download,
    progress_pdf_download,
)
from remediation.views.effectiveness import effectiveness_overview
from remediation.views.plans import (
    LIST_LIMIT,
    evidence_download,
    plan_detail,
    plan_draft,
    plan_list,
    plan_redraft,
    plan_save,
    progress_add,
)

__all__ = [
    "LIST_LIMIT",
    "effectiveness_overview",
    "evidence_download",
    "plan_detail",
    "plan_docx_download",
    "plan_draft",
    "plan_list",
    "plan_pdf_download",
    "plan_redraft",
    "plan_save",
    "plan_xlsx_download",
    "progress_add",
    "progress_docx_download",
    "progress_pdf_download",
]
