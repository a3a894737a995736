from django.urls import path

from scoring.public.views import open_data, public_index, public_ranking

app_name = "public"
urlpatterns = [
    path("cong-khai/", public_index, name="index"),
    path("cong-khai/api/", open_data, name="api"),
    path("cong-khai/<int:group_id>/<int:year>/", public_ranking, name="ranking"),
]
