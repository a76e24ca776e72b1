from django.urls import path

from sangathan.rosters import views_public

app_name = "today"

urlpatterns = [
    path("", views_public.today_index, name="index"),
    path("<int:office_id>/", views_public.today_office, name="office"),
]
