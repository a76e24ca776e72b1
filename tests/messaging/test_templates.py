import pytest

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError
from sangathan.messaging.models import Channel, Message, MessageKind, Template
from sangathan.messaging.services import (
    contact_preference_set,
    message_send_templated,
    sms_segments,
    template_create,
    template_render,
    template_update,
)


@pytest.fixture
def grievance_template(db):
    return template_create(scope=Scope.system(),
        code="grievance-status", name="Grievance status",
        body_hi="{name} जी, आपकी समस्या {number} की स्थिति: {status}",
        body_en="{name}, your problem {number} is now: {status}",
        channels=[Channel.SMS, Channel.WHATSAPP], dlt_template_id="1107000000000042",
    )


def test_variables_are_derived_from_the_texts(grievance_template):
    assert grievance_template.variables == ["name", "number", "status"]
    template_update(scope=Scope.system(), template=grievance_template, body_hi="{name} जी, {number}: {status} {when}",
                    body_en="{name}, {number}: {status} {when}")
    grievance_template.refresh_from_db()
    assert grievance_template.variables == ["name", "number", "status", "when"]


def test_hindi_and_english_must_use_the_same_variables(db):
    with pytest.raises(DomainError) as error:
        template_create(scope=Scope.system(), code="x", name="x", body_hi="{a} {b}", body_en="{a}")
    assert error.value.field == "body_en"


def test_duplicate_code_and_unknown_channel_are_refused(grievance_template):
    with pytest.raises(DomainError) as error:
        template_create(scope=Scope.system(), code="grievance-status", name="again", body_hi="नमस्ते")
    assert error.value.code == "duplicate"
    with pytest.raises(DomainError) as error:
        template_create(scope=Scope.system(), code="other", name="x", body_hi="नमस्ते", channels=["pigeon"])
    assert error.value.field == "channels"


def test_render_in_each_language_with_segments(grievance_template):
    context = {"name": "रमेश", "number": "G-17", "status": "हल"}
    hindi = template_render(template=grievance_template, language="hi", context=context)
    assert hindi.body == "रमेश जी, आपकी समस्या G-17 की स्थिति: हल"
    assert (hindi.encoding, hindi.segments) == ("ucs2", 1)
    english = template_render(template=grievance_template, language="en",
                              context={"name": "Ramesh", "number": "G-17", "status": "resolved"})
    assert english.body == "Ramesh, your problem G-17 is now: resolved"
    assert english.encoding == "gsm7"


def test_sms_segment_arithmetic():
    assert sms_segments("a" * 160) == (1, "gsm7")
    assert sms_segments("a" * 161) == (2, "gsm7")
    assert sms_segments("{" * 80) == (1, "gsm7")  # extension characters count twice
    assert sms_segments("{" * 81) == (2, "gsm7")
    assert sms_segments("क" * 70) == (1, "ucs2")
    assert sms_segments("क" * 71) == (2, "ucs2")
    assert sms_segments("क" * 135) == (3, "ucs2")


def test_missing_variables_are_named_and_nothing_is_queued(grievance_template, tree):
    person = tree.people["d1a1b1p0"]
    with pytest.raises(DomainError) as error:
        message_send_templated(scope=Scope.system(), person=person, template_code="grievance-status", context={"name": "रमेश", "status": ""},
                               idempotency_key="g-1")
    assert error.value.field == "context"
    assert "number" in error.value.message and "status" in error.value.message
    assert not Message.objects.exists()


def test_person_gets_their_language_and_channel(grievance_template, tree):
    person = tree.people["d1a1b1p0"]
    contact_preference_set(scope=Scope.system(), person=person, language="en", channel=Channel.WHATSAPP)
    message = message_send_templated(scope=Scope.system(), person=person, template_code="grievance-status",
                                     context={"name": "Ramesh", "number": "G-1", "status": "resolved"},
                                     idempotency_key="g-2")
    assert (message.channel, message.language, message.to_address) == (Channel.WHATSAPP, "en", person.mobile)
    assert message.body.startswith("Ramesh, your problem")
    assert message.kind == MessageKind.TRANSACTIONAL and message.unit_path == person.unit_path
    assert message.template == grievance_template and message.context["number"] == "G-1"


def test_default_is_hindi_sms(grievance_template, tree):
    message = message_send_templated(scope=Scope.system(), person=tree.people["d1a1b1p1"], template_code="grievance-status",
                                     context={"name": "रमेश", "number": "G-1", "status": "हल"}, idempotency_key="g-3")
    assert (message.channel, message.language) == (Channel.SMS, "hi")


def test_unknown_or_inactive_template_is_refused(grievance_template, tree):
    template_update(scope=Scope.system(), template=grievance_template, is_active=False)
    with pytest.raises(DomainError):
        message_send_templated(scope=Scope.system(), person=tree.people["d1a1b1p1"], template_code="grievance-status",
                               context={"name": "a", "number": "b", "status": "c"}, idempotency_key="g-4")
    assert Template.objects.count() == 1 and not Message.objects.exists()


def test_apps_declare_their_templates_and_edited_ones_are_kept(db):
    from sangathan.messaging.services import template_active, templates_ensure

    definitions = {"tests.hello": ("Hello", "नमस्ते {name}", "Hello {name}")}
    template = template_active("tests.hello", definitions)  # created on first use
    assert (template.body_hi, template.body_en) == ("नमस्ते {name}", "Hello {name}")
    template_update(scope=Scope.system(), template=template, body_hi="नमस्कार {name}")
    templates_ensure(definitions, scope=Scope.system())
    assert Template.objects.get(code="tests.hello").body_hi == "नमस्कार {name}"
    template_update(scope=Scope.system(), template=template, is_active=False)
    with pytest.raises(DomainError):
        template_active("tests.hello", definitions)
