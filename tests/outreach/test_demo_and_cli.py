import io
import random

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from sangathan.core.clock import today
from sangathan.outreach.models import CallAssignment, CallLog, ContactProgram
from sangathan.people.demo.plan import SCALES, Tree, _district_assemblies, plan_tree, seats_and_clusters

pytestmark = pytest.mark.django_db


def test_small_demo_has_a_live_program_and_a_district_incharge_login():
    out = io.StringIO()
    call_command("demo", "--scale", "small", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines() if line.startswith("login: district_incharge")]
    assert len(lines) == 1
    _, _, mobile, password = lines[0]
    user = authenticate(RequestFactory().post("/"), mobile=mobile, password=password)
    assert user is not None
    program = ContactProgram.objects.get(code="booth-samvad")
    mine = CallAssignment.objects.filter(caller=user.person, day=today())
    assert mine.count() == 2 and not mine.filter(log__isnull=False).exists()
    assert all(call.unit_path.startswith(user.person.positions.get().unit_path) for call in mine)
    assert CallLog.objects.filter(day__lt=today()).count() > 10
    assert CallAssignment.objects.filter(program=program, day__lt=today()).exists()
    again = io.StringIO()
    call_command("demo", "--scale", "small", "--if-empty", stdout=again)
    assert f"login: district_incharge {mobile} {password}" in again.getvalue()
    assert ContactProgram.objects.count() == 1


def test_up_scale_plan_is_uttar_pradesh_sized():
    spec = SCALES["up"]
    assemblies = _district_assemblies(spec)
    assert (len(assemblies), sum(assemblies.values())) == (75, 403)
    seats, clusters = seats_and_clusters(spec)
    assert len(seats) == 75 and sum(size for _, _, size in clusters) == 75
    tree = Tree(first_id=1)
    plan_tree(tree, spec, random.Random(1))
    assert len(tree.booths) >= 160_000
    assert tree.nodes[0].code == "UP" and sum(1 for n in tree.nodes if n.level == "district") == 75
    assert all("उत्तर प्रदेश जिला" in n.name_hi for n in tree.nodes if n.level == "district")


def test_calls_command(contact):
    out = io.StringIO()
    call_command("calls", "assign", "--program", str(contact.program.pk), "--seed", "3", "--send", stdout=out)
    text = out.getvalue()
    assert "6 calls assigned" in text and "3 lists queued" in text
    out = io.StringIO()
    call_command("calls", "assign", stdout=out)
    assert "0 calls assigned (6 already)" in out.getvalue()
    call_command("calls", "remind", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("calls", "assign", "--date", "yesterday")
    with pytest.raises(CommandError):
        call_command("calls", "assign", "--program", "999999")
    with pytest.raises(CommandError, match="booth-daily: "):
        call_command("calls", "assign", "--date", "2020-01-06")
    with pytest.raises(CommandError, match="week-start"):
        call_command("calls", "summary")
