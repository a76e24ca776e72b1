from django.urls import path

from sangathan.people import views, views_import

app_name = "people"

urlpatterns = [
    path("<int:person_id>/", views.person_detail, name="person"),
    path("import/", views_import.import_page, name="import"),
    path("import/template.csv", views_import.template_csv, name="import_template_csv"),
    path("import/template.xlsx", views_import.template_xlsx, name="import_template_xlsx"),
    path("import/<int:job_id>/", views_import.import_job, name="import_job"),
    path("import/<int:job_id>/progress/", views_import.import_job_json, name="import_progress"),
    path("import/<int:job_id>/errors.csv", views_import.import_job_errors, name="import_errors"),
]
