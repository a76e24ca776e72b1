"""New workers of a sync batch: matched against the registry all at once, then registered, merged or kept
for the district (the rules are in ``services.sync``'s docstring).

The batch's records are taken in rounds. A record that would match a worker registered (or filled in) by
an earlier record of the same round — the same mobile, voter ID or alternate mobile, or a name alike in the
booth — waits for the next round, whose registry search then finds that worker, as taking the records one
by one would. A round costs the two queries of the search and the few statements of ``PeopleCreate``;
a second round is needed only for such repeats inside one batch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError

from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import Drive, FieldRecord
from sangathan.people import fields as person_fields
from sangathan.people.dedup import NAME_THRESHOLD, duplicates_before_saving_many, name_score
from sangathan.people.enums import ConsentMethod, ConsentPurpose, PersonSource
from sangathan.people.numbers import PrefixCache
from sangathan.people.services import PeopleCreate, PersonCreate, PersonUpdate

# What this round's duplicate search has just looked up for the workers it registers (no one holds their
# mobile or voter ID): ``PeopleCreate`` does not look it up again.
SEARCHED = ("mobile", "epic")


def finish(record: FieldRecord, outcome: str, *, person=None, errors=None, epic_on_person: bool = False) -> None:
    """Set what became of ``record`` (saved with the batch): its outcome, person, errors or matches, and
    whether its voter ID is on a registered person (for the flags)."""
    record.outcome = outcome
    record.person = person
    record.errors = {}
    if outcome == Outcome.REJECTED:
        record.errors = {"fields": {k: [str(m) for m in v] for k, v in (errors or {}).items()}}
    elif outcome in (Outcome.CONFLICT, Outcome.REVIEW):
        record.errors = {"fields": {}, **(errors or {})}
    if person is not None:
        record.errors = {"fields": {}, "base": person.updated_at.isoformat()}
    record.epic_on_person = epic_on_person


def refusal_errors(error: DomainError) -> dict:
    """A service's refusal as the record's field errors."""
    if isinstance(error, (NotFound, PermissionDenied)):
        return {"person_id": [str(error.message)]}
    return {k: [str(m) for m in v] for k, v in error.errors.items()} or {"__all__": [str(error.message)]}


@dataclass(kw_only=True)
class NewWorkers:
    """Registers the new workers of one batch for the acting vistarak (``scope``)."""

    scope: object
    drive: Drive
    booths: dict
    prefixes: PrefixCache | None = None
    headcounts: Counter | None = None  # the new people's headcount changes, for the caller to write last

    def register(self, pending: list[tuple[FieldRecord, dict]]) -> None:
        """Answer each (record, person fields) with ``sync.finish``: accepted, merged or needs review."""
        while pending:
            pending = self._round(pending)

    def _round(self, pending: list[tuple[FieldRecord, dict]]) -> list[tuple[FieldRecord, dict]]:
        values = [self._match_values(record, fields_in) for record, fields_in in pending]
        matches = duplicates_before_saving_many(items=values)
        taken: dict[tuple, list[tuple[str, str]]] = {}  # keys of workers registered or filled in this round
        later, creating = [], []
        for (record, fields_in), mine, found in zip(pending, values, matches, strict=True):
            if self._repeats(mine, taken):
                later.append((record, fields_in))
                continue
            if not found:
                creating.append((record, fields_in))
                self._take(mine, fields_in, taken)
            elif self._merge(record, fields_in, mine, found):
                self._take(mine, fields_in, taken)
            else:
                self._review(record, found)
        self._create(creating)
        return later

    @staticmethod
    def _match_values(record: FieldRecord, fields_in: dict) -> dict:
        name = fields_in.get("name", "")
        key = record.checked.get("name_key")  # read by the row checker from the same name: not read again
        return {"mobile": record.mobile, "epic": record.epic, "unit": record.booth, "name": name,
                "name_key": key if key is not None else person_fields.person_name(name)[2],
                "relative_name": fields_in.get("relative_name", "")}

    @staticmethod
    def _block(values: dict) -> tuple:
        return ("block", values["unit"].pk, (values["name_key"] or "").split(" ")[0])

    def _repeats(self, mine: dict, taken: dict) -> bool:
        if any(key in taken for key in (("number", mine["mobile"]), ("epic", mine["epic"])) if key[1]):
            return True
        return any(name_score(mine["name"], mine["relative_name"], name, relative) >= NAME_THRESHOLD
                   for name, relative in taken.get(self._block(mine), []))

    def _take(self, mine: dict, fields_in: dict, taken: dict) -> None:
        for key in (("number", mine["mobile"]), ("number", fields_in.get("alt_mobile")), ("epic", mine["epic"])):
            if key[1]:
                taken[key] = []
        taken.setdefault(self._block(mine), []).append((mine["name"], mine["relative_name"]))

    def _person_data(self, record: FieldRecord, fields_in: dict) -> dict:
        return {**fields_in, "consent_method": ConsentMethod.APP, "consent_at": record.captured_at,
                "consent_purposes": [ConsentPurpose.RECORDS.value], "unit": record.booth,
                "source": PersonSource.FIELD_DRIVE}

    def _merge(self, record: FieldRecord, fields_in: dict, mine: dict, found: list[tuple]) -> bool:
        """The same mobile and a name alike of a person the vistarak may write: fill that person's empty
        fields (``PersonUpdate``); False when the match is not that."""
        person, reasons = found[0]
        if not (reasons == ["mobile"] or set(reasons) == {"mobile", "name"}):
            return False
        alike = name_score(mine["name"], mine["relative_name"], person.name, person.relative_name)
        if alike < NAME_THRESHOLD or not self.scope.can_write_path(person.unit_path):
            return False
        blanks = {k: v for k, v in fields_in.items() if k not in ("name", "mobile") and not getattr(person, k)}
        try:
            person = PersonUpdate(scope=self.scope, person=person, changes=blanks,
                                  reason=f"fieldwork:{self.drive.pk}").execute()
        except DomainError as error:
            finish(record, Outcome.REJECTED, errors=refusal_errors(error))
            return True
        epic_elsewhere = bool(record.epic) and any("epic" in r and p.pk != person.pk for p, r in found)
        finish(record, Outcome.MERGED, person=person, epic_on_person=epic_elsewhere)
        return True

    def _review(self, record: FieldRecord, found: list[tuple]) -> None:
        finish(record, Outcome.REVIEW, errors={"matches": [
            {"person_id": p.pk, "reasons": r} for p, r in found if self.scope.can_read_path(p.unit_path)]},
            epic_on_person="epic" in {r for _p, rs in found for r in rs})

    def _create(self, creating: list[tuple[FieldRecord, dict]]) -> None:
        """Register the round's unmatched workers in one ``PeopleCreate``; if a clash appeared meanwhile (a
        concurrent batch registered the same mobile), one ``PersonCreate`` each, answering the clash."""
        if not creating:
            return
        data = [self._person_data(record, fields_in) for record, fields_in in creating]
        try:  # the action's own savepoint undoes a clash
            results = PeopleCreate(scope=self.scope, data=data, searched=SEARCHED, prefixes=self.prefixes,
                                   checked=[record.checked for record, _fields in creating],
                                   headcounts=self.headcounts).execute()
        except IntegrityError:
            results = []
            for item in data:
                try:
                    results.append(PersonCreate(scope=self.scope, data=item).execute())
                except DomainError as error:
                    results.append(error)
        for (record, _fields), result in zip(creating, results, strict=True):
            if isinstance(result, DomainError):
                finish(record, Outcome.REJECTED, errors=refusal_errors(result))
            else:
                finish(record, Outcome.ACCEPTED, person=result)
