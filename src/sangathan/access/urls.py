from django.contrib.auth import views as auth_views
from django.urls import path

from sangathan.access import views

app_name = "access"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # POST only (Django's default): a link or a prefetch cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
