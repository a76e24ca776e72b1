from django.urls import path

from sangathan.dashboard import views_help

app_name = "help"

urlpatterns = [
    path("", views_help.help_index, name="index"),
    path("<slug:section>/", views_help.help_section, name="section"),
]
