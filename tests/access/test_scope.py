"""The scope rule (DESIGN invariant 2): a grant on a unit covers its subtree, and nothing else."""

import pytest
from django.utils import timezone

from sangathan.access.models import ScopeGrant
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create, scope_grant_revoke
from sangathan.org.enums import Grant
from sangathan.org.models import Post
from sangathan.org.services import position_assign, position_end
from sangathan.people.models import Person
from sangathan.people.selectors import people_visible
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def visible_units(tree, user) -> set[str]:
    scope = scope_for_user(user)
    return {key for key, unit in tree.units.items() if scope.can_read_path(unit.path)}


def test_booth_president_sees_only_the_booth(tree):
    assert visible_units(tree, tree.users["booth_president"]) == {"d1a1b1"}


def test_mandal_president_sees_the_mandal_subtree(tree):
    assert visible_units(tree, tree.users["mandal_president"]) == {"d1a1m", "d1a1s", "d1a1b1", "d1a1b2"}


def test_district_president_sees_the_district(tree):
    seen = visible_units(tree, tree.users["district_president"])
    assert seen == {key for key in tree.units if key.startswith("d1")}


def test_lok_sabha_incharge_sees_exactly_its_assemblies(tree):
    seen = visible_units(tree, tree.users["lok_sabha_incharge"])
    expected = {k for k in tree.units if k.startswith(("d1a1", "d1a2", "d2a1"))}
    assert seen == expected
    assert "d1" not in seen and "d2a2" not in seen


def test_cluster_position_covers_its_seats_assemblies(tree):
    person = PersonFactory(unit=tree["state"])
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="incharge"),
                    overlay=tree.overlays["cl1"])
    assert visible_units(tree, make_user(person)) == visible_units(tree, tree.users["lok_sabha_incharge"])


def test_state_admin_and_state_president_see_everything(tree):
    assert visible_units(tree, tree.users["state_admin"]) == set(tree.units)
    assert visible_units(tree, tree.users["state_president"]) == set(tree.units)


def test_member_without_post_sees_nothing(tree):
    scope = scope_for_user(tree.users["nobody"])
    assert scope.is_empty
    assert people_visible(scope).count() == 0


def test_anonymous_and_inactive_see_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for_user(AnonymousUser()).is_empty
    user = tree.users["district_president"]
    user.is_active = False
    assert scope_for_user(user).is_empty


def test_ended_position_grants_nothing(tree):
    position = tree.people["booth_president"].positions.get()
    position.start_date = timezone.localdate().replace(year=2020)
    position.save()
    position_end(scope=Scope.system(), position=position, reason="term over")
    assert scope_for_user(tree.users["booth_president"]).is_empty


def test_read_only_post_grants_read_not_write(tree):
    person = PersonFactory(unit=tree["d2"])
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="convener"), unit=tree["d2"])
    scope = scope_for_user(make_user(person))
    assert scope.can_read_path(tree["d2a1b1"].path)
    assert not scope.can_write_path(tree["d2a1b1"].path)


def test_explicit_grant_for_a_data_operator(tree):
    operator = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=operator, unit=tree["d2"],
                       grant=Grant.WRITE)
    scope = scope_for_user(operator)
    assert scope.can_write_path(tree["d2a2b2"].path)
    assert not scope.can_read_path(tree["d1"].path)


def test_expired_grant_grants_nothing(tree):
    operator = make_user()
    grant = scope_grant_create(scope=Scope.system(), user=operator, unit=tree["d2"],
                               expires_at=timezone.now() + timezone.timedelta(minutes=1))
    assert not scope_for_user(operator).is_empty
    ScopeGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    assert scope_for_user(operator).is_empty


def test_revoked_grant_grants_nothing_and_stays_on_record(tree):
    operator = make_user()
    admin = tree.users["state_admin"]
    grant = scope_grant_create(scope=scope_for_user(admin), user=operator, unit=tree["d2"], grant=Grant.WRITE)
    scope_grant_revoke(scope=scope_for_user(admin), grant=grant, reason="left the office")
    assert scope_for_user(operator).is_empty
    grant.refresh_from_db()
    assert (grant.revoked_by, grant.revoke_reason) == (admin, "left the office")
    assert grant.revoked_at is not None


def test_people_filter_matches_path_rule(tree):
    scope = scope_for_user(tree.users["mandal_president"])
    expected = {p.pk for p in Person.objects.all() if p.unit_path.startswith(tree["d1a1m"].path)}
    assert set(people_visible(scope).values_list("pk", flat=True)) == expected
    assert expected


def test_scope_is_computed_in_few_queries(tree, django_assert_max_num_queries):
    user = tree.users["lok_sabha_incharge"]
    with django_assert_max_num_queries(4):
        scope_for_user(user)


def test_empty_scope_filters_to_nothing():
    assert Scope.empty().q().children  # a real condition, not "match all"
