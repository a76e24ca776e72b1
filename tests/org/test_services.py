import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.tree import depth_of
from sangathan.org.enums import OverlayKind
from sangathan.org.models import Level, OrgChange, Position, PositionHistory, Post, Unit
from sangathan.org.services import (
    org_seed_defaults,
    overlay_create,
    position_assign,
    position_end,
    unit_create,
)
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_seed_defaults_is_idempotent_and_keeps_edits():
    org_seed_defaults(scope=Scope.system(channel="cli"))
    assert OrgChange.objects.filter(action="created", actor=None, channel="cli").count() == 8 + 11 + 10
    Level.objects.filter(code="mandal").update(name_en="Block")
    assert org_seed_defaults(scope=Scope.system()) == []
    assert OrgChange.objects.count() == 29
    assert Level.objects.count() == 8
    assert Level.objects.get(code="mandal").name_en == "Block"
    assert list(Level.objects.values_list("code", flat=True)) == [
        "state", "division", "district", "assembly", "mandal", "shakti_kendra", "booth", "page",
    ]


def test_children_get_consecutive_paths_under_their_parent(tree):
    parent = tree["d1a1s"]
    booths = list(parent.children.order_by("path"))
    assert [b.path[: len(parent.path)] for b in booths] == [parent.path] * len(booths)
    assert all(depth_of(b.path) == parent.depth + 1 for b in booths)
    new = unit_create(scope=Scope.system(), parent=parent, level="booth", code="NEW-B", name_hi="नया बूथ")
    assert new.path > booths[-1].path
    assert Unit.objects.get(pk=parent.pk).child_counter == len(booths) + 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": "planet", "code": "X1", "name_hi": "x"}, "level"),
        ({"level": "state", "code": "X2", "name_hi": "x"}, "level"),  # not below its parent
        ({"level": "booth", "code": "", "name_hi": "x"}, "code"),
        ({"level": "booth", "code": "D1", "name_hi": "x"}, "code"),  # duplicate code
        ({"level": "booth", "code": "X3", "name_hi": ""}, "name_hi"),
        ({"level": "booth", "code": "X4", "name_hi": "x" * 201}, "name_hi"),
    ],
)
def test_unit_create_refuses_bad_input(tree, kwargs, field):
    before = Unit.objects.count()
    with pytest.raises(DomainError) as error:
        unit_create(scope=Scope.system(), parent=tree["d1a1s"], **kwargs)
    assert field in error.value.errors
    assert Unit.objects.count() == before


def test_unit_create_respects_write_scope(tree):
    with pytest.raises(NotFound):  # the shakti kendra above the booth is outside the booth president's scope
        unit_create(scope=scope_for_user(tree.users["booth_president"]), parent=tree["d1a1s"], level="booth",
                    code="B-X", name_hi="बूथ")
    reader = PersonFactory(unit=tree["d1"])
    position_assign(scope=Scope.system(), person=reader, post=Post.objects.get(code="convener"), unit=tree["d1"])
    with pytest.raises(PermissionDenied):  # visible, but the convener's post only reads
        unit_create(scope=scope_for_user(make_user(reader)), parent=tree["d1a1s"], level="booth", code="B-X",
                    name_hi="बूथ")
    assert not Unit.objects.filter(code="B-X").exists()
    assert not OrgChange.objects.filter(entity="unit", after__code="B-X").exists()


def test_unit_create_records_who_added_it(tree):
    actor = tree.users["mandal_president"]
    unit = unit_create(scope=scope_for_user(actor), parent=tree["d1a1s"], level="booth", code="D1A1B9",
                       name_hi="बूथ 9")
    change = OrgChange.objects.get(entity="unit", entity_id=unit.pk)
    assert (change.action, change.actor) == (OrgChange.Action.CREATED, actor)
    assert change.after == {"parent": tree["d1a1s"].pk, "path": unit.path, "level": "booth", "code": "D1A1B9",
                            "name_hi": "बूथ 9", "name_en": ""}


def test_only_a_superuser_or_the_system_adds_a_root(tree):
    with pytest.raises(PermissionDenied):
        unit_create(scope=scope_for_user(tree.users["state_president"]), parent=None, level="state", code="CG",
                    name_hi="छत्तीसगढ़")
    root = unit_create(scope=scope_for_user(tree.users["state_admin"]), parent=None, level="state", code="CG",
                       name_hi="छत्तीसगढ़")
    assert root.depth == 1 and root.path != tree["state"].path


def test_position_assign_records_history_and_copies_the_path(tree):
    person = PersonFactory(unit=tree["d2a2b1"])
    actor = tree.users["state_admin"]
    position = position_assign(scope=scope_for_user(actor), person=person, post=Post.objects.get(code="secretary"),
                               unit=tree["d2"], note="appointed at the district meeting")
    assert position.unit_path == tree["d2"].path
    entry = position.history.get()
    assert (entry.action, entry.actor) == (PositionHistory.Action.ASSIGNED, actor)


def test_position_needs_exactly_one_place(tree):
    person = PersonFactory(unit=tree["d2a2b1"])
    post = Post.objects.get(code="secretary")
    with pytest.raises(DomainError):
        position_assign(scope=Scope.system(), person=person, post=post)
    with pytest.raises(DomainError):
        position_assign(scope=Scope.system(), person=person, post=post, unit=tree["d2"], overlay=tree.overlays["ls1"])


def test_the_database_also_refuses_a_position_without_place(tree):
    person = PersonFactory(unit=tree["d2a2b1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(person=person, post=Post.objects.get(code="member"))


def test_same_post_twice_at_once_is_refused(tree):
    with pytest.raises(DomainError) as error:
        position_assign(scope=Scope.system(), person=tree.people["booth_president"], post=Post.objects.get(code="president"),
                        unit=tree["d1a1b1"])
    assert error.value.code == "duplicate"


def test_ending_a_position_keeps_it_as_history(tree):
    position = tree.people["district_president"].positions.get()
    position.start_date = timezone.localdate() - timezone.timedelta(days=400)
    position.save()
    position_end(scope=scope_for_user(tree.users["state_admin"]), position=position, reason="new team")
    position.refresh_from_db()
    assert position.end_date == timezone.localdate()
    assert not Position.objects.current().filter(pk=position.pk).exists()
    assert list(position.history.values_list("action", flat=True)) == ["assigned", "ended"]
    assert position.history.get(action="ended").actor == tree.users["state_admin"]
    with pytest.raises(DomainError):
        position_end(scope=Scope.system(), position=position)


def test_only_a_writer_above_may_appoint(tree):
    mandal_scope = scope_for_user(tree.users["mandal_president"])
    person = PersonFactory(unit=tree["d1a1b2"])
    post = Post.objects.get(code="president")
    position_assign(scope=mandal_scope, person=person, post=post, unit=tree["d1a1b2"])
    with pytest.raises(NotFound):
        position_assign(scope=mandal_scope, person=person, post=post, unit=tree["d1a2b1"])
    with pytest.raises(NotFound):  # a cluster spans the seats' assemblies, most of them outside the mandal
        position_assign(scope=mandal_scope, person=person, post=post, overlay=tree.overlays["cl1"])
    with pytest.raises(NotFound):
        position_end(scope=mandal_scope, position=tree.people["lok_sabha_incharge"].positions.get())


def test_an_overlay_needs_write_at_every_unit_it_covers_and_is_recorded(tree):
    scope = scope_for_user(tree.users["district_president"])
    with pytest.raises(NotFound):
        overlay_create(scope=scope, kind=OverlayKind.LOK_SABHA, code="LS9", name_hi="लोकसभा 9",
                       units=[tree["d1a1"], tree["d2a2"]])
    with pytest.raises(PermissionDenied):  # covering nothing yet: a state administrator's
        overlay_create(scope=scope, kind=OverlayKind.CLUSTER, code="CL9", name_hi="क्लस्टर 9")
    seat = overlay_create(scope=scope, kind=OverlayKind.LOK_SABHA, code="LS9", name_hi="लोकसभा 9",
                          units=[tree["d1a1"], tree["d1a2"]])
    change = OrgChange.objects.get(entity="overlay", entity_id=seat.pk)
    assert (change.actor, change.after["code"]) == (tree.users["district_president"], "LS9")
    assert change.after["units"] == sorted([tree["d1a1"].pk, tree["d1a2"].pk])
    with pytest.raises(DomainError) as error:
        overlay_create(scope=Scope.system(), kind=OverlayKind.LOK_SABHA, code="LS9", name_hi="x")
    assert error.value.code == "duplicate"
