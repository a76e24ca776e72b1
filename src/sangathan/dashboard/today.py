""""आज का काम": what waits for the reader today, each item a link to the page where it is done.

The counts come from each app's selectors, which take the reader's ``Scope`` (and the apps' own policies
narrow it), so the home never decides who may see what. ``dashboard`` sits at the top of the app order and
may read every app; each section is one small function here, cheap by design (about a dozen queries for
the whole block, held by ``tests/dashboard/test_today.py``). A section that does not concern the reader is
left out; one that concerns them but has nothing today says what to do next.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sangathan.access.scope import Scope
from sangathan.campaigns.selectors import reports_due
from sangathan.committees.selectors import GAP_LEVELS, committee_gaps
from sangathan.core import clock
from sangathan.core.aggregates import read_together
from sangathan.core.reference import stamp_counts
from sangathan.grievances.selectors import grievance_today_counts_query
from sangathan.messaging.broadcasts.policies import may_broadcast_query
from sangathan.org.models import Unit
from sangathan.outreach.selectors import call_today_counts_query
from sangathan.people.selectors import people_today_work_query
from sangathan.rosters.selectors import (
    directions_open_counts_query,
    hearing_today,
    hearing_today_count_query,
    sits_or_owes_query,
)


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    count: int | None = None
    tone: str = ""  # "bad" (late), "warn" (due today), "ok" (done) or "" (plain)


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""  # what to do next when nothing waits
    action: Item | None = None  # the section's usual next step, shown also when nothing waits


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _grievances(counts: dict | None) -> tuple[Section | None, bool]:
    if counts is None:
        return None, False
    url = reverse("grievances:queue")
    section = Section("grievances", _("Sahyog Cell"), empty=_(
        "No grievance is waiting for you. Problems brought to the office are taken with “New grievance”; "
        "check the open list once a day."))
    if counts["mine"]:
        section.items.append(Item(_("Assigned to you"), f"{url}?tab=mine", counts["mine"]))
    if counts["mine_overdue"]:
        section.items.append(Item(_("Assigned to you, past the deadline"), f"{url}?tab=mine",
                                  counts["mine_overdue"], "bad"))
    if counts["mine_due_today"]:
        section.items.append(Item(_("Assigned to you, due today"), f"{url}?tab=mine",
                                  counts["mine_due_today"], "warn"))
    if counts["area_overdue"]:
        section.items.append(Item(_("Past the deadline in your area"), f"{url}?tab=overdue",
                                  counts["area_overdue"], "bad"))
    if counts["has_reach"]:
        section.action = Item(_("Open grievances in your area"), f"{url}?tab=open", counts["area_open"])
    return section, counts["has_reach"]


def _calls(counts: dict | None) -> Section | None:
    if counts is None:
        return None
    section = Section("calls", _("Booth contact calls"), empty=_(
        "No calls for you today. When a booth contact program names you as a caller, your list appears under "
        "Calls on its working days."))
    url = reverse("outreach:today")
    if counts["pending"]:
        section.items.append(Item(_("Calls still to make today"), url, counts["pending"], "warn"))
    elif counts["total"]:
        section.items.append(Item(_("All of today's calls are logged"), url, counts["total"], "ok"))
    return section


def _hearings(scope: Scope, day, in_cell: bool, directions: dict, sessions_today: int) -> Section | None:
    sessions = hearing_today(scope, day=day) if sessions_today else []
    if not sessions and not directions["open"] and not in_cell:
        return None
    section = Section("hearings", _("Hearings"), empty=_(
        "No hearing today. The coming week's hearings and the offices' sitting days are under Hearings."),
        action=Item(_("This week's hearings"), reverse("rosters:hearings")))
    for session in sessions:
        label = _("%(office)s, %(start)s–%(end)s: %(person)s") % {
            "office": session.office.name, "start": f"{session.starts_at:%H:%M}", "end": f"{session.ends_at:%H:%M}",
            "person": session.person.name}
        section.items.append(Item(label, reverse("rosters:hearing", args=[session.pk]), session.case_count))
    if directions["late"]:
        section.items.append(Item(_("Hearing directions you owe, past the deadline"), reverse("rosters:directions"),
                                  directions["late"], "bad"))
    if directions["open"] > directions["late"]:
        section.items.append(Item(_("Hearing directions you owe"), reverse("rosters:directions"),
                                  directions["open"] - directions["late"]))
    return section


def _campaigns(scope: Scope, day, token: int) -> Section | None:
    due = reports_due(scope=scope, day=day, token=token)
    if not due:
        return None
    section = Section("campaigns", _("Campaign reports"), empty="")
    for row in due:
        period = f"{row.period_start:%d/%m}–{row.period_end:%d/%m}"
        if row.missing:
            label = ngettext("%(campaign)s (%(period)s): %(missing)s of %(units)s unit has not reported",
                             "%(campaign)s (%(period)s): %(missing)s of %(units)s units have not reported",
                             row.units) % {"campaign": row.campaign.name, "period": period, "missing": row.missing,
                                           "units": row.units}
            url = reverse("campaigns:report", args=[row.campaign.pk])
            section.items.append(Item(label, url, row.missing, "warn"))
        else:
            label = _("%(campaign)s (%(period)s): every report is in") % {"campaign": row.campaign.name,
                                                                          "period": period}
            section.items.append(Item(label, reverse("campaigns:detail", args=[row.campaign.pk]), None, "ok"))
    return section


def _registry(scope: Scope, work: dict) -> Section | None:
    if scope.is_empty:
        return None
    section = Section("registry", _("Workers' records"), empty=_(
        "No import is waiting and no record is flagged. To add many workers at once, upload a file under "
        "Import."))
    if work["imports"]:
        section.items.append(Item(_("Imports not finished"), reverse("people:import"), work["imports"], "warn"))
    for flag in work["flagged"]:
        section.items.append(Item(_("%(name)s: %(flag)s") % {"name": flag.person.name, "flag": flag.get_kind_display()},
                                  reverse("people:person", args=[flag.person_id]), None, "warn"))
    if work["flags"] > len(work["flagged"]):
        section.items.append(Item(_("More flagged records in your area"), reverse("people:search"),
                                  work["flags"] - len(work["flagged"])))
    if scope.writes_all or scope.write_paths:
        section.action = Item(_("Import workers from a file"), reverse("people:import"))
    return section


def _committees(scope: Scope, unit: Unit | None, token: int) -> Section | None:
    if unit is None or unit.level not in GAP_LEVELS:
        return None
    gaps = committee_gaps(scope=scope, unit=unit, token=token)
    url = reverse("committees:unit", args=[unit.pk])
    section = Section("committees", _("Committees"), empty=_(
        "Every committee here is complete. Check the members when someone moves or leaves."),
        action=Item(_("Committees of your unit"), url))
    for figure in gaps:
        label = _("%(committee)s: %(missing)s of %(units)s not complete") % {
            "committee": figure.type.label, "missing": figure.missing, "units": figure.units}
        section.items.append(Item(label, url, figure.missing, "warn"))
    return section


@dataclass
class Today:
    sections: list[Section]
    token: int  # the reference tables' token (core.reference), read with the counts: the page's levels


def today_work(scope: Scope, *, roots: list[Unit]) -> Today:
    """The sections of the reader's home, most urgent first; ``roots`` are their top units (already read).
    The counts of every section, and the reference token, are read in one query (``read_together``)."""
    now, day = clock.now(), clock.today()
    # The header's two questions ride along: their answers are memoized on the scope for its tags.
    grievance_counts, directions, sessions_today, calls, registry, token, _sits, _sends = read_together([
        grievance_today_counts_query(scope, now=now, day_end=_day_end(day)),
        directions_open_counts_query(scope.person_id, day=day),
        hearing_today_count_query(scope, day=day),
        call_today_counts_query(scope, day=day),
        people_today_work_query(scope),
        stamp_counts(),
        sits_or_owes_query(scope),
        may_broadcast_query(scope),
    ])
    grievances, in_cell = _grievances(grievance_counts)
    only_root = roots[0] if len(roots) == 1 else None
    sections = [grievances, _hearings(scope, day, in_cell, directions, sessions_today), _calls(calls),
                _campaigns(scope, day, token), _registry(scope, registry), _committees(scope, only_root, token)]
    return Today([section for section in sections if section is not None], token)
