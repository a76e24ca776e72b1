import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangathan.access.scope import scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.tree import depth_of
from sangathan.org.models import Level, Position, PositionHistory, Post, Unit
from sangathan.org.services import org_seed_defaults, position_assign, position_end, unit_create
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_seed_defaults_is_idempotent_and_keeps_edits():
    org_seed_defaults()
    Level.objects.filter(code="mandal").update(name_en="Block")
    org_seed_defaults()
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
    new = unit_create(parent=parent, level="booth", code="NEW-B", name_hi="नया बूथ")
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
        unit_create(parent=tree["d1a1s"], **kwargs)
    assert field in error.value.errors
    assert Unit.objects.count() == before


def test_unit_create_respects_write_scope(tree):
    scope = scope_for_user(tree.users["booth_president"])
    with pytest.raises(PermissionDenied):
        unit_create(scope=scope, parent=tree["d1a1s"], level="booth", code="B-X", name_hi="बूथ")


def test_position_assign_records_history_and_copies_the_path(tree):
    person = PersonFactory(unit=tree["d2a2b1"])
    actor = tree.users["state_admin"]
    position = position_assign(actor=actor, person=person, post=Post.objects.get(code="secretary"),
                               unit=tree["d2"], note="appointed at the district meeting")
    assert position.unit_path == tree["d2"].path
    entry = position.history.get()
    assert (entry.action, entry.actor) == (PositionHistory.Action.ASSIGNED, actor)


def test_position_needs_exactly_one_place(tree):
    person = PersonFactory(unit=tree["d2a2b1"])
    post = Post.objects.get(code="secretary")
    with pytest.raises(DomainError):
        position_assign(person=person, post=post)
    with pytest.raises(DomainError):
        position_assign(person=person, post=post, unit=tree["d2"], overlay=tree.overlays["ls1"])


def test_the_database_also_refuses_a_position_without_place(tree):
    person = PersonFactory(unit=tree["d2a2b1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(person=person, post=Post.objects.get(code="member"))


def test_same_post_twice_at_once_is_refused(tree):
    with pytest.raises(DomainError) as error:
        position_assign(person=tree.people["booth_president"], post=Post.objects.get(code="president"),
                        unit=tree["d1a1b1"])
    assert error.value.code == "duplicate"


def test_ending_a_position_keeps_it_as_history(tree):
    position = tree.people["district_president"].positions.get()
    position.start_date = timezone.localdate() - timezone.timedelta(days=400)
    position.save()
    position_end(actor=tree.users["state_admin"], position=position, reason="new team")
    position.refresh_from_db()
    assert position.end_date == timezone.localdate()
    assert not Position.objects.current().filter(pk=position.pk).exists()
    assert list(position.history.values_list("action", flat=True)) == ["assigned", "ended"]
    with pytest.raises(DomainError):
        position_end(position=position)


def test_only_a_writer_above_may_appoint(tree):
    mandal_scope = scope_for_user(tree.users["mandal_president"])
    person = PersonFactory(unit=tree["d1a1b2"])
    post = Post.objects.get(code="president")
    position_assign(scope=mandal_scope, person=person, post=post, unit=tree["d1a1b2"])
    with pytest.raises(PermissionDenied):
        position_assign(scope=mandal_scope, person=person, post=post, unit=tree["d1a2b1"])
