"""Help pages: the index of sections and one section's page in the reader's language."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from sangathan.dashboard.help import SECTIONS, template_for


@login_required
def help_index(request):
    return render(request, "help/index.html", {"sections": SECTIONS.items()})


@login_required
def help_section(request, section: str):
    if section not in SECTIONS:
        raise Http404
    language = (get_language() or "hi").split("-")[0]
    return render(request, "help/section.html", {"section": section, "title": SECTIONS[section],
                                                 "body": template_for(section, language),
                                                 "sections": SECTIONS.items()})
