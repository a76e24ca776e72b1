"""No English in Hindi mode in the admin: every registered model is named in Hindi, and the names are in
the migrations (``makemigrations --check`` finds nothing to write)."""

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
