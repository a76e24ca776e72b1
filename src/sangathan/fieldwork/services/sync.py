"""Safe sync: a batch of records from a phone, each answered on its own.

Each record carries its client UUID, a version (the phone's edit counter) and its capture time. The UUID
is unique in ``FieldRecord``: a record is claimed by inserting its row first (in a savepoint), so a re-send
— or a second copy arriving at the same moment, which waits on the unique index until the first commits —
finds the row and gets the stored answer; nothing is created twice. A higher version is a correction (of
a rejected or conflicting record) or an edit, and is processed again.

A record is checked like an import row (``services.checks``); a new worker is matched against the registry
with the counter's own duplicate search (``people.dedup.duplicates_before_saving``):

* no match → registered (``person_create``): **accepted**;
* the same mobile and a name alike (``NAME_THRESHOLD``) of a person the vistarak may write → the record
  fills that person's empty fields (``person_update``): **merged**;
* any other match (same mobile with another name, same voter ID, same alternate mobile, a name alike in
  the booth) → kept for the district: **needs review**;
* bad input → **rejected** with every field's reason; the phone keeps it for correction;
* an edit of a known worker whose record changed on the server since the phone read it (``base``) →
  **conflict** with both versions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import Drive, FieldRecord
from sangathan.fieldwork.services.checks import check_answers, check_capture_time, check_fields, row_checker
from sangathan.fieldwork.services.codes import capture_code_matches
from sangathan.fieldwork.services.flags import epic_registered, flags_write, record_flags
from sangathan.org.models import Unit
from sangathan.people import fields as person_fields
from sangathan.people.dedup import NAME_THRESHOLD, duplicates_before_saving, name_score
from sangathan.people.enums import ConsentMethod, ConsentPurpose, PersonSource
from sangathan.people.models import Person
from sangathan.people.services import PersonCreate, PersonUpdate

MAX_BATCH = 200
# Fields shown on both sides of a conflict.
CONFLICT_FIELDS = ("name", "mobile", "relative_name", "relation", "gender", "birth_year", "epic", "alt_mobile",
                   "email", "address", "occupation", "education")


def answer_of(record: FieldRecord) -> dict:
    """What the phone is told about a stored record (the same on every re-send)."""
    out = {"client_uuid": str(record.client_uuid), "version": record.version, "status": record.outcome,
           "errors": record.errors.get("fields", {}) if record.errors else {},
           "person_id": record.person_id, "flags": _flag_kinds(record)}
    if record.outcome == Outcome.CONFLICT:
        out["server"] = record.errors.get("server", {})
        out["phone"] = record.data
        out["base"] = record.errors.get("base", "")
    if record.person_id and record.outcome in (Outcome.ACCEPTED, Outcome.MERGED):
        out["base"] = record.errors.get("base", "")
    return out


def _flag_kinds(record: FieldRecord) -> list[str]:
    known = getattr(record, "flag_kinds", None)  # set by this sync: no query
    return sorted(known) if known is not None else sorted(record.flags.values_list("kind", flat=True))


def _refused(item: dict, field_name: str, message) -> dict:
    """An answer for a record that is not stored (outside the vistarak's booths, or another's UUID)."""
    return {"client_uuid": str(item["client_uuid"]), "version": item.get("version", 1), "status": Outcome.REJECTED,
            "errors": {field_name: [str(message)]}, "person_id": None, "flags": []}


def _person_snapshot(person: Person) -> dict:
    return {name: (getattr(person, name) if getattr(person, name) is not None else "") for name in CONFLICT_FIELDS}


@dataclass(kw_only=True)
class RecordsSync(Action):
    """Take a batch of the acting vistarak's records for ``drive``; answer each (see the module docstring).

    Writes one ``FieldRecord`` per new record, people (with their history rows) as answered, flags, and one
    audit row for the batch.
    """

    drive: Drive
    records: list = field(default_factory=list)

    def check(self) -> None:
        if not self.records:
            raise DomainError(_("Send at least one record."), field="records")
        if len(self.records) > MAX_BATCH:
            raise DomainError(_("Send at most 200 records at a time."), field="records")
        self.assigned = [] if self.scope.user_id is None else list(
            self.drive.assignments.filter(user_id=self.scope.user_id).values_list("unit_path", flat=True))
        if not self.assigned:
            raise PermissionDenied(_("You are not a vistarak of this drive."))

    def perform(self) -> list[dict]:
        self.checker, self.keys = row_checker(self.drive)
        booth_ids = {item.get("booth_id") for item in self.records}
        self.booths = {b.pk: b for b in Unit.objects.filter(pk__in=[b for b in booth_ids if isinstance(b, int)],
                                                          level="booth")}
        self.own_mobile = getattr(self.scope.actor, "mobile", "")
        # In UUID order, so two overlapping batches take their rows' locks in the same order.
        answers = {}
        for item in sorted(self.records, key=lambda item: str(item["client_uuid"])):
            answers[str(item["client_uuid"])] = self._one(item)
        return [answers[str(item["client_uuid"])] for item in self.records]

    def log(self, answers: list[dict]) -> None:
        counts: dict[str, int] = {}
        for answer in answers:
            counts[answer["status"]] = counts.get(answer["status"], 0) + 1
        audit_log(scope=self.scope, action="fieldwork.sync", target=self.drive, unit_path=self.drive.unit_path,
                  detail={"records": len(answers), **counts})

    # --- one record -----------------------------------------------------------------------------------

    def _one(self, item: dict) -> dict:
        booth = self.booths.get(item.get("booth_id"))
        if booth is None or not any(booth.path.startswith(path) for path in self.assigned) \
                or not self.scope.can_write_path(booth.path):
            return _refused(item, "booth_id", _("This booth is not assigned to you in this drive."))
        client_uuid = uuid.UUID(str(item["client_uuid"]))
        record = FieldRecord.objects.select_for_update().filter(client_uuid=client_uuid).first()
        if record is None:
            record = self._claim(item, client_uuid, booth)
            if record is None:  # a concurrent copy won: answer what it stored
                record = FieldRecord.objects.get(client_uuid=client_uuid)
                return self._stored(record, item)
        else:
            if record.user_id != self.scope.user_id or record.drive_id != self.drive.pk:
                return _refused(item, "client_uuid", _("This record ID is taken."))
            if item.get("version", 1) <= record.version:
                return answer_of(record)
            if record.booth_id != booth.pk:
                return _refused(item, "booth_id", _("A record cannot move to another booth."))
        self._process(record, item, booth)
        return answer_of(record)

    def _stored(self, record: FieldRecord, item: dict) -> dict:
        if record.user_id != self.scope.user_id or record.drive_id != self.drive.pk:
            return _refused(item, "client_uuid", _("This record ID is taken."))
        return answer_of(record)

    def _claim(self, item: dict, client_uuid, booth) -> FieldRecord | None:
        record = FieldRecord(client_uuid=client_uuid, version=item.get("version", 1), drive=self.drive,
                             user_id=self.scope.user_id, booth=booth, unit_path=booth.path,
                             outcome=Outcome.REJECTED, captured_at=item["captured_at"], data={})
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            return None
        record.fresh = True  # no flags yet: nothing to replace
        return record

    def _process(self, record: FieldRecord, item: dict, booth) -> None:
        fields_in = {k: v for k, v in (item.get("fields") or {}).items() if v not in (None, "")}
        record.version = item.get("version", 1)
        record.data = item.get("fields") or {}
        record.captured_at = item["captured_at"]
        record.consent = bool(item.get("consent"))
        gps = item.get("gps") if record.consent and item.get("gps_consent") else None
        record.lat, record.lng, record.accuracy = ((gps.get("lat"), gps.get("lng"), gps.get("accuracy"))
                                                   if gps else (None, None, None))
        record.device_id = str(item.get("device_id") or "")[:64]
        values, errors = check_fields(self.checker, self.keys, fields_in, booth.code)
        record.answers = check_answers(self.drive, item.get("answers") or {}, errors)
        check_capture_time(self.drive, record.captured_at, errors)
        if not record.consent:
            errors.setdefault("consent", []).append(str(_("The worker's consent is needed.")))
        record.mobile = values.get("mobile") or ""
        record.epic = values.get("epic") or ""
        self._check_code(record, item, errors)
        person_id = item.get("person_id") or (record.person_id if record.outcome in (Outcome.ACCEPTED,
                                                                                      Outcome.MERGED) else None)
        if errors:
            self._finish(record, Outcome.REJECTED, errors=errors)
            return
        try:
            if person_id:
                self._edit(record, item, person_id, fields_in)
            else:
                self._new(record, fields_in, booth)
        except (NotFound, PermissionDenied) as error:
            self._finish(record, Outcome.REJECTED, errors={"person_id": [str(error.message)]})
        except DomainError as error:
            self._finish(record, Outcome.REJECTED, errors={k: [str(m) for m in v] for k, v in error.errors.items()}
                         or {"__all__": [str(error.message)]})

    def _check_code(self, record: FieldRecord, item: dict, errors: dict) -> None:
        code = str(item.get("otp") or "").strip()
        record.otp_verified = bool(code) and bool(record.mobile) and capture_code_matches(
            scope=self.scope, client_uuid=record.client_uuid, mobile=record.mobile, code=code)
        if code and not record.otp_verified:
            errors.setdefault("otp", []).append(str(_("The code is wrong or has expired.")))
        elif self.drive.otp_required and not record.otp_verified:
            errors.setdefault("otp", []).append(str(_("Type the code the worker received by SMS.")))

    def _person_data(self, fields_in: dict, captured_at: datetime) -> dict:
        return {**fields_in, "consent_method": ConsentMethod.APP, "consent_at": captured_at,
                "consent_purposes": [ConsentPurpose.RECORDS.value]}

    def _new(self, record: FieldRecord, fields_in: dict, booth) -> None:
        values = {"mobile": record.mobile, "epic": record.epic, "unit": booth, "name": fields_in.get("name", ""),
                  "name_key": person_fields.person_name(fields_in.get("name", ""))[2],
                  "relative_name": fields_in.get("relative_name", "")}
        matches = duplicates_before_saving(values=values)
        if not matches:
            data = {**self._person_data(fields_in, record.captured_at), "unit": booth,
                    "source": PersonSource.FIELD_DRIVE}
            person = PersonCreate(scope=self.scope, data=data).execute()
            self._finish(record, Outcome.ACCEPTED, person=person)
            return
        person, reasons = matches[0]
        alike = name_score(values["name"], values["relative_name"], person.name, person.relative_name)
        if reasons == ["mobile"] or set(reasons) == {"mobile", "name"}:
            if alike >= NAME_THRESHOLD and self.scope.can_write_path(person.unit_path):
                blanks = {k: v for k, v in fields_in.items() if k not in ("name", "mobile") and not getattr(person, k)}
                person = PersonUpdate(scope=self.scope, person=person, changes=blanks,
                                      reason=f"fieldwork:{self.drive.pk}").execute()
                self._finish(record, Outcome.MERGED, person=person)
                return
        self._finish(record, Outcome.REVIEW, errors={"matches": [
            {"person_id": p.pk, "reasons": r} for p, r in matches if self.scope.can_read_path(p.unit_path)]},
            epic_on_person="epic" in {r for _p, rs in matches for r in rs})

    def _edit(self, record: FieldRecord, item: dict, person_id: int, fields_in: dict) -> None:
        person = Person.objects.filter(pk=person_id).first()
        if person is None or not any(person.unit_path.startswith(p) for p in self.assigned):
            raise NotFound(_("This worker is not in your booths."))
        base = str(item.get("base") or "")
        if base != person.updated_at.isoformat():
            mine = {k: v for k, v in fields_in.items() if str(getattr(person, k, "") or "") != str(v)}
            if mine:
                self._finish(record, Outcome.CONFLICT, errors={"server": _person_snapshot(person),
                                                               "base": person.updated_at.isoformat()})
                return
        person = PersonUpdate(scope=self.scope, person=person, changes=fields_in,
                              reason=f"fieldwork:{self.drive.pk}").execute()
        self._finish(record, Outcome.ACCEPTED, person=person)

    def _finish(self, record: FieldRecord, outcome: str, *, person=None, errors=None,
                epic_on_person: bool = False) -> None:
        record.outcome = outcome
        record.person = person
        record.errors = {}
        if outcome in (Outcome.REJECTED,):
            record.errors = {"fields": {k: [str(m) for m in v] for k, v in (errors or {}).items()}}
        elif outcome == Outcome.CONFLICT:
            record.errors = {"fields": {}, **errors}
        elif outcome == Outcome.REVIEW:
            record.errors = {"fields": {}, **(errors or {})}
        if person is not None:
            person.refresh_from_db(fields=["updated_at"])
            record.errors = {"fields": {}, "base": person.updated_at.isoformat()}
            epic_on_person = epic_registered(record.epic, person.pk)
        record.save()
        found = {} if outcome == Outcome.REJECTED else record_flags(
            record, own_mobile=self.own_mobile, epic_on_person=epic_on_person)
        flags_write(scope=self.scope, record=record, found=found, fresh=getattr(record, "fresh", False))
        record.flag_kinds = list(found)


records_sync = RecordsSync.run
