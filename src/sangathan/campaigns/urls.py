from django.urls import path

from sangathan.campaigns import views, views_exports

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/report/", views.report_submit_view, name="report"),
    path("<int:campaign_id>/tasks/", views.task_list, name="tasks"),
    path("<int:campaign_id>/verification/", views.verification_review, name="verification"),
    path("<int:campaign_id>/review/", views.review_pack, name="review"),
    path("<int:campaign_id>/export.<slug:fmt>", views_exports.campaign_export, name="export"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/photo", views.task_photo, name="task_photo"),
]
