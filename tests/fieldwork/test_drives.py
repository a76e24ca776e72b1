from datetime import timedelta

import pytest

from sangathan.access.models import ScopeGrant
from sangathan.core import clock
from sangathan.core.errors import DomainError, NotFound
from sangathan.fieldwork.models import Assignment, BoothTarget
from sangathan.fieldwork.services import booth_target_set, drive_create, plan_set, vistarak_assign
from tests.factories import PersonFactory
from tests.fieldwork.conftest import scope_of, vscope

pytestmark = pytest.mark.django_db


def test_drive_form_errors_are_all_said_at_once(tree):
    today = clock.today()
    with pytest.raises(DomainError) as caught:
        drive_create(scope=scope_of(tree, "district_president"), unit=tree["d1"], title=" ", starts_on=today,
                     ends_on=today - timedelta(days=1), consent_text="", person_fields=["shoe_size"],
                     questions=[{"code": "a", "label": "x", "kind": "colour"}])
    assert set(caught.value.errors) == {"name", "ends_on", "consent_text", "person_fields", "questions"}


def test_drive_only_where_the_actor_writes(tree):
    today = clock.today()
    with pytest.raises(NotFound):
        drive_create(scope=scope_of(tree, "district_president"), unit=tree["d2"], title="x", starts_on=today,
                     ends_on=today, consent_text="ok")
    with pytest.raises(NotFound):
        drive_create(scope=scope_of(tree, "booth_president"), unit=tree["d1a1"], title="x", starts_on=today,
                     ends_on=today, consent_text="ok")


def test_assignment_gives_a_login_and_write_scope_over_the_booth_only(tree, drive, vistarak):
    scope = vscope(vistarak)
    assert scope.can_write_path(tree["d1a1b1"].path)
    assert not scope.can_write_path(tree["d1a1b2"].path)
    assert not scope.can_read_path(tree["d2a1b1"].path)
    grant = ScopeGrant.objects.get(user=vistarak)
    assert grant.expires_at.date() == drive.ends_on and grant.reason == f"fieldwork:{drive.pk}"
    assert not vistarak.has_usable_password()  # set through the login flow's code ("forgot password")
    # Assigning again is idempotent.
    again = vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive, vistarak=vistarak.person,
                            unit=tree["d1a1b1"])
    assert Assignment.objects.filter(drive=drive).count() == 1 and again.user_id == vistarak.pk


def test_assignment_outside_the_drive_or_to_a_district_is_refused(tree, drive):
    person = PersonFactory(unit=tree["d1a1m"])
    with pytest.raises(DomainError) as caught:
        vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive, vistarak=person, unit=tree["d1"])
    assert caught.value.field == "unit"
    with pytest.raises(NotFound):
        vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive, vistarak=person,
                        unit=tree["d2a1b1"])


def test_targets_and_plans(tree, drive, vistarak):
    assert BoothTarget.objects.get(drive=drive, booth=tree["d1a1b1"]).target == 30
    with pytest.raises(DomainError) as caught:
        booth_target_set(scope=scope_of(tree, "district_president"), drive=drive, booth=tree["d1a1m"], target=-1,
                         lat=91.0)
    assert {"booth", "target", "lat"} <= set(caught.value.errors)
    assignment = Assignment.objects.get(user=vistarak)
    plan = plan_set(scope=scope_of(tree, "district_president"), assignment=assignment, day=clock.today(),
                    booth=tree["d1a1b1"], planned=12)
    assert plan.planned == 12
    with pytest.raises(DomainError) as caught:
        plan_set(scope=scope_of(tree, "district_president"), assignment=assignment,
                 day=drive.ends_on + timedelta(days=3), booth=tree["d1a1b2"], planned=5)
    assert {"booth", "day"} == set(caught.value.errors)
