"""The access admin: accounts and grants through their actions (audited), grants revoked not deleted, a
read-only audit log."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sangathan.access.models import AuditLog, ScopeGrant, User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.org.enums import Grant
from tests.admin_forms import form_data
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree):
    client.force_login(tree.users["state_admin"])
    return client


def test_account_is_created_with_a_normalized_mobile(admin_client, tree):
    person = tree.people["d1a1b2p0"]
    response = admin_client.post(reverse("admin:access_user_add"), {
        "mobile": f"0{person.mobile[3:8]}-{person.mobile[8:]}", "display_name": "", "person": person.pk,
        "usable_password": "true", "password1": "a-strong-pass-4821", "password2": "a-strong-pass-4821"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(mobile=person.mobile)
    assert user.display_name == person.name
    assert user.check_password("a-strong-pass-4821")


def test_account_mobile_errors(admin_client, tree):
    url = reverse("admin:access_user_add")
    taken = tree.users["booth_president"].mobile
    for mobile, message in ((taken[3:], "इस मोबाइल नंबर से एक खाता पहले से है।"),
                            ("12345", "यह सही मोबाइल नंबर नहीं है।")):
        response = admin_client.post(url, {"mobile": mobile, "usable_password": "false"})
        assert message in " ".join(response.context["adminform"].form.errors["mobile"])


def test_grant_records_who_granted_it(admin_client, tree):
    operator = make_user()
    response = admin_client.post(reverse("admin:access_scopegrant_add"), {
        "user": operator.pk, "unit": tree["d2"].pk, "overlay": "", "grant": "write", "reason": "data entry",
        "expires_at_0": "", "expires_at_1": ""})
    assert response.status_code == 302, response.context["adminform"].form.errors
    grant = ScopeGrant.objects.get(user=operator)
    assert grant.granted_by == tree.users["state_admin"]
    assert AuditLog.objects.filter(action="scope_grant.create", target_id=grant.pk).count() == 1


def test_grant_needs_exactly_one_place(admin_client, tree):
    response = admin_client.post(reverse("admin:access_scopegrant_add"), {
        "user": make_user().pk, "unit": "", "overlay": "", "grant": "read", "reason": "",
        "expires_at_0": "", "expires_at_1": ""})
    assert response.status_code == 200
    assert not ScopeGrant.objects.exists()


def test_audit_log_is_read_only_and_for_superusers(admin_client, client, tree):
    admin_client.post(reverse("access:logout"))
    client.post(reverse("access:login"), {"mobile": tree.users["state_admin"].mobile, "password": PASSWORD})
    log = AuditLog.objects.latest("id")
    assert client.get(reverse("admin:access_auditlog_changelist")).status_code == 200
    assert client.get(reverse("admin:access_auditlog_change", args=[log.pk])).status_code == 200
    assert client.post(reverse("admin:access_auditlog_delete", args=[log.pk]), {"post": "yes"}).status_code == 403
    staff = make_user()
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_auditlog", "change_auditlog"]))
    client.force_login(staff)
    assert client.get(reverse("admin:access_auditlog_changelist")).status_code == 403


def test_account_creation_and_flag_changes_are_audited(admin_client, tree):
    person = tree.people["d1a1b2p1"]
    response = admin_client.post(reverse("admin:access_user_add"), {
        "mobile": person.mobile, "display_name": "", "person": person.pk, "usable_password": "false"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(mobile=person.mobile)
    created = AuditLog.objects.get(action="user.create")
    assert (created.actor, created.target_id, created.channel) == (tree.users["state_admin"], user.pk, "web")
    url = reverse("admin:access_user_change", args=[user.pk])
    data = form_data(admin_client.get(url))
    data.update(is_staff="on")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(pk=user.pk).is_staff
    updated = AuditLog.objects.get(action="user.update")
    assert updated.detail == {"before": {"is_staff": False}, "after": {"is_staff": True}}


def test_staff_cannot_raise_an_account_to_superuser(client, tree):
    staff = make_user(tree.people["d1a1b1p0"])
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    scope_grant_create(scope=Scope.system(), user=staff, unit=tree["d1"], grant=Grant.WRITE)
    member = make_user(tree.people["d1a2b1p0"])
    client.force_login(staff)
    url = reverse("admin:access_user_change", args=[member.pk])
    data = form_data(client.get(url))
    data.update(is_superuser="on")
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not User.objects.get(pk=member.pk).is_superuser
    assert not AuditLog.objects.filter(action="user.update").exists()


def test_staff_cannot_grant_beyond_their_write_scope(client, tree):
    staff = make_user()
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_scopegrant", "view_scopegrant"]))
    scope_grant_create(scope=Scope.system(), user=staff, unit=tree["d1"], grant=Grant.READ)
    scope_grant_create(scope=Scope.system(), user=staff, unit=tree["d1a1"], grant=Grant.WRITE)
    client.force_login(staff)
    url = reverse("admin:access_scopegrant_add")
    blank = {"overlay": "", "reason": "", "expires_at_0": "", "expires_at_1": ""}
    for unit in (tree["d1"], tree["d2"]):  # readable only; outside
        response = client.post(url, {**blank, "user": staff.pk, "unit": unit.pk, "grant": "write"})
        assert response.status_code == 200
    assert ScopeGrant.objects.filter(granted_by=staff).count() == 0
    response = client.post(url, {**blank, "user": staff.pk, "unit": tree["d1a1m"].pk, "grant": "write"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ScopeGrant.objects.filter(granted_by=staff).count() == 1


def test_a_grant_is_revoked_in_the_admin_never_deleted(admin_client, tree):
    operator = make_user()
    grant = scope_grant_create(scope=Scope.system(), user=operator, unit=tree["d2"], grant=Grant.WRITE)
    assert admin_client.post(reverse("admin:access_scopegrant_delete", args=[grant.pk]),
                             {"post": "yes"}).status_code == 403
    url = reverse("admin:access_scopegrant_change", args=[grant.pk])
    data = form_data(admin_client.get(url))
    data.update(revoke_reason="data entry finished")
    response = admin_client.post(url, data)
    assert response.status_code == 200  # a reason alone does not revoke
    data.update(revoke="on")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    grant.refresh_from_db()
    assert (grant.revoked_by, grant.revoke_reason) == (tree.users["state_admin"], "data entry finished")
    assert scope_for_user(operator).is_empty
    assert AuditLog.objects.filter(action="scope_grant.revoke", target_id=grant.pk).count() == 1
    assert set(admin_client.get(url).context["adminform"].form.fields) == set()
