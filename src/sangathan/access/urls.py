from django.contrib.auth import views as auth_views
from django.urls import path

from sangathan.access import views, views_password

app_name = "access"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # POST only (Django's default): a link or a prefetch cannot log anyone out.
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views_password.password_forgot, name="password_forgot"),
    path("password/set/", views_password.password_set, name="password_set"),
]
