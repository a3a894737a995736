from scoring.views import dashboard, sheet

app_name = "scoring"
urlpatterns = [*sheet.urlpatterns, *dashboard.urlpatterns]
