"""A person's history made readable: field labels and values in the reader's language."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sangathan.core.phones import display_mobile
from sangathan.org.models import PositionHistory, Unit
from sangathan.people.enums import (
    SOCIAL_KEYS,
    ConsentMethod,
    ConsentPurpose,
    Gender,
    PersonSource,
    PersonStatus,
    RelationKind,
    VerificationMethod,
)
from sangathan.people.models import PersonHistory
from sangathan.people.timeline import TimelineEntry, timeline_source

FIELD_LABELS = {
    "name": _("Name"),
    "relative_name": _("Father's or husband's name"),
    "relation": _("Relation"),
    "gender": _("Gender"),
    "birth_year": _("Year of birth"),
    "mobile": _("Mobile number"),
    "epic": _("Voter ID (EPIC)"),
    "unit": _("Unit"),
    "status": _("Status"),
    "photo": _("Photo"),
    "alt_mobile": _("Alternate mobile"),
    "email": _("Email"),
    "address": _("Address"),
    "occupation": _("Occupation"),
    "education": _("Education"),
    "tags": _("Skills and interests"),
    "social": _("Social media"),
    "joined_on": _("Joined on"),
    "membership_no": _("Membership number"),
    "source": _("Source"),
    "consent_at": _("Consent given on"),
    "consent_method": _("Consent given by"),
    "consent_purposes": _("Consent given for"),
    "verified_at": _("Verified on"),
    "verified_by": _("Verified by"),
    "verified_method": _("Verified by way of"),
}
CHOICES = {"gender": Gender, "relation": RelationKind, "status": PersonStatus, "source": PersonSource,
           "consent_method": ConsentMethod, "verified_method": VerificationMethod}
MOBILE_FIELDS = ("mobile", "alt_mobile")


def purposes_display(codes) -> str:
    labels = dict(ConsentPurpose.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])


def social_display(social) -> str:
    return ", ".join(f"{SOCIAL_KEYS.get(key, key)}: {value}" for key, value in (social or {}).items())


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    entry: PersonHistory
    changes: list[Change]


def history_entries(history) -> list[HistoryEntry]:
    """Each history row with its changed fields; unit ids become unit names (one query for all rows)."""
    # A creation lists every field against None: the record itself already shows those values.
    history = list(history)
    shown = [entry for entry in history if entry.action != PersonHistory.Action.CREATED]
    unit_ids = {
        value
        for entry in shown
        for value in (entry.changes or {}).get("unit", [])
        if isinstance(value, int)
    }
    units = {unit.pk: unit.name for unit in Unit.objects.filter(pk__in=unit_ids)} if unit_ids else {}

    def show(field: str, value) -> str:
        if value in (None, ""):
            return "—"
        if field == "unit":
            return units.get(value, str(value))
        if field in MOBILE_FIELDS:
            return display_mobile(value)
        if field == "consent_purposes" and isinstance(value, list):
            return purposes_display(value)
        if field == "social" and isinstance(value, dict):
            return social_display(value) or "—"
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "—"
        if field in CHOICES:
            return str(dict(CHOICES[field].choices).get(value, value))
        return str(value)

    entries = []
    for entry in history:
        changes = []
        if entry.action != PersonHistory.Action.CREATED:
            for field, pair in (entry.changes or {}).items():
                if isinstance(pair, list) and len(pair) == 2:
                    changes.append(Change(str(FIELD_LABELS.get(field, field)), show(field, pair[0]),
                                          show(field, pair[1])))
        entries.append(HistoryEntry(entry, changes))
    return entries


def _actor_name(user) -> str:
    return (user.display_name or user.mobile) if user is not None else ""


@timeline_source("people.history")
def history_timeline(person, scope, limit: int):
    """Creations and edits of the record, each with the fields it changed."""
    rows = person.history.select_related("actor").order_by("-at", "-id")[:limit]
    for item in history_entries(rows):
        entry = item.entry
        if entry.action == PersonHistory.Action.CREATED:
            title = str(_("Registered"))
        elif entry.action == PersonHistory.Action.ERASED:
            title = str(_("Personal details erased"))
        else:
            title = str(_("Record changed: %(fields)s")) % {"fields": ", ".join(c.label for c in item.changes)}
        detail = "; ".join(f"{c.label}: {c.before} → {c.after}" for c in item.changes)
        if entry.reason:
            detail = f"{detail} — {_('Reason')}: {entry.reason}" if detail else f"{_('Reason')}: {entry.reason}"
        yield TimelineEntry(at=entry.at, kind="edit", title=title, detail=detail, actor=_actor_name(entry.actor))


@timeline_source("people.flags")
def flag_timeline(person, scope, limit: int):
    """Flags raised on the record, and their resolution."""
    for flag in person.flags.select_related("raised_by", "resolved_by").order_by("-raised_at", "-id")[:limit]:
        if flag.resolved_at is not None:
            yield TimelineEntry(at=flag.resolved_at, kind="flag",
                                title=str(_("Flag resolved: %(kind)s")) % {"kind": flag.get_kind_display()},
                                detail=flag.resolution, actor=_actor_name(flag.resolved_by))
        yield TimelineEntry(at=flag.raised_at, kind="flag",
                            title=str(_("Flagged: %(kind)s")) % {"kind": flag.get_kind_display()},
                            detail=flag.note, actor=_actor_name(flag.raised_by))


@timeline_source("org.positions")
def position_timeline(person, scope, limit: int):
    """Posts given and ended, with the unit (or Lok Sabha seat, cluster) and who did it."""
    rows = (PositionHistory.objects.filter(position__person=person)
            .select_related("position__post", "position__unit", "position__overlay", "position__wing", "actor")
            .order_by("-at", "-id")[:limit])
    for entry in rows:
        position = entry.position
        post = position.post.label + (f" · {position.wing.label}" if position.wing_id else "")
        place = position.place.name if position.place else ""
        yield TimelineEntry(at=entry.at, kind="position",
                            title=str(_("%(action)s: %(post)s, %(place)s")) % {
                                "action": entry.get_action_display(), "post": post, "place": place},
                            detail=entry.note, actor=_actor_name(entry.actor))
