"""The public address of a page, for links that leave the app (SMS, printed receipts, e-mail)."""

from django.conf import settings


def public_url(path, request=None):
    """``path`` on the configured public address; else on the request's host; else the bare path.

    An SMS cannot carry a relative link, so deployments set ``SANGATHAN_PUBLIC_URL``; the request fallback
    keeps a printed receipt right on a deployment that has not.
    """
    if not path.startswith("/"):
        path = "/" + path
    if settings.SANGATHAN_PUBLIC_URL:
        return settings.SANGATHAN_PUBLIC_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path
