import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.names import name_key
from sangathan.people.models import Person, PersonHistory
from sangathan.people.services import person_create, person_update

pytestmark = pytest.mark.django_db


def test_create_normalizes_and_records_history(tree):
    actor = tree.users["booth_president"]
    person = person_create(scope=scope_for_user(actor), name="  राम   खंडेलवाल ",
                           mobile="098260-12345", unit=tree["d1a1b1"], epic="abc1234567", birth_year="1980")
    assert person.name == "राम खंडेलवाल"
    assert person.name_key == name_key("Ram Khandelwal")
    assert person.mobile == "+919826012345"
    assert person.epic == "ABC1234567"
    assert person.unit_path == tree["d1a1b1"].path
    entry = person.history.get()
    assert entry.action == PersonHistory.Action.CREATED and entry.actor == actor


def test_every_field_error_is_reported_at_once_and_nothing_is_written(tree):
    before = Person.objects.count()
    with pytest.raises(DomainError) as error:
        person_create(scope=Scope.system(), name="x" * 151, mobile="12345", unit=tree["d1a1b1"], epic="bad", birth_year=1700,
                      gender="z")
    assert set(error.value.errors) == {"name", "mobile", "epic", "birth_year", "gender"}
    assert Person.objects.count() == before


def test_duplicate_mobile_and_epic_are_field_errors(tree):
    existing = tree.people["d1a1b1p0"]
    with pytest.raises(DomainError) as error:
        person_create(scope=Scope.system(), name="Other", mobile=existing.mobile, unit=tree["d1a1b1"])
    assert "mobile" in error.value.errors
    person_create(scope=Scope.system(), name="One", mobile="9826012345", unit=tree["d1a1b1"], epic="ABC1234567")
    with pytest.raises(DomainError) as error:
        person_create(scope=Scope.system(), name="Two", mobile="9826012346", unit=tree["d1a1b1"], epic="abc 1234567")
    assert "epic" in error.value.errors


def test_create_outside_write_scope_is_refused(tree):
    scope = scope_for_user(tree.users["booth_president"])
    with pytest.raises(PermissionDenied):
        person_create(scope=scope, name="Ram", mobile="9826012345", unit=tree["d1a1b2"])


def test_update_records_before_and_after_and_moves_the_path(tree):
    person = tree.people["d1a1b1p0"]
    actor = tree.users["mandal_president"]
    person_update(scope=scope_for_user(actor), person=person, name="सुरेश यादव", unit=tree["d1a1b2"])
    person.refresh_from_db()
    assert person.unit_path == tree["d1a1b2"].path
    assert person.name_latin == "suresh yadav"
    entry = person.history.first()
    assert entry.changes["unit"] == [tree["d1a1b1"].pk, tree["d1a1b2"].pk]
    assert entry.changes["name"][1] == "सुरेश यादव"


def test_update_with_no_change_writes_no_history(tree):
    person = tree.people["d1a1b1p0"]
    person_update(scope=Scope.system(), person=person, name=person.name)
    assert person.history.count() == 1


def test_status_change_is_its_own_history_action(tree):
    person = person_update(scope=Scope.system(), person=tree.people["d1a1b1p0"], status="expelled")
    assert person.history.first().action == PersonHistory.Action.STATUS


def test_moving_a_person_out_of_scope_is_refused(tree):
    scope = scope_for_user(tree.users["mandal_president"])
    with pytest.raises(PermissionDenied):
        person_update(scope=scope, person=tree.people["d1a1b1p0"], unit=tree["d1a2b1"])
    with pytest.raises(NotFound):  # another mandal's record does not exist for this one's president
        person_update(scope=scope, person=tree.people["d1a2b1p0"], name="x")


def test_unknown_fields_are_refused(tree):
    with pytest.raises(DomainError):
        person_update(scope=Scope.system(), person=tree.people["d1a1b1p0"], unit_path="0001")
