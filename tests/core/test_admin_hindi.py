"""No English in Hindi mode in the admin: every registered model is named in Hindi, so is every field its
columns, filters, forms and inlines show, and the names are in the migrations (``makemigrations --check``
finds nothing to write). Admin pages rendered in Hindi have no English heading, label or help text."""

import re
from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.utils import translation

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_admin_model_is_named_in_hindi(model):
    with translation.override("en"):
        english = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    with translation.override("hi"):
        hindi = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
    for english_name, hindi_name in zip(english, hindi, strict=True):
        assert DEVANAGARI.search(hindi_name), f"{model._meta.label}: {hindi_name!r}"
        assert hindi_name != english_name
    # Django's made-up plural ("cell settingss") never reaches a page.
    assert not english[1].endswith("ss") or english[1] == english[0]


def test_app_model_names_are_real_english_words():
    with translation.override("en"):
        names = {str(model._meta.verbose_name_plural) for model in admin.site._registry}
    assert "API tokens" in names and "cell settings" in names


@pytest.mark.django_db
def test_model_names_are_in_the_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


# Codes and units an office writes in Latin letters in Hindi too.
LATIN_ALLOWED = {"EPIC", "SMS", "DLT", "OTP", "API", "ID", "IP", "MB", "PDF", "CSV", "URL", "QR"}
LATIN_WORD = re.compile(r"[A-Za-z]+")


def english_words(text: str) -> list[str]:
    """Latin words of a label that are not allowed codes ("e.g." and "E.164" examples aside)."""
    # Numbers and codes with digits (a unit's "D1", a mobile number) are data, not words.
    text = re.sub(r"E\.164|e\.g\.|\b\w*\d\w*\b", " ", text)
    return [word for word in LATIN_WORD.findall(text) if word not in LATIN_ALLOWED]


def superuser_request():
    from django.test import RequestFactory

    from sangathan.access.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(mobile="+919800000000", is_superuser=True, is_staff=True, is_active=True)
    return request


def shown_field_names(model_admin, request) -> set[str]:
    """Field names in the list's columns and filters, the add form and every inline."""
    names = set()
    for entry in (*model_admin.get_list_display(request), *model_admin.get_list_filter(request)):
        if isinstance(entry, (tuple, list)):
            entry = entry[0]
        if isinstance(entry, str):
            names.add(entry.split("__")[0])
    for _title, options in model_admin.get_fieldsets(request):
        for row in options["fields"]:
            names.update([row] if isinstance(row, str) else row)
    return names


def model_fields(model, names):
    for name in sorted(names):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - a method or form-only field: checked by rendering below
            continue
        if not field.auto_created or field.concrete:
            yield field


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_every_field_the_admin_shows_is_labelled_in_hindi(model):
    request = superuser_request()
    model_admin = admin.site._registry[model]
    checked = [(model, field) for field in model_fields(model, shown_field_names(model_admin, request))]
    for inline in model_admin.inlines:
        inline_model = inline.model
        with translation.override("hi"):
            inline_names = str(inline_model._meta.verbose_name), str(inline_model._meta.verbose_name_plural)
        assert all(DEVANAGARI.search(name) for name in inline_names), inline_names
        checked += [(inline_model, field) for field in model_fields(inline_model, inline.fields or ())]
    assert checked
    for owner, field in checked:
        with translation.override("en"):
            english = str(field.verbose_name)
            help_en = str(field.help_text)
        with translation.override("hi"):
            hindi = str(field.verbose_name)
            help_hi = str(field.help_text)
        where = f"{owner._meta.label}.{field.name}"
        # Hindi words (codes such as "ID" or "EPIC" may stay in Latin letters), never Django's made-up
        # label ("unit path" from unit_path) or any other English.
        assert DEVANAGARI.search(hindi) or hindi in LATIN_ALLOWED, f"{where}: {hindi!r}"
        assert hindi != english or hindi in LATIN_ALLOWED, where
        assert not english_words(hindi), f"{where}: {hindi!r}"
        assert not help_en or (DEVANAGARI.search(help_hi) and help_hi != help_en), f"{where}: {help_hi!r}"


def test_the_shared_base_fields_are_labelled():
    from sangathan.core.models import LabelledModel, TimeStampedModel

    fields = [*TimeStampedModel._meta.fields, *LabelledModel._meta.fields]
    with translation.override("hi"):
        labels = {field.name: str(field.verbose_name) for field in fields}
    assert labels == {"created_at": "बनाने का समय", "updated_at": "बदलाव का समय", "code": "कोड",
                      "name_hi": "हिंदी में नाम", "name_en": "अंग्रेज़ी में नाम"}


def admin_texts(html: str) -> list[str]:
    """What the admin writes as headings: list columns, filter titles, form labels, fieldset titles, help."""
    from html import unescape

    texts = []
    for pattern in (r"<th[^>]*scope=\"col\"[^>]*>(.*?)</th>", r"<h3>(.*?)</h3>", r"<summary>(.*?)</summary>", r"<label[^>]*>(.*?)</label>",
                    r"<h2[^>]*>(.*?)</h2>", r"<th[^>]*class=\"column-[^\"]*\"[^>]*>(.*?)</th>",
                    r"<div class=\"help\"[^>]*>(.*?)</div>"):
        for match in re.findall(pattern, html, flags=re.S):
            text = unescape(re.sub(r"<[^>]+>", " ", match)).strip()
            if text:
                texts.append(text)
    return texts


@pytest.fixture
def hindi_admin(client, tree):
    client.force_login(tree.users["state_admin"])
    client.cookies["sangathan_language"] = "hi"
    return client


@pytest.mark.parametrize("page", ["people_person_changelist", "people_person_change", "org_position_changelist",
                                  "org_position_change", "org_unit_changelist", "org_unit_change",
                                  "access_user_changelist", "access_user_change"])
def test_admin_pages_in_hindi_have_no_english_headings(hindi_admin, tree, page):
    from django.urls import reverse

    from sangathan.org.models import Position

    person = tree.people["district_president"]
    objects = {"people_person": person, "org_position": Position.objects.get(person=person),
               "org_unit": tree["d1"], "access_user": tree.users["district_president"]}
    app_model, view = page.rsplit("_", 1)
    args = [objects[app_model].pk] if view == "change" else []
    response = hindi_admin.get(reverse(f"admin:{page}", args=args))
    assert response.status_code == 200
    html = response.content.decode()
    texts = admin_texts(html)
    assert len(texts) > 5, texts
    english = {text for text in texts if english_words(text)}
    assert not english, english
