from django.urls import path

from sangathan.rosters import views, views_hearings

app_name = "rosters"

urlpatterns = [
    path("", views.office_list, name="offices"),
    path("offices/<int:office_id>/", views.office_detail, name="office"),
    path("offices/<int:office_id>/sittings/", views.sitting_add, name="sitting_add"),
    path("offices/<int:office_id>/sittings/<int:sitting_id>/remove/", views.sitting_remove, name="sitting_remove"),
    path("offices/<int:office_id>/roster/generate/", views.roster_generate_view, name="roster_generate"),
    path("offices/<int:office_id>/roster/swap/", views.roster_swap_view, name="roster_swap"),
    path("offices/<int:office_id>/roster/absence/", views.roster_absence_view, name="roster_absence"),
    path("offices/<int:office_id>/hearings/open/", views_hearings.hearing_open, name="hearing_open"),
    path("hearings/", views_hearings.hearing_list, name="hearings"),
    path("hearings/<int:session_id>/", views_hearings.hearing_detail, name="hearing"),
    path("hearings/<int:session_id>/schedule/", views_hearings.case_schedule, name="case_schedule"),
    path("hearings/<int:session_id>/walk-in/", views_hearings.case_walk_in, name="case_walk_in"),
    path("hearings/<int:session_id>/cases/<int:case_id>/", views_hearings.case_record, name="case_record"),
    path("directions/", views_hearings.direction_list, name="directions"),
    path("directions/<int:direction_id>/done/", views_hearings.direction_done, name="direction_done"),
]
