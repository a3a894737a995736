from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc import views
from scoring.accounts.forms import LoginForm
from scoring.public.api import api as public_api
from scoring.views.accounts import auth_urlpatterns

admin.site.site_header = "Chỉ số cải cách hành chính"
admin.site.site_title = "Chỉ số CCHC"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dang-nhap/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    *auth_urlpatterns,
    path("admin/", admin.site.urls),
    path("", include("scoring.urls")),
    path("", include("remediation.urls")),
    path("", include("scoring.public.urls")),
    # Outside the "public" namespace: ninja reverses its own ("public_api") from the root.
    path("api/v1/", public_api.urls),
]
