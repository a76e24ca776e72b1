"""Safe sync: a batch of records from a phone, each answered on its own.

Each record carries its client UUID, a version (the phone's edit counter) and its capture time. The UUID
is unique in ``FieldRecord``. A batch first takes a transaction lock per UUID (``_claim``, PostgreSQL
advisory locks, in one order), so a re-send — or a second copy arriving at the same moment, which waits
on the lock until the first commits — finds the stored row and gets the stored answer; nothing is created
twice. A higher version is a correction (of a rejected or conflicting record) or an edit, and is
processed again.

A batch is handled in a fixed number of statements, not a few per record: the lock, one lookup of its
client UUIDs (re-sends answered from the stored rows), the new records' ids reserved, the duplicate search
for all its new workers at once (``people.dedup.duplicates_before_saving_many``, the counter's own search),
the new people with their history rows by COPY (``people.services.PeopleCreate``), the flags from one query
per kind of sign (``services.flags``) and the devices noted, the new records written once, processed, by COPY
(``core.bulk.insert_objects``; corrections by one UPDATE), the flags' COPY, one audit row. Only merges and
edits of known workers cost statements of their own (each a ``PersonUpdate``). A batch holding one UUID
twice is taken one record at a time, so the second copy answers what the first stored.

A record is checked like an import row (``services.checks``); a new worker is matched against the registry:

* no match → registered (``PeopleCreate``): **accepted**;
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
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.bulk import allocate_ids, insert_objects, new_instances, update_rows
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.tree import SEGMENT
from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import Drive, FieldRecord, RecordFlag
from sangathan.fieldwork.services.checks import check_answers, check_capture_time, check_fields, row_checker
from sangathan.fieldwork.services.codes import capture_code_matches
from sangathan.fieldwork.services.flags import devices_note, epic_registered, flags_write, records_flags
from sangathan.fieldwork.services.sync_new import NewWorkers, finish, refusal_errors
from sangathan.org.models import Unit
from sangathan.people.models import Person
from sangathan.people.numbers import PrefixCache
from sangathan.people.services import PersonUpdate, headcount_add

MAX_BATCH = 200
CLAIM_LOCK_CLASS = 0x5357  # the first key of the records' advisory locks ("SW": sync); the UUID's first 4 bytes
# Fields shown on both sides of a conflict.
CONFLICT_FIELDS = ("name", "mobile", "relative_name", "relation", "gender", "birth_year", "epic", "alt_mobile",
                   "email", "address", "occupation", "education")
# What processing a record changes on its row (one UPDATE for the batch).
PROCESSED_FIELDS = ("version", "data", "captured_at", "consent", "lat", "lng", "accuracy", "device_id", "answers",
                    "mobile", "epic", "otp_verified", "outcome", "person", "errors", "updated_at")


def _claim(uuids: list[uuid.UUID]) -> None:
    """Take a transaction lock per client UUID (PostgreSQL), in one order, before reading the stored rows: a
    second copy of a record arriving meanwhile waits here until the first one's transaction ends, then
    finds its row and answers what it stored, so nothing is created twice. (The rows themselves are
    written once, after processing; the UUID's unique index stays the last guard.) SQLite serializes
    writers: no lock needed."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({int.from_bytes(u.bytes[:4], "big", signed=True) for u in uuids})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::integer[]) AS k",
                       [CLAIM_LOCK_CLASS, keys])


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
        # The booths with their root's code: the membership numbers' prefix, without a lookup of its own.
        root_code = Subquery(Unit.objects.filter(path=Substr(OuterRef("path"), 1, SEGMENT)).values("code")[:1])
        self.booths = {b.pk: b for b in Unit.objects.filter(pk__in=[b for b in booth_ids if isinstance(b, int)],
                                                          level="booth").annotate(root_code=root_code)}
        self.prefixes = PrefixCache()
        for booth in self.booths.values():
            self.prefixes.seed(booth.path, booth.root_code)
        self.own_mobile = getattr(self.scope.actor, "mobile", "")
        self.headcounts: Counter = Counter()  # written last (``log``)
        answers, inside = {}, []
        for item in self.records:
            booth = self.booths.get(item.get("booth_id"))
            if booth is None or not any(booth.path.startswith(path) for path in self.assigned) \
                    or not self.scope.can_write_path(booth.path):
                answers[str(item["client_uuid"])] = _refused(
                    item, "booth_id", _("This booth is not assigned to you in this drive."))
            else:
                inside.append(item)
        # In UUID order, so two overlapping batches take their rows' locks in the same order.
        answers.update(self._batch(sorted(inside, key=lambda item: str(item["client_uuid"]))))
        return [answers[str(item["client_uuid"])] for item in self.records]

    def log(self, answers: list[dict]) -> None:
        counts: dict[str, int] = {}
        for answer in answers:
            counts[answer["status"]] = counts.get(answer["status"], 0) + 1
        audit_log(scope=self.scope, action="fieldwork.sync", target=self.drive, unit_path=self.drive.unit_path,
                  detail={"records": len(answers), **counts})
        # The new workers' headcounts last: the upsert locks the root's row until commit, and every other
        # phone's batch waits on it meanwhile (``PeopleCreate``'s ``headcounts``).
        headcount_add(self.headcounts)

    # --- the batch --------------------------------------------------------------------------------------

    def _batch(self, items: list[dict]) -> dict[str, dict]:
        """Answers of ``items`` (inside the vistarak's booths, in UUID order) by client UUID."""
        if not items:
            return {}
        uuids = [uuid.UUID(str(item["client_uuid"])) for item in items]
        if len(set(uuids)) < len(uuids):  # one UUID twice: the second copy answers what the first stored
            return self._one_by_one(items)
        _claim(uuids)
        stored = {r.client_uuid: r for r in FieldRecord.objects.select_for_update().filter(
            client_uuid__in=uuids).order_by("client_uuid")}
        answers: dict[str, dict | FieldRecord] = {}
        work = []
        unstored = [(item, client_uuid) for item, client_uuid in zip(items, uuids, strict=True)
                    if client_uuid not in stored]
        fresh = new_instances(FieldRecord, (
            {"client_uuid": client_uuid, "version": item.get("version", 1), "drive": self.drive,
             "user_id": self.scope.user_id, "booth": self.booths[item["booth_id"]],
             "unit_path": self.booths[item["booth_id"]].path, "outcome": Outcome.REJECTED,
             "captured_at": item["captured_at"], "data": {}} for item, client_uuid in unstored))
        made = {client_uuid: record for (_item, client_uuid), record in zip(unstored, fresh, strict=True)}
        for item, client_uuid in zip(items, uuids, strict=True):
            key, booth = str(item["client_uuid"]), self.booths[item["booth_id"]]
            record = stored.get(client_uuid)
            if record is None:
                record = made[client_uuid]
                record.fresh = True  # no flags yet: nothing to replace
                work.append((record, item))
            elif record.user_id != self.scope.user_id or record.drive_id != self.drive.pk:
                answers[key] = _refused(item, "client_uuid", _("This record ID is taken."))
            elif item.get("version", 1) <= record.version:
                answers[key] = record  # a re-send: the stored answer
            elif record.booth_id != booth.pk:
                answers[key] = _refused(item, "booth_id", _("A record cannot move to another booth."))
            else:
                record.fresh = False
                work.append((record, item))
        # The new records' ids are reserved now (flags and answers name them); their rows are written once,
        # processed, at the end of ``_process``.
        for record, pk in zip(fresh, allocate_ids(FieldRecord._meta.db_table, len(fresh)), strict=True):
            record.pk = pk
        self._stored_flags([r for r in answers.values() if isinstance(r, FieldRecord)])
        self._process(work)
        for record, item in work:
            answers[str(item["client_uuid"])] = record
        return {key: answer_of(a) if isinstance(a, FieldRecord) else a for key, a in answers.items()}

    def _one_by_one(self, items: list[dict]) -> dict[str, dict]:
        """The batch holds one UUID twice: each record on its own, so a later copy answers what the first
        stored."""
        answers: dict[str, dict] = {}
        for item in items:
            answers.update(self._batch([item]))
        return answers

    @staticmethod
    def _stored_flags(records: list[FieldRecord]) -> None:
        kinds: dict[int, list[str]] = {record.pk: [] for record in records}
        if records:
            for record_id, kind in RecordFlag.objects.filter(record_id__in=list(kinds)).values_list("record_id",
                                                                                                    "kind"):
                kinds[record_id].append(kind)
        for record in records:
            record.flag_kinds = kinds[record.pk]

    def _process(self, work: list[tuple[FieldRecord, dict]]) -> None:
        """Check, match and write the claimed records, then save them and their flags together."""
        new = []
        for record, item in work:
            fields_in = self._read(record, item)
            if fields_in is None:
                continue
            person_id = item.get("person_id") or (record.person_id if record.outcome in (
                Outcome.ACCEPTED, Outcome.MERGED) and not getattr(record, "fresh", False) else None)
            if person_id:
                try:
                    self._edit(record, item, person_id, fields_in)
                except DomainError as error:
                    finish(record, Outcome.REJECTED, errors=refusal_errors(error))
            else:
                new.append((record, fields_in))
        NewWorkers(scope=self.scope, drive=self.drive, booths=self.booths, prefixes=self.prefixes,
                   headcounts=self.headcounts).register(new)
        records = [record for record, _item in work]
        now = timezone.now()
        for record in records:
            record.updated_at = now
        found = records_flags(records, own_mobile=self.own_mobile)
        insert_objects([record for record in records if record.fresh])
        update_rows([record for record in records if not record.fresh], PROCESSED_FIELDS)
        flags_write(records=records, found=found)
        devices_note(records)
        for record in records:
            record.flag_kinds = list(found.get(record.pk, {}))

    def _read(self, record: FieldRecord, item: dict) -> dict | None:
        """Take the phone's values onto ``record`` and check them: the person fields given, or None when
        the record is rejected (``finish`` done)."""
        fields_in = {k: v for k, v in (item.get("fields") or {}).items() if v not in (None, "")}
        record.version = item.get("version", 1)
        record.data = item.get("fields") or {}
        record.captured_at = item["captured_at"]
        record.consent = bool(item.get("consent"))
        gps = item.get("gps") if record.consent and item.get("gps_consent") else None
        record.lat, record.lng, record.accuracy = ((gps.get("lat"), gps.get("lng"), gps.get("accuracy"))
                                                   if gps else (None, None, None))
        record.device_id = str(item.get("device_id") or "")[:64]
        values, errors = check_fields(self.checker, self.keys, fields_in, record.booth.code)
        record.answers = check_answers(self.drive, item.get("answers") or {}, errors)
        check_capture_time(self.drive, record.captured_at, errors)
        if not record.consent:
            errors.setdefault("consent", []).append(str(_("The worker's consent is needed.")))
        record.mobile = values.get("mobile") or ""
        record.epic = values.get("epic") or ""
        record.checked = values  # read once: ``PeopleCreate`` takes them as they are
        self._check_code(record, item, errors)
        if errors:
            finish(record, Outcome.REJECTED, errors=errors)
            return None
        return fields_in

    def _check_code(self, record: FieldRecord, item: dict, errors: dict) -> None:
        code = str(item.get("otp") or "").strip()
        record.otp_verified = bool(code) and bool(record.mobile) and capture_code_matches(
            scope=self.scope, client_uuid=record.client_uuid, mobile=record.mobile, code=code)
        if code and not record.otp_verified:
            errors.setdefault("otp", []).append(str(_("The code is wrong or has expired.")))
        elif self.drive.otp_required and not record.otp_verified:
            errors.setdefault("otp", []).append(str(_("Type the code the worker received by SMS.")))

    def _edit(self, record: FieldRecord, item: dict, person_id: int, fields_in: dict) -> None:
        person = Person.objects.filter(pk=person_id).first()
        if person is None or not any(person.unit_path.startswith(p) for p in self.assigned):
            raise NotFound(_("This worker is not in your booths."))
        base = str(item.get("base") or "")
        if base != person.updated_at.isoformat():
            mine = {k: v for k, v in fields_in.items() if str(getattr(person, k, "") or "") != str(v)}
            if mine:
                finish(record, Outcome.CONFLICT, errors={"server": _person_snapshot(person),
                                                         "base": person.updated_at.isoformat()})
                return
        person = PersonUpdate(scope=self.scope, person=person, changes=fields_in,
                              reason=f"fieldwork:{self.drive.pk}").execute()
        finish(record, Outcome.ACCEPTED, person=person, epic_on_person=epic_registered(record.epic, person.pk))


records_sync = RecordsSync.run
