from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "sangathan.people"
    label = "people"

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.people import display  # noqa: F401 — registers the record's own timeline sources

        audit_actions_register({
            "person.flag_resolve": _("Resolved a flag on a record"),
            "person.duplicate_dismiss": _("Marked two records as different people"),
            "person.duplicates_find": _("Started a search for duplicates"),
            "person.duplicate_view": _("Opened a pair of possible duplicates"),
            "people.list": _("Listed people"),
            "people.search": _("Searched people"),
            "tag.create": _("Created a tag"),
            "tag.update": _("Renamed a tag"),
        })
