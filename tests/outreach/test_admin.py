import pytest

from sangathan.outreach.models import CallerAbsence, ProgramCaller

pytestmark = pytest.mark.django_db


def test_admin_writes_go_through_the_services(client, contact, tree):
    client.force_login(tree.users["state_admin"])
    person = contact.callers["state_secretary"]
    response = client.post("/admin/outreach/programcaller/add/", {
        "program": contact.program.pk, "person": person.pk, "region": tree["d2"].pk})
    assert response.status_code == 302
    assert ProgramCaller.objects.get(program=contact.program, person=person).region == tree["d2"]
    bad = client.post("/admin/outreach/callerabsence/add/", {
        "person": person.pk, "start_on": "2030-01-05", "end_on": "2030-01-01", "reason": "यात्रा"})
    assert bad.status_code == 200 and not CallerAbsence.objects.exists()
    good = client.post("/admin/outreach/callerabsence/add/", {
        "person": person.pk, "start_on": "2030-01-01", "end_on": "2030-01-05", "reason": "यात्रा"})
    assert good.status_code == 302 and CallerAbsence.objects.get().reason == "यात्रा"
    for path in ("contactprogram", "callassignment", "calllog", "followup", "programcaller", "callerabsence"):
        assert client.get(f"/admin/outreach/{path}/").status_code == 200
    assert client.get(f"/admin/outreach/contactprogram/{contact.program.pk}/change/").status_code == 200
