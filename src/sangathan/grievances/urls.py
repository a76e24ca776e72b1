from django.urls import path

from sangathan.grievances import views, views_register

app_name = "grievances"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.intake, name="new"),
    path("register/", views_register.register, name="register"),
    path("register.<slug:fmt>", views_register.register_export, name="register_export"),
    path("<int:grievance_id>/", views.detail, name="detail"),
    path("<int:grievance_id>/receipt/", views_register.receipt, name="receipt"),
    path("<int:grievance_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:grievance_id>/<slug:action>/", views.action, name="action"),
]
