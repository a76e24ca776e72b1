"""Scope grants: given only within the giver's own write scope, revoked (never deleted), always audited."""

import pytest

from sangathan.access.models import AuditLog, ScopeGrant
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create, scope_grant_revoke
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.enums import Grant
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(tree):
    """A staff operator who reads district 1 and writes only its first assembly."""
    user = make_user()
    user.is_staff = True
    user.save()
    system = Scope.system()
    scope_grant_create(scope=system, user=user, unit=tree["d1"], grant=Grant.READ)
    scope_grant_create(scope=system, user=user, unit=tree["d1a1"], grant=Grant.WRITE)
    return user


def test_a_writer_grants_within_their_subtree_with_an_audit_row(tree):
    president = tree.users["district_president"]
    clerk = make_user()
    grant = scope_grant_create(scope=scope_for_user(president), user=clerk, unit=tree["d1a2"], grant=Grant.WRITE,
                               reason="data entry")
    assert grant.granted_by == president
    audit = AuditLog.objects.get(action="scope_grant.create")
    assert (audit.actor, audit.target_id, audit.unit_path) == (president, grant.pk, tree["d1a2"].path)
    assert audit.detail["user_id"] == clerk.pk and audit.detail["grant"] == "write"
    assert scope_for_user(clerk).can_write_path(tree["d1a2b1"].path)


def test_nobody_grants_beyond_their_own_write_scope(tree, operator):
    scope = scope_for_user(operator)
    with pytest.raises(PermissionDenied):  # district 1 is visible to them, but only readable
        scope_grant_create(scope=scope, user=operator, unit=tree["d1"], grant=Grant.WRITE)
    with pytest.raises(PermissionDenied):
        scope_grant_create(scope=scope, user=make_user(), unit=tree["d1a2"], grant=Grant.READ)
    with pytest.raises(NotFound):  # district 2 is outside: as if it did not exist
        scope_grant_create(scope=scope, user=make_user(), unit=tree["d2"], grant=Grant.READ)
    scope_grant_create(scope=scope, user=make_user(), unit=tree["d1a1m"], grant=Grant.WRITE)
    assert not AuditLog.objects.filter(action="scope_grant.create", actor=operator).exclude(
        unit_path=tree["d1a1m"].path).exists()


def test_an_overlay_grant_needs_write_at_every_assembly_it_covers(tree):
    seat = tree.overlays["ls1"]  # two assemblies of district 1 and one of district 2
    with pytest.raises(NotFound):
        scope_grant_create(scope=scope_for_user(tree.users["district_president"]), user=make_user(), overlay=seat)
    with pytest.raises(NotFound):  # a cluster, through its seats
        scope_grant_create(scope=scope_for_user(tree.users["district_president"]), user=make_user(),
                           overlay=tree.overlays["cl1"])
    grant = scope_grant_create(scope=scope_for_user(tree.users["state_president"]), user=make_user(), overlay=seat)
    assert grant.overlay == seat


def test_a_read_only_post_cannot_grant(tree):
    person = PersonFactory(unit=tree["d1"])
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="convener"), unit=tree["d1"])
    with pytest.raises(PermissionDenied):
        scope_grant_create(scope=scope_for_user(make_user(person)), user=make_user(), unit=tree["d1a1"])


def test_revoking_keeps_the_row_ends_the_scope_and_is_audited(tree, operator):
    clerk = make_user()
    president = tree.users["district_president"]
    grant = scope_grant_create(scope=scope_for_user(president), user=clerk, unit=tree["d1a2"], grant=Grant.WRITE)
    with pytest.raises(DomainError) as error:
        scope_grant_revoke(scope=scope_for_user(president), grant=grant, reason=" ")
    assert "revoke_reason" in error.value.errors
    with pytest.raises(PermissionDenied):  # reads district 1, writes only its other assembly
        scope_grant_revoke(scope=scope_for_user(operator), grant=grant, reason="x")
    with pytest.raises(NotFound):
        scope_grant_revoke(scope=scope_for_user(tree.users["mandal_president"]), grant=grant, reason="x")
    scope_grant_revoke(scope=scope_for_user(president), grant=grant, reason="moved to another district")
    assert scope_for_user(clerk).is_empty
    row = ScopeGrant.objects.get(pk=grant.pk)
    assert (row.revoked_by, row.revoke_reason) == (president, "moved to another district")
    audit = AuditLog.objects.get(action="scope_grant.revoke")
    assert (audit.actor, audit.target_id, audit.detail["reason"]) == (president, grant.pk, "moved to another district")
    with pytest.raises(DomainError) as error:
        scope_grant_revoke(scope=scope_for_user(president), grant=grant, reason="again")
    assert error.value.code == "already_revoked"


def test_a_grant_needs_exactly_one_place_and_a_known_grant(tree):
    system = Scope.system()
    with pytest.raises(DomainError):
        scope_grant_create(scope=system, user=make_user())
    with pytest.raises(DomainError):
        scope_grant_create(scope=system, user=make_user(), unit=tree["d1"], overlay=tree.overlays["ls1"])
    with pytest.raises(DomainError):
        scope_grant_create(scope=system, user=make_user(), unit=tree["d1"], grant="admin")
    assert not AuditLog.objects.filter(action="scope_grant.create").exists()
