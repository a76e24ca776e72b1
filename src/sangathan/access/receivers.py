"""How access takes part in the writes of the apps below it."""

from django.dispatch import receiver

from sangathan.access.models import User
from sangathan.access.services.logins import login_end_with_posts
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
