"""The public status page lives at /status/, outside the logged-in /grievances/ pages."""

from django.urls import path

from sangathan.grievances import views

app_name = "status"

urlpatterns = [
    path("", views.public_status, name="lookup"),
    path("confirm/", views.public_confirm, name="confirm"),
]
