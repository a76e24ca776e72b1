"""The broadcast's confirmation step (audience count and the text as recipients read it), a booth or a
shakti kendra as the audience by its code, the status reading "done" only when nothing is left queued,
and the page explaining quiet hours and the election silence when messages wait."""

import datetime

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.messaging.models import Broadcast, Message, MessageKind
from sangathan.messaging.outbox import outbox_drain
from sangathan.messaging.services import template_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):
    return template_create(scope=Scope.system(), code="live", name="Live address",
                           body_hi="{name} जी, संबोधन लाइव: {link}", body_en="{name}, the address is live: {link}",
                           channels=["sms", "whatsapp"], kind=MessageKind.BULK)


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def compose(client, **data):
    return client.post("/messaging/broadcasts/new/", {"template": "live", "channels": ["sms"],
                                                      "var_link": "https://live.example/pm", **data})


def test_a_booth_chosen_by_its_code_and_the_confirmation_shows_count_and_text(tree, template):
    client = web(tree.users["district_president"])
    page = client.get("/messaging/broadcasts/new/?template=live").content.decode()
    assert 'name="unit_code"' in page
    response = compose(client, unit_code="d1a1b2")  # any case
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302 and broadcast.unit == tree["d1a1b2"]
    assert broadcast.sender_unit == tree["d1"]
    page = client.get(response["Location"]).content.decode()
    assert "भेजने से पहले पुष्टि करें" in page
    assert 'id="preview-people">2<' in page and "इस प्रसारण के दायरे में 2 लोग हैं।" in page
    assert "[कार्यकर्ता का नाम] जी, संबोधन लाइव: https://live.example/pm" in page
    assert "[कार्यकर्ता का नाम], the address is live: https://live.example/pm" in page
    assert not Message.objects.exists()  # nothing is sent before the confirmation


def test_a_shakti_kendra_by_code_and_codes_outside_the_office_are_refused(tree, template):
    client = web(tree.users["district_president"])
    assert compose(client, unit_code="D1A2S").status_code == 302
    assert Broadcast.objects.get().unit == tree["d1a2s"]
    for code in ("D2A1B1", "NO-SUCH"):  # another district's booth reads exactly like a missing one
        response = compose(client, unit_code=code)
        assert response.status_code == 200 and "इस कोड का कोई बूथ या इकाई नहीं है।" in response.content.decode()
    response = compose(client)
    assert "किसके कार्यकर्ताओं को भेजना है, चुनें या बूथ या शक्ति केंद्र का कोड लिखें।" in response.content.decode()
    assert Broadcast.objects.count() == 1


def _send(client, broadcast):
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/messaging/broadcasts/{broadcast.pk}/send/").status_code == 302


def test_done_only_when_nothing_is_left_queued(tree, template):
    client = web(tree.users["district_president"])
    compose(client, unit=tree["d1a1"].pk)
    broadcast = Broadcast.objects.get()
    _send(client, broadcast)
    broadcast.refresh_from_db()
    assert broadcast.status == "done"  # the fan-out is over …
    page = client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
    assert 'id="broadcast-status">भेजा जा रहा है<' in page  # … but its messages still wait
    assert client.get(f"/messaging/broadcasts/{broadcast.pk}/progress/").json()["status_label"] == "भेजा जा रहा है"
    assert "भेजा जा रहा है" in client.get("/messaging/broadcasts/").content.decode()
    outbox_drain(batch_size=100)
    page = client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
    assert 'id="broadcast-status">पूर्ण<' in page
    assert client.get(f"/messaging/broadcasts/{broadcast.pk}/progress/").json()["status_label"] == "पूर्ण"


def test_quiet_hours_are_explained_and_the_waiting_messages_counted(tree, template, settings):
    now = timezone.localtime()
    start, end = (now - datetime.timedelta(hours=1)), (now + datetime.timedelta(hours=1))
    settings.SANGATHAN_MESSAGING_QUIET_HOURS = (start.strftime("%H:%M"), end.strftime("%H:%M"))
    client = web(tree.users["district_president"])
    compose(client, unit=tree["d1a1"].pk)
    broadcast = Broadcast.objects.get()
    draft = client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
    assert "शांत समय" in draft and end.strftime("%H:%M") in draft  # told before sending
    _send(client, broadcast)
    queued = Message.objects.filter(broadcast=broadcast).count()
    assert queued > 1 and outbox_drain(batch_size=100).held == queued
    page = client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
    assert f"{queued} संदेश रुके हुए हैं।" in page and "शांत समय" in page
    assert 'id="broadcast-status">भेजा जा रहा है<' in page


def test_the_election_silence_is_explained(tree, template, settings):
    now = timezone.now()
    settings.SANGATHAN_ELECTION_SILENCE = [(now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=5),
                                           tree["d1"].path)]
    client = web(tree.users["district_president"])
    compose(client, unit=tree["d1a1"].pk)
    broadcast = Broadcast.objects.get()
    page = client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
    assert "चुनाव से पहले की मौन अवधि" in page
    # A silence elsewhere says nothing here.
    settings.SANGATHAN_ELECTION_SILENCE = [(now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=5),
                                           tree["d2"].path)]
    assert "मौन अवधि" not in client.get(f"/messaging/broadcasts/{broadcast.pk}/").content.decode()
