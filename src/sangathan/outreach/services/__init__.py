"""Writes of the outreach app (booth contact), split by topic; import them from here. Every write takes a
required ``scope`` (``access.Scope``; ``Scope.system()`` for the worker and commands)."""

from sangathan.outreach.services.assignment import AssignResult, assignments_assign, assignments_expire
from sangathan.outreach.services.calls import (
    CallLogSave,
    CallTaskCreate,
    FollowUpClose,
    assignment_get_for_caller,
    call_log_save,
    call_task_create,
    followup_close,
)
from sangathan.outreach.services.programs import (
    CallerAbsenceCreate,
    ProgramCallerRemove,
    ProgramCallerSet,
    ProgramCreate,
    ProgramUpdate,
    caller_absence_create,
    outreach_seed_defaults,
    program_caller_remove,
    program_caller_set,
    program_create,
    program_update,
)

__all__ = [
    "AssignResult", "CallLogSave", "CallTaskCreate", "CallerAbsenceCreate", "FollowUpClose", "ProgramCallerRemove",
    "ProgramCallerSet", "ProgramCreate", "ProgramUpdate", "assignment_get_for_caller", "assignments_assign",
    "assignments_expire", "call_log_save", "call_task_create", "caller_absence_create", "followup_close",
    "outreach_seed_defaults", "program_caller_remove", "program_caller_set", "program_create", "program_update",
]
