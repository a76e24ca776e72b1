from django.contrib import admin
from django.urls import include, path

from sangathan.api import api
from sangathan.core import views as core_views
from sangathan.events import views_public as events_public

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("sangathan.access.urls")),
    path("people/", include("sangathan.people.urls")),
    path("messaging/", include("sangathan.messaging.urls")),
    path("calls/", include("sangathan.outreach.urls")),
    path("verify/", include("sangathan.people.urls_public")),
    path("campaigns/", include("sangathan.campaigns.urls")),
    path("committees/", include("sangathan.committees.urls")),
    path("events/", include("sangathan.events.urls")),
    path("e/<str:token>", events_public.open_link, name="events_open"),
    path("fieldwork/", include("sangathan.fieldwork.urls")),
    path("grievances/", include("sangathan.grievances.urls")),
    path("status/", include("sangathan.grievances.status_urls")),
    path("rosters/", include("sangathan.rosters.urls")),
    path("today/", include("sangathan.rosters.urls_public")),
    path("help/", include("sangathan.dashboard.urls_help")),
    path("", include("sangathan.dashboard.urls")),
]

handler400 = "sangathan.core.views.bad_request"
handler403 = "sangathan.core.views.permission_denied"
handler404 = "sangathan.core.views.page_not_found"
handler500 = "sangathan.core.views.server_error"
