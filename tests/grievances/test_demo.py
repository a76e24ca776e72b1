"""The demo data loads on the demo organization and makes the cell's pages alive."""

import pytest
from django.core.management import call_command

from sangathan.grievances import demo
from sangathan.grievances.enums import GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance


@pytest.mark.django_db
def test_demo_loads_departments_logins_and_grievances_in_several_states(capsys):
    call_command("demo", scale="small")
    out = capsys.readouterr().out
    assert "login: sahyog_state_convener 6000000101" in out and "login: sahyog_district_convener" in out
    assert demo.demo_has_data()
    statuses = set(Grievance.objects.values_list("status", flat=True))
    assert {GrievanceStatus.OPEN, GrievanceStatus.FORWARDED, GrievanceStatus.RESOLVED} <= statuses
    levels = set(Grievance.objects.values_list("level", flat=True))
    assert {GrievanceLevel.DISTRICT, GrievanceLevel.STATE, GrievanceLevel.MINISTER} <= levels
    assert [login.role for login in demo.demo_logins()] == list(demo.LOGIN_ROLES)
