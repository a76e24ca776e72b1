"""Taking a grievance: tracking code, acknowledgement, the registry link, duplicates, files, bad input."""

import re

import pytest

from sangathan.access.scope import scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.grievances.enums import EventKind, GrievanceKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAttachment, GrievanceEvent
from sangathan.grievances.services import cell_settings_update
from sangathan.messaging.models import Message
from tests.factories import PersonFactory
from tests.grievances.helpers import PDF, PNG, take, upload


def test_walk_in_gets_a_tracking_code_and_an_acknowledgement(cell):
    grievance = take(cell, mobile="098260 12345")
    assert re.fullmatch(r"SG-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", grievance.tracking_code)
    assert grievance.complainant is None and grievance.complainant_mobile == "+919826012345"
    assert grievance.status == GrievanceStatus.OPEN and grievance.level == GrievanceLevel.DISTRICT
    assert grievance.unit_path == cell.tree["d1a1b1"].path and grievance.district == cell.tree["d1"]
    ack = Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:ack")
    assert ack.to_address == "+919826012345" and grievance.tracking_code in ack.body
    assert ack.kind == "transactional" and ack.unit_path == grievance.unit_path
    kinds = list(grievance.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.CREATED and EventKind.MESSAGE in kinds


def test_a_walk_in_whose_mobile_is_in_the_registry_is_linked(cell):
    worker = cell.tree.people["d1a1b1p0"]
    grievance = take(cell, mobile=worker.mobile, name="कोई और नाम")
    assert grievance.complainant == worker
    # A registered person is written to in their own language and channel, through the templates.
    assert Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:ack").person == worker


def test_seven_working_days_at_the_district(cell):
    grievance = take(cell)  # Monday 2 Feb 2026, 10:00; Sundays off
    assert grievance.due_at.date().isoformat() == "2026-02-10"


def test_same_complainant_similar_open_subject_is_flagged_not_refused(cell):
    first = take(cell, subject="मंडल अध्यक्ष बैठक की सूचना नहीं देते")
    second = take(cell, subject="मंडल अध्यक्ष बैठक की सूचना नहीं देते!")
    other = take(cell, subject="राशन कार्ड नहीं बना", kind=GrievanceKind.ADMINISTRATIVE,
                 department=cell.departments["revenue"])
    assert second.duplicate_of == first
    assert GrievanceEvent.objects.filter(grievance=second, kind=EventKind.DUPLICATE).exists()
    assert other.duplicate_of is None


def test_several_attachments_are_stored(cell):
    grievance = take(cell, attachments=[upload(PDF, "aavedan.pdf"), upload(PNG, "photo.png")])
    files = list(GrievanceAttachment.objects.filter(grievance=grievance))
    assert [f.kind for f in files] == ["pdf", "png"]
    assert files[0].original_name == "aavedan.pdf" and files[0].file.read().startswith(b"%PDF")


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"kind": GrievanceKind.ADMINISTRATIVE, "department": "no-such"}, "department", "unknown_department"),
    ({"kind": GrievanceKind.ADMINISTRATIVE}, "department", "required"),
    ({"attachments": ["BIG"]}, "attachments", "file_too_large"),
    ({"attachments": ["EXE"]}, "attachments", "file_type"),
    ({"mobile": "12"}, "complainant_mobile", None),
    ({"subject": "  "}, "subject", "required"),
    ({"channel": "fax"}, "channel", "invalid"),
    ({"unit": "div"}, "unit", "invalid"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(cell, fields, field, code):
    cell_settings_update(scope=scope_for_user(cell["state_convener"]), attachment_max_mb=1)
    if fields.get("attachments") == ["BIG"]:
        fields["attachments"] = [upload(PDF + b"0" * (1024 * 1024), "big.pdf")]
    elif fields.get("attachments") == ["EXE"]:
        fields["attachments"] = [upload(b"MZ\x90\x00" + b"\x00" * 100, "aavedan.pdf")]
    before = (Grievance.objects.count(), GrievanceEvent.objects.count(), Message.objects.count(),
              GrievanceAttachment.objects.count())
    with pytest.raises(DomainError) as raised:
        take(cell, **fields)
    assert raised.value.field == field
    if code:
        assert raised.value.code == code
    assert str(raised.value.message)
    assert (Grievance.objects.count(), GrievanceEvent.objects.count(), Message.objects.count(),
            GrievanceAttachment.objects.count()) == before


def test_only_the_cell_and_district_office_bearers_take_grievances_there(cell):
    with pytest.raises(PermissionDenied):
        take(cell, actor="district2_convener")  # a booth of district 1
    with pytest.raises(PermissionDenied):
        take(cell, actor="mandal_president", unit="d1a1m")
    assert take(cell, actor="state_member", unit="d2a2b2").district == cell.tree["d2"]


def test_the_named_office_bearer_is_routed_around(cell):
    """The complaint is about the district president: the state president gets it instead."""
    president = cell.people["district_president"]
    grievance = take(cell, named_person=president, subject="जिला अध्यक्ष कार्यकर्ताओं की बात नहीं सुनते")
    assignees = set(grievance.assignments.values_list("person_id", flat=True))
    assert president.pk not in assignees
    assert cell.tree.people["state_president"].pk in assignees
    assert cell.people["district_incharge"].pk in assignees
    assert GrievanceEvent.objects.filter(grievance=grievance, kind=EventKind.RECUSED).count() == 1


def test_administrative_grievances_go_to_the_district_cell_with_the_president_watching(cell):
    grievance = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["health"])
    assert set(grievance.assignments.values_list("person_id", "role")) == {
        (cell.people["district_convener"].pk, "assignee"), (cell.people["district_president"].pk, "watcher")}


def test_a_registered_complainant_can_be_given_directly(cell):
    person = PersonFactory(unit=cell.tree["d1a2b1"])
    grievance = take(cell, complainant=person, name="", mobile="", unit="d1a2b1")
    assert grievance.complainant_name == person.name and grievance.complainant_mobile == person.mobile
