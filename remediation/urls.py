from django.urls import path

from remediation import views

app_name = "remediation"
urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plans"),
    path("ke-hoach/lap/", views.plan_draft, name="draft"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit, name="plan_edit"),
    path("ke-hoach/<int:pk>/lap-lai/", views.plan_redraft, name="redraft"),
    path("ke-hoach/<int:pk>/ke-hoach.pdf", views.plan_pdf_download, name="pdf"),
    path("ke-hoach/<int:pk>/nhiem-vu.xlsx", views.plan_xlsx_download, name="xlsx"),
    path("ke-hoach/<int:pk>/bao-cao.pdf", views.progress_pdf_download, name="report_pdf"),
    path("ke-hoach/<int:pk>/bao-cao.docx", views.progress_docx_download, name="report_docx"),
    path("ke-hoach/linh-vuc/<int:pk>/sua/", views.section_edit, name="section_edit"),
    path("ke-hoach/linh-vuc/<int:pk>/them-nhiem-vu/", views.task_add, name="task_add"),
    path("ke-hoach/nhiem-vu/<int:pk>/sua/", views.task_edit, name="task_edit"),
    path("ke-hoach/nhiem-vu/<int:pk>/tien-do/", views.progress_add, name="progress_add"),
    path("ke-hoach/tien-do/<int:pk>/tai-lieu/", views.evidence_download, name="evidence"),
]
