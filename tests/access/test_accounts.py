"""Accounts through user_create / user_update: flags are a superuser's, every change is audited."""

import pytest
from django.contrib.auth.models import Group

from sangathan.access.models import AuditLog, User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import user_create, user_update
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_account_for_a_person_in_the_writers_subtree_is_audited(tree):
    president = tree.users["district_president"]
    person = tree.people["d1a2b1p0"]
    user = user_create(scope=scope_for_user(president), mobile=person.mobile, password=None, person=person)
    assert not user.has_usable_password() and user.display_name == person.name
    audit = AuditLog.objects.get(action="user.create")
    assert (audit.actor, audit.target_id, audit.unit_path) == (president, user.pk, person.unit_path)
    assert audit.detail == {"person_id": person.pk, "is_staff": False, "is_superuser": False}


def test_accounts_outside_or_with_flags_are_refused(tree):
    scope = scope_for_user(tree.users["district_president"])
    outside = tree.people["d2a1b1p0"]
    with pytest.raises(NotFound):
        user_create(scope=scope, mobile=outside.mobile, password=None, person=outside)
    inside = tree.people["d1a2b1p0"]
    with pytest.raises(PermissionDenied):
        user_create(scope=scope, mobile=inside.mobile, password=None, person=inside, is_staff=True)
    with pytest.raises(PermissionDenied):  # a person-less account is a staff account
        user_create(scope=scope, mobile="+919111111111", password=None)
    with pytest.raises(DomainError) as error:
        user_create(scope=Scope.system(), mobile=tree.users["booth_president"].mobile, password=None)
    assert error.value.code == "duplicate"
    assert not AuditLog.objects.filter(action="user.create").exists()


def test_superuser_flag_changes_are_audited_with_before_and_after(tree):
    admin = tree.users["state_admin"]
    user = tree.users["booth_president"]
    group = Group.objects.create(name="operators")
    user_update(scope=scope_for_user(admin), user=user, changes={"is_staff": True, "groups": [group]})
    user.refresh_from_db()
    assert user.is_staff and list(user.groups.all()) == [group]
    audit = AuditLog.objects.get(action="user.update")
    assert audit.actor == admin and audit.target_id == user.pk
    assert audit.detail == {"before": {"is_staff": False, "groups": []},
                            "after": {"is_staff": True, "groups": [group.pk]}}


def test_only_a_superuser_changes_flags_and_staff_accounts(tree):
    scope = scope_for_user(tree.users["district_president"])
    member = make_user(tree.people["d1a1b2p0"])
    for changes in ({"is_staff": True}, {"is_superuser": True}, {"groups": []}):
        with pytest.raises(PermissionDenied):
            user_update(scope=scope, user=member, changes=changes)
    with pytest.raises(PermissionDenied):  # nobody but a superuser locks out a superuser
        user_update(scope=scope, user=tree.users["state_admin"], changes={"is_active": False})
    with pytest.raises(NotFound):
        user_update(scope=scope, user=tree.users["nobody"], changes={"is_active": False})
    user_update(scope=scope, user=member, changes={"is_active": False, "display_name": "पुराना खाता"})
    member.refresh_from_db()
    assert not member.is_active
    audit = AuditLog.objects.get(action="user.update")
    assert audit.detail["before"]["is_active"] is True and audit.detail["after"]["is_active"] is False


def test_nobody_deactivates_their_own_account(tree):
    admin = tree.users["state_admin"]
    with pytest.raises(DomainError):
        user_update(scope=scope_for_user(admin), user=admin, changes={"is_active": False})
    with pytest.raises(DomainError):
        user_update(scope=scope_for_user(admin), user=admin, changes={"mobile": "+919000000000"})
    assert User.objects.get(pk=admin.pk).is_active
