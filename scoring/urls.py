from scoring.views import appraisal, dashboard, publication, sheet

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *publication.urlpatterns,
]
