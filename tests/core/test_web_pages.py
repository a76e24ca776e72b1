"""Error pages and the language rule of the web pages (Hindi unless the user chose English)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from sangathan.access.models import User
from sangathan.core import views
from sangathan.core.middleware import LanguageMiddleware


def _request(path="/x", **headers):
    request = RequestFactory().get(path, **headers)
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize(
    ("handler", "status", "hindi"),
    [
        (views.bad_request, 400, "गलत अनुरोध"),
        (views.permission_denied, 403, "अनुमति नहीं है"),
        (views.page_not_found, 404, "पृष्ठ नहीं मिला"),
        (views.server_error, 500, "कुछ गड़बड़ हो गई"),
    ],
)
def test_error_pages_are_bilingual(handler, status, hindi):
    # Not marked django_db: any query would fail the test, and the 500 page must render without the database.
    with translation.override("hi"):
        response = handler(_request())
    assert response.status_code == status
    assert hindi in response.content.decode()
    with translation.override("en"):
        assert "Go to home" in handler(_request()).content.decode()


def _language(path: str, **headers) -> str:
    seen = {}

    def view(request):
        seen["language"] = translation.get_language()
        return HttpResponse()

    LanguageMiddleware(view)(_request(path, **headers))
    return seen["language"]


def test_server_error_page_ignores_the_logged_in_user():
    request = _request()
    request.user = User(pk=1, mobile="+919826012345", display_name="कमला देवी", person_id=7)
    html = views.server_error(request).content.decode()
    assert "कमला देवी" not in html


def test_web_pages_are_hindi_whatever_the_browser_asks():
    assert _language("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9") == "hi"


def test_the_chosen_language_wins():
    assert _language("/", HTTP_COOKIE="sangathan_language=en") == "en"
    assert _language("/", HTTP_COOKIE="sangathan_language=fr") == "hi"


def test_api_clients_still_negotiate():
    assert _language("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en") == "en"
