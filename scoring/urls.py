from scoring.views import appraisal, cycles, dashboard, publication, sheet

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *cycles.urlpatterns,
    *publication.urlpatterns,
]
