from django.urls import path, re_path

from sangathan.people import (
    views,
    views_appointments,
    views_counter,
    views_import,
    views_logins,
    views_registry,
)

app_name = "people"

urlpatterns = [
    path("<int:person_id>/", views.person_detail, name="person"),
    path("add/", views_counter.person_add, name="add"),
    path("<int:person_id>/edit/", views_counter.person_edit, name="edit"),
    path("<int:person_id>/move/", views_counter.person_move, name="move"),
    path("<int:person_id>/status/", views_counter.person_status, name="status"),
    path("<int:person_id>/appoint/", views_appointments.person_appoint, name="appoint"),
    path("<int:person_id>/login/", views_logins.person_login, name="login"),
    path("posts/<int:position_id>/relieve/", views_appointments.position_relieve, name="relieve"),
    path("posts/<int:position_id>/handover/", views_appointments.position_handover, name="handover"),
    path("units/<int:unit_id>/posts/", views_appointments.unit_posts, name="unit_posts"),
    path("units/<int:unit_id>/vacancies/", views_appointments.unit_vacancies, name="vacancies"),
    path("units/<int:unit_id>/vacancies.csv", views_appointments.unit_vacancies_csv, name="vacancies_csv"),
    path("units/<int:unit_id>/vacancies.<slug:fmt>", views_appointments.unit_vacancies_export,
         name="vacancies_export"),
    path("", views_registry.people_search, name="search"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views_registry.people_export, name="export"),
    path("duplicates/", views_registry.duplicate_list, name="duplicates"),
    path("duplicates/find/", views_registry.duplicate_find, name="duplicates_find"),
    path("duplicates/<int:candidate_id>/", views_registry.duplicate_detail, name="duplicate"),
    path("duplicates/<int:candidate_id>/decide/", views_registry.duplicate_decide, name="duplicate_decide"),
    path("<int:person_id>/consent/", views.person_consent, name="consent"),
    path("<int:person_id>/verify/", views.person_verify_staff, name="verify"),
    path("<int:person_id>/verify/code/", views.person_code_send, name="verify_code"),
    path("<int:person_id>/verify/confirm/", views.person_code_confirm, name="verify_confirm"),
    path("<int:person_id>/data.<str:file_format>", views.person_data_download, name="data"),
    path("<int:person_id>/erase/", views.person_erase_view, name="erase"),
    path("import/", views_import.import_page, name="import"),
    path("import/template.csv", views_import.template_csv, name="import_template_csv"),
    path("import/template.xlsx", views_import.template_xlsx, name="import_template_xlsx"),
    path("import/<int:job_id>/", views_import.import_job, name="import_job"),
    path("import/<int:job_id>/progress/", views_import.import_job_json, name="import_progress"),
    path("import/<int:job_id>/errors.csv", views_import.import_job_errors, name="import_errors"),
]
