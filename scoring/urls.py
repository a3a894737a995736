from scoring.views import (
    accounts,
    appraisal,
    cycles,
    dashboard,
    editions,
    notifications,
    publication,
    sheet,
)

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *cycles.urlpatterns,
    *publication.urlpatterns,
    *notifications.urlpatterns,
    *accounts.urlpatterns,
    *editions.urlpatterns,
]
