"""The objects and the route table of the generated scope test (``test_route_scope``).

Every object is built with the ORM in booth d2a2b1 (or its mandal, assembly or district), a subtree no
demo role can see: the booth president (d1a1b1), the mandal president (d1a1m), the president of d1, the
Lok Sabha in-charge (d1a1, d1a2, d2a1), a member without a post and a staff user with a write ScopeGrant on
d1. The ORM, not the services, so that the services' signatures can change without touching this file.

A case tells how to call one route on those objects: path parameters name objects (``ref("grievance")``
gives the id; the probe run gives an id that exists nowhere, to tell a blanket refusal from a leak).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from sangathan.access.models import ScopeGrant
from sangathan.campaigns.models import BoothTask, Campaign, Metric, Report, Target, Verification
from sangathan.committees.models import Committee, CommitteeMember, CommitteeType
from sangathan.events.models import Event, Invitation, Series, Tour, Venue, ViewingLocation, WorkshopPlan
from sangathan.fieldwork.models import Assignment, BoothTarget, Drive, FieldRecord, PhotoUpload
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceAttachment
from sangathan.messaging.models import Broadcast, Template
from sangathan.org.enums import Grant
from sangathan.org.models import Position, Post
from sangathan.outreach.models import CallAssignment, CallLog, ContactProgram, FollowUp
from sangathan.people.models import DuplicateCandidate, ImportJob
from sangathan.rosters.models import HearingCase, HearingDirection, HearingSession, Office, SittingDay
from tests.factories import PersonFactory, Tree, build_tree, make_user

MISSING = 987_654_321  # an id no table holds: the probe's answer is what "absent" looks like
ROLES = ("booth_president", "mandal_president", "district_president", "lok_sabha_incharge", "nobody", "staff_d1")
CONTROL = "state_admin"  # a superuser: must see every object, so that no case passes vacuously
TODAY = datetime.date.today()
# Strings only the sibling subtree's objects carry: no list or page shown to a role may contain one.
MARKERS = ("D2A2B1", "RSZQ4242", "route-scope-zq", "Route scope zq", "रूट स्कोप")


@dataclass
class World:
    tree: Tree
    objects: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def id(self, key: str) -> int:
        return self.objects[key].pk


Ref = Callable[[str], int]


def build_world() -> World:
    """The tree, the staff user with a ScopeGrant on d1, and one object of each kind under d2a2b1."""
    tree = build_tree()
    world = World(tree=tree)
    world.users = {key: tree.users[key] for key in ("booth_president", "mandal_president", "district_president",
                                                     "lok_sabha_incharge", "nobody", "state_admin")}
    staff = make_user()
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    ScopeGrant.objects.create(user=staff, unit=tree["d1"], grant=Grant.WRITE, reason="route scope test")
    world.users["staff_d1"] = staff

    o = world.objects
    booth, mandal, assembly, district = tree["d2a2b1"], tree["d2a2m"], tree["d2a2"], tree["d2"]
    now = timezone.now()
    o["unit"] = assembly
    o["district"] = district
    o["booth"] = booth
    o["person"] = PersonFactory(unit=booth, name="रूट स्कोप सदस्य")
    o["person2"] = PersonFactory(unit=booth, name="रूट स्कोप सदस्या")
    o["worker"] = PersonFactory(unit=district)  # a d2 office worker: caller, sitter, importer, assignee
    o["worker_user"] = world.users["owner"] = make_user(o["worker"])

    a, b = sorted((o["person"], o["person2"]), key=lambda p: p.pk)
    o["duplicate"] = DuplicateCandidate.objects.create(person_a=a, person_b=b, path_a=a.unit_path,
                                                       path_b=b.unit_path, reasons=["name"], score=90)
    o["import_job"] = ImportJob.objects.create(file_name="route-scope-zq.csv", file_hash="0" * 64,
                                               file_format="csv", importer=o["worker_user"], unit_root=assembly,
                                               status=ImportJob.Status.DONE, total=1, checkpoint=1)

    o["template"] = template = Template.objects.create(code="route-scope-zq", name="Route scope zq",
                                                       body_hi="रूट स्कोप", channels=["sms"])
    o["broadcast"] = Broadcast.objects.create(sender_unit=district, unit=booth, unit_path=booth.path,
                                              template=template, channels=["sms"], created_by=o["worker_user"])

    president = Post.objects.get(code="president")
    o["position"] = Position.objects.create(person=o["person"], post=president, unit=booth, unit_path=booth.path,
                                            start_date=TODAY)
    o["program"] = ContactProgram.objects.create(code="route-scope-zq", name_hi="रूट स्कोप कार्यक्रम",
                                                 name_en="Route scope zq", target_root=assembly,
                                                 target_path=assembly.path, target_post=president)

    def assignment(target):
        return CallAssignment.objects.create(program=o["program"], day=TODAY, caller=o["worker"], target=target,
                                             target_unit=booth, unit_path=booth.path, caller_path=district.path)

    o["assignment"] = assignment(o["person"])
    logged = assignment(o["person2"])
    log = CallLog.objects.create(assignment=logged, day=TODAY, caller=o["worker"], target=o["person2"],
                                 unit_path=booth.path, reached=True, outcome="reached", logged_at=now, updated_at=now)
    o["followup"] = FollowUp.objects.create(call_log=log, district=district, unit_path=booth.path,
                                            note="Route scope zq follow-up")

    o["grievance"] = Grievance.objects.create(
        tracking_code="RSZQ4242", unit=booth, unit_path=booth.path, district=district, kind="organizational",
        channel="district_office", subject="Route scope zq grievance", description="रूट स्कोप",
        complainant=o["person"], complainant_name=o["person"].name, complainant_mobile=o["person"].mobile)
    GrievanceAssignment.objects.create(grievance=o["grievance"], person=o["worker"], level="district")
    attachment = GrievanceAttachment(grievance=o["grievance"], original_name="route-scope.txt", kind="pdf", size=4)
    attachment.file.save("route-scope.txt", ContentFile(b"zq42"), save=True)
    o["attachment"] = attachment

    o["office"] = Office.objects.create(unit=assembly, unit_path=assembly.path, name="Route scope zq office")
    o["sitting"] = SittingDay.objects.create(office=o["office"], person=o["worker"], weekday=0,
                                             starts_at=datetime.time(13), ends_at=datetime.time(15))
    o["session"] = HearingSession.objects.create(office=o["office"], unit_path=assembly.path, date=TODAY,
                                                 person=o["worker"], starts_at=datetime.time(13),
                                                 ends_at=datetime.time(15))
    o["case"] = HearingCase.objects.create(session=o["session"], grievance=o["grievance"], token=1,
                                           source="scheduled", slot_at=now)
    o["direction"] = HearingDirection.objects.create(case=o["case"], grievance=o["grievance"], owner=o["worker"],
                                                     unit_path=booth.path, text="Route scope zq",
                                                     deadline=TODAY + datetime.timedelta(days=7))

    start = TODAY - datetime.timedelta(days=TODAY.weekday() + 14)
    for key, unit, code, name in (("campaign", assembly, "route-scope-zq", "Route scope zq"),
                                  ("state_campaign", tree["state"], "state-drive", "State drive")):
        campaign = Campaign.objects.create(code=code, name_hi=name, name_en=name,
                                           unit=unit, unit_path=unit.path, report_level="mandal",
                                           start_date=start, end_date=start + datetime.timedelta(days=55))
        metric = Metric.objects.create(campaign=campaign, code="homes", label_hi="घर", label_en="Homes")
        Target.objects.create(campaign=campaign, metric=metric, unit=mandal, unit_path=mandal.path, value=10,
                              set_at=unit)
        report = Report.objects.create(campaign=campaign, unit=mandal, unit_path=mandal.path, period_start=start,
                                       period_end=start + datetime.timedelta(days=6), submitted_at=now)
        Verification.objects.create(report=report, campaign=campaign, unit_path=mandal.path, seed=1, weight=1)
        task = BoothTask(campaign=campaign, unit=booth, unit_path=booth.path, kind="wall_writing",
                         title="Route scope zq wall")
        task.photo.save("route-scope.jpg", ContentFile(b"zq42"), save=True)
        o[key], o[f"{key}_report"], o[f"{key}_task"] = campaign, report, task
        o[f"{key}_mandal"] = mandal
    booth_type, _ = CommitteeType.objects.get_or_create(code="booth", defaults={
        "name_hi": "बूथ समिति", "name_en": "Booth committee", "level": "booth", "min_members": 12,
        "max_members": 21, "required_posts": ["president"]})
    o["committee"] = Committee.objects.create(type=booth_type, unit=booth, unit_path=booth.path,
                                              reasons=[{"code": "below_size", "size": 1, "min": 12}])
    o["seat"] = CommitteeMember.objects.create(committee=o["committee"], person=o["person"], unit_path=booth.path)
    _events_objects(o, booth=booth, mandal=mandal, assembly=assembly, district=district)
    _fieldwork_objects(o, assembly, booth, now)
    return world


# --- events (issue 11) ---
def _events_objects(o, *, booth, mandal, assembly, district) -> None:
    starts = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(10, 0)))
    o["venue"] = Venue.objects.create(name="Route scope zq hall", unit=district, unit_path=district.path, capacity=9)
    o["event"] = Event.objects.create(kind="meeting", title="Route scope zq meeting", unit=booth, unit_path=booth.path,
                                      venue=o["venue"], starts_at=starts, ends_at=starts + datetime.timedelta(hours=1))
    o["invitation"] = Invitation.objects.create(event=o["event"], person=o["person"], unit_path=booth.path)
    o["location"] = ViewingLocation.objects.create(event=o["event"], name="Route scope zq place", host=o["person"],
                                                   unit_path=booth.path)
    o["series"] = Series.objects.create(title="Route scope zq tiffin", unit=assembly, unit_path=assembly.path,
                                        level="mandal", starts_on=TODAY.replace(day=1), months=1)
    Event.objects.create(kind="tiffin", title="Route scope zq tiffin", unit=mandal, unit_path=mandal.path,
                         series=o["series"], period=TODAY.replace(day=1))
    o["plan"] = WorkshopPlan.objects.create(title="Route scope zq plan", unit=district, unit_path=district.path)
    o["tour"] = Tour.objects.create(kind="assembly", title="Route scope zq tour", leader=o["worker"], unit=district,
                                    unit_path=district.path, starts_on=TODAY, ends_on=TODAY)



# --- fieldwork (issue 13): a drive over d2a2 with its booth, vistarak (the d2 worker), record and upload ---
def _fieldwork_objects(o: dict, assembly, booth, now) -> None:
    import uuid

    drive = Drive.objects.create(name="Route scope zq drive", unit=assembly, unit_path=assembly.path,
                                 starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=30), consent_text="zq")
    BoothTarget.objects.create(drive=drive, booth=booth, unit_path=booth.path, target=5)
    o["fw_drive"] = drive
    # The vistarak's write grant on the booth (as ``vistarak_assign`` gives), so the upload's owner sees it.
    ScopeGrant.objects.create(user=o["worker_user"], unit=booth, grant=Grant.WRITE, reason=f"fieldwork:{drive.pk}")
    o["fw_assignment"] = Assignment.objects.create(drive=drive, vistarak=o["worker"], user=o["worker_user"],
                                                   unit=booth, unit_path=booth.path)
    o["fw_record"] = FieldRecord.objects.create(client_uuid=uuid.uuid4(), drive=drive, user=o["worker_user"],
                                                booth=booth, unit_path=booth.path, outcome="review", captured_at=now,
                                                data={"name": "रूट स्कोप विस्तार", "mobile": "+919999954321"})
    o["fw_upload"] = PhotoUpload.objects.create(client_uuid=o["fw_record"].client_uuid, user=o["worker_user"],
                                                drive=drive, unit_path=booth.path, size=10)
# --- end fieldwork ---


@dataclass(frozen=True)
class Case:
    """One call of a route: ``params`` maps path parameters to object keys (``fixed`` holds non-id ones);
    ``body``/``query`` build the data from ``ref``. ``methods`` only for web routes (API ones know theirs)."""

    params: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    body: Callable[[Ref], dict] | None = None
    query: Callable[[Ref], dict] | None = None
    methods: tuple = ("GET",)
    files: bool = False
    visible: tuple = ()  # objects the roles may see (a state campaign): the probe keeps them
    control: str = CONTROL  # who must be able to read the object, so that the case is not vacuous


@dataclass(frozen=True)
class ListCase:
    """A list or count: ``query`` (with the sibling unit when the route filters by unit) and ``shows``, a
    marker the superuser's answer must contain (so that the check is not vacuous; empty where the page
    shows no row of the sibling's objects even to a superuser)."""

    shows: str
    query: Callable[[Ref], dict] | None = None
    params: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    visible: tuple = ()
    url: str = ""  # for a regex pattern, the URL to call


def _day(offset: int = 0) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


G = {"grievance_id": "grievance"}
CAMPAIGN = {"campaign_id": "campaign"}
COMMITTEE = {"committee_id": "committee"}
STATE_CAMPAIGN = {"campaign_id": "state_campaign"}
OFFICE = {"office_id": "office"}
BROADCAST = {"broadcast_id": "broadcast"}


def _both(params: dict, **extra) -> list[Case]:
    """The same call on the sibling's own campaign and on the state campaign's sibling rows."""
    other = {k: v.replace("campaign", "state_campaign") for k, v in params.items()}
    rest = {k: v for k, v in extra.items() if k != "body"}
    return [Case(params=params, **extra), Case(params=other, body=_state(extra.get("body")),
                                                visible=("state_campaign",), **rest)]


def _state(body):
    if body is None:
        return None
    return lambda ref: {k: (ref("state_campaign_mandal") if k == "unit" else v) for k, v in body(ref).items()}


# --- fieldwork (issue 13) ---
DRIVE = {"drive_id": "fw_drive"}
FW_UUID = "0b7f3e6c-5d2a-4c1e-9f00-000000000042"
FIELDWORK_API_CASES: dict[tuple[str, str], list[Case]] = {
    ("POST", "/fieldwork/drives"): [Case(body=lambda ref: {
        "unit": ref("unit"), "name": "zq", "starts_on": _day(), "ends_on": _day(5), "consent_text": "zq"})],
    ("GET", "/fieldwork/drives/{drive_id}"): [Case(params=DRIVE)],
    ("GET", "/fieldwork/drives/{drive_id}/start"): [Case(params=DRIVE)],
    ("POST", "/fieldwork/drives/{drive_id}/targets"): [Case(params=DRIVE, body=lambda ref: {
        "booth": ref("booth"), "target": 3})],
    ("POST", "/fieldwork/drives/{drive_id}/assignments"): [Case(params=DRIVE, body=lambda ref: {
        "person": ref("person"), "unit": ref("booth")})],
    ("POST", "/fieldwork/drives/{drive_id}/plans"): [Case(params=DRIVE, body=lambda ref: {
        "assignment": ref("fw_assignment"), "day": _day(), "booth": ref("booth"), "planned": 2})],
    ("POST", "/fieldwork/drives/{drive_id}/sync"): [Case(params=DRIVE, body=lambda ref: {"records": [{
        "client_uuid": FW_UUID, "booth_id": ref("booth"), "captured_at": f"{_day()}T10:00:00+05:30",
        "fields": {"name": "zq", "mobile": "9999912346"}, "consent": True}]})],
    ("POST", "/fieldwork/drives/{drive_id}/codes"): [Case(params=DRIVE, body=lambda ref: {
        "client_uuid": FW_UUID, "booth_id": ref("booth"), "mobile": "9999912346"})],
    ("POST", "/fieldwork/drives/{drive_id}/records/{record_id}/review"): [Case(
        params={**DRIVE, "record_id": "fw_record"}, body=lambda ref: {"decision": "reject"})],
    ("POST", "/fieldwork/drives/{drive_id}/verification-sample"): [Case(params=DRIVE, body=lambda ref: {
        "unit": ref("district"), "n": 1})],
    ("POST", "/fieldwork/drives/{drive_id}/uploads"): [Case(params=DRIVE, body=lambda ref: {
        "client_uuid": FW_UUID, "size": 10})],
    ("GET", "/fieldwork/uploads/{upload_id}"): [Case(params={"upload_id": "fw_upload"}, control="owner")],
    ("PATCH", "/fieldwork/uploads/{upload_id}"): [Case(params={"upload_id": "fw_upload"}, control="owner")],
}
# --- end fieldwork ---

# API routes (path relative to /api/v1, as in the OpenAPI document) that carry an object id.
API_CASES: dict[tuple[str, str], list[Case]] = {
    **FIELDWORK_API_CASES,
    ("GET", "/units/{unit_id}"): [Case(params={"unit_id": "unit"})],
    ("GET", "/units/{unit_id}/children"): [Case(params={"unit_id": "unit"})],
    ("POST", "/people/duplicates/find"): [Case(body=lambda ref: {"unit": ref("unit")})],
    ("GET", "/people/duplicates/{candidate_id}"): [Case(params={"candidate_id": "duplicate"})],
    ("POST", "/people/duplicates/{candidate_id}/dismiss"): [Case(params={"candidate_id": "duplicate"})],
    ("POST", "/people/duplicates/{candidate_id}/merge"): [
        Case(params={"candidate_id": "duplicate"}, body=lambda ref: {"survivor": ref("person")})],
    ("POST", "/people"): [Case(body=lambda ref: {"name": "रूट स्कोप नया", "mobile": "+919999912345",
                                                 "unit": ref("booth")})],
    ("GET", "/people/{person_id}"): [Case(params={"person_id": "person"})],
    ("PATCH", "/people/{person_id}"): [Case(params={"person_id": "person"}, body=lambda ref: {"address": "zq"})],
    ("GET", "/people/imports/{job_id}"): [Case(params={"job_id": "import_job"})],
    ("GET", "/people/imports/{job_id}/errors"): [Case(params={"job_id": "import_job"})],
    ("POST", "/broadcasts"): [Case(body=lambda ref: {"unit": ref("booth"), "template": "route-scope-zq",
                                                     "channels": ["sms"]})],
    ("GET", "/broadcasts/{broadcast_id}"): [Case(params=BROADCAST)],
    **{("POST", f"/broadcasts/{{broadcast_id}}/{verb}"): [Case(params=BROADCAST)]
       for verb in ("preview", "send", "pause", "resume", "cancel")},
    ("POST", "/committees"): [Case(body=lambda ref: {"unit": ref("booth"), "type": "booth"})],
    ("GET", "/committees/{committee_id}"): [Case(params=COMMITTEE)],
    ("POST", "/committees/{committee_id}/members"): [Case(params=COMMITTEE,
                                                          body=lambda ref: {"person": ref("person2")})],
    ("POST", "/committees/{committee_id}/members/{seat_id}/remove"): [
        Case(params={**COMMITTEE, "seat_id": "seat"})],
    ("POST", "/committees/{committee_id}/convener"): [Case(params=COMMITTEE,
                                                           body=lambda ref: {"person": ref("person")})],
    ("PUT", "/committees/{committee_id}/office"): [Case(params=COMMITTEE, body=lambda ref: {"address": "zq"})],
    ("POST", "/committees/{committee_id}/dissolve"): [Case(params=COMMITTEE)],
    ("PUT", "/outreach/calls/{assignment_id}/log"): [
        Case(params={"assignment_id": "assignment"}, body=lambda ref: {"outcome": "reached"}, control="owner")],
    ("POST", "/campaigns"): [Case(body=lambda ref: {
        "unit": ref("booth"), "code": "rs-new", "name_hi": "नया", "report_level": "booth", "start_date": _day(),
        "end_date": _day(30), "metrics": [{"code": "homes", "label_hi": "घर", "measure_hi": "घर"}]})],
    ("GET", "/campaigns/{campaign_id}"): [Case(params=CAMPAIGN)],
    ("GET", "/campaigns/{campaign_id}/targets"): [Case(params=CAMPAIGN)],
    ("PUT", "/campaigns/{campaign_id}/targets"): _both(
        CAMPAIGN, body=lambda ref: {"unit": ref("campaign_mandal"), "metric": "homes", "value": 5}),
    ("GET", "/campaigns/{campaign_id}/reports"): [Case(params=CAMPAIGN)],
    ("POST", "/campaigns/{campaign_id}/reports"): _both(
        CAMPAIGN, body=lambda ref: {"unit": ref("campaign_mandal"), "values": {"homes": 3}}),
    ("GET", "/campaigns/{campaign_id}/reports/{report_id}"): [
        Case(params={**CAMPAIGN, "report_id": "campaign_report"}),
        Case(params={**STATE_CAMPAIGN, "report_id": "state_campaign_report"}, visible=("state_campaign",))],
    ("GET", "/campaigns/{campaign_id}/rollup"): [Case(params=CAMPAIGN)],
    ("GET", "/campaigns/{campaign_id}/verifications"): [Case(params=CAMPAIGN)],
    ("POST", "/campaigns/{campaign_id}/verifications/sample"): [
        Case(params=CAMPAIGN, body=lambda ref: {"sample": 1, "seed": 1})],
    ("GET", "/campaigns/{campaign_id}/discrepancies"): [Case(params=CAMPAIGN)],
    ("POST", "/grievances"): [Case(body=lambda ref: {"unit": ref("booth"), "kind": "organizational",
                                                     "subject": "zq", "complainant_name": "zq",
                                                     "complainant_mobile": "+919999954321"})],
    ("GET", "/grievances/{grievance_id}"): [Case(params=G)],
    ("POST", "/grievances/{grievance_id}/attachments"): [Case(params=G, files=True)],
    ("POST", "/grievances/{grievance_id}/assign"): [Case(params=G, body=lambda ref: {"person": ref("worker")})],
    ("POST", "/grievances/{grievance_id}/forward"): [
        Case(params=G, body=lambda ref: {"office": "Collector", "reference": "ZQ-1"})],
    ("POST", "/grievances/{grievance_id}/escalate"): [Case(params=G, body=lambda ref: {"reason": "zq"})],
    ("POST", "/grievances/{grievance_id}/send-back"): [Case(params=G, body=lambda ref: {"directions": "zq"})],
    ("POST", "/grievances/{grievance_id}/wait"): [Case(params=G, body=lambda ref: {"question": "zq"})],
    ("POST", "/grievances/{grievance_id}/resume"): [Case(params=G, body=lambda ref: {})],
    ("POST", "/grievances/{grievance_id}/hearing"): [
        Case(params=G, body=lambda ref: {"on": _day(3), "label": "zq"})],
    ("POST", "/grievances/{grievance_id}/notes"): [Case(params=G, body=lambda ref: {"text": "zq"})],
    ("POST", "/grievances/{grievance_id}/resolve"): [Case(params=G, body=lambda ref: {"note": "zq"})],
    ("POST", "/grievances/{grievance_id}/confirm"): [Case(params=G, body=lambda ref: {"satisfied": True})],
    ("POST", "/grievances/{grievance_id}/close"): [Case(params=G, body=lambda ref: {"reason": "zq"})],
    ("POST", "/grievances/{grievance_id}/approve"): [Case(params=G, body=lambda ref: {"approve": True})],
    ("GET", "/rosters/offices/{office_id}"): [Case(params=OFFICE)],
    ("GET", "/rosters/offices/{office_id}/days"): [Case(params=OFFICE)],
    ("GET", "/rosters/offices/{office_id}/sittings"): [Case(params=OFFICE)],
    ("POST", "/rosters/offices/{office_id}/sittings"): [Case(params=OFFICE, body=lambda ref: {
        "person": ref("worker"), "weekday": 1, "starts_at": "13:00", "ends_at": "15:00"})],
    ("DELETE", "/rosters/offices/{office_id}/sittings/{sitting_id}"): [
        Case(params={**OFFICE, "sitting_id": "sitting"})],
    ("GET", "/rosters/offices/{office_id}/roster"): [Case(params=OFFICE)],
    ("POST", "/rosters/offices/{office_id}/roster/generate"): [
        Case(params=OFFICE, body=lambda ref: {"start": _day(), "end": _day(6)})],
    ("POST", "/rosters/offices/{office_id}/roster/swap"): [
        Case(params=OFFICE, body=lambda ref: {"first": _day(1), "second": _day(2), "reason": "zq"})],
    ("POST", "/rosters/offices/{office_id}/roster/absence"): [
        Case(params=OFFICE, body=lambda ref: {"on": _day(1), "reason": "zq"})],
    ("GET", "/rosters/hearings/{session_id}"): [Case(params={"session_id": "session"})],
    ("POST", "/rosters/hearings/{session_id}/cases"): [
        Case(params={"session_id": "session"}, body=lambda ref: {"grievance": ref("grievance")})],
    ("POST", "/rosters/hearings/{session_id}/cases/{case_id}/outcome"): [
        Case(params={"session_id": "session", "case_id": "case"}, body=lambda ref: {"outcome": "resolved",
                                                                                   "note": "zq"})],
}

EV = {"event_id": "event"}
API_CASES.update({  # --- events (issue 11) ---
    ("POST", "/events"): [Case(body=lambda ref: {"unit": ref("booth"), "kind": "meeting", "title": "zq",
                                                 "starts_at": f"{_day(3)}T10:00:00"})],
    ("GET", "/events/{event_id}"): [Case(params=EV)],
    ("POST", "/events/{event_id}/invitations"): [Case(params=EV)],
    ("GET", "/events/{event_id}/sends"): [Case(params=EV)],
    ("PATCH", "/events/{event_id}"): [Case(params=EV, body=lambda ref: {"title": "zq2"})],
    ("POST", "/events/{event_id}/cancel"): [Case(params=EV, body=lambda ref: {"reason": "zq"})],
    ("POST", "/events/{event_id}/locations"): [Case(params=EV, body=lambda ref: {"name": "zq", "host": ref("person")})],
    ("POST", "/events/{event_id}/locations/{location_id}/attendance"): [Case(
        params={"event_id": "event", "location_id": "location"},
        body=lambda ref: {"invitation": ref("invitation"), "nonce": "zq"})],
    ("POST", "/events/{event_id}/held"): [Case(params=EV, body=lambda ref: {"held_on": _day()})],
    ("POST", "/events/{event_id}/check-in"): [Case(params=EV, body=lambda ref: {"code": "ZQ", "nonce": "zq"})],
    ("POST", "/events/{event_id}/attendance"): [Case(params=EV, body=lambda ref: {"invitation": ref("invitation"),
                                                                                  "nonce": "zq"})],
    ("POST", "/events/{event_id}/decisions"): [Case(params=EV, body=lambda ref: {
        "text": "zq", "owner": ref("person"), "deadline": _day(3)})],
    ("POST", "/events/series"): [Case(body=lambda ref: {"unit": ref("unit"), "title": "zq", "level": "mandal",
                                                        "starts_on": _day()})],
    ("GET", "/events/plans/{plan_id}"): [Case(params={"plan_id": "plan"})],
    ("POST", "/events/plans/{plan_id}/suggest"): [Case(params={"plan_id": "plan"})],
    ("POST", "/events/tours"): [Case(body=lambda ref: {"unit": ref("district"), "kind": "assembly", "title": "zq",
                                                       "leader": ref("worker"), "starts_on": _day(),
                                                       "ends_on": _day(1)})],
    ("GET", "/events/tours/{tour_id}"): [Case(params={"tour_id": "tour"})],
    ("GET", "/events/{event_id}/funnel"): [Case(params=EV)],
    ("GET", "/events/series/{series_id}/not-held"): [Case(params={"series_id": "series"})],
})

# API lists and counts: none may hold a sibling object; with ``unit=`` the sibling unit → 404 or nothing.
API_LISTS: dict[tuple[str, str], list[ListCase]] = {
    ("GET", "/units"): [ListCase(shows="D2A2B1", query=lambda ref: {"page_size": 200})],
    ("GET", "/people/duplicates"): [ListCase(shows="रूट स्कोप"),
                                    ListCase(shows="रूट स्कोप", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/people"): [ListCase(shows="रूट स्कोप", query=lambda ref: {"q": "स्कोप"}),
                         ListCase(shows="रूट स्कोप", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/people/export"): [ListCase(shows="रूट स्कोप", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/broadcasts"): [ListCase(shows="route-scope-zq")],
    ("GET", "/outreach/today"): [ListCase(shows="")],  # the caller's own calls: the superuser has none
    ("GET", "/outreach/compliance"): [ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/outreach/feedback"): [ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/outreach/programs"): [ListCase(shows="Route scope zq")],
    ("GET", "/campaigns"): [ListCase(shows="route-scope-zq")],
    **{("GET", f"/campaigns/{{campaign_id}}/{name}"): [
        ListCase(shows="D2A2" if name != "discrepancies" else "", params=STATE_CAMPAIGN, visible=("state_campaign",),
                 query=lambda ref: {"unit": ref("state_campaign_mandal")})]
       for name in ("targets", "reports", "rollup", "verifications", "discrepancies")},
    ("GET", "/grievances"): [ListCase(shows="RSZQ4242", query=lambda ref: {"q": "scope zq grievance"}),
                             ListCase(shows="RSZQ4242", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/rosters/offices"): [ListCase(shows="Route scope zq")],
    ("GET", "/committees/completeness"): [ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("booth")}),
                                          ListCase(shows="D2A2", query=lambda ref: {"unit": ref("unit")})],
    ("GET", "/committees/missing"): [ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("booth")}),
                                     ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("district"),
                                                                                 "type": "booth"})],
    ("GET", "/rosters/hearings"): [ListCase(shows="Route scope zq", query=lambda ref: {"start": _day(),
                                                                                         "days": 7})],
}

API_LISTS.update({  # --- events (issue 11) ---
    ("GET", "/events"): [ListCase(shows="Route scope zq"),
                         ListCase(shows="Route scope zq", query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/events/{event_id}/funnel"): [ListCase(shows="D2A2B1", params=EV,
                                                    query=lambda ref: {"unit": ref("booth")})],
    ("GET", "/events/series/{series_id}/not-held"): [ListCase(shows="D2A2", params={"series_id": "series"},
                                                              query=lambda ref: {"unit": ref("unit")})],
})

# API routes with neither an object id nor a unit filter, each with why.
API_EXEMPT: dict[tuple[str, str], str] = {
    ("POST", "/auth/token"): "login: public",
    ("DELETE", "/auth/token"): "revokes the caller's own token",
    ("GET", "/me"): "the caller's own account",
    ("POST", "/people/imports"): "an upload: the job belongs to the caller and writes within their scope",
    ("GET", "/verify"): "public cross-check by mobile or membership number (tests/people/test_verify.py)",
    ("POST", "/messaging/webhooks/sms/{provider}"): "provider webhook: {provider} names a gateway, no object",
    ("GET", "/messaging/webhooks/whatsapp"): "provider webhook verification",
    ("POST", "/messaging/webhooks/whatsapp"): "provider webhook",
    ("GET", "/messaging/opt-outs"): "opt-outs register: state-wide by design, superusers only",
    ("GET", "/grievances/departments"): "the department catalogue: not scoped",
    ("GET", "/committees/types"): "the catalogue of committee types and their rules: not scoped",
    ("POST", "/grievances/status"): "public status by tracking code and mobile (tests/grievances/test_public.py)",
    ("POST", "/grievances/status/confirm"): "public confirmation by tracking code and mobile",
}

_ACTIONS = ("assign", "forward", "escalate", "send-back", "wait", "resume", "hearing", "note", "resolve",
            "confirm", "close", "approve")


def _grievance_action(action: str) -> Case:
    return Case(params=G, fixed={"action": action}, methods=("POST",), body=lambda ref: {
        "person": ref("worker"), "office": "Collector", "reference": "ZQ-1", "reason": "zq", "directions": "zq",
        "question": "zq", "note": "zq", "text": "zq", "on": _day(3), "label": "zq", "satisfied": "1",
        "approve": "1"})


P = {"person_id": "person"}
RW = ("GET", "POST")

# Web URL patterns (as Django shows them, without the leading slash) that carry an object id.
WEB_CASES: dict[str, list[Case]] = {
    "fieldwork/drives/<int:drive_id>/": [Case(params={"drive_id": "fw_drive"})],  # fieldwork (issue 13)
    "fieldwork/drives/<int:drive_id>/edit/": [Case(params={"drive_id": "fw_drive"}, methods=("GET", "POST"),
                                                   body=lambda ref: {"name": "zq", "starts_on": _day(),
                                                                     "ends_on": _day(5), "consent_text": "zq"})],
    "units/<int:unit_id>/": [Case(params={"unit_id": "unit"})],
    "people/<int:person_id>/": [Case(params=P)],
    "people/duplicates/find/": [Case(methods=("POST",), body=lambda ref: {"unit": ref("unit")})],
    "people/duplicates/<int:candidate_id>/": [Case(params={"candidate_id": "duplicate"})],
    "people/duplicates/<int:candidate_id>/decide/": [
        Case(params={"candidate_id": "duplicate"}, methods=("POST",), body=lambda ref: {"action": "dismiss"})],
    "people/<int:person_id>/consent/": [Case(params=P, methods=("POST",), body=lambda ref: {"method": "verbal"})],
    "people/<int:person_id>/verify/": [Case(params=P, methods=("POST",))],
    "people/<int:person_id>/verify/code/": [Case(params=P, methods=("POST",))],
    "people/<int:person_id>/verify/confirm/": [Case(params=P, methods=("POST",), body=lambda ref: {"code": "123456"})],
    "people/<int:person_id>/data.<str:file_format>": [Case(params=P, fixed={"file_format": fmt})
                                                        for fmt in ("json", "csv")],
    "people/<int:person_id>/edit/": [Case(params=P, methods=RW, body=lambda ref: {
        "name": "zq", "mobile": "+919999912399", "relation": "father", "reason": "zq"})],
    "people/<int:person_id>/move/": [Case(params=P, methods=RW, body=lambda ref: {"unit": ref("booth"),
                                                                                  "reason": "zq"})],
    "people/<int:person_id>/status/": [Case(params=P, methods=RW, body=lambda ref: {"status": "inactive",
                                                                                    "reason": "zq"})],
    "people/<int:person_id>/appoint/": [Case(params=P, methods=RW, body=lambda ref: {
        "post": "president", "unit": ref("booth"), "start_date": _day()})],
    "people/<int:person_id>/login/": [Case(params=P, methods=RW, body=lambda ref: {"action": "create"})],
    "people/posts/<int:position_id>/relieve/": [Case(params={"position_id": "position"}, methods=RW,
                                                     body=lambda ref: {"end_date": _day(), "reason": "zq"})],
    "people/posts/<int:position_id>/handover/": [Case(params={"position_id": "position"}, methods=RW,
                                                      body=lambda ref: {"person": ref("person2"), "on": _day(),
                                                                        "q": "zq"})],
    "people/units/<int:unit_id>/posts/": [Case(params={"unit_id": "booth"})],
    "people/units/<int:unit_id>/vacancies/": [Case(params={"unit_id": "unit"})],
    "people/units/<int:unit_id>/vacancies.csv": [Case(params={"unit_id": "unit"})],
    "people/units/<int:unit_id>/vacancies.<slug:fmt>": [Case(params={"unit_id": "unit"}, fixed={"fmt": fmt})
                                                         for fmt in ("xlsx", "pdf")],
    "people/<int:person_id>/erase/": [Case(params=P, methods=("POST",), body=lambda ref: {"reason": "zq"})],
    "people/import/<int:job_id>/": [Case(params={"job_id": "import_job"})],
    "people/import/<int:job_id>/progress/": [Case(params={"job_id": "import_job"})],
    "people/import/<int:job_id>/errors.csv": [Case(params={"job_id": "import_job"})],
    "messaging/broadcasts/<int:broadcast_id>/": [Case(params=BROADCAST)],
    "messaging/broadcasts/<int:broadcast_id>/progress/": [Case(params=BROADCAST)],
    "messaging/broadcasts/<int:broadcast_id>/<slug:action>/": [
        Case(params=BROADCAST, fixed={"action": verb}, methods=("POST",)) for verb in ("send", "pause", "resume",
                                                                                      "cancel")],
    # Templates are the state's to change: a reader (an office that broadcasts) gets 403 whatever the id,
    # everyone else 404, before the template is looked up.
    "messaging/templates/<int:template_id>/": [Case(params={"template_id": "template"}, methods=RW, body=lambda ref: {
        "name": "zq", "body_hi": "zq", "channels": ["sms"], "kind": "bulk"})],
    "messaging/templates/<int:template_id>/test/": [Case(params={"template_id": "template"}, methods=("POST",),
                                                         body=lambda ref: {"nonce": "zq"})],
    "calls/<int:assignment_id>/log/": [Case(params={"assignment_id": "assignment"}, methods=RW, control="owner",
                                            body=lambda ref: {"outcome": "reached"})],
    "calls/followups/<int:followup_id>/done/": [Case(params={"followup_id": "followup"}, methods=("POST",),
                                                     body=lambda ref: {"resolution": "zq"})],
    "calls/programs/<int:program_id>/": [Case(params={"program_id": "program"}, methods=RW,
                                              body=lambda ref: {"name_hi": "zq"})],
    "campaigns/<int:campaign_id>/": [Case(params=CAMPAIGN, methods=RW)],
    "campaigns/<int:campaign_id>/report/": [
        Case(params=CAMPAIGN, methods=RW, body=lambda ref: {"unit": ref("campaign_mandal"), "homes": 3}),
        Case(params=STATE_CAMPAIGN, methods=("POST",), visible=("state_campaign",),
             body=lambda ref: {"unit": ref("state_campaign_mandal"), "homes": 3})],
    "campaigns/<int:campaign_id>/tasks/": [Case(params=CAMPAIGN, methods=RW)],
    "campaigns/<int:campaign_id>/verification/": [Case(params=CAMPAIGN, methods=RW)],
    "campaigns/<int:campaign_id>/review/": [Case(params=CAMPAIGN)],
    "campaigns/<int:campaign_id>/export.<slug:fmt>": [Case(params=CAMPAIGN, fixed={"fmt": fmt})
                                                      for fmt in ("xlsx", "pdf")],
    "campaigns/tasks/<int:task_id>/": [Case(params={"task_id": key}, methods=RW)
                                       for key in ("campaign_task", "state_campaign_task")],
    "campaigns/tasks/<int:task_id>/photo": [Case(params={"task_id": key})
                                            for key in ("campaign_task", "state_campaign_task")],
    "committees/units/<int:unit_id>/": [Case(params={"unit_id": "booth"})],
    "committees/units/<int:unit_id>/missing.csv": [Case(params={"unit_id": "booth"})],
    "committees/units/<int:unit_id>/form/": [Case(params={"unit_id": "booth"}, methods=("POST",),
                                                  body=lambda ref: {"type": "booth"})],
    "committees/units/<int:unit_id>/pages/": [Case(params={"unit_id": "booth"}, methods=("POST",), files=True)],
    "committees/units/<int:unit_id>/verify/": [Case(params={"unit_id": "booth"}, methods=("POST",),
                                                    body=lambda ref: {"n": "1"})],
    "committees/<int:committee_id>/": [
        Case(params=COMMITTEE, methods=RW, body=lambda ref: {"op": "add", "person": ref("person2")}),
        Case(params=COMMITTEE, methods=("POST",), body=lambda ref: {"op": "remove", "seat": ref("seat")})],
    "grievances/<int:grievance_id>/": [Case(params=G)],
    "grievances/<int:grievance_id>/receipt/": [Case(params=G)],
    "grievances/<int:grievance_id>/files/<int:attachment_id>/": [
        Case(params={**G, "attachment_id": "attachment"})],
    "grievances/<int:grievance_id>/<slug:action>/": [_grievance_action(action) for action in _ACTIONS],
    "rosters/offices/<int:office_id>/": [Case(params=OFFICE)],
    "rosters/offices/<int:office_id>/sittings/": [Case(params=OFFICE, methods=("POST",), body=lambda ref: {
        "person": ref("worker"), "weekday": "1", "starts_at": "13:00", "ends_at": "15:00"})],
    "rosters/offices/<int:office_id>/sittings/<int:sitting_id>/remove/": [
        Case(params={**OFFICE, "sitting_id": "sitting"}, methods=("POST",))],
    "rosters/offices/<int:office_id>/roster/generate/": [
        Case(params=OFFICE, methods=("POST",), body=lambda ref: {"start": _day(), "end": _day(6)})],
    "rosters/offices/<int:office_id>/roster/swap/": [
        Case(params=OFFICE, methods=("POST",), body=lambda ref: {"first": _day(1), "second": _day(2),
                                                                 "reason": "zq"})],
    "rosters/offices/<int:office_id>/roster/absence/": [
        Case(params=OFFICE, methods=("POST",), body=lambda ref: {"on": _day(1), "reason": "zq"})],
    "rosters/offices/<int:office_id>/hearings/open/": [
        Case(params=OFFICE, methods=("POST",), body=lambda ref: {"on": _day(1)})],
    "rosters/hearings/<int:session_id>/": [Case(params={"session_id": "session"})],
    "rosters/hearings/<int:session_id>/schedule/": [
        Case(params={"session_id": "session"}, methods=("POST",), body=lambda ref: {"grievance": ref("grievance")})],
    "rosters/hearings/<int:session_id>/walk-in/": [
        Case(params={"session_id": "session"}, methods=("POST",), body=lambda ref: {
            "unit": ref("booth"), "kind": "organizational", "subject": "zq", "complainant_name": "zq",
            "complainant_mobile": "+919999954321"})],
    "rosters/hearings/<int:session_id>/cases/<int:case_id>/": [
        Case(params={"session_id": "session", "case_id": "case"}, methods=("POST",),
             body=lambda ref: {"outcome": "resolved", "note": "zq"})],
    "rosters/directions/<int:direction_id>/done/": [
        Case(params={"direction_id": "direction"}, methods=("POST",), body=lambda ref: {"note": "zq"})],
}

WEB_CASES.update({  # --- events (issue 11) ---
    "events/<int:event_id>/": [Case(params=EV)],
    "events/<int:event_id>/invite/": [Case(params=EV, methods=("POST",))],
    "events/<int:event_id>/edit/": [Case(params=EV, methods=RW, body=lambda ref: {"title": "zq2"})],
    "events/<int:event_id>/cancel/": [Case(params=EV, methods=("POST",), body=lambda ref: {"reason": "zq"})],
    "events/<int:event_id>/locations/": [Case(params=EV, methods=RW, body=lambda ref: {"name": "zq",
                                                                                      "host": ref("person")})],
    "events/<int:event_id>/locations/<int:location_id>/": [Case(
        params={"event_id": "event", "location_id": "location"}, methods=RW,
        body=lambda ref: {"invitation": ref("invitation"), "nonce": "zq"})],
    "events/<int:event_id>/held/": [Case(params=EV, methods=("POST",), body=lambda ref: {"held_on": _day()})],
    "events/<int:event_id>/decisions/": [Case(params=EV, methods=("POST",), body=lambda ref: {
        "text": "zq", "owner": ref("person"), "deadline": _day(3)})],
    "events/<int:event_id>/rsvp/": [Case(params=EV, methods=("POST",), body=lambda ref: {"answer": "yes"})],
    "events/<int:event_id>/check-in/": [Case(params=EV, methods=("POST",), body=lambda ref: {"code": "ZQ",
                                                                                           "nonce": "zq"})],
    "events/<int:event_id>/attendance/": [Case(params=EV, methods=RW, body=lambda ref: {
        "invitation": ref("invitation"), "nonce": "zq"})],
    "events/<int:event_id>/funnel/": [Case(params=EV)],
    "events/series/<int:series_id>/": [Case(params={"series_id": "series"})],
    "events/series/<int:series_id>/not-held.<slug:fmt>": [Case(params={"series_id": "series"}, fixed={"fmt": fmt})
                                                          for fmt in ("xlsx", "pdf")],
    "events/plans/<int:plan_id>/": [Case(params={"plan_id": "plan"}, methods=RW, body=lambda ref: {"op": "suggest"})],
    "events/tours/<int:tour_id>/": [Case(params={"tour_id": "tour"})],
})

# Web lists and pages that take a unit (or another filter naming an object).
WEB_LISTS: dict[str, list[ListCase]] = {
    "fieldwork/": [ListCase(shows="Route scope zq")],  # fieldwork (issue 13)
    "": [ListCase(shows="रूट स्कोप", query=lambda ref: {"q": "स्कोप"})],
    "people/": [ListCase(shows="रूट स्कोप", query=lambda ref: {"unit": ref("booth")}),
                ListCase(shows="रूट स्कोप", query=lambda ref: {"q": "स्कोप"})],
    r"people/^export\.(?P<fmt>csv|xlsx)$": [ListCase(shows="रूट स्कोप", url="people/export.csv",
                                                     query=lambda ref: {"unit": ref("booth")})],
    "people/duplicates/": [ListCase(shows="रूट स्कोप"),
                           ListCase(shows="रूट स्कोप", query=lambda ref: {"unit": ref("booth")})],
    "people/import/": [ListCase(shows="route-scope-zq")],
    "people/add/": [ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("booth")})],
    "messaging/broadcasts/": [ListCase(shows="Route scope zq")],
    "messaging/sent/": [ListCase(shows="", query=lambda ref: {"broadcast": ref("broadcast")})],
    "calls/": [ListCase(shows="")],
    "calls/compliance/": [ListCase(shows="")],
    "calls/booths/": [ListCase(shows="", query=lambda ref: {"unit": ref("booth")})],
    "calls/programs/": [ListCase(shows="रूट स्कोप")],
    "campaigns/": [ListCase(shows="Route scope zq")],
    "grievances/": [ListCase(shows="RSZQ4242", query=lambda ref: {"tab": "all"})],
    "grievances/register/": [ListCase(shows="RSZQ4242"),
                             ListCase(shows="RSZQ4242", query=lambda ref: {"q": "zq", "sort": "-due"})],
    # Files (zipped XLSX, PDF with shaped glyphs) carry no readable marker: their rows are checked per role
    # in tests/grievances/test_register_exports.py, tests/outreach/test_exports.py.
    "grievances/register.<slug:fmt>": [ListCase(shows="", fixed={"fmt": fmt}) for fmt in ("xlsx", "pdf")],
    "calls/compliance.<slug:fmt>": [ListCase(shows="", fixed={"fmt": fmt}) for fmt in ("xlsx", "pdf")],
    "rosters/": [ListCase(shows="Route scope zq")],
    "rosters/hearings/": [ListCase(shows="")],
    "rosters/directions/": [ListCase(shows="")],
    "dashboard/sahyog/": [ListCase(shows="", query=lambda ref: {"district": ref("district")})],
}

WEB_LISTS.update({  # --- events (issue 11) ---
    "events/": [ListCase(shows="Route scope zq", query=lambda ref: {"unit": ref("booth")})],
    "events/new/": [ListCase(shows="D2A2B1", query=lambda ref: {"unit": ref("booth")})],
    "events/series/": [ListCase(shows="Route scope zq", query=lambda ref: {"unit": ref("booth")})],
    "events/plans/": [ListCase(shows="Route scope zq", query=lambda ref: {"unit": ref("booth")})],
    "events/tours/": [ListCase(shows="Route scope zq", query=lambda ref: {"unit": ref("booth")})],
})

# Web pages with no object id and no unit filter, each with why.
WEB_EXEMPT: dict[str, str] = {
    "fieldwork/app/": "the vistarak app's shell: no data in it; its API calls are scoped (fieldwork, issue 13)",
    "fieldwork/sw.js": "the app's service worker script: the same for everyone",
    "fieldwork/manifest.webmanifest": "the app's manifest: the same for everyone",
    "healthz": "health check: public",
    "committees/": "redirects to the reader's own top unit",
    "i18n/setlang/": "language switch: public",
    "accounts/login/": "public",
    "accounts/logout/": "the caller's own session",
    "accounts/password/": "public: asks for a password code; the same answer for every number (tests/access/test_logins.py)",
    "accounts/password/set/": "public: sets a password from an SMS code; the same answer for every wrong try",
    "people/import/template.csv": "a blank template file",
    "people/import/template.xlsx": "a blank template file",
    "messaging/broadcasts/new/": "compose form: its unit choices come from the actor's scope",
    "messaging/templates/": "message templates are the installation's vocabulary, under no unit: every office that "
                            "may broadcast reads them all, others get 404 (tests/messaging/test_template_web.py)",
    "messaging/templates/new/": "create form, no object: the state office only (tests/messaging/test_template_web.py)",
    "calls/programs/new/": "program form: staff only, target unit is a choice from the actor's scope",
    "verify/": "public cross-check (tests/people/test_verify.py)",
    "grievances/new/": "intake form: its unit choices come from the actor's scope",
    "fieldwork/drives/new/": "drive form: its unit choices come from the actor's scope (tests/fieldwork/test_drive_form.py)",
    "status/": "public status by tracking code and mobile",
    "status/confirm/": "public confirmation by tracking code and mobile",
    "today/": "public: who sits at each office today",
    "today/<int:office_id>/": "public by design: who sits at this office today, no personal data",
    "help/": "help index: fixed text, no data",
    "help/<slug:section>/": "a help page: fixed text per section slug, no object and no data",
    # --- events (issue 11) ---
    "events/ical/<str:token>.ics": "a user's own iCalendar feed: the signed token names the user, 404 for any other "
                                   "(tests/events/test_web_api.py)",
    "e/<str:token>": "an invitation's tracked link: the signed token names the invitation, 404 for any other",
}
