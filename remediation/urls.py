from django.urls import path

from remediation import views
from remediation.views import issuing

app_name = "remediation"
urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plans"),
    path("ke-hoach/lap/", views.plan_draft, name="draft"),
    path("ke-hoach/hieu-qua/", views.effectiveness_overview, name="effectiveness"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/luu/", views.plan_save, name="save"),
    path("ke-hoach/<int:pk>/lap-lai/", views.plan_redraft, name="redraft"),
    path("ke-hoach/<int:pk>/ke-hoach.pdf", views.plan_pdf_download, name="pdf"),
    path("ke-hoach/<int:pk>/ke-hoach.docx", views.plan_docx_download, name="docx"),
    path("ke-hoach/<int:pk>/nhiem-vu.xlsx", views.plan_xlsx_download, name="xlsx"),
    path("ke-hoach/<int:pk>/bao-cao.pdf", views.progress_pdf_download, name="report_pdf"),
    path("ke-hoach/<int:pk>/bao-cao.docx", views.progress_docx_download, name="report_docx"),
    path("ke-hoach/nhiem-vu/<int:pk>/tien-do/", views.progress_add, name="progress_add"),
    path("ke-hoach/tien-do/<int:pk>/tai-lieu/", views.evidence_download, name="evidence"),
    path("ke-hoach/<int:pk>/ban-hanh/", issuing.plan_issue, name="issue"),
    path("ke-hoach/<int:pk>/ban-hanh/<str:kind>/", issuing.issued_file, name="issued_file"),
    path("ke-hoach/<int:pk>/ban-ky/", issuing.signed_upload, name="signed_upload"),
    path("ke-hoach/<int:pk>/ban-ky/tai/", issuing.signed_file, name="signed_file"),
    path("ke-hoach/<int:pk>/sua-doi/", issuing.plan_correct, name="correct"),
]
