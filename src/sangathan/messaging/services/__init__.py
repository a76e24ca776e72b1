"""Writes of the messaging app: templates (``templates``), the outbox and contact preferences
(``messages``), opt-outs (``optouts``). Every writing service takes a required ``scope``.

Opt-out rule. An opt-out is per person and channel (a STOP reply opts out of the channel it came on).

* Bulk messages (broadcasts, campaign appeals) are never sent on a channel the person opted out of, and
  never moved to another channel: ``message_send_templated`` returns None, and the broadcast fan-out
  excludes opted-out people in SQL.
* Transactional messages the person caused or asked for (their grievance's status, their own call list)
  are not sent on an opted-out channel either, but they move to the next channel the template allows that
  the person has not opted out of, so the answer still reaches them. Only a person opted out of every
  channel the template allows gets nothing (None).
"""

from sangathan.messaging.services.bulk import (
    BulkItem,
    BulkRecipient,
    BulkResult,
    messages_rerender,
    messages_send_templated_bulk,
    messages_withdraw,
)
from sangathan.messaging.services.messages import (
    BODY_MAX_LENGTH,
    TemplateTestSend,
    actor_mobile,
    contact_preference_of,
    contact_preference_set,
    message_enqueue,
    message_send_templated,
    template_test_send,
)
from sangathan.messaging.services.optouts import opt_in, opt_out, opted_out_person_ids
from sangathan.messaging.services.templates import (
    MOBILE_CHANNELS,
    TEMPLATE_FIELDS,
    RenderResult,
    TemplateCreate,
    TemplateUpdate,
    require_template_editor,
    sms_segments,
    template_active,
    template_create,
    template_may_edit,
    template_render,
    template_update,
    template_variables,
    templates_ensure,
)

__all__ = [
    "BODY_MAX_LENGTH", "BulkItem", "BulkRecipient", "BulkResult", "messages_rerender", "messages_send_templated_bulk", "messages_withdraw", "MOBILE_CHANNELS", "TEMPLATE_FIELDS", "RenderResult", "TemplateCreate", "TemplateTestSend",
    "TemplateUpdate", "actor_mobile", "contact_preference_of", "contact_preference_set", "message_enqueue", "message_send_templated", "opt_in",
    "opt_out", "opted_out_person_ids", "require_template_editor", "sms_segments", "template_active", "template_create", "template_may_edit",
    "template_render", "template_test_send", "template_update", "template_variables", "templates_ensure",
]
