"""Per-record answers of the safe sync: accepted, merged, needs review, rejected (field-level), conflict;
re-sends, corrections and the vistarak's booths."""

import pytest

from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import FieldRecord
from sangathan.fieldwork.services import record_review, records_sync
from sangathan.people.models import Person, PersonHistory
from sangathan.people.services import person_update
from tests.factories import PersonFactory
from tests.fieldwork.conftest import Scope, record, scope_of, vscope

pytestmark = pytest.mark.django_db


def sync(user, drive, *items):
    return records_sync(scope=vscope(user), drive=drive, records=list(items))


def test_new_worker_is_accepted_with_capture_time_and_answer(tree, drive, vistarak):
    item = record(tree, name="रमेश चंद्र", answers={"family": "5"})
    [answer] = sync(vistarak, drive, item)
    assert answer["status"] == Outcome.ACCEPTED and answer["errors"] == {}
    person = Person.objects.get(pk=answer["person_id"])
    assert person.unit == tree["d1a1b1"] and person.source == "field_drive"
    assert person.consent_at == item["captured_at"]  # the capture time, not the sync time
    stored = FieldRecord.objects.get(client_uuid=item["client_uuid"])
    assert stored.answers == {"family": 5} and stored.captured_at == item["captured_at"]


def test_resend_gets_the_same_answer_and_creates_nothing(tree, drive, vistarak):
    items = [record(tree) for _ in range(3)]
    first = sync(vistarak, drive, *items)
    people = Person.objects.count()
    again = sync(vistarak, drive, *items)
    assert again == first and Person.objects.count() == people
    assert FieldRecord.objects.count() == 3


def test_bad_fields_are_rejected_field_by_field_and_correctable(tree, drive, vistarak):
    item = record(tree, mobile="12345", birth_year="1800", consent=False, answers={"family": "many"})
    [answer] = sync(vistarak, drive, item)
    assert answer["status"] == Outcome.REJECTED and answer["person_id"] is None
    assert {"mobile", "birth_year", "consent", "answers.family"} == set(answer["errors"])
    # The phone keeps it, the vistarak corrects it and sends version 2: processed again.
    fixed = {**item, "version": 2, "consent": True, "answers": {"family": 4},
             "fields": {**item["fields"], "mobile": "9826012345", "birth_year": "1980"}}
    [answer] = sync(vistarak, drive, fixed)
    assert answer["status"] == Outcome.ACCEPTED and answer["version"] == 2


def test_same_mobile_and_name_merges_into_the_registered_worker(tree, drive, vistarak):
    existing = PersonFactory(unit=tree["d1a1b1"], name="सुरेश पटेल", mobile="+919826011111")
    [answer] = sync(vistarak, drive, record(tree, name="सुरेश पटेल", mobile="9826011111", relative_name="रामलाल पटेल"))
    assert answer["status"] == Outcome.MERGED and answer["person_id"] == existing.pk
    existing.refresh_from_db()
    assert existing.relative_name == "रामलाल पटेल"  # an empty field filled
    assert PersonHistory.objects.filter(person=existing, reason=f"fieldwork:{drive.pk}").exists()


def test_same_mobile_other_name_or_same_voter_id_waits_for_the_district(tree, drive, vistarak):
    PersonFactory(unit=tree["d1a1b1"], name="सुरेश पटेल", mobile="+919826022222")
    PersonFactory(unit=tree["d1a1b2"], name="कमला देवी", epic="ABC1234567")
    by_mobile, by_epic = sync(vistarak, drive, record(tree, name="हरीश मीणा", mobile="9826022222"),
                              record(tree, name="नई सदस्य", epic="ABC1234567"))
    assert by_mobile["status"] == by_epic["status"] == Outcome.REVIEW
    assert "epic_used" in by_epic["flags"]
    waiting = FieldRecord.objects.get(client_uuid=by_mobile["client_uuid"])
    # The district registers it as a new person after all (here: a new mobile would clash; reject instead).
    done = record_review(scope=scope_of(tree, "district_president"), record=waiting, decision="reject")
    assert done.outcome == Outcome.REJECTED


def test_review_can_register_the_record(tree, drive, vistarak):
    PersonFactory(unit=tree["d1a1b1"], name="गोपाल दास", relative_name="हरि दास")
    [answer] = sync(vistarak, drive, record(tree, name="गोपाल दास", relative_name="हरि दास"))
    assert answer["status"] == Outcome.REVIEW  # a name alike in the same booth
    waiting = FieldRecord.objects.get(client_uuid=answer["client_uuid"])
    with pytest.raises(NotFound):  # the district decides; the vistarak cannot even see it
        record_review(scope=vscope(vistarak), record=waiting, decision="create")
    done = record_review(scope=scope_of(tree, "district_president"), record=waiting, decision="create")
    assert done.outcome == Outcome.ACCEPTED and done.person.name == "गोपाल दास"


def test_edit_of_a_worker_changed_meanwhile_is_a_conflict_with_both_versions(tree, drive, vistarak):
    worker = tree.people["d1a1b1p0"]
    base = worker.updated_at.isoformat()
    person_update(scope=Scope.system(), person=worker, address="नया पता, वार्ड 4")  # the office, meanwhile
    edit = record(tree, name=worker.name, mobile=worker.mobile, person_id=worker.pk, base=base)
    edit["fields"]["relative_name"] = "श्याम लाल"
    [answer] = sync(vistarak, drive, edit)
    assert answer["status"] == Outcome.CONFLICT
    assert answer["server"]["name"] == worker.name and answer["phone"]["relative_name"] == "श्याम लाल"
    # Corrected against the server's version: accepted.
    [answer] = sync(vistarak, drive, {**edit, "version": 2, "base": answer["base"]})
    assert answer["status"] == Outcome.ACCEPTED
    worker.refresh_from_db()
    assert worker.relative_name == "श्याम लाल" and worker.address == "नया पता, वार्ड 4"


def test_edit_without_change_meanwhile_is_accepted(tree, drive, vistarak):
    worker = tree.people["d1a1b1p1"]
    edit = record(tree, name=worker.name, mobile=worker.mobile, person_id=worker.pk,
                  base=worker.updated_at.isoformat(), relative_name="मोतीलाल")
    [answer] = sync(vistarak, drive, edit)
    assert answer["status"] == Outcome.ACCEPTED


def test_outside_assigned_booths_refused_and_nothing_stored(tree, drive, vistarak):
    [answer] = sync(vistarak, drive, record(tree, booth="d1a1b2"))
    assert answer["status"] == Outcome.REJECTED and "booth_id" in answer["errors"]
    worker = tree.people["d1a1b2p0"]
    [answer] = sync(vistarak, drive, record(tree, person_id=worker.pk, base=worker.updated_at.isoformat(),
                                            name=worker.name, mobile=worker.mobile))
    assert answer["status"] == Outcome.REJECTED and "person_id" in answer["errors"]
    assert FieldRecord.objects.filter(booth=tree["d1a1b2"]).count() == 0


def test_someone_without_an_assignment_cannot_sync(tree, drive):
    with pytest.raises(PermissionDenied):
        records_sync(scope=scope_of(tree, "booth_president"), drive=drive, records=[record(tree)])


def test_another_vistaraks_uuid_is_not_revealed(tree, drive, vistarak):
    other = PersonFactory(unit=tree["d1a1m"])
    from sangathan.fieldwork.services import vistarak_assign

    second = vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive, vistarak=other,
                             unit=tree["d1a1b1"]).user
    item = record(tree)
    sync(vistarak, drive, item)
    [answer] = sync(second, drive, item)
    assert answer["status"] == Outcome.REJECTED and "client_uuid" in answer["errors"]
