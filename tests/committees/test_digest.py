from datetime import datetime

import pytest

from sangathan.access.scope import Scope
from sangathan.committees.digest import digest_send_weekly
from sangathan.core.errors import PermissionDenied
from sangathan.messaging.models import Message
from tests.committees.conftest import full_booth_committee, scope_of

pytestmark = pytest.mark.django_db


def test_weekly_digest_to_district_presidents_is_idempotent(ctree, clock):
    full_booth_committee(ctree, "d1a1b1")
    clock.set(datetime(2026, 12, 7, 9, 0))
    messages = digest_send_weekly(scope=Scope.system())
    assert len(messages) == 1
    message = messages[0]
    assert message.person_id == ctree.people["district_president"].pk
    assert "बूथ समिति 1/4" in message.body
    assert digest_send_weekly(scope=Scope.system()) == messages  # the same week: nothing more queued
    assert Message.objects.filter(person=ctree.people["district_president"]).count() == 1
    clock.advance(days=7)
    digest_send_weekly(scope=Scope.system())
    assert Message.objects.filter(person=ctree.people["district_president"]).count() == 2
    with pytest.raises(PermissionDenied):
        digest_send_weekly(scope=scope_of(ctree, "district_president"))
