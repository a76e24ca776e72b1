"""The district's side: deciding a record that needs review, and the re-verification sample.

A record needing review is decided by someone writing at its booth (the district office): registered as a
new person, merged into a matching person (the record fills that person's empty fields), or rejected.

The re-verification sample feeds the existing verification calls (``outreach.call_task_create(kind=
"verification", source="fieldwork.record:<id>")``, the caller chosen by
``campaigns.services.verification.verification_caller``, as committees' page checks do): a seeded draw of
a district's registered and merged records, flagged records weighted up (Efraimidis–Spirakis, as campaigns
draw reports).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.campaigns.services.verification import verification_caller
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.core.tree import ancestor_paths, subtree_q
from sangathan.fieldwork.enums import Outcome, ReviewDecision
from sangathan.fieldwork.models import Drive, FieldRecord, RecordFlag
from sangathan.fieldwork.policies import require_write
from sangathan.org.models import Unit
from sangathan.outreach.enums import CallKind
from sangathan.outreach.models import CallAssignment
from sangathan.outreach.services import call_task_create
from sangathan.people.enums import ConsentMethod, ConsentPurpose, PersonSource
from sangathan.people.models import Person
from sangathan.people.services import PersonCreate, PersonUpdate

SOURCE_PREFIX = "fieldwork.record:"
QUESTIONS = ["क्या हाल ही में कोई विस्तारक आपसे मिलने आए थे? (हाँ/नहीं)",
             "क्या आपने पार्टी के रिकॉर्ड के लिए अपनी जानकारी स्वयं दी? (हाँ/नहीं)",
             "क्या आप पार्टी के कार्यकर्ता हैं? (हाँ/नहीं)"]
FLAG_WEIGHT = 4.0  # a flagged record is this many times likelier to be drawn


def district_path(path: str) -> str:
    """The path of the district above ``path`` (itself when it is a district or above)."""
    district = Unit.objects.filter(path__in=[*ancestor_paths(path), path], level="district").values_list(
        "path", flat=True).first()
    return district or path


def record_source(record_id: int) -> str:
    return f"{SOURCE_PREFIX}{record_id}"


@dataclass(kw_only=True)
class RecordReview(Action):
    """Decide a record needing review; write scope at its booth. ``person`` for a merge."""

    record: FieldRecord
    decision: str
    person: Person | None = None

    def check(self) -> None:
        # The district decides, not the vistarak who wrote the record at the booth.
        require_write(self.scope, district_path(self.record.unit_path), _("You may not review records here."))
        if self.record.outcome != Outcome.REVIEW:
            raise DomainError(_("This record does not wait for review."), field="decision")
        if self.decision not in ReviewDecision.values:
            raise DomainError(_("Unknown decision."), field="decision")
        if self.decision == ReviewDecision.MERGE:
            if self.person is None:
                raise DomainError(_("Choose the person to merge into."), field="person_id")
            self.scope.require(self.person.unit_path, write=True)

    def perform(self) -> FieldRecord:
        record = FieldRecord.objects.select_for_update().get(pk=self.record.pk)
        fields_in = {k: v for k, v in record.data.items() if v not in (None, "")}
        if self.decision == ReviewDecision.CREATE:
            record.person = PersonCreate(scope=self.scope, data={
                **fields_in, "unit": record.booth, "source": PersonSource.FIELD_DRIVE,
                "consent_method": ConsentMethod.APP, "consent_at": record.captured_at,
                "consent_purposes": [ConsentPurpose.RECORDS.value]}).execute()
            record.outcome = Outcome.ACCEPTED
        elif self.decision == ReviewDecision.MERGE:
            blanks = {k: v for k, v in fields_in.items()
                      if k not in ("name", "mobile", "epic") and not getattr(self.person, k, None)}
            record.person = PersonUpdate(scope=self.scope, person=self.person, changes=blanks,
                                         reason=f"fieldwork:{record.drive_id}").execute()
            record.outcome = Outcome.MERGED
        else:
            record.outcome = Outcome.REJECTED
            record.errors = {"fields": {"__all__": [str(_("Rejected by the district."))]}}
        record.reviewed_by_id = self.scope.user_id
        record.save(update_fields=["person", "outcome", "errors", "reviewed_by", "updated_at"])
        return record

    def log(self, record: FieldRecord) -> None:
        audit_log(scope=self.scope, action="fieldwork.review", target=record, unit_path=record.unit_path,
                  detail={"decision": self.decision, "person_id": record.person_id})


@dataclass(kw_only=True)
class VerificationSample(Action):
    """Draw ``n`` of the records registered or merged under ``unit`` (a district, usually) in ``drive``,
    not drawn before, flagged ones weighted up, reproducibly from ``seed``; each becomes a verification call
    for today. Write scope at ``unit``."""

    drive: Drive
    unit: object
    n: int
    seed: int

    def check(self) -> None:
        require_write(self.scope, self.unit.path, _("You may not draw a sample here."))
        if not 1 <= self.n <= 500:
            raise DomainError(_("Draw between 1 and 500 records."), field="n")

    def perform(self) -> list[int]:
        drawn_before = {int(s[len(SOURCE_PREFIX):]) for s in _sources_drawn(self.drive)}
        rows = list(FieldRecord.objects.filter(
            subtree_q("unit_path", self.unit.path), drive=self.drive, person__isnull=False,
            outcome__in=[Outcome.ACCEPTED, Outcome.MERGED]).order_by("pk").values_list("pk", flat=True))
        flagged = set(RecordFlag.objects.filter(record_id__in=rows).values_list("record_id", flat=True))
        rng = random.Random(self.seed)
        keyed = sorted(((rng.random() ** (1 / (FLAG_WEIGHT if pk in flagged else 1.0)), pk)
                        for pk in rows if pk not in drawn_before), reverse=True)
        made = []
        records = FieldRecord.objects.select_related("person", "booth").in_bulk([pk for _k, pk in keyed[:self.n]])
        for _key, pk in keyed[:self.n]:
            record = records[pk]
            caller = verification_caller(record.booth, target=record.person, rng=rng)
            if caller is None:
                continue
            call_task_create(scope=self.scope, caller=caller, target=record.person, kind=CallKind.VERIFICATION,
                             day=clock.today(), questions=QUESTIONS, source=record_source(pk))
            made.append(pk)
        return made

    def log(self, made: list[int]) -> None:
        audit_log(scope=self.scope, action="fieldwork.verification_sample", target=self.drive,
                  unit_path=self.unit.path, detail={"n": self.n, "seed": self.seed, "drawn": made})


def _sources_drawn(drive: Drive):
    return CallAssignment.objects.filter(source__startswith=SOURCE_PREFIX).values_list("source", flat=True)


record_review = RecordReview.run
verification_sample = VerificationSample.run
