from django.test import RequestFactory, override_settings

from sangathan.core.public import public_url


@override_settings(SANGATHAN_PUBLIC_URL="https://sangathan.example.org")
def test_configured_address_wins():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8000")
    assert public_url("/status/", request) == "https://sangathan.example.org/status/"
    assert public_url("status/") == "https://sangathan.example.org/status/"


@override_settings(SANGATHAN_PUBLIC_URL="")
def test_falls_back_to_the_request_then_the_path():
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert public_url("/status/", request) == "http://testserver/status/"
    assert public_url("/status/") == "/status/"
