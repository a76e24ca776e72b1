"""A web process freezes what it loaded at start (``core.heap``): the views are imported before the first
request, and the collector's full passes no longer walk them (they took ~100 ms at 15M members)."""

import os
import subprocess
import sys

CHILD = """
import gc, sys
import sangathan.wsgi
print(gc.get_freeze_count(), 'sangathan.people.views' in sys.modules, 'sangathan.fieldwork.api' in sys.modules)
"""


def test_the_wsgi_module_loads_the_views_and_freezes_them():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True,  # noqa: S603
                         timeout=120).stdout.split()
    frozen, views, api = int(out[0]), out[1], out[2]
    assert frozen > 50_000 and views == "True" and api == "True"
