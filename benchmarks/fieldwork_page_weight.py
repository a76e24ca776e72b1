"""Bytes of the vistarak app's first load and of an update, compressed with gzip -9 as WhiteNoise serves
them. Builds the small test tree in a throw-away test database, logs a vistarak in and fetches what the
browser fetches. Run from the repository root:

    PYTHONPATH=src:. DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python benchmarks/fieldwork_page_weight.py
"""

import gzip
import os
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from django.contrib.staticfiles import finders  # noqa: E402 — after django.setup()
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

STATIC = ("css/sangathan.css", "css/fieldwork.css", "vendor/dexie/dexie.min.js", "js/fieldwork-app.js",
          "img/fieldwork-icon.svg")
# What a new app version makes the browser fetch again: the shell, the worker and the changed script
# (hashed static names: the unchanged Dexie and styles come from the HTTP cache).
UPDATE = ("shell", "service worker", "js/fieldwork-app.js")


def main() -> None:
    from tests.factories import PersonFactory, build_tree

    from sangathan.access.scope import scope_for_user
    from sangathan.core import clock
    from sangathan.fieldwork.services import drive_create, vistarak_assign

    tree = build_tree()
    office = scope_for_user(tree.users["district_president"])
    drive = drive_create(scope=office, unit=tree["d1"], title="बूथ विस्तारक योजना", starts_on=clock.today(),
                         ends_on=clock.today() + timedelta(days=8), consent_text="मैं सहमत हूँ।",
                         person_fields=["relative_name", "epic"])
    user = vistarak_assign(scope=office, drive=drive, vistarak=PersonFactory(unit=tree["d1a1m"]),
                           unit=tree["d1a1b1"]).user
    client = Client()
    client.force_login(user)
    rows = [("shell page /fieldwork/app/ (HTML)", client.get("/fieldwork/app/", HTTP_ACCEPT_LANGUAGE="hi").content),
            ("manifest", client.get("/fieldwork/manifest.webmanifest").content),
            ("service worker /fieldwork/sw.js", client.get("/fieldwork/sw.js").content)]
    for name in STATIC:
        with open(finders.find(name), "rb") as file:
            rows.append((name, file.read()))
    known = tree["d1a1b1"].people.count()
    rows.append((f"start data ({known} known workers)", client.get(f"/api/v1/fieldwork/drives/{drive.pk}/start").content))
    sizes = [(name, len(body), len(gzip.compress(body, 9))) for name, body in rows]
    print("| file | bytes | gzip -9 |\n|---|---|---|")
    for name, raw, packed in sizes:
        print(f"| {name} | {raw:,} | {packed:,} |")
    print(f"first load: {sum(p for _n, _r, p in sizes):,} bytes compressed; an update: "
          f"{sum(p for n, _r, p in sizes if n.startswith(UPDATE)):,} bytes compressed")


if __name__ == "__main__":
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        main()
    finally:
        teardown_databases(databases, verbosity=0)
