"""The app's PostgreSQL sessions run with JIT off (settings): compiling a plan whose cost estimate is high took
longer than running it (29 ms on a sync statement of 0.5 ms, when the table had grown since its ANALYZE)."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's JIT")]


def test_jit_is_off_in_the_apps_sessions():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
