"""Who an event's rule invites, resolved to people inside the organizer's scope.

A rule is data on the event (``Event.invite_rule``):
``{"units": [unit ids], "posts": [post codes], "levels": [level codes], "wings": [wing codes],
"committees": [committee type codes], "people": [person ids], "everyone": false}``.
``units`` (default: the host unit) say where to look; holders of the posts (at units of the levels, in the
wings) and members of the committees under them are invited, and so are the named people; ``everyone``
invites every active worker under them (a live address). Whatever the rule says, only people the organizer's
scope reads are invited.
"""

from django.db.models import Q

from sangathan.committees.models import CommitteeMember
from sangathan.core.errors import DomainError
from sangathan.core.tree import subtrees_q
from sangathan.org.models import Position, Unit
from sangathan.people.models import Person

RULE_KEYS = ("units", "posts", "levels", "wings", "committees", "people", "everyone")


def rule_clean(rule: dict) -> dict:
    unknown = set(rule) - set(RULE_KEYS)
    if unknown:
        raise DomainError(f"Unknown rule keys: {', '.join(sorted(unknown))}", field="invite_rule")
    clean = {key: sorted({str(v) if key not in ("units", "people") else int(v) for v in rule.get(key) or []})
             for key in RULE_KEYS if key != "everyone" and rule.get(key)}
    if rule.get("everyone"):
        clean["everyone"] = True
    return clean


def rule_paths(event) -> list[str]:
    ids = event.invite_rule.get("units") or []
    if not ids:
        return [event.unit_path]
    return list(Unit.objects.filter(pk__in=ids).values_list("path", flat=True))


def invitee_ids(scope, event):
    """A queryset of the ids of the people the rule invites, limited to ``scope`` (the organizer's)."""
    rule = event.invite_rule or {}
    paths = rule_paths(event)
    people = scope.filter(Person.objects.filter(status="active"), "unit_path")
    if rule.get("everyone"):
        return people.filter(subtrees_q("unit_path", paths)).values("pk")
    wanted = Q(pk__in=rule.get("people") or [])
    if rule.get("posts") or rule.get("levels") or rule.get("wings"):
        positions = Position.objects.current().filter(subtrees_q("unit_path", paths))
        if rule.get("posts"):
            positions = positions.filter(post__code__in=rule["posts"])
        if rule.get("levels"):
            positions = positions.filter(unit__level__in=rule["levels"])
        if rule.get("wings"):
            positions = positions.filter(wing__code__in=rule["wings"])
        wanted |= Q(pk__in=positions.values("person_id"))
    if rule.get("committees"):
        seats = CommitteeMember.objects.current().filter(subtrees_q("unit_path", paths),
                                                         committee__status="active",
                                                         committee__type__code__in=rule["committees"])
        wanted |= Q(pk__in=seats.values("person_id"))
    return people.filter(wanted).values("pk")
