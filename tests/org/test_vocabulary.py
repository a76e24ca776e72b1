"""Levels, posts and wings change only through their actions, by a state administrator, with history."""

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.org.enums import Grant, WingKind
from sangathan.org.models import Level, OrgChange, Post, Wing
from sangathan.org.services import (
    level_create,
    level_update,
    org_seed_defaults,
    position_assign,
    post_create,
    post_update,
    wing_create,
    wing_update,
)
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_a_posts_grant_changes_its_holders_scope_and_is_recorded(tree):
    holder = PersonFactory(unit=tree["d2"])
    post = Post.objects.get(code="convener")
    position_assign(scope=Scope.system(), person=holder, post=post, unit=tree["d2"])
    user = make_user(holder)
    assert not scope_for_user(user).can_write_path(tree["d2a1"].path)
    president = tree.users["state_president"]  # no superuser: a writer at the root unit
    post_update(scope=scope_for_user(president), term=post, changes={"grant": Grant.WRITE}, reason="state decision")
    assert scope_for_user(user).can_write_path(tree["d2a1"].path)
    change = OrgChange.objects.get(entity="post", entity_id=post.pk, action=OrgChange.Action.UPDATED)
    assert (change.actor, change.before, change.after, change.reason) == (
        president, {"grant": "read"}, {"grant": "write"}, "state decision")


def test_only_a_state_administrator_edits_the_vocabulary(tree):
    scope = scope_for_user(tree.users["district_president"])
    post = Post.objects.get(code="convener")
    with pytest.raises(PermissionDenied):
        post_update(scope=scope, term=post, changes={"grant": Grant.WRITE})
    with pytest.raises(PermissionDenied):
        post_create(scope=scope, code="spokesperson", name_hi="प्रवक्ता", name_en="Spokesperson")
    with pytest.raises(PermissionDenied):
        wing_create(scope=scope, code="it", name_hi="आईटी प्रकोष्ठ", name_en="IT cell", kind=WingKind.CELL)
    assert Post.objects.get(pk=post.pk).grant == Grant.READ
    assert not OrgChange.objects.filter(action=OrgChange.Action.UPDATED).exists()


def test_codes_are_fixed_and_the_models_rules_apply(tree):
    system = Scope.system()
    level = Level.objects.get(code="booth")
    with pytest.raises(DomainError) as error:
        level_update(scope=system, term=level, changes={"code": "polling_station"})
    assert error.value.code == "read_only"
    with pytest.raises(DomainError) as error:
        level_create(scope=system, code="ward", name_hi="वार्ड", name_en="Ward", rank=level.rank)
    assert "rank" in error.value.errors
    with pytest.raises(DomainError) as error:
        post_create(scope=system, code="bad code", name_hi="x", name_en="x")
    assert "code" in error.value.errors
    with pytest.raises(DomainError) as error:
        wing_update(scope=system, term=Wing.objects.get(code="yuva"), changes={"kind": "club"})
    assert "kind" in error.value.errors


def test_new_terms_are_recorded(tree):
    admin = tree.users["state_admin"]
    wing = wing_create(scope=scope_for_user(admin), code="it", name_hi="आईटी प्रकोष्ठ", name_en="IT cell",
                       kind=WingKind.CELL)
    change = OrgChange.objects.get(entity="wing", entity_id=wing.pk)
    assert (change.action, change.actor) == (OrgChange.Action.CREATED, admin)
    assert change.after == {"code": "it", "name_hi": "आईटी प्रकोष्ठ", "name_en": "IT cell", "kind": "cell"}
    wing_update(scope=scope_for_user(admin), term=wing, changes={"name_en": "IT and media cell"})
    assert Wing.objects.get(pk=wing.pk).name_en == "IT and media cell"
    assert OrgChange.objects.filter(entity="wing", entity_id=wing.pk).count() == 2


def test_seeding_the_vocabulary_is_a_state_administrators(tree):
    with pytest.raises(PermissionDenied):
        org_seed_defaults(scope=scope_for_user(tree.users["district_president"]))
    assert org_seed_defaults(scope=scope_for_user(tree.users["state_admin"])) == []
