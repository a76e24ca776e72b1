"""The cell's pages: the queue, the phone intake form, a grievance's actions (Hindi by default)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sangathan.access.models import AuditLog
from sangathan.grievances.enums import GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance
from tests.grievances.helpers import PDF, take


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_intake_form_takes_a_walk_in(cell):
    client = client_for(cell["district_convener"])
    page = client.get("/grievances/new/")
    assert page.status_code == 200 and "शिकायत" in page.content.decode()
    response = client.post("/grievances/new/", {
        "complainant_name": "रामलाल", "complainant_mobile": "98260 12345", "unit": cell.tree["d1a1m"].pk,
        "kind": "organizational", "department": "", "subject": "बैठक की सूचना नहीं", "description": "",
        "channel": "district_office", "priority": "normal", "named_mobile": "",
        "attachments": [SimpleUploadedFile("a.pdf", PDF)]})
    grievance = Grievance.objects.get()
    assert response.status_code == 302 and response.url == f"/grievances/{grievance.pk}/?new=1"
    assert grievance.attachments.count() == 1 and grievance.unit == cell.tree["d1a1m"]


def test_intake_form_shows_service_errors_on_the_fields(cell):
    client = client_for(cell["district_convener"])
    response = client.post("/grievances/new/", {
        "complainant_name": "रामलाल", "complainant_mobile": "98260 12345", "unit": cell.tree["d1"].pk,
        "kind": "administrative", "department": "", "subject": "राशन", "channel": "phone", "priority": "normal",
        "attachments": [SimpleUploadedFile("a.pdf", b"plain text")]})
    assert response.status_code == 400
    assert response.context["form"].errors.get("department") or response.context["form"].errors.get("attachments")
    assert not Grievance.objects.exists()


def test_queue_and_detail_are_scoped_and_audited(cell):
    mine = take(cell)
    other = take(cell, actor="district2_convener", unit="d2a1b1", mobile="9826012300")
    client = client_for(cell["district_convener"])
    queue = client.get("/grievances/")
    assert queue.status_code == 200 and mine.tracking_code in queue.content.decode()
    assert other.tracking_code not in queue.content.decode()
    assert client.get(f"/grievances/{other.pk}/").status_code == 404
    assert client.get(f"/grievances/{mine.pk}/").status_code == 200
    assert AuditLog.objects.filter(action=AuditLog.Action.GRIEVANCE_VIEW, target_id=mine.pk).count() == 1
    assert client_for(cell["mandal_president"]).get("/grievances/").status_code == 403


def test_actions_from_the_detail_page(cell):
    grievance = take(cell)
    client = client_for(cell["district_convener"])
    bad = client.post(f"/grievances/{grievance.pk}/escalate/", {"reason": ""})
    assert bad.status_code == 400 and bad.context["error"]
    done = client.post(f"/grievances/{grievance.pk}/escalate/", {"reason": "जिले में हल नहीं"})
    assert done.status_code == 302
    grievance.refresh_from_db()
    assert grievance.level == GrievanceLevel.STATE
    state = client_for(cell["state_convener"])
    queue = state.get("/grievances/")  # the state cell's own list by default
    assert grievance.tracking_code in queue.content.decode()
    state.post(f"/grievances/{grievance.pk}/resolve/", {"note": "हल हो गया"})
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.RESOLVED
    reader = client_for(cell["district_vice_president"])
    assert reader.post(f"/grievances/{grievance.pk}/note/", {"text": "x"}).status_code == 403
    assert client.post(f"/grievances/{grievance.pk}/nonsense/", {}).status_code == 404


def test_the_top_bar_links_the_cell_for_its_people_only(cell):
    assert 'href="/grievances/"' in client_for(cell["district_convener"]).get("/grievances/").content.decode()
    home = client_for(cell["mandal_president"]).get("/")
    assert home.status_code == 200 and 'href="/grievances/"' not in home.content.decode()


def test_queue_search_by_tracking_code_in_devanagari_digits(cell):
    from sangathan.core.digits import DEVANAGARI_DIGITS

    mine = take(cell)
    take(cell, mobile="9826012300", subject="दूसरी शिकायत")
    typed = mine.tracking_code.removeprefix("SG-").translate(str.maketrans("0123456789", DEVANAGARI_DIGITS))
    queue = client_for(cell["district_convener"]).get("/grievances/", {"q": typed})
    html = queue.content.decode()
    assert queue.status_code == 200 and mine.tracking_code in html and "दूसरी शिकायत" not in html
