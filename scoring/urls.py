from scoring.views import appraisal, cycles, dashboard, sheet

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *cycles.urlpatterns,
]
