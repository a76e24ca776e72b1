"""What a slow phone network gets: compressed pages, and a favicon where every browser first looks for one."""

import gzip

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_page_is_compressed_when_the_phone_asks_for_it():
    plain = Client().get("/accounts/login/")
    packed = Client().get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "लॉग इन करें" in html and 'name="csrfmiddlewaretoken"' in html
    assert len(packed.content) < len(plain.content) / 2


def test_csrf_tokens_differ_between_compressed_answers():
    """BREACH guesses a secret from compressed sizes across requests: the token on the page is masked anew
    each time, so no two answers carry the same bytes to compare."""
    client = Client()
    tokens = set()
    for _ in range(2):
        html = gzip.decompress(client.get("/accounts/login/", HTTP_ACCEPT_ENCODING="gzip").content).decode()
        tokens.add(html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0])
    assert len(tokens) == 2


def test_favicon_answers_at_the_root():
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'href="/favicon.ico"' in Client().get("/accounts/login/").content.decode()


def test_only_text_is_compressed():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from sangathan.core.middleware import CompressTextMiddleware

    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    middleware = CompressTextMiddleware(lambda request: None)
    photo = middleware.process_response(request, HttpResponse(b"\xff\xd8" + b"a" * 2000, content_type="image/jpeg"))
    page = middleware.process_response(request, HttpResponse("क" * 2000, content_type="text/html; charset=utf-8"))
    assert "Content-Encoding" not in photo.headers and page.headers["Content-Encoding"] == "gzip"
