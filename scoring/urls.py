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
from scoring.views.reconcile import urlpatterns as reconcile_urlpatterns

app_name = "scoring"
urlpatterns = [
    *sheet.urlpatterns,
    *appraisal.urlpatterns,
    *dashboard.urlpatterns,
    *cycles.urlpatterns,
    *publication.urlpatterns,
    *notifications.urlpatterns,
    *accounts.urlpatterns,
    *reconcile_urlpatterns,
    *editions.urlpatterns,
]
