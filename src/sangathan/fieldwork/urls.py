from django.urls import path

from sangathan.fieldwork import views, views_app, views_drive

app_name = "fieldwork"

urlpatterns = [
    path("", views.drive_list, name="list"),
    path("app/", views_app.app_shell, name="app"),
    path("sw.js", views_app.service_worker, name="sw"),
    path("manifest.webmanifest", views_app.manifest, name="manifest"),
    path("drives/new/", views_drive.drive_new, name="new"),
    path("drives/<int:drive_id>/", views.drive_dashboard, name="dashboard"),
    path("drives/<int:drive_id>/edit/", views_drive.drive_edit, name="edit"),
]
