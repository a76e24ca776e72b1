"""The long-lived objects of a process, frozen once it has started.

Python's collector walks every tracked object on each full (oldest-generation) collection. In a web process
those are mostly the modules, URL patterns, views and models loaded at start, which live as long as the
process: at 15 million members a full collection took 90–125 ms in the middle of a request (the pages'
p95). ``gc.freeze`` moves them out of the collector's sight; what requests make is still collected.
"""

import gc

from django.urls import get_resolver


def freeze_started_process() -> None:
    """Load what the first request would (the URL patterns and with them every view module), collect the
    start-up garbage, then freeze the rest."""
    get_resolver().url_patterns  # noqa: B018 — imports the views now, not in the first request
    gc.collect()
    gc.freeze()
