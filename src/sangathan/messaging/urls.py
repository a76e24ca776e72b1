from django.urls import path

from sangathan.messaging import views

app_name = "messaging"

urlpatterns = [
    path("broadcasts/", views.broadcast_list, name="broadcasts"),
    path("broadcasts/new/", views.broadcast_compose, name="compose"),
    path("broadcasts/<int:broadcast_id>/", views.broadcast_detail, name="broadcast"),
    path("broadcasts/<int:broadcast_id>/progress/", views.broadcast_progress_json, name="progress"),
    path("broadcasts/<int:broadcast_id>/<slug:action>/", views.broadcast_action, name="action"),
    path("sent/", views.message_list, name="messages"),
]
