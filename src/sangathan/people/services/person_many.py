"""Registering many people at once (a phone's sync batch): ``PersonCreate`` for each, in a fixed number of
statements instead of a few per person."""

import json
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from sangathan.core.actions import Action
from sangathan.core.bulk import allocate_ids, copy_rows, insert_objects, new_instances
from sangathan.core.errors import DomainError
from sangathan.people.models import Person, PersonHistory
from sangathan.people.numbers import PrefixCache, membership_number
from sangathan.people.services.clean import clean_fields
from sangathan.people.services.headcounts import headcount_add, headcount_changes
from sangathan.people.services.person import _check_known, _check_unit, _created_changes, _duplicate

HISTORY_COLUMNS = ("person_id", "action", "actor_id", "at", "changes")  # COPY'd by ``log``


@dataclass(kw_only=True)
class PeopleCreate(Action):
    """Register each item of ``data`` as ``PersonCreate`` would — the same cleaning, unit check (write scope),
    uniqueness of mobile, voter ID and membership number (also among the items: the later one is refused),
    generated membership number and CREATED history row — in a fixed number of statements whatever their
    number: the uniqueness lookup, their ids reserved (so the numbers are computed before the insert), one
    COPY of the people (``core.bulk.insert_objects``), the headcounts, their tags, one COPY of their history.

    ``checked`` (optional, one dict per item): values already read by ``people.fields`` — a sync record
    checked as an import row (``people.imports.rows.RowChecker``) — taken as they are; only the item's
    other fields are cleaned (so nothing is read twice). ``searched``: keys among mobile, voter ID and
    membership number that the caller has just looked up in this transaction and found free (the sync's
    duplicate search): not looked up again (repeats among the items are still refused; a clash written
    meanwhile still raises ``IntegrityError``). The lookup is skipped when nothing is left to look up.
    ``prefixes``: a ``PrefixCache`` the caller seeded with its units' roots (no lookup of the root's code).
    ``headcounts``: a ``Counter`` the caller keeps: the new people's headcount changes are added to it, and the
    caller passes it to ``headcount_add`` as the last write of its transaction. The upsert locks the root's
    headcount row until commit, so every other writer of people waits on it meanwhile: the later it comes,
    the shorter that wait (a phone's sync writes its records, flags and audit row after the people).

    Returns one entry per item: the new ``Person``, or the ``DomainError`` that refused the item (nothing
    is written for it). A clash the lookup could not see (written at the same moment) raises
    ``IntegrityError`` for the whole call: the caller falls back to ``PersonCreate`` one by one."""

    name = "person.create_many"
    data: list[dict]
    checked: list[dict] | None = None
    searched: tuple[str, ...] = ()
    prefixes: PrefixCache | None = None  # the roots' number prefixes, when the caller read them already
    headcounts: Counter | None = None  # the changes, added here for the caller to write last (see above)

    def check(self) -> None:
        self._results: list = []
        checked = self.checked or [{}] * len(self.data)
        for item, values in zip(self.data, checked, strict=True):
            try:
                _check_known(item)
                _check_unit(self.scope, item.get("unit"))
                rest = {key: value for key, value in item.items() if key not in values} if values else item
                self._results.append({**clean_fields(rest), **values})
            except DomainError as error:
                self._results.append(error)
        self._refuse_taken()

    def _refuse_taken(self) -> None:
        wanted = [values for values in self._results if isinstance(values, dict)]
        keys = ("mobile", "epic", "membership_no")
        query = Q()
        for key in keys:
            if key in self.searched:
                continue
            given = {values[key] for values in wanted if values.get(key)}
            if given:
                query |= Q(**{f"{key}__in": given})
        taken = {key: set() for key in keys}
        if query:
            for row in Person.objects.filter(query).values_list(*keys):
                for key, value in zip(keys, row, strict=True):
                    if value:
                        taken[key].add(value)
        for index, values in enumerate(self._results):
            if not isinstance(values, dict):
                continue
            clash = next((key for key in keys if values.get(key) and values[key] in taken[key]), None)
            if clash:
                self._results[index] = _duplicate(clash)
                continue
            for key in keys:
                if values.get(key):
                    taken[key].add(values[key])

    def perform(self) -> list:
        wanted = [values for values in self._results if isinstance(values, dict)]
        people = new_instances(Person, ({k: v for k, v in values.items() if k != "tags"} for values in wanted))
        tags = {id(person): values.get("tags") or [] for person, values in zip(people, wanted, strict=True)}
        if people:
            prefixes = self.prefixes or PrefixCache()
            for person, pk in zip(people, allocate_ids(Person._meta.db_table, len(people)), strict=True):
                person.pk = pk
                if not person.membership_no:
                    person.membership_no = membership_number(prefixes.for_path(person.unit_path), pk)
            insert_objects(people)
            self._changes = headcount_changes(added=[person.unit_path for person in people])
            through = Person.tags.through
            links = [through(person_id=person.pk, tag_id=tag.pk) for person in people for tag in tags[id(person)]]
            if links:
                through.objects.bulk_create(links)
        self._tags = tags
        made = iter(people)
        return [next(made) if isinstance(values, dict) else values for values in self._results]

    def log(self, results: list) -> None:
        """One CREATED history row per new person, COPY'd from tuples (no ``PersonHistory`` instances: nothing
        reads them back; the database numbers the rows and fills ``reason``)."""
        people = [person for person in results if isinstance(person, Person)]
        if not people:
            return
        at = timezone.now()
        if connection.vendor != "postgresql":
            at = connection.ops.adapt_datetimefield_value(at)
        actor_id = getattr(self.actor, "pk", None)
        created = PersonHistory.Action.CREATED.value
        with connection.wrap_database_errors:  # COPY's errors are the driver's own otherwise
            copy_rows(PersonHistory._meta.db_table, HISTORY_COLUMNS, [
                (person.pk, created, actor_id, at, json.dumps(_created_changes(person, self._tags[id(person)])))
                for person in people])
        if self.headcounts is None:
            headcount_add(self._changes)
        else:  # the action's last step: a failure before it leaves the caller's counter as it was
            self.headcounts.update(self._changes)


people_create = PeopleCreate.run
