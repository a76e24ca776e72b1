from django.urls import path

from sangathan.people import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.verify_page, name="verify"),
]
