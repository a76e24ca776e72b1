"""The fuller record: contact, work, tags, social handles, membership numbers, source, consent, photo."""

import io
import re
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import scope_grant_create
from sangathan.core.errors import DomainError
from sangathan.org.enums import Grant
from sangathan.people.enums import PersonSource
from sangathan.people.models import Person, PersonHistory
from sangathan.people.numbers import (
    check_digit_valid,
    membership_backfill_sql,
    membership_number,
    normalize_membership_no,
)
from sangathan.people.services import person_create, person_update, tags_seed_defaults
from tests.api_client import ApiClient
from tests.factories import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def tags(db):
    return {tag.code: tag for tag in tags_seed_defaults(scope=Scope.system())}


def create(tree, **fields):
    return person_create(scope=scope_for_user(tree.users["state_admin"]), name="सुनीता खंडेलवाल", mobile="98260 11111",
                         unit=tree["d1a1b1"], **fields)


def test_full_record_is_normalized_and_recorded(tree, tags, clock):
    person = create(tree, alt_mobile="098260-22222", email=" Sunita@Example.IN ", address=" वार्ड 4, सीहोर ",
                    occupation="  शिक्षक ", education="स्नातक", tags=["legal", "computer"],
                    social={"facebook": "sunita.k", "x": "@sunita"}, joined_on="2019-04-01",
                    membership_no="mp 2019 0042", source=PersonSource.FIELD_DRIVE, consent_method="form",
                    consent_purposes=["messages", "records"], consent_at=clock.set(NOW))
    person.refresh_from_db()
    assert person.alt_mobile == "+919826022222"
    assert person.email == "sunita@example.in"
    assert person.address == "वार्ड 4, सीहोर"
    assert person.occupation == "शिक्षक"
    assert [tag.code for tag in person.tags.order_by("code")] == ["computer", "legal"]
    assert person.social == {"facebook": "sunita.k", "x": "@sunita"}
    assert person.joined_on == date(2019, 4, 1)
    assert person.membership_no == "MP20190042"          # imported numbers are kept (normalized)
    assert person.source == "field_drive"
    assert person.consent_purposes == ["records", "messages"]  # in the vocabulary's order
    created = person.history.get().changes
    assert created["tags"] == [None, ["computer", "legal"]]
    assert created["joined_on"] == [None, "2019-04-01"]


def test_membership_number_is_generated_from_the_state_code_and_id(tree):
    person = create(tree)
    assert person.membership_no == membership_number("MP", person.pk)
    assert re.fullmatch(r"MP-\d{11}", person.membership_no) and check_digit_valid(person.membership_no)
    assert person.membership_no != f"MP-{person.pk:08d}"
    assert Person.objects.get(pk=person.pk).membership_no == person.membership_no


def test_every_field_error_at_once(tree):
    with pytest.raises(DomainError) as error:
        create(tree, alt_mobile="12345", email="not-an-email", social={"myspace": "x"}, tags=["no_such_tag"],
               consent_purposes=["records", "spam"], consent_method="pigeon", joined_on="2999-01-01",
               membership_no="MP#1", source="rumour")
    assert set(error.value.errors) == {"alt_mobile", "email", "social", "tags", "consent_purposes",
                                       "consent_method", "joined_on", "membership_no", "source"}
    assert not Person.objects.filter(mobile="+919826011111").exists()


def test_membership_number_is_unique(tree):
    create(tree, membership_no="MP-77")
    with pytest.raises(DomainError) as error:
        person_create(scope=Scope.system(), name="दूसरा", mobile="9826033333", unit=tree["d1a1b1"], membership_no="mp-77")
    assert error.value.field == "membership_no"
    assert error.value.code == "duplicate"


def test_blank_membership_numbers_do_not_clash(tree):
    person = create(tree)
    person_update(scope=Scope.system(), person=person, membership_no="")     # clearing gives back a generated one
    person.refresh_from_db()
    assert person.membership_no == membership_number("MP", person.pk)


def test_update_records_tags_and_new_fields_before_and_after(tree, tags):
    person = create(tree, tags=["computer"])
    person_update(scope=scope_for_user(tree.users["state_admin"]), person=person, tags=["legal", "computer"],
                  occupation="किसान", social={"instagram": "ram"})
    change = person.history.filter(action=PersonHistory.Action.UPDATED).get().changes
    assert change == {"tags": [["computer"], ["computer", "legal"]], "occupation": ["", "किसान"],
                      "social": [{}, {"instagram": "ram"}]}
    person_update(scope=Scope.system(), person=person, tags=["legal", "computer"])   # no change, no history row
    assert person.history.count() == 2


def test_photo_is_checked_and_stored(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = create(tree, photo=SimpleUploadedFile("me.exe", PNG, content_type="image/png"))
    assert person.photo.name.startswith("people/photos/") and person.photo.name.endswith(".png")
    assert (tmp_path / person.photo.name).read_bytes() == PNG
    with pytest.raises(DomainError) as error:
        person_update(scope=Scope.system(), person=person, photo=SimpleUploadedFile("x.png", b"MZ" + b"\x00" * 64))
    assert list(error.value.errors) == ["photo"]
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * (2 * 1024 * 1024))
    with pytest.raises(DomainError) as error:
        person_update(scope=Scope.system(), person=person, photo=big)
    assert "photo" in error.value.errors


def test_membership_no_format():
    assert normalize_membership_no(" mp/12-345 ") == "MP/12-345"
    assert normalize_membership_no(None) == ""
    with pytest.raises(DomainError):
        normalize_membership_no("A" * 21)


def test_backfill_numbers_records_without_one(tree):
    person = create(tree)
    Person.objects.filter(pk=person.pk).update(membership_no="")
    with connection.cursor() as cursor:
        cursor.execute(membership_backfill_sql())
    assert Person.objects.get(pk=person.pk).membership_no == f"MP-{person.pk:08d}"


def test_api_detail_has_the_record_and_timeline(tree, tags, clock):
    person = create(tree, tags=["legal"], email="a@b.in", consent_method="verbal", consent_purposes=["records"],
                    consent_at=clock.set(NOW))
    body = ApiClient.login(tree.users["district_president"]).get(f"/people/{person.pk}").json()
    assert body["membership_no"] == person.membership_no
    assert body["tags"] == [{"code": "legal", "name": "कानूनी सलाह"}]
    assert body["consent"]["method"] == "verbal" and body["consent"]["purposes"] == ["records"]
    assert body["verification"] == {"at": None, "by": "", "method": ""}
    assert body["mobile"] == "+919826011111"
    assert body["source"] == "manual" and body["photo_url"] == ""
    assert body["timeline"][0]["kind"] == "edit"
    assert body["past_positions"] == []


def test_api_masks_mobiles_for_read_only_readers(tree):
    person = create(tree, alt_mobile="9826022222")
    observer = make_user()
    scope_grant_create(scope=scope_for_user(tree.users["state_admin"]), user=observer, unit=tree["d1"], grant=Grant.READ)
    body = ApiClient.login(observer).get(f"/people/{person.pk}").json()
    assert body["mobile"] == "98xxxxxx11"
    assert body["alt_mobile"] == "98xxxxxx22"


def test_api_create_and_patch_new_fields(tree, tags):
    api = ApiClient.login(tree.users["district_president"])
    response = api.post("/people", {"name": "राम", "mobile": "+91 98260 44444", "unit": tree["d1a1b1"].pk,
                                    "tags": ["computer"], "social": {"x": "@ram"}, "joined_on": "2020-01-05",
                                    "consent_method": "app", "consent_purposes": ["events"]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tags"][0]["code"] == "computer" and body["social"] == {"x": "@ram"}
    assert body["membership_no"] == membership_number("MP", body["id"])
    response = api.patch(f"/people/{body['id']}", {"email": "broken", "social": {"orkut": "r"}})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"email", "social"}
    response = api.patch(f"/people/{body['id']}", {"occupation": "किसान", "tags": []})
    assert response.status_code == 200 and response.json()["tags"] == []


def test_photo_needs_a_file_object(tree):
    with pytest.raises(DomainError) as error:
        create(tree, photo=io.BytesIO(b"") and "a-string")
    assert list(error.value.errors) == ["photo"]
