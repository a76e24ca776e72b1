import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangathan.settings")
application = get_wsgi_application()

from sangathan.core.heap import freeze_started_process  # noqa: E402 — needs the app loaded above

freeze_started_process()
