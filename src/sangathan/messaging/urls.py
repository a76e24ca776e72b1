from django.urls import path

from sangathan.messaging import template_views, views

app_name = "messaging"

urlpatterns = [
    path("broadcasts/", views.broadcast_list, name="broadcasts"),
    path("broadcasts/new/", views.broadcast_compose, name="compose"),
    path("broadcasts/<int:broadcast_id>/", views.broadcast_detail, name="broadcast"),
    path("broadcasts/<int:broadcast_id>/progress/", views.broadcast_progress_json, name="progress"),
    path("broadcasts/<int:broadcast_id>/<slug:action>/", views.broadcast_action, name="action"),
    path("sent/", views.message_list, name="messages"),
    path("templates/", template_views.template_list, name="templates"),
    path("templates/new/", template_views.template_new, name="template_new"),
    path("templates/<int:template_id>/", template_views.template_edit, name="template"),
    path("templates/<int:template_id>/test/", template_views.template_test, name="template_test"),
]
