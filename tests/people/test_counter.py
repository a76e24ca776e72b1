"""The office counter: add a worker with duplicates shown before saving, edit with a reason, move, change
status and restore — the import's rules, history rows with who and why, inside the writer's scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError
from sangathan.people.models import Person, PersonHistory
from sangathan.people.services import person_update
from sangathan.people.timeline import person_timeline

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(unit, **extra) -> dict:
    return {"name": "सुरेश पटेल", "relation": "father", "relative_name": "रमेश पटेल", "mobile": "98123 45670",
            "unit": unit.pk, **extra}


def test_a_reason_is_kept_in_the_history_and_on_the_timeline(tree):
    office = tree.users["district_president"]
    person = tree.people["d1a1b1p0"]
    person_update(scope=scope_for_user(office), person=person, occupation="किसान", reason="फोन पर बताया")
    row = PersonHistory.objects.filter(person=person).first()
    assert (row.reason, row.actor, row.changes["occupation"]) == ("फोन पर बताया", office, ["", "किसान"])
    entry = person_timeline(person=person, scope=scope_for_user(office))[0]
    assert "फोन पर बताया" in entry.detail and entry.actor == office.display_name
    with pytest.raises(DomainError) as error:
        person_update(scope=Scope.system(), person=person, occupation="x", reason="x" * 301)
    assert error.value.field == "reason"


def test_adding_a_worker_at_the_counter(tree):
    client = _client(tree.users["district_president"])
    booth = tree["d1a2b1"]
    page = client.get(f"/people/add/?unit={booth.pk}")
    assert page.status_code == 200 and booth.name_hi in page.content.decode()
    response = client.post("/people/add/", _form(booth, birth_year="1980"))
    person = Person.objects.get(mobile="+919812345670")
    assert response.url == f"/people/{person.pk}/"
    assert (person.unit, person.birth_year, person.source) == (booth, 1980, "manual")
    assert PersonHistory.objects.get(person=person).actor == tree.users["district_president"]


def test_bad_input_comes_back_with_every_error_at_once(tree):
    client = _client(tree.users["district_president"])
    response = client.post("/people/add/", _form(tree["d1a2b1"], mobile="12", birth_year="3000", epic="@@"))
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"mobile", "birth_year", "epic"} <= set(errors)
    assert not Person.objects.filter(name="सुरेश पटेल").exists()


def test_the_same_mobile_is_shown_before_saving_and_leads_to_the_record(tree):
    existing = tree.people["d1a2b1p0"]
    client = _client(tree.users["district_president"])
    response = client.post("/people/add/", _form(tree["d1a2b1"], mobile=existing.mobile))
    html = response.content.decode()
    assert response.status_code == 200 and f'href="/people/{existing.pk}/"' in html
    # "Save anyway" cannot save a second record with that number.
    again = client.post("/people/add/", _form(tree["d1a2b1"], mobile=existing.mobile, confirm="new",
                                              same_name_checked="1"))
    assert again.status_code == 200 and Person.objects.filter(mobile=existing.mobile).count() == 1


def test_a_similar_name_in_the_same_booth_warns_once_then_saves_on_confirmation(tree):
    existing = tree.people["d1a2b1p0"]
    person_update(scope=Scope.system(), person=existing, relative_name="रमेश पटेल")
    client = _client(tree.users["district_president"])
    form = _form(tree["d1a2b1"], name=existing.name)
    first = client.post("/people/add/", form)
    assert first.status_code == 200 and first.context["matches"][0]["person"] == existing
    second = client.post("/people/add/", {**form, "same_name_checked": "1", "confirm": "new"})
    assert second.status_code == 302 and Person.objects.filter(name=existing.name).count() == 2


def test_a_match_outside_the_readers_area_shows_no_details(tree):
    outside = tree.people["d2a1b1p0"]
    client = _client(tree.users["district_president"])
    response = client.post("/people/add/", _form(tree["d1a2b1"], mobile=outside.mobile))
    html = response.content.decode()
    assert response.context["matches"][0]["person"] is None
    assert outside.name not in html and f"/people/{outside.pk}/" not in html


def test_edit_needs_a_reason_and_records_it(tree):
    person = tree.people["d1a2b1p0"]
    client = _client(tree.users["district_president"])
    base = {"name": person.name, "relation": person.relation, "relative_name": person.relative_name,
            "mobile": person.mobile, "occupation": "शिक्षक"}
    refused = client.post(f"/people/{person.pk}/edit/", base)
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    client.post(f"/people/{person.pk}/edit/", {**base, "reason": "कार्यालय में सुधार"})
    row = PersonHistory.objects.filter(person=person).first()
    assert row.changes == {"occupation": ["", "शिक्षक"]} and row.reason == "कार्यालय में सुधार"


def test_move_and_status_and_restore(tree):
    person = tree.people["d1a2b1p0"]
    client = _client(tree.users["district_president"])
    client.post(f"/people/{person.pk}/move/", {"unit": tree["d1a2b2"].pk, "reason": "घर बदला"})
    person.refresh_from_db()
    assert person.unit == tree["d1a2b2"] and person.unit_path == tree["d1a2b2"].path
    client.post(f"/people/{person.pk}/status/", {"status": "deceased", "reason": "निधन"})
    client.post(f"/people/{person.pk}/status/", {"status": "active", "reason": "गलत सूचना"})
    rows = list(PersonHistory.objects.filter(person=person).order_by("id"))[-3:]
    assert [r.reason for r in rows] == ["घर बदला", "निधन", "गलत सूचना"]
    assert rows[1].action == "status" and rows[1].changes == {"status": ["active", "deceased"]}
    person.refresh_from_db()
    assert person.status == "active"


def test_a_move_outside_the_writers_scope_is_not_offered_nor_done(tree):
    person = tree.people["d1a1b1p0"]
    client = _client(tree.users["booth_president"])
    response = client.post(f"/people/{person.pk}/move/", {"unit": tree["d1a1b2"].pk, "reason": "x"})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    person.refresh_from_db()
    assert person.unit == tree["d1a1b1"]


def test_counter_pages_are_404_outside_and_403_read_only(tree):
    outside = tree.people["d2a1b1p0"]
    client = _client(tree.users["district_president"])
    for page in ("edit", "move", "status"):
        assert client.get(f"/people/{outside.pk}/{page}/").status_code == 404
    incharge = _client(tree.users["lok_sabha_incharge"])  # writes d1a1, d1a2, d2a1 through the seat
    assert incharge.get(f"/people/{outside.pk}/edit/").status_code == 200
    assert _client(tree.users["nobody"]).get("/people/add/").status_code == 404


def test_a_photo_at_the_counter_is_checked_and_kept_in_the_history(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = tree.people["d1a2b1p0"]
    client = _client(tree.users["district_president"])
    base = {"name": person.name, "relation": person.relation, "relative_name": person.relative_name,
            "mobile": person.mobile, "reason": "फोटो"}
    bad = client.post(f"/people/{person.pk}/edit/", {**base, "photo": SimpleUploadedFile("x.png", b"MZ" + b"\0" * 64)})
    assert "photo" in bad.context["form"].errors
    client.post(f"/people/{person.pk}/edit/", {**base, "photo": SimpleUploadedFile("me.png", PNG)})
    person.refresh_from_db()
    assert person.photo.name.endswith(".png")
    assert PersonHistory.objects.filter(person=person).first().changes["photo"][1] == person.photo.name


def test_a_missing_name_and_a_bad_mobile_are_said_together(tree):
    client = _client(tree.users["district_president"])
    response = client.post("/people/add/", _form(tree["d1a2b1"], name="", mobile="12", birth_year="3000"))
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"name", "mobile", "birth_year"} <= set(errors)
    assert len(errors["name"]) == 1
