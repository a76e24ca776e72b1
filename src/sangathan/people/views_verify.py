"""The public cross-check page (no login): one box for a mobile or membership number, one answer."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from sangathan.access.services import client_ip
from sangathan.core.digits import ascii_digits
from sangathan.core.errors import DomainError
from sangathan.core.phones import try_normalize_mobile
from sangathan.people.verify import RateLimited, verify_lookup


@never_cache
@csrf_protect
def verify_page(request):
    """GET shows the form; POST answers (HTTP 429 with the message when over a rate limit)."""
    context = {"answer": None, "error": "", "number": ""}
    status = 200
    if request.method == "POST":
        number = ascii_digits(request.POST.get("number") or "").strip()[:32]
        context["number"] = number
        is_mobile = try_normalize_mobile(number) is not None or not any(ch.isalpha() for ch in number)
        try:
            context["answer"] = verify_lookup(
                mobile=number if is_mobile else "", membership_no="" if is_mobile else number,
                ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""), channel="web")
        except RateLimited as error:
            context["error"], status = str(error), 429
        except DomainError as error:
            context["error"], status = str(error), 400
    return render(request, "people/verify.html", context, status=status)
