from scoring.views import appraisal, cycles, dashboard, notifications, publication, sheet

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *cycles.urlpatterns,
    *publication.urlpatterns,
    *notifications.urlpatterns,
]
