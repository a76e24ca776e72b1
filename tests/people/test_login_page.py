"""The person's login page: the office creates, resets and disables a login from the record."""

import pytest
from django.test import Client

from sangathan.access.models import AuditLog, User
from sangathan.access.scope import Scope
from sangathan.messaging.models import Message
from sangathan.org.models import Post
from sangathan.org.services import position_assign

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_manages_a_login_from_the_record(tree):
    person = tree.people["d1a2b1p0"]
    client = _client(tree.users["district_president"])
    page = client.get(f"/people/{person.pk}/login/").content.decode()
    assert f'href="/people/{person.pk}/appoint/"' in page  # no post yet: appoint first
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="president"), unit=tree["d1a2b1"])
    client.post(f"/people/{person.pk}/login/", {"action": "create"})
    user = User.objects.get(person=person)
    assert Message.objects.filter(to_address=person.mobile).count() == 1
    client.post(f"/people/{person.pk}/login/", {"action": "reset"})
    assert Message.objects.filter(to_address=person.mobile).count() == 2
    client.post(f"/people/{person.pk}/login/", {"action": "disable", "reason": "मोबाइल खो गया"})
    user.refresh_from_db()
    assert not user.is_active
    assert list(AuditLog.objects.filter(target_id=user.pk, action__startswith="login.").order_by("id")
                .values_list("action", flat=True)) == ["login.create", "login.reset", "login.disable"]
    detail = client.get(f"/people/{person.pk}/").content.decode()
    assert f'href="/people/{person.pk}/login/"' in detail


def test_the_login_page_is_404_outside_the_scope(tree):
    outside = tree.people["d2a1b1p0"]
    client = _client(tree.users["district_president"])
    assert client.get(f"/people/{outside.pk}/login/").status_code == 404
    assert client.post(f"/people/{outside.pk}/login/", {"action": "create"}).status_code == 404
    assert not User.objects.filter(person=outside).exists()
