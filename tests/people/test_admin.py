"""The Person admin writes through the people services and shows staff only their scope."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sangathan.access.scope import scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.org.enums import Grant
from sangathan.people.models import Person, PersonHistory
from tests.admin_forms import form_data
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

ADD = reverse("admin:people_person_add")
CHANGELIST = reverse("admin:people_person_changelist")


def change_url(person) -> str:
    return reverse("admin:people_person_change", args=[person.pk])


def new_person(tree, **overrides) -> dict:
    data = {"name": "सुनीता खंडेलवाल", "relative_name": "", "relation": "father", "gender": "f",
            "birth_year": "1980", "mobile": "98260 11111", "epic": "", "unit": tree["d2a1b1"].pk,
            "status": "active", "source": "manual"}
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, tree):
    client.force_login(tree.users["state_admin"])
    return client


@pytest.fixture
def staff_client(client, tree):
    """A district data operator with a read-only grant on district 2 and the model permissions."""
    operator = make_user()
    operator.is_staff = True
    operator.save()
    operator.user_permissions.add(*Permission.objects.filter(codename__in=["view_person", "change_person",
                                                                          "add_person"]))
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=operator, unit=tree["d2"], grant=Grant.READ)
    client.force_login(operator)
    return client


def test_add_goes_through_the_service(admin_client, tree):
    response = admin_client.post(ADD, new_person(tree))
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = Person.objects.get(mobile="+919826011111")
    assert person.name_latin == "sunita khandelaval"
    assert person.unit_path == tree["d2a1b1"].path
    history = person.history.get()
    assert history.action == PersonHistory.Action.CREATED
    assert history.actor == tree.users["state_admin"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("mobile", "12345", "यह सही मोबाइल नंबर नहीं है।"),
     ("epic", "12", "मतदाता पहचान पत्र (EPIC) नंबर में तीन अक्षर"),
     ("birth_year", "1850", "सही जन्म वर्ष दर्ज करें।")],
)
def test_service_errors_show_on_the_form(admin_client, tree, field, value, message):
    before = Person.objects.count()
    response = admin_client.post(ADD, new_person(tree, **{field: value}))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert Person.objects.count() == before


def test_duplicate_mobile_in_another_format_is_refused(admin_client, tree):
    existing = tree.people["d1a1b1p0"]
    response = admin_client.post(ADD, new_person(tree, mobile="0" + existing.mobile[3:]))
    assert response.status_code == 200
    assert "इस मोबाइल नंबर से एक कार्यकर्ता पहले से दर्ज है।" in " ".join(
        response.context["adminform"].form.errors["mobile"]
    )


def test_change_goes_through_the_service(admin_client, tree):
    person = tree.people["d1a1b1p0"]
    data = form_data(admin_client.get(change_url(person)))
    data.update(name="नया नाम", unit=tree["d1a1b2"].pk)
    response = admin_client.post(change_url(person), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.name == "नया नाम"
    assert person.unit_path == tree["d1a1b2"].path
    update = person.history.filter(action=PersonHistory.Action.UPDATED).get()
    assert set(update.changes) == {"name", "unit"}
    assert update.actor == tree.users["state_admin"]


def test_search_uses_the_registry_search(admin_client, tree):
    PersonFactory(unit=tree["d1a1b1"], name="रमेश खंडेलवाल")
    for term in ("khandelwal", "खंडेलवाल"):
        response = admin_client.get(CHANGELIST, {"q": term})
        assert [p.name for p in response.context["cl"].result_list] == ["रमेश खंडेलवाल"]
    target = tree.people["d2a2b2p1"]
    response = admin_client.get(CHANGELIST, {"q": f"{target.mobile[3:8]} {target.mobile[8:]}"})
    assert list(response.context["cl"].result_list) == [target]


def test_unit_is_an_autocomplete_not_a_select_of_all_units(admin_client, tree):
    html = admin_client.get(ADD).content.decode()
    assert "admin-autocomplete" in html
    assert tree["d2a2b2"].name_hi not in html
    response = admin_client.get(reverse("admin:autocomplete"), {
        "app_label": "people", "model_name": "person", "field_name": "unit", "term": "D2A2B"})
    assert {row["text"] for row in response.json()["results"]} == {str(tree["d2a2b1"]), str(tree["d2a2b2"])}


def test_staff_see_only_their_scope(staff_client, tree):
    response = staff_client.get(CHANGELIST)
    listed = set(response.context["cl"].result_list)
    assert listed == set(Person.objects.filter(unit_path__startswith=tree["d2"].path))
    assert staff_client.get(change_url(tree.people["d1a1b1p0"])).status_code == 302  # "does not exist" redirect


def test_read_only_grant_cannot_write_through_the_admin(staff_client, tree):
    before = Person.objects.count()
    response = staff_client.post(ADD, new_person(tree))
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert Person.objects.count() == before


def test_people_are_never_deleted_from_the_admin(admin_client, tree):
    person = tree.people["d1a1b1p0"]
    response = admin_client.post(reverse("admin:people_person_delete", args=[person.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()
