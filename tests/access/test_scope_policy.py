"""The policy API of ``access.scope``: the system scope, narrowing, the one require rule, combinable filters."""

import pytest
from django.db.models import Q

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.org.models import Unit

pytestmark = pytest.mark.django_db


def test_system_scope_reaches_everything_without_an_actor(tree):
    system = Scope.system(channel="cli")
    assert system.actor is None and system.is_system and system.context.channel == "cli"
    assert system.can_write_path(tree["d2a2b2"].path)
    assert set(system.unit_ids) == {tree["state"].pk}
    everything = Unit.objects.count()
    assert system.filter(Unit.objects.all(), "path").count() == everything
    # Combinable: OR with anything still selects every row (an empty Q() would vanish from the OR).
    assert Unit.objects.filter(system.q("path") | Q(pk=-1)).count() == everything
    assert Unit.objects.filter(Q(pk=-1) | system.q("path")).count() == everything


def test_user_scope_carries_actor_person_and_roles(tree):
    scope = scope_for_user(tree.users["district_president"])
    assert scope.actor == tree.users["district_president"]
    assert scope.person_id == tree.people["district_president"].pk
    assert [(r.path, r.level, r.post) for r in scope.roles] == [(tree["d1"].path, "district", "president")]
    assert [(r.path, r.source, r.level) for r in scope.roots] == [(tree["d1"].path, "position", "district")]


def test_overlay_roots_say_where_they_come_from(tree):
    scope = scope_for_user(tree.users["lok_sabha_incharge"])
    assert {r.source for r in scope.roots} == {"overlay"}
    assert {r.level for r in scope.roots} == {"assembly"}
    assert scope.roles[0].overlay_id == tree.overlays["ls1"].pk and scope.roles[0].path == ""


def test_require_is_not_found_outside_and_forbidden_when_read_only(tree):
    booth = tree["d1a1b1"].path
    reader = scope_for_user(tree.users["district_president"]).narrow(read=[tree["d1"].path], write=[])
    with pytest.raises(PermissionDenied):
        reader.require(booth)
    reader.require(booth, write=False)
    with pytest.raises(NotFound):
        reader.require(tree["d2"].path, write=False)


def test_narrow_keeps_the_actor_and_memo_computes_once(tree):
    scope = scope_for_user(tree.users["district_president"])
    calls = []

    def compute(s):
        calls.append(1)
        return s.narrow(read=[tree["d1a1"].path], write=[], flags={"app.flag"})

    first, second = scope.memo("app", compute), scope.memo("app", compute)
    assert first is second and len(calls) == 1
    assert first.actor == scope.actor and first.has_flag("app.flag")
    assert first.can_read_path(tree["d1a1b1"].path) and not first.can_read_path(tree["d1a2"].path)
    opened = scope.narrow(read=[], write=[], sees_all=True)
    assert opened.can_read_path(tree["d2"].path) and not opened.can_write_path(tree["d2"].path)


def test_empty_scope_denies_by_default(tree):
    nobody = Scope.empty()
    assert nobody.filter(Unit.objects.all(), "path").count() == 0
    assert Unit.objects.filter(nobody.q("path")).count() == 0
    with pytest.raises(NotFound):
        nobody.require(tree["state"].path, write=False)
