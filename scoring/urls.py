from scoring.views import appraisal, dashboard, notifications, sheet

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *notifications.urlpatterns,
]
