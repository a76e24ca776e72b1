"""Merging two records of one person into one, keeping every reference to either.

``person_merge`` keeps ``survivor`` and removes ``merged``. Every row of every app that points at the
merged record is re-pointed at the survivor, found generically through ``Person``'s reverse relations
(positions, history, flags, messages, opt-outs, committee seats, a login, tags, and any app added later),
so a new app's foreign key to ``Person`` is covered without touching this module.

When re-pointing a row would break a unique constraint (the survivor already has a contact preference,
an active opt-out of the same channel, a login, a seat on the same committee), the survivor's row wins:

* a nullable reference is *detached* (set to NULL: a second login stays, unlinked from the registry);
* an open flag of the people app is *resolved* with a note (the survivor's open flag of that kind stays);
* any other row is *dropped*, and kept in full in the merge record.

The ``PersonMerge`` row records who merged, when, the survivor, the merged record's id and fields as
they were, the field choices and, per reference, which rows were moved, detached or dropped: enough to
explain (and by hand undo) the merge later. The survivor gets a history row; the audit log a
``PERSON_MERGE`` row. The merged record's old id keeps leading to the survivor (``person_get_for_actor``
raises ``PersonMergedAway``; the web page redirects).
"""

import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.names import name_key, to_latin
from sangathan.people.models import DuplicateCandidate, Person, PersonFlag, PersonHistory, PersonMerge
from sangathan.people.services.headcounts import headcount_add, headcount_changes
from sangathan.people.signals import person_merged

SURVIVOR = "survivor"
MERGED = "merged"
# Derived from other fields, kept by the database, or not a value a person chooses between.
_NOT_CHOSEN = {"id", "name_latin", "name_key", "relative_name_key", "unit_path", "created_at", "updated_at",
               "mobile", "alt_mobile"}
# Handled by this module itself rather than re-pointed.
_OWN_MODELS = {DuplicateCandidate}


def merge_fields() -> list[str]:
    """The record's fields a reviewer chooses between (the survivor's value, or the merged record's)."""
    return [field.name for field in Person._meta.concrete_fields
            if field.editable and field.name not in _NOT_CHOSEN]


def _empty(value) -> bool:
    return value in (None, "", [], {})


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _row_dump(row: models.Model) -> dict:
    return _json(serializers.serialize("python", [row])[0])


def _references() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """(model, foreign key to Person) for every table that refers to a person, hidden relations and
    many-to-many tables (both directions) included."""
    pairs = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete):
            continue
        if rel.many_to_many:
            through = rel.through
            pairs += [(through, f) for f in through._meta.concrete_fields
                      if f.is_relation and f.related_model is Person]
        elif rel.related_model not in _OWN_MODELS:
            pairs.append((rel.related_model, rel.field))
    for field in Person._meta.many_to_many:
        through = field.remote_field.through
        pairs += [(through, f) for f in through._meta.concrete_fields if f.is_relation and f.related_model is Person]
    seen, unique_pairs = set(), []
    for model, field in pairs:
        if (model, field.name) not in seen:
            seen.add((model, field.name))
            unique_pairs.append((model, field))
    return unique_pairs


def _unique_groups(model, field) -> list[tuple[list[str], Q | None]]:
    """The unique constraints of ``model`` that include ``field``: (other fields, condition)."""
    groups = []
    if field.unique:
        groups.append(([], None))
    for together in model._meta.unique_together:
        if field.name in together:
            groups.append(([name for name in together if name != field.name], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in constraint.fields:
            groups.append(([name for name in constraint.fields if name != field.name], constraint.condition))
    return groups


def _collisions(model, field, survivor: Person, merged: Person) -> list[models.Model]:
    """Rows of the merged record that would clash with the survivor's under a unique constraint."""
    manager = model._base_manager
    clashing = {}
    for others, condition in _unique_groups(model, field):
        rows = manager.filter(**{field.attname: merged.pk})
        if condition is not None:
            rows = rows.filter(condition)
        for row in rows:
            match = manager.filter(**{field.attname: survivor.pk},
                                   **{model._meta.get_field(name).attname: getattr(
                                       row, model._meta.get_field(name).attname) for name in others})
            if condition is not None:
                match = match.filter(condition)
            if match.exists():
                clashing[row.pk] = row
    return list(clashing.values())


def _repoint(survivor: Person, merged: Person, *, now) -> dict:
    """Move every reference from ``merged`` to ``survivor``; returns what happened, per reference."""
    report = {}
    for model, field in _references():
        key = f"{model._meta.label_lower}.{field.name}"
        entry: dict = {}
        for row in _collisions(model, field, survivor, merged):
            if model is PersonFlag:
                PersonFlag.objects.filter(pk=row.pk).update(
                    resolved_at=now, resolution=_("Closed by merging into record %(id)s.") % {"id": survivor.pk})
                entry.setdefault("resolved", []).append(row.pk)
            elif field.null:
                model._base_manager.filter(pk=row.pk).update(**{field.attname: None})
                entry.setdefault("detached", []).append(row.pk)
            else:
                entry.setdefault("dropped", []).append(_row_dump(row))
                row.delete()
        moving = model._base_manager.filter(**{field.attname: merged.pk})
        ids = list(moving.values_list("pk", flat=True))
        if ids:
            model._base_manager.filter(pk__in=ids).update(**{field.attname: survivor.pk})
            entry["moved"] = ids
        if entry:
            report[key] = entry
    return report


def _choose(survivor: Person, merged: Person, field_choices: dict) -> dict:
    """{field: value} the survivor ends with: the chosen side, else the survivor's unless it is empty."""
    allowed = set(merge_fields())
    unknown = sorted(set(field_choices) - allowed)
    if unknown:
        raise DomainError(_("Unknown field."), field=unknown[0])
    bad = sorted(name for name, side in field_choices.items() if side not in (SURVIVOR, MERGED))
    if bad:
        raise DomainError(_("Choose the survivor's or the merged record's value."), field=bad[0])
    values = {}
    for name in merge_fields():
        attname = Person._meta.get_field(name).attname
        mine, theirs = getattr(survivor, attname), getattr(merged, attname)
        side = field_choices.get(name) or (MERGED if _empty(mine) and not _empty(theirs) else SURVIVOR)
        values[attname] = theirs if side == MERGED else mine
    return values


def _mobiles(survivor: Person, merged: Person, keep: str) -> tuple[str, str, list[str]]:
    """(mobile, alt_mobile, numbers that found no place) after the merge: the kept side's mobile, the
    other mobile as the alternate when that is free."""
    main, other = (merged.mobile, survivor.mobile) if keep == MERGED else (survivor.mobile, merged.mobile)
    candidates = [number for number in (survivor.alt_mobile, other, merged.alt_mobile)
                  if number and number != main]
    alt = candidates[0] if candidates else ""
    lost = [number for number in dict.fromkeys(candidates[1:]) if number != alt]
    return main, alt, lost


@transaction.atomic
def person_merge(*, scope: Scope, survivor: Person, merged: Person, field_choices: dict | None = None) -> PersonMerge:
    """Merge ``merged`` into ``survivor`` (see the module docstring). The actor (``scope.actor``; None for
    the system) needs write access where both records belong: a record outside their read scope is
    NotFound. ``field_choices`` maps a field of ``merge_fields()`` (or ``"mobile"``) to ``"survivor"`` or
    ``"merged"``. Returns the ``PersonMerge`` row; writes the survivor's history row and a ``person.merge``
    audit row."""
    field_choices = dict(field_choices or {})
    if survivor.pk == merged.pk:
        raise DomainError(_("A record cannot be merged with itself."), field="merged")
    first, second = sorted([survivor.pk, merged.pk])
    locked = {person.pk: person for person in Person.objects.select_for_update().filter(pk__in=[first, second])}
    if len(locked) != 2:
        raise DomainError(_("One of the two records no longer exists."), code="not_found", field="merged")
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if not (scope.can_read_path(survivor.unit_path) and scope.can_read_path(merged.unit_path)):
        raise NotFound(_("No such person."))
    if not (scope.can_write_path(survivor.unit_path) and scope.can_write_path(merged.unit_path)):
        raise PermissionDenied(_("You may merge only records you may change, both of them."))
    mobile_side = field_choices.pop("mobile", SURVIVOR)
    if mobile_side not in (SURVIVOR, MERGED):
        raise DomainError(_("Choose the survivor's or the merged record's value."), field="mobile")
    values = _choose(survivor, merged, field_choices)
    mobile, alt_mobile, lost = _mobiles(survivor, merged, mobile_side)

    now = timezone.now()
    snapshot = _row_dump(merged)["fields"]
    snapshot["id"] = merged.pk
    snapshot["tags"] = list(merged.tags.values_list("code", flat=True))
    references = _repoint(survivor, merged, now=now)
    merged_id, merged_name = merged.pk, merged.name
    person_merged.send(sender=Person, survivor_id=survivor.pk, merged_id=merged_id)
    reviewed = _settle_candidates(survivor=survivor, merged=merged)
    Person.objects.filter(pk=merged_id).delete()
    moved_from = survivor.unit_path

    before = {Person._meta.get_field(name).attname: getattr(survivor, Person._meta.get_field(name).attname)
              for name in [*merge_fields(), "mobile", "alt_mobile"]}
    for attname, value in values.items():
        setattr(survivor, attname, value)
    survivor.mobile, survivor.alt_mobile = mobile, alt_mobile
    if survivor.unit_id != before["unit_id"]:
        survivor.unit_path = survivor.unit.path
    if "name" in field_choices or survivor.name != before["name"]:
        survivor.name_latin, survivor.name_key = to_latin(survivor.name)[:200], name_key(survivor.name)[:200]
    if survivor.relative_name != before["relative_name"]:
        survivor.relative_name_key = name_key(survivor.relative_name)[:200]
    survivor.save()
    headcount_add(headcount_changes(added=[survivor.unit_path], removed=[merged.unit_path, moved_from]))

    changes = {attname.removesuffix("_id"): [_json(old), _json(getattr(survivor, attname))]
               for attname, old in before.items() if getattr(survivor, attname) != old}
    changes["merged_record"] = [f"{merged_name} (#{merged_id})", None]
    user = scope.actor
    PersonHistory.objects.create(person=survivor, action=PersonHistory.Action.MERGED, actor=user, changes=changes)
    merge = PersonMerge.objects.create(
        survivor=survivor, merged_id=merged_id, merged_name=merged_name, actor=user, at=now,
        snapshot={**snapshot, "numbers_not_kept": lost}, field_choices={**field_choices, "mobile": mobile_side},
        references=references,
    )
    DuplicateCandidate.objects.filter(pk__in=reviewed).update(
        status=DuplicateCandidate.Status.MERGED, merge=merge, decided_by=user, decided_at=now)
    audit_log(scope=scope, action=AuditLog.Action.PERSON_MERGE, target=survivor,
              detail={"merged_id": merged_id, "merge_id": merge.pk})
    return merge


def _settle_candidates(*, survivor: Person, merged: Person) -> list[int]:
    """Ids of the candidate pairs of these two records (to be marked merged); the merged record's other
    open pairs are dropped: the next run of the finder compares the survivor afresh."""
    pair = Q(person_a=survivor, person_b=merged) | Q(person_a=merged, person_b=survivor)
    reviewed = list(DuplicateCandidate.objects.filter(pair).values_list("pk", flat=True))
    DuplicateCandidate.objects.filter(Q(person_a=merged) | Q(person_b=merged),
                                      status=DuplicateCandidate.Status.OPEN).exclude(pk__in=reviewed).delete()
    return reviewed
