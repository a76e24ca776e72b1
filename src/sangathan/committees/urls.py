from django.urls import path

from sangathan.committees import views, views_office

app_name = "committees"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/", views.unit_view, name="unit"),
    path("units/<int:unit_id>/missing.csv", views.missing_csv, name="missing_csv"),
    path("units/<int:unit_id>/form/", views.form_view, name="form"),
    path("units/<int:unit_id>/pages/", views_office.pages_upload, name="pages_upload"),
    path("units/<int:unit_id>/verify/", views_office.verify_sample, name="verify_sample"),
    path("<int:committee_id>/", views.committee_view, name="committee"),
]
