"""The access admin: accounts through user_create, grants through scope_grant_create, a read-only audit log."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sangathan.access.models import AuditLog, ScopeGrant, User
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
