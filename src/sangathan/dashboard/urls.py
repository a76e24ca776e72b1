from django.urls import path

from sangathan.dashboard import views, views_grievances

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("dashboard/sahyog/", views_grievances.sahyog, name="sahyog"),
]
