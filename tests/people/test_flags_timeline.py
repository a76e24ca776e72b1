"""Person flags (raised by callers, reviewed by offices) and the cross-app person timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.enums import Grant
from sangathan.people.enums import FlagKind
from sangathan.people.selectors import person_flags_open
from sangathan.people.services import person_flag_raise, person_flag_resolve, person_update
from sangathan.people.timeline import TimelineEntry, person_timeline, timeline_source, timeline_sources
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_raising_a_flag_twice_keeps_one_open_flag(tree):
    person = tree.people["d1a1b1p0"]
    first = person_flag_raise(scope=Scope.system(), person=person, kind=FlagKind.WRONG_MOBILE, note="switched off for a week",
                              source="outreach.calllog:1")
    again = person_flag_raise(scope=Scope.system(), person=person, kind=FlagKind.WRONG_MOBILE, note="another caller")
    assert again.pk == first.pk
    assert person.flags.count() == 1
    assert first.unit_path == person.unit_path


def test_a_resolved_flag_can_be_raised_again(tree):
    person = tree.people["d1a1b1p0"]
    flag = person_flag_raise(scope=Scope.system(), person=person, kind=FlagKind.WRONG_MOBILE)
    person_flag_resolve(scope=scope_for_user(tree.users["district_president"]), flag=flag, resolution="number corrected")
    flag.refresh_from_db()
    assert flag.resolved_by == tree.users["district_president"] and flag.resolution == "number corrected"
    assert person_flag_raise(scope=Scope.system(), person=person, kind=FlagKind.WRONG_MOBILE).pk != flag.pk
    with pytest.raises(DomainError):
        person_flag_resolve(scope=Scope.system(), flag=flag)


def test_bad_flag_input_is_refused(tree):
    person = tree.people["d1a1b1p0"]
    with pytest.raises(DomainError) as error:
        person_flag_raise(scope=Scope.system(), person=person, kind="rumour")
    assert error.value.field == "kind"
    with pytest.raises(DomainError) as error:
        person_flag_raise(scope=Scope.system(), person=person, kind=FlagKind.OTHER, note="x" * 501)
    assert error.value.field == "note"
    assert not person.flags.exists()


def test_open_flags_are_listed_per_scope(tree):
    person_flag_raise(scope=Scope.system(), person=tree.people["d1a1b2p0"], kind=FlagKind.WRONG_MOBILE)
    person_flag_raise(scope=Scope.system(), person=tree.people["d2a1b1p0"], kind=FlagKind.WRONG_MOBILE)
    district = scope_for_user(tree.users["district_president"])
    assert [f.person for f in person_flags_open(scope=district)] == [tree.people["d1a1b2p0"]]
    assert person_flags_open(scope=scope_for_user(tree.users["state_admin"])).count() == 2
    booth = scope_for_user(tree.users["booth_president"])
    with pytest.raises(NotFound):  # another booth's record: not there for this booth's president
        person_flag_resolve(scope=booth, flag=person_flags_open(scope=district).get())
    reader = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=reader, unit=tree["d1"], grant=Grant.READ)
    with pytest.raises(PermissionDenied):  # visible, not writable
        person_flag_resolve(scope=scope_for_user(reader), flag=person_flags_open(scope=district).get())


def test_timeline_merges_sources_newest_first_and_respects_scope(tree):
    person = tree.people["d1a1b1p0"]
    person_update(scope=scope_for_user(tree.users["district_president"]), person=person, birth_year=1980)
    person_flag_raise(scope=Scope.system(), person=person, kind=FlagKind.WRONG_MOBILE, note="wrong number")
    later = timezone.now() + timedelta(minutes=5)

    @timeline_source("tests.example")
    def example(person, scope, limit):
        yield TimelineEntry(at=later, kind="call", title="Called")

    try:
        scope = scope_for_user(tree.users["district_president"])
        entries = person_timeline(person=person, scope=scope)
        assert [e.kind for e in entries] == ["call", "flag", "edit", "edit"]
        assert entries[2].actor and "1980" in entries[2].detail
        assert len(person_timeline(person=person, scope=scope, limit=2)) == 2
        other = scope_for_user(tree.users["nobody"])
        assert person_timeline(person=person, scope=other) == []
    finally:
        from sangathan.people import timeline

        timeline._sources.pop("tests.example")
    assert "tests.example" not in timeline_sources()
