"""The set-up and reset SMS carry the full public address of the page where the code sets a password."""

from django.test import override_settings

from sangathan.access.scope import Scope, scope_for_user
from sangathan.access.services import login_create, login_reset
from sangathan.messaging.models import Message
from sangathan.org.models import Post
from sangathan.org.services import position_assign

SET_PAGE = "https://sangathan.example.org/accounts/password/set/"


@override_settings(SANGATHAN_PUBLIC_URL="https://sangathan.example.org")
def test_setup_and_reset_sms_link_the_configured_public_address(tree):
    person = tree.people["d1a2b1p0"]
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="president"),
                    unit=tree["d1a2b1"])
    office = scope_for_user(tree.users["district_president"])
    user = login_create(scope=office, person=person)
    setup = Message.objects.filter(to_address=person.mobile).latest("id")
    assert f"{SET_PAGE} पर मोबाइल नंबर" in setup.body

    login_reset(scope=office, user=user)
    reset = Message.objects.filter(to_address=person.mobile).latest("id")
    assert reset.pk != setup.pk and f"{SET_PAGE} पर डालें" in reset.body


@override_settings(SANGATHAN_PUBLIC_URL="")
def test_without_a_configured_address_the_sms_names_the_page_path(tree):
    user = tree.users["mandal_president"]
    login_reset(scope=scope_for_user(tree.users["district_president"]), user=user)
    assert "/accounts/password/set/ पर डालें" in Message.objects.filter(to_address=user.mobile).latest("id").body
