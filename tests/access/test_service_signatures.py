"""Every service function that writes takes a required keyword ``scope`` and no separate ``actor`` (issue 10).

Which functions write is read from their source: a call of an ORM write (``save``, ``create``,
``bulk_create``, ``delete``, ``get_or_create``, a queryset's ``update`` …) in the function, or a call of
another service function that writes. A missing scope must be a TypeError, never a silent pass.
"""

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import textwrap
from pathlib import Path

import sangathan
from sangathan.core.actions import Action

ROOT = Path(sangathan.__file__).parent
# Where services live, as globs under src/sangathan, plus the modules that hold writes outside them.
SERVICE_GLOBS = ("*/services.py", "*/services/*.py", "people/merge.py", "people/erasure.py", "people/imports/*.py",
                 "messaging/broadcast*.py", "messaging/broadcasts/*.py", "messaging/outbox.py")
ORM_WRITES = {"save", "delete", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create",
              "execute"}  # running an Action writes
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update", "using", "order_by"}
# Functions that write yet cannot take a scope, each with why. Keep it short.
ALLOWED = {
    "sangathan.access.services.tokens.api_token_user": "authenticates a bearer token: no actor exists yet; only "
                                                       "touches the token's last_used_at",
    "sangathan.access.services.audit.audit_record": "records a login or a failed login: no scope exists before "
                                                    "the login; everything else writes through audit_log(scope=…)",
    "sangathan.grievances.services.config.cell_settings": "reads the cell's settings, creating the singleton row "
                                                          "with defaults on first use",
    "sangathan.messaging.broadcasts.fanout.broadcast_fanout": "the worker's half of BroadcastSend, which checked "
                                                              "the sender's scope and audited; takes only an id",
    "sangathan.messaging.broadcasts.fanout.broadcast_messages_cancel": "bookkeeping after BroadcastCancel (checked "
                                                                       "and audited): marks skipped rows cancelled",
    "sangathan.people.services.headcounts.headcount_add": "keeps a derived count (no history, no personal data) "
                                                          "inside the transaction of the action that moved people",
    "sangathan.fieldwork.services.flags.flags_write": "writes the fake-signs of records inside RecordsSync, which "
                                                      "checked the vistarak's scope and logs the sync",
    "sangathan.people.services.headcounts.headcounts_fold": "like headcount_add: adds an import's pending changes "
                                                            "to the derived counts inside its transaction",
    "sangathan.people.imports.pipeline.apply_chunks": "the writing half of import_run(scope=…): its ChunkApplier "
                                                      "carries the importer's checked scope",
    "sangathan.messaging.broadcasts.selectors.audience_id_range": "reads only: one SELECT through a cursor",
    "sangathan.fieldwork.services.flags.signs_rows": "reads only: one SELECT through a cursor, the stored records "
                                                     "RecordsSync's flags compare a batch with",
    "sangathan.fieldwork.services.flags.devices_note": "like flags_write: notes the batch's devices (a derived row "
                                                       "per drive, device and vistarak) inside RecordsSync",
}


def service_modules() -> list:
    names = set()
    for pattern in SERVICE_GLOBS:
        for path in ROOT.glob(pattern):
            parts = path.relative_to(ROOT.parent).with_suffix("").parts
            names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return [importlib.import_module(name) for name in sorted(names)]


def public_functions() -> dict[str, object]:
    """module.name → function, for the public functions each service module defines itself."""
    found = {}
    for module in service_modules():
        for name, function in vars(module).items():
            if inspect.isfunction(function) and function.__module__ == module.__name__ and not name.startswith("_"):
                found[f"{module.__name__}.{name}"] = inspect.unwrap(function)
    return found


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        if isinstance(call.func, ast.Name):
            names.add(call.func.id)
        elif isinstance(call.func, ast.Attribute):
            names.add(call.func.attr)
    return names


def _writes_directly(node: ast.AST) -> bool:
    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        func = call.func
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr in ORM_WRITES:
            return True
        if func.attr == "update":  # a queryset's update, not a dict's
            target = func.value.func if isinstance(func.value, ast.Call) else func.value
            if isinstance(target, ast.Attribute) and target.attr in QUERYSET_STEPS:
                return True
    return False


def writing_functions() -> dict[str, object]:
    """The public service functions that write, directly or through another service function."""
    functions = public_functions()
    trees = {}
    for qualified, function in functions.items():
        try:
            trees[qualified] = ast.parse(textwrap.dedent(inspect.getsource(function)))
        except (OSError, TypeError):
            continue
    writers = {q for q, tree in trees.items() if _writes_directly(tree) and q not in ALLOWED}
    calls = {q: _called_names(tree) for q, tree in trees.items()}
    changed = True
    while changed:  # a function that calls a writer writes
        writer_names = {q.rsplit(".", 1)[1] for q in writers}
        grown = {q for q in trees if q not in writers and q not in ALLOWED and calls[q] & writer_names}
        writers |= grown
        changed = bool(grown)
    return {q: functions[q] for q in sorted(writers)}


def signature_problem(function) -> str | None:
    parameters = inspect.signature(function).parameters
    scope = parameters.get("scope")
    problems = []
    if scope is None:
        problems.append("no scope")
    else:
        if scope.kind is not inspect.Parameter.KEYWORD_ONLY:
            problems.append("scope not keyword-only")
        if scope.default is not inspect.Parameter.empty:
            problems.append(f"scope={scope.default!r}")
    if "actor" in parameters:
        problems.append("takes actor")
    return ", ".join(problems) or None


def action_forms() -> dict[str, type]:
    """module.name → Action class, for the function forms service modules export (``x_y = XY.run``);
    ``test_every_action_requires_a_scope`` checks those."""
    found = {}
    for module in service_modules():
        for name, value in vars(module).items():
            owner = getattr(value, "__self__", None)
            if inspect.ismethod(value) and isinstance(owner, type) and issubclass(owner, Action):
                found[f"{module.__name__}.{name}"] = owner
    return found


def test_the_analysis_finds_the_writers():
    """The source reading is not vacuous: known writers and known pure helpers are told apart."""
    writers = writing_functions()
    for name in ("sangathan.grievances.services.intake.grievance_create",
                 "sangathan.people.services.person.person_create"):
        assert name in writers, name
    actions = action_forms()
    for name in ("sangathan.org.services.unit_create", "sangathan.messaging.broadcasts.actions.broadcast_pause"):
        assert name in actions, name
    assert len(actions) >= 40
    for name in ("sangathan.messaging.services.templates.sms_segments", "sangathan.grievances.services.sla.deadline_for"):
        assert name in public_functions() and name not in writers, name


def test_every_writing_service_takes_a_required_scope():
    offenders = []
    for qualified, function in writing_functions().items():
        if qualified in ALLOWED:
            continue
        problem = signature_problem(function)
        if problem:
            offenders.append(f"{qualified.removeprefix('sangathan.')}: {problem}")
    assert not offenders, (f"{len(offenders)} service functions that write lack a required keyword scope:\n  "
                           + "\n  ".join(offenders))


def _action_classes() -> list[type]:
    for info in pkgutil.walk_packages(sangathan.__path__, "sangathan."):
        if not any(part in ("migrations", "management", "settings", "wsgi", "asgi") for part in info.name.split(".")):
            importlib.import_module(info.name)
    found, pending = [], list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_action_requires_a_scope():
    offenders = []
    for cls in _action_classes():
        field = {f.name: f for f in dataclasses.fields(cls)}.get("scope")
        if field is None:
            offenders.append(f"{cls.__module__}.{cls.__qualname__}: no scope field")
        elif field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING:
            offenders.append(f"{cls.__module__}.{cls.__qualname__}: scope has a default")
    assert not offenders, "Actions whose scope is not required:\n  " + "\n  ".join(offenders)
