from django.urls import path

from sangathan.grievances import views

app_name = "grievances"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="new"),
    path("<int:grievance_id>/", views.detail, name="detail"),
    path("<int:grievance_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:grievance_id>/<slug:action>/", views.action, name="action"),
]
