"""The vistarak's installable web app: its shell page, service worker and manifest.

The shell holds no personal data: the drive, booths and workers come from the API and are kept on the
phone in IndexedDB (Dexie), together with the queue of records, so clearing the app-shell cache or
installing a new version never touches queued records. The service worker is served from ``/fieldwork/``
(a worker's scope cannot be wider than its own path), versioned by ``FIELDWORK_APP_VERSION``.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie

from sangathan.fieldwork.enums import FlagKind, Outcome

APP_VERSION = "1"
# Files the app needs with no network; the shell page itself is cached under its URL too.
SHELL_FILES = ("css/sangathan.css", "css/fieldwork.css", "vendor/dexie/dexie.min.js", "js/fieldwork-app.js",
               "img/fieldwork-icon.svg")


def app_version() -> str:
    return str(getattr(settings, "FIELDWORK_APP_VERSION", APP_VERSION))


def app_strings() -> dict:
    """Every word the app's script shows, in the page's language (the script has no catalog of its own)."""
    return {
        "waiting": _("%(n)s waiting to send"), "sync": _("Send now"), "syncing": _("Sending…"),
        "offline": _("No network: records are kept on this phone."), "online": _("Network is back."),
        "retry": _("Could not send; trying again in %(s)s s."), "login": _("Log in again to send."),
        "add": _("Add a worker"), "save": _("Save on the phone"), "cancel": _("Cancel"), "edit": _("Update"),
        "correct": _("Correct"), "booth": _("Booth"), "workers": _("Known workers"), "records": _("Records"),
        "consent": _("The worker agrees"), "gps": _("Record the place (with the worker's consent)"),
        "photo": _("Photo"), "otp": _("Code from the worker's SMS (optional)"), "send_code": _("Send a code"),
        "code_sent": _("Code sent."), "name": _("Name"), "mobile": _("Mobile"), "no_drive": _("Choose a drive."),
        "loaded": _("Ready to work offline."), "update_ready": _("A new version is installed; records are kept."),
        "target": _("target"), "saved": _("Saved on the phone."), "required": _("Fill this in."),
        "storage": _("This phone keeps the records even if it is low on space."), "yes": _("Yes"),
        "fields": {
            "name": _("Name"), "mobile": _("Mobile"), "relative_name": _("Father's or husband's name"),
            "relation": _("Relation"), "gender": _("Gender (m / f / o)"), "birth_year": _("Year of birth"),
            "epic": _("Voter ID"), "alt_mobile": _("Other mobile"), "email": _("Email"), "address": _("Address"),
            "occupation": _("Occupation"), "education": _("Education"), "joined_on": _("Joined on"),
            "consent": _("Consent"), "captured_at": _("Capture time"), "booth_id": _("Booth"),
            "person_id": _("Worker"), "client_uuid": _("Record"), "__all__": _("Record")},
        "status": {value: str(label) for value, label in Outcome.choices},
        "flags": {value: str(label) for value, label in FlagKind.choices},
    }


@login_required
@ensure_csrf_cookie
def app_shell(request):
    return render(request, "fieldwork/app.html", {"version": app_version(), "strings": app_strings()})


def service_worker(request):
    response = render(request, "fieldwork/sw.js", {
        "version": app_version(), "files": [static(name) for name in SHELL_FILES]},
        content_type="application/javascript; charset=utf-8")
    # The browser must always ask for a new worker; the worker itself decides what it caches.
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    return render(request, "fieldwork/manifest.webmanifest", {"icon": static("img/fieldwork-icon.svg")},
                  content_type="application/manifest+json; charset=utf-8")
