"""Writes of the Sahyog Cell, one module per topic; import them from here."""

from sangathan.grievances.services.config import (
    CellSettingsUpdate,
    DepartmentCreate,
    DepartmentUpdate,
    HolidayAdd,
    HolidayRemove,
    RoutingRuleCreate,
    RoutingRuleSetActive,
    cell_settings,
    cell_settings_update,
    department_create,
    department_update,
    grievances_seed_defaults,
    holiday_add,
    holiday_remove,
    routing_rule_create,
    routing_rule_set_active,
)
from sangathan.grievances.services.intake import grievance_attach, grievance_create
from sangathan.grievances.services.resolution import (
    grievance_confirm,
    grievance_reply_received,
    grievance_request_forced_close,
    grievance_resolve,
    grievances_close_silent,
)
from sangathan.grievances.services.sweep import (
    grievance_reminders_send,
    grievances_chase_external,
    grievances_escalate_overdue,
    grievances_tally_refresh,
)
from sangathan.grievances.services.workflow import (
    grievance_add_note,
    grievance_assign,
    grievance_decide_approval,
    grievance_escalate,
    grievance_forward,
    grievance_resume,
    grievance_schedule_hearing,
    grievance_send_back,
    grievance_wait_for_complainant,
)

__all__ = [
    "CellSettingsUpdate", "DepartmentCreate", "DepartmentUpdate", "HolidayAdd", "HolidayRemove", "RoutingRuleCreate",
    "RoutingRuleSetActive", "grievance_attach",
    "cell_settings", "cell_settings_update", "department_create", "department_update", "grievances_seed_defaults",
    "holiday_add", "holiday_remove", "routing_rule_create", "routing_rule_set_active",
    "grievance_create", "grievance_confirm", "grievance_reply_received", "grievance_request_forced_close",
    "grievance_resolve", "grievances_close_silent", "grievance_reminders_send", "grievances_chase_external",
    "grievances_escalate_overdue", "grievances_tally_refresh", "grievance_add_note", "grievance_assign",
    "grievance_decide_approval",
    "grievance_escalate", "grievance_forward", "grievance_resume", "grievance_schedule_hearing",
    "grievance_send_back", "grievance_wait_for_complainant",
]
