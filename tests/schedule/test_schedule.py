"""Periodic jobs are declared in one place (``sangathan.schedule.tasks``) and Huey knows each of them."""

import ast
from pathlib import Path

from huey.api import PeriodicTask
from huey.contrib.djhuey import HUEY

import sangathan
from sangathan.schedule.tasks import JOBS, PERIODIC

ROOT = Path(sangathan.__file__).parent


def test_every_job_is_a_periodic_task_known_to_huey():
    registered = {name.rsplit(".", 1)[-1] for name, task in HUEY._registry._registry.items()
                  if issubclass(task, PeriodicTask)}
    assert set(PERIODIC) == {job.name for job in JOBS} <= registered
    assert len({job.name for job in JOBS}) == len(JOBS)
    assert all(job.why for job in JOBS)


def test_no_app_declares_a_periodic_task_of_its_own():
    offenders = []
    for path in ROOT.rglob("*.py"):
        if "schedule" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if name in ("db_periodic_task", "periodic_task"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders
