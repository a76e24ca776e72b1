"""The help pages: one short page per section of the office's work, in Hindi and English.

The prose of each page is a template per language (``help/<language>/<section>.html``: plain office Hindi
reads better written whole than stitched from catalog strings); titles and the page's frame go through
gettext. ``section_for(resolver_match)`` tells which page the header's "मदद" link of any page opens.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# slug → title, in the order of the help index.
SECTIONS = {
    "people": _("Workers' registry"),
    "appointments": _("Appointments and logins"),
    "imports": _("Importing workers from a file"),
    "grievances": _("Sahyog Cell (grievances)"),
    "rosters": _("Rosters and hearings"),
    "calls": _("Booth contact calls"),
    "campaigns": _("Campaigns and reports"),
    "committees": _("Committees"),
    "events": _("Meetings and tours"),
    "messaging": _("Messages and broadcasts"),
}
LANGUAGES = ("hi", "en")

# URL namespace → help section; the people app's pages split by their URL name.
_BY_APP = {"people": "people", "messaging": "messaging", "grievances": "grievances", "status": "grievances",
           "rosters": "rosters", "outreach": "calls", "campaigns": "campaigns", "committees": "committees",
           "events": "events"}
_APPOINTMENT_PAGES = ("appoint", "relieve", "handover", "unit_posts", "vacancies", "vacancies_csv", "login")
_DASHBOARD_PAGES = {"sahyog": "grievances"}


def section_for(match) -> str:
    """The help section of the page answered by ``match`` (a ``ResolverMatch``, or None on an error page);
    "" for the help index."""
    if match is None:
        return ""
    app, name = match.app_name, match.url_name or ""
    if app == "people":
        if name.startswith("import"):
            return "imports"
        if name in _APPOINTMENT_PAGES:
            return "appointments"
    if app == "dashboard":
        return _DASHBOARD_PAGES.get(name, "")
    if app == "help":
        return match.kwargs.get("section", "") if match.kwargs.get("section") in SECTIONS else ""
    return _BY_APP.get(app, "")


def template_for(section: str, language: str) -> str:
    return f"help/{language if language in LANGUAGES else LANGUAGES[0]}/{section}.html"
