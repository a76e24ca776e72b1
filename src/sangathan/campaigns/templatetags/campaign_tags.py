from django import template
from django.utils.translation import gettext_lazy as _

from sangathan.campaigns.selectors import verification_comparison

register = template.Library()

SIGNAL_LABELS = {
    "jump": _("sudden jump"),
    "round": _("round numbers"),
    "peer": _("far above peers"),
    "unbacked": _("claims without evidence"),
}


@register.filter
def comparison(verification):
    return verification_comparison(verification)


@register.filter
def signal_label(code: str) -> str:
    return SIGNAL_LABELS.get(code, code)
