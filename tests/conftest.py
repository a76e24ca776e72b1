import pytest

from tests.factories import build_tree


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (Hindi). ``LocaleMiddleware`` activates the reader's language
    on the request's thread and never deactivates it, so a request with the English cookie would otherwise
    leave English active for the next test on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db):
    """The small real tree (see tests.factories.build_tree) with its office-bearers and logins."""
    return build_tree()


@pytest.fixture
def is_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def clock():
    """A controllable clock (``sangathan.core.clock``): ``clock.set(datetime)``, ``clock.advance(days=1)``."""
    from sangathan.core.clock import ControlledClock

    controlled = ControlledClock()
    yield controlled
    controlled.release()
