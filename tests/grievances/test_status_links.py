"""Messages to a complainant name the public status page by its full configured address."""

from django.test import override_settings

from sangathan.access.scope import scope_for_user
from sangathan.grievances.services import grievance_resolve
from sangathan.messaging.models import ContactPreference, Message
from tests.grievances.helpers import take

STATUS = "https://sangathan.example.org/status/"


@override_settings(SANGATHAN_PUBLIC_URL="https://sangathan.example.org")
def test_acknowledgement_and_resolution_link_the_public_status_page(cell):
    grievance = take(cell)
    ack = Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:ack")
    assert f"स्थिति {STATUS} पर कोड" in ack.body and grievance.tracking_code in ack.body

    grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=grievance, note="बात हो गई।")
    resolved = Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:resolved:0")
    assert f"या {STATUS} पर बताएं" in resolved.body


@override_settings(SANGATHAN_PUBLIC_URL="https://sangathan.example.org")
def test_a_registered_complainant_in_english_gets_the_same_address(cell):
    worker = cell.tree.people["d1a1b1p0"]
    ContactPreference.objects.create(person=worker, language="en")
    grievance = take(cell, mobile=worker.mobile)
    ack = Message.objects.get(idempotency_key=f"grievance:{grievance.pk}:ack")
    assert f"See its status at {STATUS} with the code" in ack.body
