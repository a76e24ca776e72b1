"""The org admin: appointments, units and overlays are written by the org services."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.org.models import Level, OrgChange, Overlay, Position, PositionHistory, Post, Unit
from sangathan.org.services import position_assign
from tests.admin_forms import form_data
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree):
    client.force_login(tree.users["state_admin"])
    return client


def test_appointment_goes_through_position_assign(admin_client, tree):
    person = PersonFactory(unit=tree["d2a1b1"])
    post = Post.objects.get(code="president")
    response = admin_client.post(reverse("admin:org_position_add"), {
        "person": person.pk, "post": post.pk, "wing": "", "unit": tree["d2a1b1"].pk, "overlay": "",
        "start_date": timezone.localdate().isoformat()})
    assert response.status_code == 302, response.context["adminform"].form.errors
    position = Position.objects.get(person=person)
    assert position.unit_path == tree["d2a1b1"].path
    history = position.history.get()
    assert (history.action, history.actor) == (PositionHistory.Action.ASSIGNED, tree.users["state_admin"])


def test_appointment_errors_show_on_the_form(admin_client, tree):
    holder = tree.people["booth_president"]
    post = Post.objects.get(code="president")
    url = reverse("admin:org_position_add")
    base = {"person": holder.pk, "post": post.pk, "wing": "", "start_date": timezone.localdate().isoformat()}
    response = admin_client.post(url, {**base, "unit": tree["d1a1b1"].pk, "overlay": ""})
    assert "यह व्यक्ति यहाँ पहले से इस पद पर है।" in str(response.context["adminform"].form.errors)
    response = admin_client.post(url, {**base, "unit": tree["d1a1b2"].pk, "overlay": tree.overlays["ls1"].pk})
    assert response.status_code == 200
    assert Position.objects.filter(person=holder).count() == 1


def test_ending_a_position_goes_through_position_end(admin_client, tree):
    person = PersonFactory(unit=tree["d2a1b1"])
    position = position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="convener"),
                               unit=tree["d2a1b1"],
                               start_date=timezone.localdate().replace(year=2021))
    url = reverse("admin:org_position_change", args=[position.pk])
    data = form_data(admin_client.get(url))
    data.update(end_date=timezone.localdate().isoformat(), end_reason="त्यागपत्र")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    position.refresh_from_db()
    assert position.end_date == timezone.localdate()
    ended = position.history.get(action=PositionHistory.Action.ENDED)
    assert (ended.actor, ended.note) == (tree.users["state_admin"], "त्यागपत्र")
    # An ended position is history: nothing on it can be changed any more.
    assert set(admin_client.get(url).context["adminform"].form.fields) == set()


def test_unit_is_added_through_unit_create(admin_client, tree):
    parent = tree["d2a1s"]
    response = admin_client.post(reverse("admin:org_unit_add"), {
        "parent": parent.pk, "level": "booth", "code": "D2A1B9", "name_hi": "बूथ 9", "name_en": "Booth 9"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = Unit.objects.get(code="D2A1B9")
    assert unit.path.startswith(parent.path) and len(unit.path) == len(parent.path) + 4
    change = OrgChange.objects.get(entity="unit", entity_id=unit.pk)
    assert (change.actor, change.channel) == (tree.users["state_admin"], "web")


def test_unit_errors_show_on_the_form(admin_client, tree):
    response = admin_client.post(reverse("admin:org_unit_add"), {
        "parent": tree["d2a1b1"].pk, "level": "mandal", "code": "BAD", "name_hi": "गलत", "name_en": ""})
    assert response.status_code == 200
    assert "इकाई का स्तर उसकी ऊपरी इकाई से नीचे होना चाहिए।" in str(response.context["adminform"].form.errors)
    assert not Unit.objects.filter(code="BAD").exists()


def test_overlay_is_added_through_overlay_create(admin_client, tree):
    response = admin_client.post(reverse("admin:org_overlay_add"), {
        "kind": "lok_sabha", "code": "LS2", "name_hi": "लोकसभा 2", "name_en": "Lok Sabha 2",
        "units": [tree["d2a2"].pk]})
    assert response.status_code == 302, response.context["adminform"].form.errors
    overlay = Overlay.objects.get(code="LS2")
    assert list(overlay.units.all()) == [tree["d2a2"]]
    change = OrgChange.objects.get(entity="overlay", entity_id=overlay.pk)
    assert change.actor == tree.users["state_admin"] and change.after["units"] == [tree["d2a2"].pk]
    response = admin_client.post(reverse("admin:org_overlay_add"), {
        "kind": "lok_sabha", "code": "LS3", "name_hi": "लोकसभा 3", "units": [tree["d2a2b1"].pk]})
    assert "लोकसभा क्षेत्र विधानसभाओं से बनता है।" in str(response.context["adminform"].form.errors)


def test_a_posts_grant_is_changed_through_post_update_with_history(admin_client, tree):
    post = Post.objects.get(code="convener")
    url = reverse("admin:org_post_change", args=[post.pk])
    data = form_data(admin_client.get(url))
    assert "code" not in data  # the code is fixed once created
    data.update(grant="write")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = OrgChange.objects.get(entity="post", entity_id=post.pk, action=OrgChange.Action.UPDATED)
    assert change.actor == tree.users["state_admin"]
    assert (change.before, change.after) == ({"grant": "read"}, {"grant": "write"})


def test_a_level_is_added_through_level_create(admin_client, tree):
    url = reverse("admin:org_level_add")
    response = admin_client.post(url, {"code": "ward", "name_hi": "वार्ड", "name_en": "Ward", "rank": 9})
    assert response.status_code == 302, response.context["adminform"].form.errors
    level = Level.objects.get(code="ward")
    change = OrgChange.objects.get(entity="level", entity_id=level.pk)
    assert (change.actor, change.after["rank"]) == (tree.users["state_admin"], 9)
    assert admin_client.post(reverse("admin:org_level_delete", args=[level.pk]), {"post": "yes"}).status_code == 403


def test_vocabulary_is_for_state_administrators(client, tree):
    staff = tree.users["district_president"]
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_post", "view_post"]))
    client.force_login(staff)
    post = Post.objects.get(code="convener")
    url = reverse("admin:org_post_change", args=[post.pk])
    data = form_data(client.get(url))
    data.update(grant="write")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Post.objects.get(pk=post.pk).grant == "read"
    assert not OrgChange.objects.filter(entity="post", action=OrgChange.Action.UPDATED).exists()


@pytest.mark.parametrize("name", ["unit", "position", "overlay", "level", "post", "wing", "orgchange"])
def test_changelists_render(admin_client, tree, name):
    assert admin_client.get(reverse(f"admin:org_{name}_changelist"), {"q": "d1"}).status_code == 200
