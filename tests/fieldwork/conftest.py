import itertools
import uuid
from datetime import timedelta

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core import clock
from sangathan.fieldwork.services import booth_target_set, drive_create, vistarak_assign
from tests.factories import PersonFactory, next_mobile

_names = itertools.cycle(["रमेश कुमार", "सुनीता देवी", "अजय सिंह", "प्रिया शर्मा", "मोहन लाल", "गीता बाई",
                          "राकेश यादव", "कविता पटेल", "दिनेश वर्मा", "आशा मीणा"])
_minutes = itertools.count(1)


@pytest.fixture(autouse=True)
def _capture_clock():
    """Each test's records are captured ten minutes apart from 40 hours ago (no burst unless planted)."""
    global _minutes
    _minutes = itertools.count(1)


def scope_of(tree, key):
    return scope_for_user(tree.users[key])


@pytest.fixture
def drive(tree):
    today = clock.today()
    drive = drive_create(scope=scope_of(tree, "district_president"), unit=tree["d1"], title="बूथ विस्तारक योजना",
                         starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=8),
                         consent_text="मैं अपनी जानकारी पार्टी के रिकॉर्ड के लिए देता/देती हूँ।",
                         person_fields=["relative_name", "epic", "birth_year"],
                         questions=[{"code": "family", "label": "परिवार में सदस्य", "kind": "number"}])
    booth_target_set(scope=scope_of(tree, "district_president"), drive=drive, booth=tree["d1a1b1"], target=30,
                     lat=23.2599, lng=77.4126)
    return drive


@pytest.fixture
def vistarak(tree, drive):
    """A vistarak (a registered worker of mandal d1a1m) assigned to booth d1a1b1; returns their login."""
    person = PersonFactory(unit=tree["d1a1m"], name="विस्तारक एक")
    assignment = vistarak_assign(scope=scope_of(tree, "district_president"), drive=drive, vistarak=person,
                                 unit=tree["d1a1b1"])
    return assignment.user


def vscope(user):
    return scope_for_user(user)


def record(tree, booth="d1a1b1", *, name=None, mobile=None, version=1, minutes=None, **extra):
    """One record as the phone sends it: captured a few minutes apart (so no burst flag by default)."""
    step = next(_minutes) if minutes is None else minutes
    item = {
        "client_uuid": str(uuid.uuid4()), "version": version, "booth_id": tree[booth].pk,
        "captured_at": clock.now() - timedelta(hours=40) + timedelta(minutes=10 * step),
        "fields": {"name": name or next(_names), "mobile": mobile or next_mobile()},
        "answers": {}, "consent": True, "gps_consent": False, "gps": None, "device_id": "", "otp": "",
        "person_id": None, "base": "",
    }
    for key, value in extra.items():
        if key in ("relative_name", "epic", "birth_year"):
            item["fields"][key] = value
        else:
            item[key] = value
    return item


__all__ = ["Scope", "record", "scope_of", "vscope"]
