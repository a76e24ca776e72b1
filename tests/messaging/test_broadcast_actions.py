"""Each broadcast, template and opt-out write is an action leaving its audit row; every messaging write
needs a scope; only the state may change templates."""

import inspect

import pytest
from django.test import Client, TestCase

from sangathan.access.models import AuditLog, audit_action_label
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import PermissionDenied
from sangathan.messaging import services
from sangathan.messaging.broadcasts import actions
from sangathan.messaging.broadcasts.actions import (
    broadcast_cancel,
    broadcast_create,
    broadcast_pause,
    broadcast_resume,
    broadcast_send,
    broadcasts_start_due,
)
from sangathan.messaging.models import BroadcastStatus, Channel, MessageKind, OptOutSource, Template
from sangathan.messaging.services import opt_in, opt_out, template_create, template_update
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(db):
    return template_create(scope=Scope.system(), code="meeting", name="Meeting", body_hi="{name} जी, बैठक {place}",
                           channels=["sms"], kind=MessageKind.BULK)


def _scope(tree, who="district_president"):
    return scope_for_user(tree.users[who]).with_context(channel="web", ip="10.0.0.7")


def _draft(tree, template, **extra):
    return broadcast_create(scope=_scope(tree), unit_id=tree["d1"].pk, template=template, channels=["sms"],
                            context={"place": "भोपाल"}, **extra)


def _audit(action, broadcast):
    return AuditLog.objects.get(action=action, target_type="broadcast", target_id=broadcast.pk)


def test_create_send_pause_resume_cancel_each_leave_an_audit_row(tree, template):
    user = tree.users["district_president"]
    broadcast = _draft(tree, template)
    assert _audit("broadcast.create", broadcast).actor == user
    with TestCase.captureOnCommitCallbacks(execute=True):
        broadcast_send(scope=_scope(tree), broadcast_id=broadcast.pk)
    steps = (("broadcast.pause", broadcast_pause, BroadcastStatus.PAUSED),
             ("broadcast.resume", broadcast_resume, BroadcastStatus.SENDING),
             ("broadcast.cancel", broadcast_cancel, BroadcastStatus.CANCELLED))
    for action, function, status in steps:
        previous = type(broadcast).objects.get(pk=broadcast.pk).status
        changed = function(scope=_scope(tree), broadcast_id=broadcast.pk)
        assert changed.status == status
        row = _audit(action, broadcast)
        assert (row.actor, row.channel, row.ip, row.unit_path) == (user, "web", "10.0.0.7", tree["d1"].path)
        assert row.detail == {"from": previous, "to": status}
        assert str(audit_action_label(action)) != action  # registered with a label in MessagingConfig.ready
    send = _audit(AuditLog.Action.BROADCAST_SEND, broadcast)
    assert send.actor == user and send.channel == "web"


def test_a_refused_action_writes_nothing(tree, template):
    broadcast = _draft(tree, template)
    with pytest.raises(PermissionDenied):  # reads the audience, may not write at the sending office
        broadcast_cancel(scope=_reader(tree), broadcast_id=broadcast.pk)
    assert not AuditLog.objects.filter(action="broadcast.cancel").exists()
    assert type(broadcast).objects.get(pk=broadcast.pk).status == BroadcastStatus.DRAFT


def _reader(tree):
    """Reads district 1 (the audience) but may not write at its office: a read grant on the district."""
    from sangathan.access.models import ScopeGrant
    from sangathan.org.enums import Grant

    user = tree.users["nobody"]
    ScopeGrant.objects.create(user=user, unit=tree["d1"], grant=Grant.READ)
    return scope_for_user(user)


def test_scheduled_start_is_the_systems_with_an_audit_row(tree, template):
    from datetime import timedelta

    from django.utils import timezone

    send_at = timezone.now() + timedelta(hours=1)
    broadcast = _draft(tree, template, send_at=send_at)
    broadcast_send(scope=_scope(tree), broadcast_id=broadcast.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert broadcasts_start_due(scope=Scope.system(channel="task"), now=send_at) == [broadcast.pk]
    row = _audit("broadcast.start", broadcast)
    assert row.actor is None and row.channel == "task"


def test_template_create_and_update_leave_audit_rows(tree):
    scope = scope_for_user(tree.users["state_admin"]).with_context(channel="web")
    template = template_create(scope=scope, code="rally", name="Rally", body_hi="{place} में रैली")
    created = AuditLog.objects.get(action="template.create", target_id=template.pk)
    assert created.actor == tree.users["state_admin"] and created.detail["code"] == "rally"
    template_update(scope=scope, template=template, body_hi="{place} में बड़ी रैली", is_active=False)
    updated = AuditLog.objects.get(action="template.update", target_id=template.pk)
    assert updated.detail["changed"] == {"body_hi": ["{place} में रैली", "{place} में बड़ी रैली"],
                                         "is_active": [True, False]}


def test_only_the_state_may_change_templates(tree, template):
    for who in ("district_president", "booth_president", "nobody"):
        with pytest.raises(PermissionDenied):
            template_create(scope=scope_for_user(tree.users[who]), code="x", name="x", body_hi="नमस्ते")
        with pytest.raises(PermissionDenied):
            template_update(scope=scope_for_user(tree.users[who]), template=template, name="changed")
    assert not Template.objects.filter(code="x").exists()
    assert Template.objects.get(pk=template.pk).name == "Meeting"


def test_template_admin_saves_through_the_actions(tree):
    admin = Client()
    admin.force_login(tree.users["state_admin"])
    data = {"code": "camp", "name": "Camp", "body_hi": "{place} में शिविर", "channels": '["sms"]',
            "kind": MessageKind.TRANSACTIONAL, "is_active": "on", "body_en": "", "subject_hi": "", "subject_en": "",
            "dlt_template_id": ""}
    response = admin.post("/admin/messaging/template/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    template = Template.objects.get(code="camp")
    assert template.variables == ["place"]
    assert AuditLog.objects.filter(action="template.create", target_id=template.pk,
                                   actor=tree.users["state_admin"]).exists()
    change = f"/admin/messaging/template/{template.pk}/change/"
    data = {**form_data(admin.get(change)), "body_hi": "{place} में {day} शिविर"}
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    template.refresh_from_db()
    assert template.variables == ["place", "day"]
    row = AuditLog.objects.get(action="template.update", target_id=template.pk)
    assert row.detail["changed"]["body_hi"] == ["{place} में शिविर", "{place} में {day} शिविर"]
    # A check() error shows on the form and writes nothing.
    data = {**form_data(admin.get(change)), "body_en": "{other}"}
    response = admin.post(change, data)
    assert response.status_code == 200 and "body_en" in response.context["adminform"].form.errors
    assert AuditLog.objects.filter(action="template.update").count() == 1


def test_reversing_an_opt_out_records_who_did_it(tree):
    person = tree.people["d1a1b1p0"]
    opt_out(scope=Scope.system(channel="api"), person=person, channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    with pytest.raises(PermissionDenied):
        opt_in(scope=_reader(tree), person=person, channel=Channel.SMS)
    assert opt_in(scope=_scope(tree), person=person, channel=Channel.SMS) is True
    row = AuditLog.objects.get(action="optout.revoke")
    assert row.actor == tree.users["district_president"] and row.detail == {"person": person.pk, "channel": "sms"}


WRITERS = [services.message_enqueue, services.message_send_templated, services.contact_preference_set,
           services.opt_out, services.opt_in, services.template_update, services.templates_ensure,
           actions.broadcasts_start_due]
ACTIONS = [services.TemplateCreate, services.TemplateUpdate, actions.BroadcastCreate, actions.BroadcastSend,
           actions.BroadcastPause, actions.BroadcastResume, actions.BroadcastCancel]


@pytest.mark.parametrize("function", WRITERS, ids=lambda f: f.__name__)
def test_every_writing_service_requires_a_scope(function):
    parameter = inspect.signature(function).parameters["scope"]
    assert parameter.kind == parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    assert "actor" not in inspect.signature(function).parameters


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.__name__)
def test_every_action_requires_a_scope(action):
    with pytest.raises(TypeError):
        action()
    parameter = inspect.signature(action).parameters["scope"]
    assert parameter.default is parameter.empty
