"""``sangathan calls assign|send|remind|summary``: booth contact by hand (the worker does it on schedule).

    sangathan calls assign [--program ID] [--date YYYY-MM-DD] [--seed N] [--send]
    sangathan calls send [--program ID] [--date YYYY-MM-DD]
    sangathan calls remind [--program ID] [--date YYYY-MM-DD]
    sangathan calls summary [--program ID] --week-start YYYY-MM-DD
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError
from sangathan.outreach.models import ContactProgram
from sangathan.outreach.services import assignments_assign, assignments_expire
from sangathan.outreach.services.notify import call_lists_send, call_reminders_send, weekly_summary_send


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Assign the day's booth contact calls, send the lists, remind callers, or send the weekly summary."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["assign", "send", "remind", "summary"])
        parser.add_argument("--program", type=int, help="Program id (default: every active program).")
        parser.add_argument("--date", help="The day, YYYY-MM-DD (default: today).")
        parser.add_argument("--seed", type=int, help="Random seed for ties (default: the program's).")
        parser.add_argument("--send", action="store_true", help="After assigning, send the callers their lists.")
        parser.add_argument("--week-start", help="First day of the week to summarize, YYYY-MM-DD.")

    def handle(self, *args, action, program, date, seed, send, week_start, **options):
        day = _date(date) if date else clock.today()
        programs = ContactProgram.objects.filter(is_active=True).order_by("pk")
        if program is not None:
            programs = ContactProgram.objects.filter(pk=program)
            if not programs.exists():
                raise CommandError(f"No contact program with id {program}.")
        if action == "summary" and not week_start:
            raise CommandError("summary needs --week-start YYYY-MM-DD.")
        scope = Scope.system(channel="cli")
        for item in programs:
            try:
                self._run(scope, item, action, day, seed, send, _date(week_start) if week_start else None)
            except DomainError as error:
                raise CommandError(f"{item.code}: {error.message}") from None

    def _run(self, scope, program, action, day, seed, send, week_start):
        if action == "assign":
            expired = assignments_expire(scope=scope, before=day)
            result = assignments_assign(scope=scope, program=program, day=day, seed=seed)
            if result.skipped:
                self.stdout.write(f"{program.code} {day}: nothing to do ({result.skipped}); "
                                  f"{expired} earlier calls marked missed")
                return
            self.stdout.write(
                f"{program.code} {day}: {result.assigned} calls assigned ({result.already} already), "
                f"{result.callers} callers, {result.absent_callers} absent, {result.targets} targets, "
                f"{result.vacant_units} vacant units, {expired} earlier calls marked missed, "
                f"{result.seconds:.2f} s")
            if send:
                self.stdout.write(f"{program.code} {day}: {call_lists_send(scope=scope, program=program, day=day)} lists queued")
        elif action == "send":
            self.stdout.write(f"{program.code} {day}: {call_lists_send(scope=scope, program=program, day=day)} lists queued")
        elif action == "remind":
            self.stdout.write(f"{program.code} {day}: {call_reminders_send(scope=scope, program=program, day=day)} reminders queued")
        else:
            sent = weekly_summary_send(scope=scope, program=program, week_start=week_start)
            self.stdout.write(f"{program.code} week of {week_start}: {sent} summaries queued")
