from django.urls import path

from sangathan.rosters import views

app_name = "rosters"

urlpatterns = [
    path("", views.office_list, name="offices"),
    path("offices/<int:office_id>/", views.office_detail, name="office"),
    path("offices/<int:office_id>/sittings/", views.sitting_add, name="sitting_add"),
    path("offices/<int:office_id>/sittings/<int:sitting_id>/remove/", views.sitting_remove, name="sitting_remove"),
    path("offices/<int:office_id>/roster/generate/", views.roster_generate_view, name="roster_generate"),
    path("offices/<int:office_id>/roster/swap/", views.roster_swap_view, name="roster_swap"),
    path("offices/<int:office_id>/roster/absence/", views.roster_absence_view, name="roster_absence"),
]
