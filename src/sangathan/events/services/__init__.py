"""Writes of the events app; each is an ``Action`` taking a required ``scope`` (see the modules)."""

from sangathan.events.services.attendance import (
    AttendanceMark,
    CheckInByCode,
    LocationAttendanceMark,
    RsvpSet,
    attendance_mark,
    check_in_by_code,
    location_attendance_mark,
    rsvp_set,
)
from sangathan.events.services.edit import EventCancel, EventUpdate, event_cancel, event_update
from sangathan.events.services.events import (
    DecisionAdd,
    DecisionDone,
    EventCreate,
    EventRecordHeld,
    InvitationsSend,
    decision_add,
    decision_done,
    event_create,
    event_record_held,
    invitations_send,
)
from sangathan.events.services.live import InvitationOpen, invitation_open
from sangathan.events.services.plans import (
    AssignmentSet,
    BatchedMeetingsCreate,
    OneToOneSlotsCreate,
    PlanCreate,
    PlanImport,
    PlanSendInvitations,
    PlanSuggest,
    SlotAdd,
    VenueCreate,
    assignment_set,
    batched_meetings_create,
    one_to_one_slots_create,
    plan_create,
    plan_import,
    plan_send_invitations,
    plan_suggest,
    slot_add,
    venue_create,
)
from sangathan.events.services.series import (
    SeriesCreate,
    SeriesGenerate,
    SeriesUpdate,
    series_create,
    series_generate,
    series_update,
)
from sangathan.events.services.tours import TourCreate, tour_create
from sangathan.events.services.viewing import LocationAdd, location_add

__all__ = [
    "AssignmentSet", "AttendanceMark", "BatchedMeetingsCreate", "CheckInByCode", "DecisionAdd", "DecisionDone",
    "EventCancel", "EventCreate", "EventRecordHeld", "EventUpdate", "InvitationOpen", "InvitationsSend", "LocationAdd", "LocationAttendanceMark", "OneToOneSlotsCreate", "PlanCreate", "PlanImport",
    "PlanSendInvitations", "PlanSuggest", "RsvpSet", "SeriesCreate", "SeriesGenerate", "SeriesUpdate", "SlotAdd",
    "TourCreate", "VenueCreate", "assignment_set", "attendance_mark", "batched_meetings_create", "check_in_by_code",
    "decision_add", "decision_done", "event_cancel", "event_create", "event_update", "event_record_held", "invitation_open", "invitations_send", "location_add", "location_attendance_mark",
    "one_to_one_slots_create", "plan_create", "plan_import", "plan_send_invitations", "plan_suggest", "rsvp_set", "series_create",
    "series_generate", "series_update", "slot_add", "tour_create", "venue_create",
]
