"""Every periodic job of Sangathan, declared in one place.

Each app keeps the job's body in its own ``tasks.py`` (a plain function that builds
``Scope.system(channel="task")`` and calls its services); this table says when it runs. Huey reads the
crontabs in UTC: 14:00 UTC is 19:30 in India, after every office has closed; Monday 02:30 UTC is Monday
08:00 in India. ``sangathan worker`` (Huey's consumer) discovers this module like every ``tasks`` module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.access import tasks as access_tasks
from sangathan.campaigns import tasks as campaigns_tasks
from sangathan.committees import tasks as committees_tasks
from sangathan.core import tasks as core_tasks
from sangathan.events import tasks as events_tasks
from sangathan.grievances import tasks as grievances_tasks
from sangathan.messaging import tasks as messaging_tasks
from sangathan.outreach import tasks as outreach_tasks
from sangathan.people import tasks as people_tasks
from sangathan.rosters import tasks as rosters_tasks


@dataclass(frozen=True)
class Job:
    name: str
    when: Callable
    run: Callable
    why: str


JOBS: tuple[Job, ...] = (
    Job("drain_outbox", crontab(), messaging_tasks.drain_outbox,
        "send due messages; loops for 50 s so the next run starts as this one ends"),
    Job("start_due_broadcasts", crontab(), messaging_tasks.start_due_broadcasts,
        "start scheduled broadcasts whose time has come"),
    Job("outreach_tick", crontab(), outreach_tasks.outreach_tick,
        "queue each contact program's day start or reminder when its time is due"),
    Job("outreach_expire", crontab(hour="0", minute="10"), outreach_tasks.outreach_expire,
        "mark yesterday's calls still pending as missed"),
    Job("escalate_overdue", crontab(minute="*/15"), grievances_tasks.escalate_overdue,
        "escalate overdue grievances and chase departments past their time limit"),
    Job("send_reminders", crontab(minute="5"), grievances_tasks.send_reminders,
        "remind assignees of grievances nearing their deadline"),
    Job("close_silent", crontab(minute="20", hour="2"), grievances_tasks.close_silent,
        "close resolved grievances whose complainant stayed silent"),
    Job("grievances_tally_nightly", crontab(hour="2", minute="55"), grievances_tasks.refresh_tally,
        "recount the open grievances per unit and due time that the homes read (a nightly check)"),
    Job("carry_over_hearings", crontab(hour="14", minute="0"), rosters_tasks.carry_over_hearings,
        "close today's hearings and carry the cases not heard to the next session"),
    Job("send_weekly_digest", crontab(day_of_week="1", hour="2", minute="30"), rosters_tasks.send_weekly_digest,
        "the Sahyog Cell's weekly figures to each convener (idempotent per ISO week)"),
    Job("campaigns_verify_weekly", crontab(day_of_week="1", hour="8", minute="30"),
        campaigns_tasks.campaigns_verify_weekly, "draw each active campaign's verification sample"),
    Job("campaigns_report_tally_nightly", crontab(hour="2", minute="50"), campaigns_tasks.report_tally_nightly,
        "recount each campaign's reported figures per period and mandal for the roll-ups"),
    Job("committees_digest_weekly", crontab(day_of_week="1", hour="9", minute="0"),
        committees_tasks.committees_digest_weekly, "each district president's list of missing committees"),
    Job("committees_page_checks_weekly", crontab(day_of_week="1", hour="8", minute="45"),
        committees_tasks.page_checks_weekly, "put a sample of each district's page in-charges into verification calls"),
    Job("committees_page_tally_nightly", crontab(hour="2", minute="40"), committees_tasks.page_tally_nightly,
        "recount every booth's pages and page committees for the completeness figures"),
    Job("events_send_reminders", crontab(minute="*/10"), events_tasks.send_reminders,
        "remind invitees the day before and two hours before an event (once per kind and invitee)"),
    Job("refresh_headcounts", crontab(hour="2", minute="50"), people_tasks.refresh_headcounts,
        "recount the people and booths per unit that writers keep current (a nightly check)"),
    Job("find_duplicates_nightly", crontab(hour="2", minute="30"), people_tasks.find_duplicates_nightly,
        "find probable duplicates under every root"),
    Job("prune_access_records", crontab(minute="17", hour="3"), access_tasks.prune_access_records,
        "delete expired tokens, stale login failures and audit rows past retention"),
    Job("prune_rate_counters", crontab(minute="*/10"), core_tasks.prune_rate_counters,
        "delete rate-limit windows that have ended (core.ratelimit)"),
)

PERIODIC = {job.name: db_periodic_task(job.when, name=job.name)(job.run) for job in JOBS}
