"""Reactions to other apps' signals."""

from django.dispatch import receiver

from sangathan.grievances.signals import hearing_scheduling


@receiver(hearing_scheduling, dispatch_uid="rosters.list_on_hearing")
def list_on_hearing(sender, scope, grievance, on, **kwargs):
    """A grievance scheduled for a day goes on that day's minister's hearing list (with its token)."""
    from sangathan.rosters.services.hearings import hearing_list_on_day  # noqa: PLC0415 — after apps load

    return hearing_list_on_day(scope=scope, grievance=grievance, on=on)
