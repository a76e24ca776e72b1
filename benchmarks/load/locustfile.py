"""The load test's users (locust): office users on their phones and the public at the status and verify pages.

Run by ``benchmarks/load/run.py``, which writes the plan (``LOAD_PLAN``: sessions, ids, tracking codes made by
``prepare.py``) and reads back the writes each user records (``LOAD_WRITES``: one JSON line per write with its
answer). Office users come already logged in (a session per user, made by ``prepare.py``): the load is the day's
work, not a thousand password hashes at the start. Public users come from distinct addresses
(``X-Forwarded-For``, trusted one proxy beyond nginx), as phones on a mobile network do, so the per-address rate
limits stay in force without every simulated person sharing one counter.

Writes are retried as a phone would: the call log is a PUT (idempotent) and a campaign report replaces the
period's figures (a second submission is a new revision of the same report), so both are retried once after a
502/503/connection error; a grievance intake is a POST that must not be doubled, so it is never retried and its
outcome is checked afterwards (``check.py``): present whole, with its acknowledgement message, or absent.
"""

import json
import os
import random
import uuid

from locust import FastHttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
WRITES = open(os.environ["LOAD_WRITES"], "a", encoding="utf-8", buffering=1)
RETRY_STATUSES = {0, 502, 503, 504}


def _public_address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def _record(kind: str, key: str, status: int, attempts: int, **extra) -> None:
    WRITES.write(json.dumps({"kind": kind, "key": key, "status": status, "attempts": attempts, **extra}) + "\n")


class OfficeUser(FastHttpUser):
    """A district office worker: home, people, search, a person, the grievance register, calls and reports."""

    weight = 4
    wait_time = between(1, 3)

    def on_start(self):
        session = PLAN["sessions"].pop() if PLAN["sessions"] else random.choice(PLAN["spare_sessions"])
        self.role = session["role"]
        self.headers = {"Cookie": f"sessionid={session['key']}; csrftoken={session['csrf']}",
                        "X-CSRFToken": session["csrf"], "Accept-Language": "hi",
                        "X-Forwarded-For": _public_address()}
        self.work = PLAN["roles"][self.role]

    def _get(self, url: str, name: str):
        with self.client.get(url, headers=self.headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(4)
    def home(self):
        self._get("/", "home")

    @task(3)
    def people_list(self):
        self._get("/people/", "people list")

    @task(4)
    def search(self):
        self._get(f"/people/?q={random.choice(PLAN['search_terms'])}", "people search")

    @task(3)
    def person(self):
        self._get(f"/people/{random.choice(self.work['people'])}/", "person page")

    @task(2)
    def grievance_register(self):
        if not self.work["register"]:
            return self.people_list()
        self._get("/grievances/register/", "grievance register")

    @task(2)
    def call_log(self):
        if not self.work["assignments"]:
            return self.home()
        assignment = random.choice(self.work["assignments"])
        body = {"outcome": "reached", "wellbeing_self": "good", "wellbeing_family": "good", "position_score": 4,
                "notes": f"load {uuid.uuid4().hex[:12]}"}
        self._write("call log", "PUT", f"/api/v1/outreach/calls/{assignment}/log", body, retry=True,
                    key=str(assignment), note=body["notes"])

    @task(1)
    def report(self):
        if not self.work["report_units"]:
            return self.home()
        unit = random.choice(self.work["report_units"])
        values = {code: random.randrange(0, 200) for code in PLAN["metrics"]}
        note = f"load {uuid.uuid4().hex[:12]}"
        self._write("campaign report", "POST", f"/api/v1/campaigns/{PLAN['campaign']}/reports",
                    {"unit": unit, "values": values, "note": note}, retry=True, key=str(unit), note=note)

    @task(1)
    def grievance(self):
        if not self.work["intake_units"]:
            return self.home()
        token = uuid.uuid4().hex[:16]
        body = {"unit": random.choice(self.work["intake_units"]), "channel": "district_office",
                "kind": "organizational", "subject": f"भार परीक्षण {token}", "description": "load test",
                "complainant_name": "भार परीक्षण", "complainant_mobile": random.choice(PLAN["mobiles"])}
        self._write("grievance intake", "POST", "/api/v1/grievances", body, retry=False, key=token)

    def _write(self, name: str, method: str, url: str, body: dict, *, retry: bool, key: str, **extra) -> None:
        attempts = 0
        while True:
            attempts += 1
            with self.client.request(method, url, json=body, headers=self.headers, name=name,
                                     catch_response=True) as response:
                status = response.status_code or 0
                if status in (200, 201):
                    response.success()
                    _record(name, key, status, attempts, **extra)
                    return
                response.failure(f"{status}")
            if not (retry and status in RETRY_STATUSES and attempts < 3):
                _record(name, key, status, attempts, **extra)
                return


class PublicUser(FastHttpUser):
    """A complainant checking a case's status, or anyone checking whether a number is registered."""

    weight = 1
    wait_time = between(2, 6)

    @task(2)
    def status(self):
        case = random.choice(PLAN["cases"])
        with self.client.post("/api/v1/grievances/status", json=case, name="public status",
                              headers={"X-Forwarded-For": _public_address()}, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    @task(1)
    def verify(self):
        with self.client.get(f"/api/v1/verify?mobile={random.choice(PLAN['mobiles'])}", name="public verify",
                             headers={"X-Forwarded-For": _public_address()}, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
