from scoring.views import appraisal, dashboard, sheet

app_name = "scoring"
urlpatterns = [*sheet.urlpatterns, *appraisal.urlpatterns, *dashboard.urlpatterns]
