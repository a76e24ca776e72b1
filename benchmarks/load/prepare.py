"""The load test's plan, made from the database it runs against (the mp demo with 1M members).

For each demo role it picks what that user really works on inside their own scope (people to open, today's
calls, the campaign's reporting units, units to take a grievance at) and logs the user in once per simulated
user: a session row made the way ``django.contrib.auth.login`` makes it, so the run measures the day's work,
not a burst of password hashing. Today's call lists are assigned first (the daily job's own service), and a
callers' account is made for each caller who has none (no password: the load test logs them in by session).
"""

import random
import secrets

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from sangathan.access.models import User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.campaigns.models import Campaign, Target
from sangathan.grievances.models import Grievance
from sangathan.grievances.policies import grievance_scope
from sangathan.org.models import Unit
from sangathan.outreach.models import CallAssignment, ContactProgram
from sangathan.outreach.services import assignments_assign
from sangathan.people.models import Person

ROLES = {  # demo login mobile's role → share of the office users
    "district_president": 0.25, "mandal_president": 0.15, "sahyog_district_convener": 0.15,
    "state_admin": 0.10, "lok_sabha_incharge": 0.10, "caller": 0.25,
}
SEARCH_TERMS = ["sharma", "patel", "yadav", "kushwaha", "ram", "sunita", "shar", "verma", "शर्मा", "यादव",
                "raam kumar", "sharmaa", "9425", "meena", "singh"]
BACKEND = settings.AUTHENTICATION_BACKENDS[-1]


def build_plan(*, users: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    system = Scope.system(channel="cli")
    today = timezone.localdate()
    for program in ContactProgram.objects.filter(is_active=True):
        assignments_assign(scope=system, program=program, day=today)
    accounts = _demo_accounts()
    callers = _callers(today)
    campaign = Campaign.objects.order_by("pk").first()
    metrics = list(campaign.metrics.values_list("code", flat=True)) if campaign else []
    roles, sessions = {}, []
    for role, share in ROLES.items():
        role_users = callers if role == "caller" else [accounts[role]] if role in accounts else []
        if not role_users:
            continue
        roles[role] = _work(role_users[0], campaign, today, rng)
        if role == "caller":  # each caller works on their own list
            roles.update({f"caller:{u.pk}": _work(u, campaign, today, rng) for u in role_users})
        count = max(1, round(users * share))
        for n in range(count):
            user = role_users[n % len(role_users)]
            sessions.append({"role": f"caller:{user.pk}" if role == "caller" else role, "key": _session(user),
                             "csrf": secrets.token_hex(16)})
    rng.shuffle(sessions)
    cases = [{"tracking_code": code, "mobile": mobile} for code, mobile in
             Grievance.objects.values_list("tracking_code", "complainant_mobile")[:200]]
    mobiles = list(Person.objects.filter(pk__in=[rng.randrange(1, _max_person()) for _ in range(3000)])
                   .exclude(mobile="").values_list("mobile", flat=True)[:2000])
    return {"sessions": sessions, "spare_sessions": sessions[:20], "roles": roles, "cases": cases,
            "mobiles": mobiles, "search_terms": SEARCH_TERMS, "campaign": campaign.pk if campaign else None,
            "metrics": metrics}


def _demo_accounts() -> dict[str, User]:
    from sangathan.people.demo import demo_extensions, demo_logins

    logins = list(demo_logins())
    for extension in demo_extensions():
        logins += extension.demo_logins()
    accounts = {}
    for login in logins:
        user = User.objects.filter(mobile__endswith=login.mobile[-10:]).first()
        if user is not None:
            accounts[login.role] = user
    return accounts


def _callers(today) -> list[User]:
    """Every caller with calls today, with an account (made without a password where missing)."""
    people = (Person.objects.filter(pk__in=CallAssignment.objects.filter(day=today).values("caller_id"))
              .order_by("pk")[:40])
    users = []
    for person in people:
        user = User.objects.filter(person=person).first()
        if user is None:
            user = User(mobile=person.mobile or f"load{person.pk}", person=person, display_name=person.name)
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def _work(user: User, campaign, today, rng) -> dict:
    scope = scope_for_user(user)
    people = list(scope.filter(Person.objects.all()).values_list("pk", flat=True)[:3000])
    assignments = list(CallAssignment.objects.filter(day=today, caller=user.person_id)
                       .values_list("pk", flat=True)) if user.person_id else []
    report_units = []
    if campaign is not None:
        report_units = list(scope.filter(Target.objects.filter(campaign=campaign), for_write=True)
                            .values_list("unit_id", flat=True).distinct()[:50])
    cell = grievance_scope(scope)  # the Sahyog Cell's own reach: the register and intake follow it
    intake_units = list(cell.filter(Unit.objects.filter(level="booth"), "path", for_write=True)
                        .values_list("pk", flat=True)[:50])
    return {"register": not cell.is_empty, "people": rng.sample(people, min(300, len(people))), "assignments": assignments,
            "report_units": report_units, "intake_units": intake_units}


def _session(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _max_person() -> int:
    last = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 1) + 1
