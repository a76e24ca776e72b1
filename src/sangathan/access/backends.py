from django.contrib.auth.backends import ModelBackend

from sangathan.core.phones import try_normalize_mobile


def axes_username(request, credentials) -> str:
    """The mobile number as axes should count failures: normalized, so spacing does not reset the count."""
    raw = (credentials or {}).get("mobile") or (credentials or {}).get("username") or ""
    return try_normalize_mobile(raw) or raw.strip()[:32]


class MobileBackend(ModelBackend):
    """Log in with a mobile number typed in any common form and a password."""

    def authenticate(self, request, mobile=None, password=None, username=None, **kwargs):
        mobile = try_normalize_mobile(mobile or username or "")
        if mobile is None or password is None:
            return None
        return super().authenticate(request, username=mobile, password=password)
