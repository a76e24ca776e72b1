"""Pages of message templates for the state office: list, create, change, preview with sample values and a
test to one's own mobile. Thin: the actions (``TemplateCreate``, ``TemplateUpdate``, ``TemplateTestSend``)
decide permission and validity; ``templates_may_view`` who sees the pages at all (404 for anyone else)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.messaging.broadcasts.policies import templates_may_view
from sangathan.messaging.models import Language
from sangathan.messaging.selectors import template_get, template_history, templates_all
from sangathan.messaging.services import (
    TemplateCreate,
    TemplateUpdate,
    template_may_edit,
    template_render,
    template_test_send,
    template_variables,
)
from sangathan.messaging.template_forms import (
    SAMPLE_PREFIX,
    TemplateForm,
    sample_values,
    template_form_errors,
)


def _require(request, *, write: bool):
    """404 to whoever may not see templates; 403 to a reader asking to write."""
    scope = request.scope
    if not templates_may_view(scope):
        raise Http404
    if write and not template_may_edit(scope):
        raise Forbidden
    return scope


def _template_or_404(template_id):
    template = template_get(template_id)
    if template is None:
        raise Http404
    return template


@login_required
def template_list(request):
    """Every template with its variables; the state office may add and change them."""
    scope = _require(request, write=False)
    templates = list(templates_all())
    for template in templates:
        template.braced = _braced(template.variables or [])
    return render(request, "messaging/template_list.html",
                  {"templates": templates, "may_edit": template_may_edit(scope)})


@login_required
def template_new(request):
    scope = _require(request, write=True)
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = TemplateCreate.run(scope=scope, **form.service_fields())
        except DomainError as error:
            template_form_errors(form, error)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("messaging:template", template_id=template.pk)
    return render(request, "messaging/template_form.html", {"form": form, "variables": _variables(form)})


@login_required
def template_edit(request, template_id: int):
    """The form, the preview with sample values (a GET of ``sample_…``), the test button and the history."""
    scope = _require(request, write=True)
    template = _template_or_404(template_id)
    form = TemplateForm(request.POST or None, template=template)
    if request.method == "POST" and form.is_valid():
        try:
            TemplateUpdate.run(scope=scope, template=template, changes=form.service_fields())
        except DomainError as error:
            template_form_errors(form, error)
        else:
            messages.success(request, _("The template is saved."))
            return redirect("messaging:template", template_id=template.pk)
    return _edit_page(request, template, form)


def _braced(names: list[str]) -> list[str]:
    return ["{" + name + "}" for name in names]


def _variables(form) -> list[str]:
    """The variables the texts on the form use, as written (``{name}``)."""
    data = form.data if form.is_bound else form.initial
    return _braced(template_variables(*(data.get(name) or "" for name in ("body_hi", "subject_hi", "body_en",
                                                                          "subject_en"))))


def _edit_page(request, template, form, *, test_error=""):
    template.refresh_from_db()
    samples = sample_values(template.variables or [], request.POST if request.method == "POST" else request.GET)
    languages = [Language.HINDI] + ([Language.ENGLISH] if template.body_en else [])
    previews = [(Language(language).label, template_render(template=template, language=language, context=samples))
                for language in languages]
    return render(request, "messaging/template_form.html", {
        "form": form, "template": template, "variables": _variables(form), "samples": samples,
        "sample_prefix": SAMPLE_PREFIX, "previews": previews, "history": template_history(template),
        "nonce": uuid.uuid4().hex, "test_error": test_error,
    })


@login_required
@require_POST
def template_test(request, template_id: int):
    """Queue the previewed text to the actor's own mobile; the page again with the error when it cannot."""
    scope = _require(request, write=True)
    template = _template_or_404(template_id)
    samples = sample_values(template.variables or [], request.POST)
    try:
        message = template_test_send(scope=scope, template=template, context=samples,
                                     nonce=request.POST.get("nonce", ""))
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        return _edit_page(request, template, TemplateForm(template=template), test_error=error.message)
    messages.success(request, _("A test message to %(mobile)s is in the outbox.") % {"mobile": message.to_address})
    url = reverse("messaging:template", kwargs={"template_id": template.pk})
    query = urlencode({SAMPLE_PREFIX + name: value for name, value in samples.items()})
    return redirect(f"{url}?{query}" if query else url)
