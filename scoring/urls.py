from scoring.views import accounts, appraisal, dashboard, sheet

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *accounts.urlpatterns,
]
