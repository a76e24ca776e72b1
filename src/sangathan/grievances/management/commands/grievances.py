"""``sangathan grievances sweep|remind|close-silent|seed|tally``: the cell's periodic jobs by hand."""

from django.core.management.base import BaseCommand

from sangathan.access.scope import Scope
from sangathan.grievances.services import (
    grievance_reminders_send,
    grievances_chase_external,
    grievances_close_silent,
    grievances_escalate_overdue,
    grievances_seed_defaults,
    grievances_tally_refresh,
)


class Command(BaseCommand):
    help = ("The Sahyog Cell's periodic jobs, run by hand: sweep (escalate overdue grievances and chase "
            "departments whose time limit ran out), remind (assignees of grievances due soon), close-silent "
            "(resolved grievances the complainant never answered), seed (default rules and templates), tally "
            "(recount the open grievances per unit that the homes read, and recopy each grievance's status "
            "and due time onto its active assignments).")

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["sweep", "remind", "close-silent", "seed", "tally"])

    def handle(self, *args, job, **options):
        scope = Scope.system(channel="cli")
        if job == "sweep":
            escalated = grievances_escalate_overdue(scope=scope)
            chased = grievances_chase_external(scope=scope)
            self.stdout.write(f"escalated {escalated} overdue grievance(s); {chased} past a department's time limit")
        elif job == "remind":
            self.stdout.write(f"sent {grievance_reminders_send(scope=scope)} reminder(s)")
        elif job == "close-silent":
            self.stdout.write(f"closed {grievances_close_silent(scope=scope)} grievance(s) without a reply")
        elif job == "tally":
            self.stdout.write(f"open-grievance tally recounted: {grievances_tally_refresh(scope=scope)} row(s)")
        else:
            grievances_seed_defaults(scope=Scope.system(channel="cli"))
            self.stdout.write("default routing rules, settings and message templates are in place")
