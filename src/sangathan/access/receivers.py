"""How access takes part in the writes of the apps below it."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from sangathan.access.models import User
from sangathan.access.services.logins import login_end_with_posts
from sangathan.core import ratelimit
from sangathan.org.signals import position_ended


@receiver(position_ended)
def end_login_with_last_position(sender, *, scope, position, **kwargs):
    """A relief effective today (or earlier) that leaves the person without a post ends their login, in the
    relief's transaction. A relief dated in the future does not end it (no job runs on that day)."""
    if position.is_current():
        return None
    user = User.objects.filter(person_id=position.person_id, is_active=True).first()
    if user is None:
        return None
    return login_end_with_posts(scope=scope, user=user)


@receiver(user_login_failed)
def count_failed_login_per_address(sender, credentials=None, request=None, **kwargs):
    """Every failed login (page or API) counts against its address (``login.ip``), whatever number was
    tried: axes stops guessing one number's password, this stops one password sprayed over many numbers."""
    if request is not None:
        ratelimit.hit("login.ip", ratelimit.client_ip(request) or "-")
