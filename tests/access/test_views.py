"""Logging in and out on the web, the lockout after repeated failures, and the language switch."""

import pytest
from django.urls import reverse

from sangathan.access.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("access:login")


def spaced(e164: str) -> str:
    """+919000000012 → "90000 00012": how people type their number."""
    return f"{e164[3:8]} {e164[8:]}"


def assert_csp_safe(html: str) -> None:
    """The Content-Security-Policy forbids inline scripts and styles: none may appear."""
    assert "<script" not in html
    assert "<style" not in html
    assert " style=" not in html


def test_login_page_is_in_hindi_and_csp_safe(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert "लॉग इन करें" in html
    assert "मोबाइल नंबर" in html
    assert "Content-Security-Policy" in response.headers
    assert_csp_safe(html)


def test_hindi_even_when_the_browser_asks_for_english(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "लॉग इन करें" in response.content.decode()


@pytest.mark.parametrize("typed", ["spaced", "plain", "with_zero", "e164"])
def test_login_accepts_the_mobile_in_any_common_format(client, tree, typed):
    user = tree.users["booth_president"]
    mobile = {
        "spaced": spaced(user.mobile),
        "plain": user.mobile[3:],
        "with_zero": "0" + user.mobile[3:],
        "e164": user.mobile,
    }[typed]
    response = client.post(LOGIN, {"mobile": mobile, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_login_is_audited(client, tree):
    user = tree.users["booth_president"]
    client.post(LOGIN, {"mobile": user.mobile, "password": PASSWORD}, HTTP_USER_AGENT="Android 9")
    log = AuditLog.objects.get(action=AuditLog.Action.LOGIN)
    assert log.actor == user
    assert log.channel == "web"
    assert log.user_agent == "Android 9"


def test_wrong_password_shows_a_hindi_error_and_is_audited(client, tree):
    user = tree.users["booth_president"]
    response = client.post(LOGIN, {"mobile": spaced(user.mobile), "password": "wrong-password"})
    assert response.status_code == 200
    assert "मोबाइल नंबर या पासवर्ड गलत है।" in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditLog.objects.get(action=AuditLog.Action.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.detail == {"mobile": user.mobile}


def test_errors_follow_the_chosen_language(client, tree):
    client.cookies["sangathan_language"] = "en"
    response = client.post(LOGIN, {"mobile": tree.users["booth_president"].mobile, "password": "wrong"})
    assert "The mobile number or the password is wrong." in response.content.decode()


@pytest.mark.parametrize(
    ("mobile", "message"),
    [("", "मोबाइल नंबर दर्ज करें।"), ("12345", "यह सही मोबाइल नंबर नहीं है।"), ("9" * 40, "यह मोबाइल नंबर बहुत लंबा है।")],
)
def test_malformed_mobile_is_a_field_error(client, tree, mobile, message):
    response = client.post(LOGIN, {"mobile": mobile, "password": PASSWORD})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_inactive_account_cannot_log_in(client, tree):
    user = tree.users["booth_president"]
    user.is_active = False
    user.save()
    response = client.post(LOGIN, {"mobile": user.mobile, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures(client, tree):
    user = tree.users["booth_president"]
    for attempt in range(4):
        response = client.post(LOGIN, {"mobile": user.mobile, "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    # The fifth failure locks the number out, typed in another format or not.
    response = client.post(LOGIN, {"mobile": spaced(user.mobile), "password": "wrong-5"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "बहुत अधिक असफल प्रयास" in html
    assert "15 मिनट" in html
    # Even the right password is refused now.
    response = client.post(LOGIN, {"mobile": user.mobile, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_number(client, tree):
    for attempt in range(5):
        client.post(LOGIN, {"mobile": tree.users["booth_president"].mobile, "password": f"wrong-{attempt}"})
    response = client.post(LOGIN, {"mobile": tree.users["mandal_president"].mobile, "password": PASSWORD})
    assert response.status_code == 302


def test_next_is_followed_only_within_the_site(client, tree):
    user = tree.users["booth_president"]
    unit_url = reverse("dashboard:unit", args=[tree["d1a1b1"].pk])
    response = client.post(f"{LOGIN}?next={unit_url}", {"mobile": user.mobile, "password": PASSWORD,
                                                         "next": unit_url})
    assert response.headers["Location"] == unit_url
    client.logout()
    response = client.post(LOGIN, {"mobile": user.mobile, "password": PASSWORD, "next": "https://evil.example/"})
    assert response.headers["Location"] == reverse("dashboard:home")


def test_logged_in_user_skips_the_login_page(client, tree):
    client.force_login(tree.users["booth_president"])
    response = client.get(LOGIN)
    assert response.status_code == 302


def test_logout_is_post_only(client, tree):
    client.force_login(tree.users["booth_president"])
    assert client.get(reverse("access:logout")).status_code == 405
    response = client.post(reverse("access:logout"))
    assert response.status_code == 302
    assert response.headers["Location"] == LOGIN
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_pages_need_login(client, tree):
    for url in (reverse("dashboard:home"), reverse("dashboard:unit", args=[tree["d1"].pk]),
                reverse("people:person", args=[tree.people["d1a1b1p0"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith(f"{LOGIN}?next=")


def test_language_switch_keeps_the_page(client, tree):
    client.force_login(tree.users["booth_president"])
    unit_url = reverse("dashboard:unit", args=[tree["d1a1b1"].pk])
    assert "कार्यकर्ता" in client.get(unit_url).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": unit_url})
    assert response.status_code == 302
    assert response.headers["Location"] == unit_url
    html = client.get(unit_url).content.decode()
    assert "Workers" in html
    assert 'lang="en"' in html
    client.post(reverse("set_language"), {"language": "hi", "next": unit_url})
    assert "कार्यकर्ता" in client.get(unit_url).content.decode()


def test_language_switch_refuses_foreign_next(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
