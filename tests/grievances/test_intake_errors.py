"""The intake form answers every mistake at once: the service checks all fields before it refuses."""

import pytest
from django.test import Client

from sangathan.access.scope import scope_for_user
from sangathan.core.errors import DomainError
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind
from sangathan.grievances.models import Grievance
from sangathan.grievances.services import grievance_create


def test_the_service_names_every_bad_field(cell):
    with pytest.raises(DomainError) as caught:
        grievance_create(scope=scope_for_user(cell["district_convener"]), unit=cell.tree["d1a1b1"],
                         channel=GrievanceChannel.PHONE, kind=GrievanceKind.ADMINISTRATIVE, subject=" ",
                         description="", complainant_name="", complainant_mobile="12")
    assert set(caught.value.errors) == {"subject", "department", "complainant_name", "complainant_mobile"}
    assert not Grievance.objects.exists()


def test_the_form_shows_them_all_with_the_named_worker(cell):
    client = Client()
    client.force_login(cell["district_convener"])
    response = client.post("/grievances/new/", {
        "complainant_name": "रामलाल", "complainant_mobile": "12", "unit": cell.tree["d1a1m"].pk,
        "kind": "administrative", "department": "", "subject": "राशन", "channel": "phone", "priority": "normal",
        "named_mobile": "9000000001"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"complainant_mobile", "department", "named_mobile"} <= set(errors)
    assert "मोबाइल" in " ".join(errors["complainant_mobile"])
    assert not Grievance.objects.exists()
