from django.urls import path

from sangathan.outreach import views, views_exports

app_name = "outreach"

urlpatterns = [
    path("", views.today, name="today"),
    path("<int:assignment_id>/log/", views.call_log, name="log"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance.<slug:fmt>", views_exports.compliance_export, name="compliance_export"),
    path("booths/", views.booths, name="booths"),
    path("followups/<int:followup_id>/done/", views.followup_done, name="followup_done"),
    path("programs/", views.programs, name="programs"),
    path("programs/new/", views.program_edit, name="program_new"),
    path("programs/<int:program_id>/", views.program_edit, name="program_edit"),
]
