from django import template
from django.urls import reverse

from sangathan.dashboard.help import section_for

register = template.Library()


@register.simple_tag(takes_context=True)
def help_url(context) -> str:
    """The help page of the section the current page belongs to (the index when none fits)."""
    request = context.get("request")
    section = section_for(getattr(request, "resolver_match", None))
    return reverse("help:section", args=[section]) if section else reverse("help:index")
