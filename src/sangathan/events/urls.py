from django.urls import path

from sangathan.events import views, views_edit, views_plans, views_public, views_series

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.event_new, name="new"),
    path("<int:event_id>/", views.event_view, name="event"),
    path("<int:event_id>/edit/", views_edit.event_edit, name="edit"),
    path("<int:event_id>/cancel/", views_edit.event_cancel_view, name="cancel"),
    path("<int:event_id>/locations/", views_edit.locations, name="locations"),
    path("<int:event_id>/locations/<int:location_id>/", views_edit.location_attendance, name="location_attendance"),
    path("<int:event_id>/invite/", views.event_invite, name="invite"),
    path("<int:event_id>/held/", views.event_held, name="held"),
    path("<int:event_id>/decisions/", views.event_decision, name="decision"),
    path("<int:event_id>/rsvp/", views.event_rsvp, name="rsvp"),
    path("<int:event_id>/check-in/", views.event_check_in, name="check_in"),
    path("<int:event_id>/attendance/", views.attendance, name="attendance"),
    path("<int:event_id>/funnel/", views.funnel, name="funnel"),
    path("series/", views_series.series_index, name="series_list"),
    path("series/<int:series_id>/", views_series.series_view, name="series"),
    path("series/<int:series_id>/not-held.<slug:fmt>", views_series.series_export, name="series_export"),
    path("plans/", views_plans.plans_index, name="plans"),
    path("plans/<int:plan_id>/", views_plans.plan_view, name="plan"),
    path("tours/", views_plans.tours_index, name="tours"),
    path("tours/<int:tour_id>/", views_plans.tour_view, name="tour"),
    path("ical/<str:token>.ics", views_public.ical, name="ical"),
]
