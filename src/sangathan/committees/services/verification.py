"""Is a page in-charge working for real? A seeded sample of complete page committees under a unit gets
verification calls through ``outreach`` (``call_task_create(kind="verification",
source="committees.page:<id>")``), made by an official outside the booth, as campaigns' reports are
checked. The answers (``receivers``) mark the check working, not working or unreached, and leave a
history row on the page committee."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.campaigns.checks import parse_number, parse_yes_no
from sangathan.campaigns.services.verification import verification_caller
from sangathan.committees.enums import CommitteeStatus, HistoryAction
from sangathan.committees.models import Committee, CommitteeMember, PageCheck
from sangathan.committees.services.committees import history_record
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit

SOURCE_PREFIX = "committees.page:"
QUESTIONS = ["क्या आप अपने बूथ के पन्ना प्रमुख हैं? (हाँ/नहीं)",
             "पिछले महीने आपने अपने पन्ने के कितने परिवारों से संपर्क किया? (संख्या)",
             "क्या आपकी पन्ना समिति की बैठक पिछले महीने हुई? (हाँ/नहीं)"]


def page_source(committee_id: int) -> str:
    return f"{SOURCE_PREFIX}{committee_id}"


def committee_id_from_source(source: str) -> int | None:
    if not source.startswith(SOURCE_PREFIX):
        return None
    tail = source[len(SOURCE_PREFIX):]
    return int(tail) if tail.isdigit() else None


@dataclass(kw_only=True)
class PageCheckSample(Action):
    """Draw ``n`` complete page committees under ``unit`` not checked before (reproducibly from ``seed``)
    and give each a verification call for today. Write scope at ``unit``."""

    unit: Unit
    n: int
    seed: int

    name = "committees.page_check_sample"

    def check(self) -> None:
        self.scope.require(self.unit.path, write=True)
        if not 1 <= self.n <= 500:
            raise DomainError(_("Draw between 1 and 500 page in-charges."), field="n")

    def perform(self) -> list[PageCheck]:
        from sangathan.outreach.enums import CallKind
        from sangathan.outreach.services import call_task_create

        candidates = list(Committee.objects.filter(
            subtree_q("unit_path", self.unit.path), type__code="page", status=CommitteeStatus.ACTIVE,
            is_complete=True).exclude(checks__isnull=False).order_by("pk").values_list("pk", flat=True))
        rng = random.Random(self.seed)
        drawn = rng.sample(candidates, min(self.n, len(candidates)))
        seats = {s.committee_id: s for s in CommitteeMember.objects.current().filter(
            committee_id__in=drawn, post__code="page_incharge").select_related("person", "committee__unit__parent")}
        made = []
        for committee_id in sorted(drawn):
            seat = seats.get(committee_id)
            if seat is None:
                continue
            booth = seat.committee.unit.parent
            caller = verification_caller(booth, target=seat.person, rng=rng)
            if caller is None:
                continue
            check = PageCheck.objects.create(committee=seat.committee, incharge=seat.person, caller=caller,
                                             unit_path=seat.committee.unit_path)
            check.call = call_task_create(scope=self.scope, caller=caller, target=seat.person,
                                          kind=CallKind.VERIFICATION, day=clock.today(), questions=QUESTIONS,
                                          source=page_source(committee_id))
            check.save(update_fields=["call", "updated_at"])
            made.append(check)
        return made

    def log(self, made: list[PageCheck]) -> None:
        audit_log(scope=self.scope, action="committees.page_check_sample", target=self.unit,
                  detail={"n": self.n, "seed": self.seed, "drawn": [c.committee_id for c in made]})


@dataclass(kw_only=True)
class PageCheckRecord(Action):
    """What the call heard: reached and "yes" with at least one family contacted → working."""

    check_row: PageCheck
    reached: bool
    answers: list

    name = "committees.page_check_record"

    def check(self) -> None:
        self.scope.require(self.check_row.unit_path, write=True)

    def perform(self) -> PageCheck:
        check = self.check_row
        answers = list(self.answers or [])
        check.answers = answers
        check.checked_at = clock.now()
        if not self.reached:
            check.status = PageCheck.Status.UNREACHED
        else:
            is_incharge = parse_yes_no(answers[0] if answers else None)
            families = parse_number(answers[1] if len(answers) > 1 else None)
            check.status = (PageCheck.Status.WORKING if is_incharge and (families or 0) > 0
                            else PageCheck.Status.NOT_WORKING)
        check.save(update_fields=["answers", "checked_at", "status", "updated_at"])
        return check

    def log(self, check: PageCheck) -> None:
        history_record(scope=self.scope, committee=check.committee, action=HistoryAction.VERIFIED, person=check.incharge,
                       status=check.status)


page_check_sample = PageCheckSample.run
page_check_record = PageCheckRecord.run
