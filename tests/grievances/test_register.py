"""The grievance register page: filters, sortable columns, pages, the reader's reach (403/404, recusal) and
the audit row of every read."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_user
from sangathan.grievances.enums import GrievanceKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance
from sangathan.grievances.services import grievance_assign, grievance_escalate, grievance_forward
from tests.grievances.helpers import take

URL = "/grievances/register/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def codes(response) -> list[str]:
    return [g.tracking_code for g in response.context["page"].object_list]


def test_the_register_lists_filters_and_audits(cell, clock):
    first = take(cell, subject="पहली शिकायत")
    clock.advance(days=3)
    admin = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["revenue"],
                 subject="राशन कार्ड नहीं बना", mobile="9826012301")
    escalated = take(cell, subject="जिले में हल नहीं", mobile="9826012302")
    grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=escalated, reason="जिले से बाहर")
    client = client_for(cell["district_convener"])

    page = client.get(URL)
    assert page.status_code == 200
    assert set(codes(page)) == {first.tracking_code, admin.tracking_code, escalated.tracking_code}
    text = page.content.decode()
    assert "शिकायत रजिस्टर" in text and 'class="reg-table"' in text and 'data-label="' in text
    audit = AuditLog.objects.filter(action="grievances.register").latest("id")
    assert audit.detail == {"filters": {}, "sort": "-created", "count": 3}

    assert codes(client.get(URL, {"kind": "administrative"})) == [admin.tracking_code]
    assert codes(client.get(URL, {"department": cell.departments["revenue"].pk})) == [admin.tracking_code]
    assert codes(client.get(URL, {"level": GrievanceLevel.STATE})) == [escalated.tracking_code]
    day = timezone.localdate(first.created_at)
    assert codes(client.get(URL, {"date_from": day.isoformat(), "date_to": day.isoformat()})) == [first.tracking_code]
    later = (day + timedelta(days=1)).isoformat()
    assert set(codes(client.get(URL, {"date_from": later}))) == {admin.tracking_code, escalated.tracking_code}
    assert codes(client.get(URL, {"q": "राशन"})) == [admin.tracking_code]
    filtered = AuditLog.objects.filter(action="grievances.register").latest("id")
    assert filtered.detail["filters"] == {"q": "राशन"} and filtered.detail["count"] == 1
    assert filtered.actor_id == cell["district_convener"].pk


def test_status_overdue_and_assignee_filters(cell, clock):
    forwarded = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["health"],
                     subject="अस्पताल में दवा नहीं")
    scope = scope_for_user(cell["district_convener"])
    grievance_forward(scope=scope, grievance=forwarded, office="CMHO", reference="181-1")
    mine = take(cell, subject="मेरी शिकायत", mobile="9826012303")
    nobody = take(cell, subject="बिना जिम्मेदार", mobile="9826012304")
    nobody.assignments.update(ended_at=timezone.now())
    mine.assignments.update(ended_at=timezone.now())
    grievance_assign(scope=scope, grievance=mine, to_person=cell.people["district_incharge"].pk)
    client = client_for(cell["district_convener"])

    assert codes(client.get(URL, {"status": GrievanceStatus.FORWARDED})) == [forwarded.tracking_code]
    assert set(codes(client.get(URL, {"status": "still_open"}))) == {forwarded.tracking_code, mine.tracking_code,
                                                                      nobody.tracking_code}
    assert codes(client.get(URL, {"assignee": str(cell.people["district_incharge"].pk)})) == [mine.tracking_code]
    assert nobody.tracking_code in codes(client.get(URL, {"assignee": "none"}))
    assert mine.tracking_code not in codes(client.get(URL, {"assignee": "none"}))
    assert codes(client.get(URL, {"overdue": "on"})) == []
    clock.advance(days=30)
    overdue = set(codes(client.get(URL, {"overdue": "on"})))
    assert mine.tracking_code in overdue and forwarded.tracking_code not in overdue  # the department's clock runs
    incharge = client_for(cell["district_incharge"])
    assert codes(incharge.get(URL, {"assignee": "me"})) == [mine.tracking_code]


def test_sorting_by_each_column(cell, clock):
    made = []
    for n, subject in enumerate(("ग शिकायत", "क शिकायत", "ख शिकायत")):
        made.append(take(cell, subject=subject, mobile=f"98260123{n}9"))
        clock.advance(hours=1)
    client = client_for(cell["district_convener"])
    newest_first = codes(client.get(URL))
    assert newest_first == [g.tracking_code for g in reversed(made)]
    assert codes(client.get(URL, {"sort": "created"})) == [g.tracking_code for g in made]
    by_code = sorted(g.tracking_code for g in made)
    assert codes(client.get(URL, {"sort": "code"})) == by_code
    assert codes(client.get(URL, {"sort": "-code"})) == by_code[::-1]
    response = client.get(URL, {"sort": "subject"})
    assert [g.subject for g in response.context["page"].object_list] == ["क शिकायत", "ख शिकायत", "ग शिकायत"]
    heads = {c["key"]: c for c in response.context["columns"]}
    assert heads["subject"]["aria"] == "ascending" and heads["subject"]["next"] == "-subject"
    assert 'aria-sort="ascending"' in response.content.decode()
    for key in ("unit", "kind", "level", "status", "due", "-due"):
        assert client.get(URL, {"sort": key}).status_code == 200
    assert client.get(URL, {"sort": "nonsense"}).status_code == 400  # shown with its error, never a 500


def test_pages_of_fifty(cell):
    base = take(cell)
    Grievance.objects.bulk_create([Grievance(
        tracking_code=f"SG-P{n:05d}", unit=base.unit, unit_path=base.unit_path, district=base.district,
        kind="organizational", channel="phone", subject=f"शिकायत {n}", complainant_name="रामलाल",
        complainant_mobile="+919826012345", created_at=base.created_at) for n in range(60)])
    client = client_for(cell["district_convener"])
    first = client.get(URL, {"sort": "code"})
    assert len(codes(first)) == 50 and first.context["page"].paginator.count == 61
    assert "?sort=code&amp;page=2" in first.content.decode() or "page=2" in first.content.decode()
    second = client.get(URL, {"sort": "code", "page": 2})
    assert len(codes(second)) == 11 and not set(codes(first)) & set(codes(second))
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_reach_403_404_and_recusal(cell):
    mine = take(cell)
    other = take(cell, actor="district2_convener", unit="d2a1b1", mobile="9826012300")
    named = take(cell, subject="जिला प्रभारी के विरुद्ध", mobile="9826012388",
                 named_person=cell.people["district_incharge"])
    assert client_for(cell["mandal_president"]).get(URL).status_code == 403
    assert client_for(cell["mandal_president"]).get("/grievances/register.xlsx").status_code == 403
    district1 = codes(client_for(cell["district_convener"]).get(URL))
    assert mine.tracking_code in district1 and other.tracking_code not in district1
    incharge = codes(client_for(cell["district_incharge"]).get(URL))
    assert mine.tracking_code in incharge and named.tracking_code not in incharge  # recused
    assert codes(client_for(cell["district_incharge"]).get(URL, {"q": named.tracking_code})) == []
    assert client_for(cell["district_convener"]).get(URL, {"unit": cell.tree["d2"].pk}).status_code == 404
    state = set(codes(client_for(cell["state_convener"]).get(URL)))
    assert {mine.tracking_code, other.tracking_code, named.tracking_code} <= state


def test_bad_filters_are_form_errors_in_hindi(cell):
    take(cell)
    client = client_for(cell["district_convener"])
    response = client.get(URL, {"date_from": "2026-01-10", "date_to": "2026-01-01", "department": "999999",
                                "assignee": "12345678901234567890", "status": "lost"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"date_to", "department", "assignee", "status"} <= set(errors)
    assert "अंतिम तिथि" in response.content.decode()
    assert len(codes(response)) == 1  # the valid filters still apply: none here
    assert client.get(URL, {"date_from": "kal"}).status_code == 400
    assert client.get(URL, {"date_to": "9999-12-31"}).status_code == 400


def test_the_queue_links_the_register_and_the_detail_the_receipt(cell):
    grievance = take(cell)
    client = client_for(cell["district_convener"])
    assert 'href="/grievances/register/"' in client.get("/grievances/").content.decode()
    detail = client.get(f"/grievances/{grievance.pk}/?new=1").content.decode()
    assert f'href="/grievances/{grievance.pk}/receipt/"' in detail
